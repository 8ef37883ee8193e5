/**
 * The Java model the port works on: classes with their annotations, fields, constructors and methods. Bodies stay
 * tree-sitter nodes; the statement and expression translators walk them.
 */
import type { Node } from 'web-tree-sitter';
import { AppError, ErrorCode } from '../../../shared/errors.ts';

/** An annotation as written: simple name and its arguments as source text (`value` for the unnamed one). */
export interface JavaAnnotation {
  name: string;
  args: Record<string, string>;
}

/** A type as written, e.g. `List<OrderLineItemsDto>`: simple name, type arguments, array dimensions. */
export interface JavaType {
  name: string;
  args: JavaType[];
  array: boolean;
  /** Annotations on a type argument, e.g. `List<@Valid Item>`. */
  annotations: JavaAnnotation[];
}

export interface JavaVariable {
  name: string;
  type: JavaType;
  annotations: JavaAnnotation[];
  modifiers: string[];
  /** The initializer of a field, if any. */
  init: Node | undefined;
  line: number;
  /** The Java source of a field's declaration, for TODO comments. */
  text?: string;
}

/** A `static { … }` or instance `{ … }` initializer block, or a member kind the port has no model for. */
export interface JavaInitializer {
  kind: 'static' | 'instance' | 'other';
  line: number;
  text: string;
  body: Node | undefined;
}

export interface JavaMethod {
  name: string;
  /** `undefined` for a constructor. */
  returnType: JavaType | undefined;
  params: JavaVariable[];
  annotations: JavaAnnotation[];
  modifiers: string[];
  body: Node | undefined;
  line: number;
  /** The Java source of the declaration, for TODO comments. */
  text: string;
}

export type JavaClassKind = 'class' | 'record' | 'interface' | 'enum';

export interface JavaClass {
  kind: JavaClassKind;
  name: string;
  packageName: string;
  /** Path of the .java file relative to the service root. */
  file: string;
  line: number;
  annotations: JavaAnnotation[];
  modifiers: string[];
  superclass: JavaType | undefined;
  interfaces: JavaType[];
  /** Record components, in order. */
  components: JavaVariable[];
  fields: JavaVariable[];
  constructors: JavaMethod[];
  methods: JavaMethod[];
  enumConstants: string[];
  /** Initializer blocks (and member kinds the port does not model), in source order. */
  initializers: JavaInitializer[];
  /** Simple name → fully qualified name, from the imports. */
  imports: Record<string, string>;
  javadoc: string | undefined;
}

export function hasAnnotation(target: { annotations: JavaAnnotation[] }, ...names: string[]): boolean {
  return target.annotations.some((a) => names.includes(a.name));
}

export function getAnnotation(
  target: { annotations: JavaAnnotation[] },
  ...names: string[]
): JavaAnnotation | undefined {
  return target.annotations.find((a) => names.includes(a.name));
}

/** A repository whose entity class is not among the service's sources: a located MIG_INPUT error. */
export function missingEntity(repo: JavaClass, entityName: string): AppError {
  return new AppError(
    ErrorCode.input,
    `${repo.name} stores ${entityName === '' ? 'an entity it does not name' : entityName}, which is not a class of this service`,
    {
      location: { file: repo.file, line: repo.line },
      hint: 'port translates one service from its own sources: add the entity class to it, or fix the repository’s type arguments',
    },
  );
}
