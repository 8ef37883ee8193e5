/**
 * One parse, one pass: turns a Java source file into `JavaFileFacts`. Only syntax nodes count, so effects named
 * in comments or string literals never show up. Method bodies are scanned with `descendantsOfType`, which runs
 * inside the Wasm module and returns only the few node kinds we need.
 */
import type { Node, Parser } from 'web-tree-sitter';
import { createParseBudget } from '../../../shared/parse-budget.ts';
import type {
  JavaAnnotation,
  JavaCall,
  JavaClass,
  JavaField,
  JavaFileFacts,
  JavaMethod,
  JavaParam,
  JavaSite,
} from './facts.ts';

const BODY_NODE_TYPES = [
  'method_invocation',
  'object_creation_expression',
  'local_variable_declaration',
  'enhanced_for_statement',
  'catch_formal_parameter',
  'method_reference',
  'assignment_expression',
];
const TYPE_DECLARATIONS = new Set([
  'class_declaration',
  'interface_declaration',
  'record_declaration',
  'enum_declaration',
]);
const MAX_ERRORS_PER_FILE = 20;

interface FileScope {
  lines: string[] | undefined;
  text: string;
}

function siteOf(node: Node, scope: FileScope): JavaSite {
  scope.lines ??= scope.text.split('\n');
  const { row, column } = node.startPosition;
  const excerpt = (scope.lines[row] ?? '').trim();
  return {
    line: row + 1,
    column: column + 1,
    excerpt: excerpt.length > 200 ? `${excerpt.slice(0, 197)}...` : excerpt,
  };
}

/** Removes generics and package: `java.util.List<String>` → `List`. */
export function simpleTypeName(type: string): string {
  const noGenerics = type.replace(/<.*$/s, '').replace(/\[\]/g, '').trim();
  const dot = noGenerics.lastIndexOf('.');
  return dot === -1 ? noGenerics : noGenerics.slice(dot + 1);
}

function unquote(text: string): string {
  if (text.startsWith('"""')) return text.slice(3, -3).trim();
  if (text.length >= 2 && text.startsWith('"') && text.endsWith('"')) return text.slice(1, -1);
  return text;
}

function readAnnotation(node: Node): JavaAnnotation {
  const name = simpleTypeName(node.childForFieldName('name')?.text ?? '');
  const args: Record<string, string> = {};
  const list = node.childForFieldName('arguments');
  if (list !== null) {
    for (const child of list.namedChildren) {
      if (child === null) continue;
      if (child.type === 'element_value_pair') {
        const key = child.childForFieldName('key')?.text ?? 'value';
        args[key] = unquote(child.childForFieldName('value')?.text ?? '');
      } else if (child.type !== 'comment') {
        args.value = unquote(child.text);
      }
    }
  }
  return { name, args };
}

function readModifiers(node: Node): { annotations: JavaAnnotation[]; modifiers: string[] } {
  const annotations: JavaAnnotation[] = [];
  const modifiers: string[] = [];
  // the grammar puts `modifiers` first; only a leading comment makes us look further
  const first = node.firstNamedChild;
  const child =
    first === null || first.type === 'modifiers' || !first.type.endsWith('comment')
      ? first
      : node.namedChildren.find((c) => c?.type === 'modifiers');
  if (child !== null && child !== undefined && child.type === 'modifiers') {
    for (const m of child.children) {
      if (m === null) continue;
      const kind = m.type;
      if (kind === 'annotation' || kind === 'marker_annotation') annotations.push(readAnnotation(m));
      else if (kind !== 'line_comment' && kind !== 'block_comment') modifiers.push(m.text);
    }
  }
  return { annotations, modifiers };
}

function readParams(node: Node | null): JavaParam[] {
  if (node === null) return [];
  const params: JavaParam[] = [];
  for (const child of node.namedChildren) {
    if (child === null || (child.type !== 'formal_parameter' && child.type !== 'spread_parameter')) continue;
    const type =
      child.childForFieldName('type')?.text ??
      child.namedChildren.find((c) => c?.type.endsWith('type'))?.text ??
      '';
    const nameNode =
      child.childForFieldName('name') ??
      child.namedChildren.find((c) => c?.type === 'variable_declarator')?.childForFieldName('name');
    params.push({ name: nameNode?.text ?? '', type, annotations: readModifiers(child).annotations });
  }
  return params;
}

function valueKeyOf(annotations: readonly JavaAnnotation[]): string | undefined {
  return annotations.find((a) => a.name === 'Value')?.args.value;
}

interface MethodScope {
  cls: JavaClass;
  params: Map<string, JavaParam>;
  locals: Map<string, string>;
}

