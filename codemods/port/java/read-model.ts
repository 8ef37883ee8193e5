import type { Node } from 'web-tree-sitter';
import type {
  JavaAnnotation,
  JavaClass,
  JavaClassKind,
  JavaMethod,
  JavaType,
  JavaVariable,
} from './model.ts';
import { parseJava, ParseStopped } from './parser.ts';
import { AppError, ErrorCode } from '../../../shared/errors.ts';

const CLASS_NODES: Record<string, JavaClassKind> = {
  class_declaration: 'class',
  record_declaration: 'record',
  interface_declaration: 'interface',
  enum_declaration: 'enum',
};

/** The first ERROR or MISSING node of a tree that has a syntax error. */
function findSyntaxError(root: Node): Node | undefined {
  const cursor = root.walk();
  try {
    for (;;) {
      const node = cursor.currentNode;
      if (node.isError || node.isMissing) return node;
      // only descend into subtrees that hold the error
      if (node.hasError && cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling()) if (!cursor.gotoParent()) return undefined;
    }
  } finally {
    cursor.delete();
  }
}

/**
 * Parses one .java file into its top-level and nested classes. A file with a syntax error is a located
 * MIG_INPUT error: translating a guess of what it means would be silently wrong.
 */
export async function readJavaClasses(file: string, source: string): Promise<JavaClass[]> {
  // \r and \r\n end lines in Java too; one kind of line end keeps lines (and the TODO comments) right
  const text = source.replace(/\r\n?/g, '\n');
  let tree;
  try {
    tree = await parseJava(text);
  } catch (error) {
    if (!(error instanceof ParseStopped)) throw error;
    throw new AppError(ErrorCode.input, `${file}: ${error.message}; port translates code that compiles`, {
      location: { file, line: 1, excerpt: text.split('\n')[0] ?? '' },
      hint: 'check that this is the Java source of the service (the service must build with javac)',
    });
  }
  const root = tree.rootNode;
  if (root.hasError) {
    const node = findSyntaxError(root) ?? root;
    const line = node.startPosition.row + 1;
    const near = node.isMissing
      ? `missing \`${node.type}\``
      : `near \`${node.text.slice(0, 40).replace(/\s+/g, ' ')}\``;
    throw new AppError(
      ErrorCode.input,
      `${file} has a Java syntax error (${near}); port translates code that compiles`,
      {
        location: {
          file,
          line,
          column: node.startPosition.column + 1,
          excerpt: text.split(/\r\n|\r|\n/)[line - 1] ?? '',
        },
        hint: 'fix the syntax at the location shown (the service must build with javac), then run port again',
      },
    );
  }
  const pkg = root.namedChildren.find((n) => n?.type === 'package_declaration');
  const packageName = pkg?.namedChildren[0]?.text ?? '';
  const imports: Record<string, string> = {};
  for (const child of root.namedChildren) {
    if (child?.type !== 'import_declaration') continue;
    const fqn = child.namedChildren[0]?.text ?? '';
    imports[fqn.slice(fqn.lastIndexOf('.') + 1)] = fqn;
  }
  const classes: JavaClass[] = [];
  const visit = (node: Node, javadoc: string | undefined): void => {
    const kind = CLASS_NODES[node.type];
    if (kind !== undefined) classes.push(readClass(node, kind, file, packageName, imports, javadoc, visit));
  };
  let pendingDoc: string | undefined;
  for (const child of root.namedChildren) {
    if (child === null) continue;
    if (child.type === 'block_comment' && child.text.startsWith('/**')) pendingDoc = child.text;
    else {
      visit(child, pendingDoc);
      pendingDoc = undefined;
    }
  }
  return classes;
}

function readClass(
  node: Node,
  kind: JavaClassKind,
  file: string,
  packageName: string,
  imports: Record<string, string>,
  javadoc: string | undefined,
  visit: (node: Node, doc: string | undefined) => void,
): JavaClass {
  const modifiers = node.namedChildren.find((n) => n?.type === 'modifiers');
  const cls: JavaClass = {
    kind,
    name: node.childForFieldName('name')?.text ?? '',
    packageName,
    file,
    line: node.startPosition.row + 1,
    annotations: readAnnotations(modifiers),
    modifiers: readModifierWords(modifiers),
    superclass: undefined,
    interfaces: [],
    components: [],
    fields: [],
    constructors: [],
    methods: [],
    enumConstants: [],
    initializers: [],
    imports,
    javadoc,
  };
  const superclass = node.childForFieldName('superclass');
  const superType = superclass?.namedChildren[0];
  if (superType) cls.superclass = readType(superType);
  const interfaces =
    node.childForFieldName('interfaces') ?? node.namedChildren.find((n) => n?.type === 'extends_interfaces');
  const typeList = interfaces?.namedChildren.find((n) => n?.type === 'type_list');
  for (const t of typeList?.namedChildren ?? []) if (t) cls.interfaces.push(readType(t));
  const params = node.childForFieldName('parameters');
  if (kind === 'record' && params) cls.components = readParams(params);
  const body = node.childForFieldName('body');
  for (const member of body?.namedChildren ?? []) {
    if (member === null) continue;
    switch (member.type) {
      case 'field_declaration':
      case 'constant_declaration':
        cls.fields.push(...readField(member));
        break;
      case 'constructor_declaration':
      case 'compact_constructor_declaration':
        cls.constructors.push(readMethod(member, true));
        break;
      case 'method_declaration':
        cls.methods.push(readMethod(member, false));
        break;
      case 'enum_constant':
        cls.enumConstants.push(member.childForFieldName('name')?.text ?? member.text);
        break;
      case 'static_initializer':
      case 'block':
        cls.initializers.push({
          kind: member.type === 'block' ? 'instance' : 'static',
          line: member.startPosition.row + 1,
          text: member.text,
          body:
            member.type === 'block'
              ? member
              : (member.namedChildren.find((n) => n?.type === 'block') ?? undefined),
        });
        break;
      case 'annotation_type_declaration':
        cls.initializers.push({
          kind: 'other',
          line: member.startPosition.row + 1,
          text: member.text,
          body: undefined,
        });
        break;
      case 'enum_body_declarations':
        for (const inner of member.namedChildren) {
          if (inner?.type === 'field_declaration') cls.fields.push(...readField(inner));
          if (inner?.type === 'method_declaration') cls.methods.push(readMethod(inner, false));
          if (inner?.type === 'constructor_declaration') cls.constructors.push(readMethod(inner, true));
          if (inner?.type === 'static_initializer' || inner?.type === 'block')
            cls.initializers.push({
              kind: inner.type === 'block' ? 'instance' : 'static',
              line: inner.startPosition.row + 1,
              text: inner.text,
              body: undefined,
            });
        }
        break;
      default:
        visit(member, undefined);
    }
  }
  return cls;
}

