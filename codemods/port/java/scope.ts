import type { JavaClass, JavaType } from './model.ts';
import type { ClassRole } from './roles.ts';
import type { PortTodo } from './todo.ts';
import type { DroppedConstruct } from './dropped.ts';

/** Everything the translators know about the service being ported. */
export interface ServiceContext {
  classes: ReadonlyMap<string, JavaClass>;
  roles: ReadonlyMap<string, ClassRole>;
  /** `Class.method` of every method that becomes async (it awaits a repository, client or async bean call). */
  asyncMethods: ReadonlySet<string>;
  todos: PortTodo[];
  /** Constructs the generated code leaves out (TODO comments at class level, report entries). */
  dropped: DroppedConstruct[];
  /** Classes given a `static initStatics()` (their static initialisation), which the composition root calls. */
  staticInits?: Set<string>;
  /** The service's OpenAPI document from `migrate analyze`; route bodies are checked against its schemas. */
  openapi?: OpenApiDocument;
}

/** The parts of an OpenAPI 3.1 document the port reads. */
export interface OpenApiDocument {
  paths?: Record<
    string,
    Record<string, { responses?: Record<string, { content?: Record<string, { schema?: unknown }> }> }>
  >;
}

/** Names a generated file imports: service classes by class name, runtime helpers by module. */
export class ImportSet {
  readonly classes = new Set<string>();
  readonly runtime = new Map<string, Set<string>>();
  readonly modules = new Map<string, Set<string>>();

  useClass(name: string): void {
    this.classes.add(name);
  }

  useRuntime(module: string, name: string): void {
    const names = this.runtime.get(module) ?? new Set<string>();
    names.add(name);
    this.runtime.set(module, names);
  }

  useModule(module: string, name: string): void {
    const names = this.modules.get(module) ?? new Set<string>();
    names.add(name);
    this.modules.set(module, names);
  }
}

/** Where a translator is: class, member, local variables, whether inside a lambda or a static member. */
export interface Scope {
  ctx: ServiceContext;
  cls: JavaClass;
  member: string;
  locals: Map<string, JavaType>[];
  imports: ImportSet;
  lambdaDepth: number;
  isStatic: boolean;
  isConstructor: boolean;
  /** A lambda the member returns is async (a `@Bean` runner, which may await what it calls). */
  asyncReturnedLambda?: boolean;
}

export function createScope(
  ctx: ServiceContext,
  cls: JavaClass,
  member: string,
  imports: ImportSet,
  isStatic: boolean,
): Scope {
  return {
    ctx,
    cls,
    member,
    locals: [new Map<string, JavaType>()],
    imports,
    lambdaDepth: 0,
    isStatic,
    isConstructor: member === 'constructor',
  };
}

export function lookupLocal(scope: Scope, name: string): JavaType | undefined {
  for (let i = scope.locals.length - 1; i >= 0; i--) {
    const type = scope.locals[i]?.get(name);
    if (type !== undefined) return type;
  }
  return undefined;
}

export function declareLocal(scope: Scope, name: string, type: JavaType): void {
  scope.locals.at(-1)?.set(name, type);
}

export function withBlock<T>(scope: Scope, run: () => T): T {
  scope.locals.push(new Map());
  try {
    return run();
  } finally {
    scope.locals.pop();
  }
}

/** A type name the generated project defines: a class of the service. */
export function isServiceClass(scope: Scope, name: string): boolean {
  return scope.ctx.classes.has(name);
}

export const OBJECT_TYPE: JavaType = { name: 'Object', args: [], array: false, annotations: [] };

export function simpleType(name: string, args: JavaType[] = []): JavaType {
  return { name, args, array: false, annotations: [] };
}

/** The TS name of a field: Java lets a field and a method share a name, TypeScript does not. */
export function fieldName(cls: JavaClass, name: string): string {
  return cls.methods.some((m) => m.name === name) ? `_${name}` : name;
}