/** Resolves an argument expression to text: literals, `${key}` for @Value-bound names, concatenations. */
function resolveExpression(node: Node, scope: MethodScope): string {
  switch (node.type) {
    case 'string_literal':
      return unquote(node.text);
    case 'identifier': {
      const param = scope.params.get(node.text);
      const fromParam = param === undefined ? undefined : valueKeyOf(param.annotations);
      if (fromParam !== undefined) return fromParam;
      const field = scope.cls.fields.find((f) => f.name === node.text);
      if (field?.value !== undefined) return field.value;
      return `{${node.text}}`;
    }
    case 'field_access': {
      const field = node.childForFieldName('field')?.text ?? '';
      const owner = node.childForFieldName('object')?.text;
      const known = owner === 'this' ? scope.cls.fields.find((f) => f.name === field)?.value : undefined;
      return known ?? `{${node.text}}`;
    }
    case 'binary_expression': {
      const left = node.childForFieldName('left');
      const right = node.childForFieldName('right');
      if (node.childForFieldName('operator')?.text === '+' && left !== null && right !== null) {
        return resolveExpression(left, scope) + resolveExpression(right, scope);
      }
      return `{${node.text}}`;
    }
    case 'parenthesized_expression': {
      const inner = node.namedChildren[0];
      return inner === null || inner === undefined ? '' : resolveExpression(inner, scope);
    }
    default:
      return `{${node.text.length > 60 ? `${node.text.slice(0, 57)}...` : node.text}}`;
  }
}

function receiverTypeOf(receiver: Node | null, receiverText: string, scope: MethodScope): string | undefined {
  if (receiver === null) return scope.cls.name;
  if (receiver.type === 'this') return scope.cls.name;
  let name: string | undefined;
  if (receiver.type === 'identifier') name = receiver.text;
  else if (receiver.type === 'field_access' && receiver.childForFieldName('object')?.type === 'this') {
    const field = receiver.childForFieldName('field')?.text ?? '';
    const type = scope.cls.fields.find((f) => f.name === field)?.type;
    return type === undefined ? undefined : simpleTypeName(type);
  } else if (receiver.type === 'field_access' || receiver.type === 'scoped_identifier') {
    // java.util.UUID.randomUUID(): a qualified class name
    return simpleTypeName(receiver.text);
  } else if (receiver.type === 'method_invocation' && receiverText === 'Runtime.getRuntime()') {
    return 'Runtime';
  } else return undefined;
  const local =
    scope.locals.get(name) ??
    scope.params.get(name)?.type ??
    scope.cls.fields.find((f) => f.name === name)?.type;
  if (local !== undefined) return simpleTypeName(local);
  return /^[A-Z]/.test(name) ? name : undefined;
}

function readCall(node: Node, scope: MethodScope, file: FileScope): JavaCall | undefined {
  const receiver = node.childForFieldName('object');
  const receiverText = receiver === null ? '' : receiver.text.replace(/\s+/g, '');
  // calls on the result of another call are part of that call's chain, recorded there
  if (receiver?.type === 'method_invocation' && receiverText !== 'Runtime.getRuntime()') return undefined;
  const name = node.childForFieldName('name')?.text ?? '';
  const args: string[] = [];
  const argList = node.childForFieldName('arguments');
  if (argList !== null) {
    for (const arg of argList.namedChildren) {
      if (arg === null || arg.type.endsWith('comment')) continue;
      args.push(resolveExpression(arg, scope));
      if (args.length === 3) break;
    }
  }
  const chain: string[] = [];
  let chainPath: string | undefined;
  let current: Node = node;
  for (let parent = node.parent; parent?.type === 'method_invocation'; parent = parent.parent) {
    if (parent.childForFieldName('object')?.id !== current.id) break;
    const chained = parent.childForFieldName('name')?.text ?? '';
    chain.push(chained);
    if (chainPath === undefined && (chained === 'uri' || chained === 'path')) {
      const literal = parent.childForFieldName('arguments')?.descendantsOfType('string_literal')[0];
      if (literal !== undefined && literal !== null) chainPath = unquote(literal.text);
    }
    current = parent;
    if (chain.length > 12) break;
  }
  const call: JavaCall = {
    receiverType: receiverTypeOf(receiver, receiverText, scope),
    receiver: receiverText,
    name,
    args,
    chain,
    site: siteOf(node, file),
  };
  if (chainPath !== undefined) call.chainPath = chainPath;
  return call;
}