function readModifierWords(modifiers: Node | null | undefined): string[] {
  if (!modifiers) return [];
  return modifiers.children
    .filter((c) => c !== null && !c.type.endsWith('annotation'))
    .map((c) => c?.text ?? '');
}

/** Reads the annotations under a `modifiers` node (or any node holding annotations). */
export function readAnnotations(holder: Node | null | undefined): JavaAnnotation[] {
  if (!holder) return [];
  const result: JavaAnnotation[] = [];
  for (const child of holder.namedChildren) {
    if (child === null) continue;
    if (child.type !== 'annotation' && child.type !== 'marker_annotation') continue;
    const name = child.childForFieldName('name')?.text ?? '';
    const args: Record<string, string> = {};
    const list = child.childForFieldName('arguments');
    for (const arg of list?.namedChildren ?? []) {
      if (arg === null) continue;
      if (arg.type === 'element_value_pair') {
        args[arg.childForFieldName('key')?.text ?? ''] = arg.childForFieldName('value')?.text ?? '';
      } else args.value = arg.text;
    }
    result.push({ name: name.slice(name.lastIndexOf('.') + 1), args });
  }
  return result;
}

/** Reads a type node into a JavaType. */
export function readType(node: Node): JavaType {
  switch (node.type) {
    case 'generic_type': {
      const base = node.namedChildren[0];
      const args = node.namedChildren.find((n) => n?.type === 'type_arguments');
      return {
        name: base ? readType(base).name : node.text,
        args: (args?.namedChildren ?? [])
          .filter((n): n is Node => n !== null && n.type !== 'annotation' && n.type !== 'marker_annotation')
          .map(readType),
        array: false,
        annotations: [],
      };
    }
    case 'array_type': {
      const element = node.childForFieldName('element');
      return { name: 'Array', args: element ? [readType(element)] : [], array: true, annotations: [] };
    }
    case 'annotated_type': {
      const inner = node.namedChildren.filter((n): n is Node => n !== null).at(-1);
      const type = inner ? readType(inner) : { name: node.text, args: [], array: false, annotations: [] };
      return { ...type, annotations: readAnnotations(node) };
    }
    case 'scoped_type_identifier': {
      return { name: node.text, args: [], array: false, annotations: [] };
    }
    default:
      return { name: node.text, args: [], array: false, annotations: [] };
  }
}

function readParams(params: Node): JavaVariable[] {
  const result: JavaVariable[] = [];
  for (const p of params.namedChildren) {
    if (p === null || (p.type !== 'formal_parameter' && p.type !== 'spread_parameter')) continue;
    const modifiers = p.namedChildren.find((n) => n?.type === 'modifiers');
    const typeNode =
      p.childForFieldName('type') ?? p.namedChildren.find((n) => n !== null && n.type.endsWith('type'));
    const nameNode =
      p.childForFieldName('name') ??
      p.namedChildren.find((n) => n?.type === 'variable_declarator')?.childForFieldName('name');
    result.push({
      name: nameNode?.text ?? 'arg',
      type: typeNode ? readType(typeNode) : { name: 'Object', args: [], array: false, annotations: [] },
      annotations: readAnnotations(modifiers),
      modifiers: readModifierWords(modifiers),
      init: undefined,
      line: p.startPosition.row + 1,
    });
  }
  return result;
}

function readField(node: Node): JavaVariable[] {
  const modifiers = node.namedChildren.find((n) => n?.type === 'modifiers');
  const typeNode = node.childForFieldName('type');
  const type = typeNode ? readType(typeNode) : { name: 'Object', args: [], array: false, annotations: [] };
  return node
    .childrenForFieldName('declarator')
    .filter((d): d is Node => d !== null)
    .map((d) => ({
      name: d.childForFieldName('name')?.text ?? '',
      type,
      annotations: readAnnotations(modifiers),
      modifiers: readModifierWords(modifiers),
      init: d.childForFieldName('value') ?? undefined,
      line: node.startPosition.row + 1,
      text: node.text,
    }));
}

function readMethod(node: Node, isConstructor: boolean): JavaMethod {
  const modifiers = node.namedChildren.find((n) => n?.type === 'modifiers');
  const typeNode = node.childForFieldName('type');
  const params = node.childForFieldName('parameters');
  return {
    name: isConstructor ? 'constructor' : (node.childForFieldName('name')?.text ?? ''),
    returnType: typeNode ? readType(typeNode) : undefined,
    params: params ? readParams(params) : [],
    annotations: readAnnotations(modifiers),
    modifiers: readModifierWords(modifiers),
    body: node.childForFieldName('body') ?? undefined,
    line: node.startPosition.row + 1,
    text: node.text,
  };
}