function statusFromText(text: string): number | undefined {
  if (text.includes('ResponseEntity.created(') || text.includes('HttpStatus.CREATED')) return 201;
  if (text.includes('noContent()') || text.includes('HttpStatus.NO_CONTENT')) return 204;
  if (text.includes('HttpStatus.ACCEPTED') || text.includes('ResponseEntity.accepted(')) return 202;
  return undefined;
}

function readMethod(node: Node, cls: JavaClass, file: FileScope): JavaMethod {
  const { annotations, modifiers } = readModifiers(node);
  const params = readParams(node.childForFieldName('parameters'));
  const isCtor = node.type === 'constructor_declaration' || node.type === 'compact_constructor_declaration';
  const method: JavaMethod = {
    name: isCtor ? '<init>' : (node.childForFieldName('name')?.text ?? ''),
    line: node.startPosition.row + 1,
    annotations,
    modifiers,
    params,
    returnType: isCtor ? 'void' : (node.childForFieldName('type')?.text ?? 'void'),
    calls: [],
    news: [],
    methodRefs: [],
    site: siteOf(node.childForFieldName('name') ?? node, file),
  };
  const body = node.childForFieldName('body');
  if (body === null) return method;
  const scope: MethodScope = { cls, params: new Map(params.map((p) => [p.name, p])), locals: new Map() };
  const nodes: Node[] = [];
  const kinds: string[] = [];
  // each `type` read crosses into Wasm: read it once per node
  for (const n of body.descendantsOfType(BODY_NODE_TYPES))
    if (n !== null) {
      nodes.push(n);
      kinds.push(n.type);
    }
  // locals first, so a receiver declared after its first textual use in a lambda still resolves
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const kind = kinds[i]!;
    if (kind === 'local_variable_declaration' || kind === 'enhanced_for_statement') {
      const type = n.childForFieldName('type')?.text;
      if (type === undefined || type === 'var') continue;
      const nameNode =
        kind === 'enhanced_for_statement'
          ? n.childForFieldName('name')
          : n.childForFieldName('declarator')?.childForFieldName('name');
      if (nameNode !== null && nameNode !== undefined) scope.locals.set(nameNode.text, type);
    } else if (kind === 'catch_formal_parameter') {
      const nameNode = n.childForFieldName('name');
      const typeNode = n.namedChildren.find((c) => c?.type === 'catch_type');
      if (nameNode !== null && typeNode !== undefined && typeNode !== null)
        scope.locals.set(nameNode.text, typeNode.text.split('|')[0]!.trim());
    }
  }
  for (let i = 0; i < nodes.length; i++) {
    const n = nodes[i]!;
    const kind = kinds[i]!;
    if (kind === 'method_invocation') {
      const call = readCall(n, scope, file);
      if (call === undefined) continue;
      method.calls.push(call);
      if (call.name === 'baseUrl' && call.args[0] !== undefined) cls.baseUrl = call.args[0];
    } else if (kind === 'object_creation_expression') {
      const type = n.childForFieldName('type')?.text;
      if (type !== undefined) method.news.push({ type: simpleTypeName(type), site: siteOf(n, file) });
    } else if (kind === 'method_reference') {
      const named = n.namedChildren;
      const first = named[0];
      const last = named[named.length - 1];
      if (first?.type === 'this' && last?.type === 'identifier') method.methodRefs.push(last.text);
    } else if (kind === 'assignment_expression' && isCtor) {
      // this.subject = subject; where the parameter carries @Value
      const left = n.childForFieldName('left');
      const right = n.childForFieldName('right');
      if (
        left?.type === 'field_access' &&
        left.childForFieldName('object')?.type === 'this' &&
        right?.type === 'identifier'
      ) {
        const param = scope.params.get(right.text);
        const key = param === undefined ? undefined : valueKeyOf(param.annotations);
        const field = cls.fields.find((f) => f.name === left.childForFieldName('field')?.text);
        if (key !== undefined && field !== undefined) field.value = key;
      }
    }
  }
  if (!isCtor) {
    const hint = statusFromText(body.text);
    if (hint !== undefined) method.statusHint = hint;
  }
  return method;
}

function readField(node: Node, file: FileScope): JavaField[] {
  const { annotations, modifiers } = readModifiers(node);
  const type = node.childForFieldName('type')?.text ?? '';
  const fields: JavaField[] = [];
  for (const declarator of node.childrenForFieldName('declarator')) {
    if (declarator === null) continue;
    const field: JavaField = {
      name: declarator.childForFieldName('name')?.text ?? '',
      type,
      annotations,
      modifiers,
      site: siteOf(declarator, file),
    };
    const key = valueKeyOf(annotations);
    if (key !== undefined) field.value = key;
    fields.push(field);
  }
  return fields;
}

function readSuperTypes(node: Node): string[] {
  const result: string[] = [];
  for (const field of ['superclass', 'interfaces']) {
    const n = node.childForFieldName(field);
    if (n !== null)
      for (const t of n.descendantsOfType(['type_identifier', 'generic_type', 'scoped_type_identifier']))
        if (t !== null && (t.parent?.type === 'type_list' || t.parent?.type === 'superclass'))
          result.push(t.text);
  }
  const ext = node.namedChildren.find((c) => c?.type === 'extends_interfaces');
  if (ext !== undefined && ext !== null)
    for (const t of ext.descendantsOfType(['type_identifier', 'generic_type', 'scoped_type_identifier']))
      if (t !== null && t.parent?.type === 'type_list') result.push(t.text);
  return result;
}

function readClass(node: Node, file: FileScope, out: JavaClass[]): void {
  const kind = node.type.replace('_declaration', '') as JavaClass['kind'];
  const { annotations } = readModifiers(node);
  const cls: JavaClass = {
    name: node.childForFieldName('name')?.text ?? '',
    kind,
    annotations,
    superTypes: readSuperTypes(node),
    fields: [],
    methods: [],
    recordComponents: kind === 'record' ? readParams(node.childForFieldName('parameters')) : [],
    enumConstants: [],
    site: siteOf(node.childForFieldName('name') ?? node, file),
  };
  out.push(cls);
  const body = node.childForFieldName('body');
  if (body === null) return;
  const members: Node[] = [];
  for (const member of body.namedChildren) {
    if (member === null) continue;
    if (member.type === 'enum_constant') cls.enumConstants.push(member.childForFieldName('name')?.text ?? '');
    else if (member.type === 'enum_body_declarations')
      members.push(...member.namedChildren.filter((m): m is Node => m !== null));
    else members.push(member);
  }
  // fields before methods: constructor assignments bind @Value keys to fields
  for (const member of members)
    if (member.type === 'field_declaration' || member.type === 'constant_declaration')
      cls.fields.push(...readField(member, file));
  for (const member of members) {
    if (
      member.type === 'method_declaration' ||
      member.type === 'constructor_declaration' ||
      member.type === 'compact_constructor_declaration'
    ) {
      cls.methods.push(readMethod(member, cls, file));
    } else if (TYPE_DECLARATIONS.has(member.type)) readClass(member, file, out);
  }
}

function collectErrors(root: Node, file: FileScope): JavaSite[] {
  if (!root.hasError) return [];
  const errors: JavaSite[] = [];
  for (const n of root.descendantsOfType('ERROR')) {
    if (n === null) continue;
    errors.push(siteOf(n, file));
    if (errors.length >= MAX_ERRORS_PER_FILE) break;
  }
  if (errors.length === 0) {
    // only MISSING nodes: find the first by walking
    const cursor = root.walk();
    let done = false;
    while (!done) {
      if (cursor.currentNode.isMissing) {
        errors.push(siteOf(cursor.currentNode, file));
        break;
      }
      if (cursor.gotoFirstChild()) continue;
      while (!cursor.gotoNextSibling())
        if (!cursor.gotoParent()) {
          done = true;
          break;
        }
    }
    cursor.delete();
  }
  return errors;
}

/** Parses one Java file and extracts its facts. */
export function extractJavaFacts(parser: Parser, text: string): JavaFileFacts {
  const tree = parser.parse(text, null, createParseBudget(text));
  const facts: JavaFileFacts = { packageName: '', imports: [], classes: [], errors: [] };
  if (tree === null) {
    parser.reset(); // else the next parse would resume this one
    // stopped by the budget: nothing is known of this file, which the finding says
    facts.errors.push({ line: 1, column: 1, excerpt: '(file too irregular to parse; not analyzed)' });
    return facts;
  }
  const file: FileScope = { lines: undefined, text };
  try {
    const root = tree.rootNode;
    for (const child of root.namedChildren) {
      if (child === null) continue;
      if (child.type === 'package_declaration')
        facts.packageName = child.namedChildren.find((c) => c?.type !== 'annotation')?.text ?? '';
      else if (child.type === 'import_declaration')
        facts.imports.push(
          child.text
            .replace(/^import\s+(static\s+)?/, '')
            .replace(/;$/, '')
            .trim(),
        );
      else if (TYPE_DECLARATIONS.has(child.type)) readClass(child, file, facts.classes);
    }
    facts.errors = collectErrors(root, file);
  } finally {
    tree.delete();
  }
  return facts;
}
