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

/** `WebClient.Builder` and `RestClient.Builder` keep their outer class: a bare `Builder` says nothing. */
const CLIENT_BUILDER = /\b((?:WebClient|RestClient)\.Builder)$/;

/** The simple name of a declared type, or `WebClient.Builder`/`RestClient.Builder` for the HTTP client builders. */
function receiverTypeName(type: string): string {
  const builder = CLIENT_BUILDER.exec(type.replace(/<.*$/s, '').trim());
  return builder?.[1] ?? simpleTypeName(type);
}

function receiverTypeOf(receiver: Node | null, receiverText: string, scope: MethodScope): string | undefined {
  if (receiver === null) return scope.cls.name;
  if (receiver.type === 'this') return scope.cls.name;
  let name: string | undefined;
  if (receiver.type === 'identifier') name = receiver.text;
  else if (receiver.type === 'field_access' && receiver.childForFieldName('object')?.type === 'this') {
    const field = receiver.childForFieldName('field')?.text ?? '';
    const type = scope.cls.fields.find((f) => f.name === field)?.type;
    return type === undefined ? undefined : receiverTypeName(type);
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
  if (local !== undefined) return receiverTypeName(local);
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
  let chainUri: string | undefined;
  let chainKey: string | undefined;
  let current: Node = node;
  for (let parent = node.parent; parent?.type === 'method_invocation'; parent = parent.parent) {
    if (parent.childForFieldName('object')?.id !== current.id) break;
    const chained = parent.childForFieldName('name')?.text ?? '';
    chain.push(chained);
    const chainedArgs = parent.childForFieldName('arguments');
    if (chainPath === undefined && (chained === 'uri' || chained === 'path')) {
      const literal = chainedArgs?.descendantsOfType('string_literal')[0];
      if (literal !== undefined && literal !== null) chainPath = unquote(literal.text);
      const first = chainedArgs?.namedChildren.find((c) => c !== null && !c.type.endsWith('comment'));
      if (chained === 'uri' && first !== undefined && first !== null && first.type !== 'lambda_expression')
        chainUri = resolveExpression(first, scope);
    }
    if (chain.length === 1) {
      const first = chainedArgs?.namedChildren.find((c) => c !== null && !c.type.endsWith('comment'));
      if (first?.type === 'string_literal') chainKey = unquote(first.text);
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
  if (chainUri !== undefined) call.chainUri = chainUri;
  if (chainKey !== undefined) call.chainKey = chainKey;
  return call;
}

function statusFromText(text: string): number | undefined {
  if (text.includes('ResponseEntity.created(') || text.includes('HttpStatus.CREATED')) return 201;
  if (text.includes('noContent()') || text.includes('HttpStatus.NO_CONTENT')) return 204;
  if (text.includes('HttpStatus.ACCEPTED') || text.includes('ResponseEntity.accepted(')) return 202;
  return undefined;
}

/**
 * Reads the calls, constructions, method references and locals under `roots` into `method`. `isCtor`: assignments
 * bind @Value parameters to fields (`this.subject = subject`).
 */
function scanBody(
  roots: readonly Node[],
  method: JavaMethod,
  scope: MethodScope,
  file: FileScope,
  isCtor: boolean,
): void {
  const cls = scope.cls;
  const nodes: Node[] = [];
  const kinds: string[] = [];
  const seen = new Set<number>();
  // each `type` read crosses into Wasm: read it once per node
  for (const root of roots)
    for (const n of root.descendantsOfType(BODY_NODE_TYPES))
      if (n !== null && !seen.has(n.id)) {
        seen.add(n.id);
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
  scanBody(
    [body],
    method,
    { cls, params: new Map(params.map((p) => [p.name, p])), locals: new Map() },
    file,
    isCtor,
  );
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
  const staticRoots: Node[] = [];
  const instanceRoots: Node[] = [];
  for (const member of members) {
    if (member.type === 'field_declaration' || member.type === 'constant_declaration') {
      const fields = readField(member, file);
      cls.fields.push(...fields);
      const isStatic =
        member.type === 'constant_declaration' ||
        cls.kind === 'interface' ||
        fields[0]?.modifiers.includes('static') === true;
      for (const declarator of member.childrenForFieldName('declarator')) {
        const value = declarator?.childForFieldName('value');
        if (value === null || value === undefined) continue;
        (isStatic ? staticRoots : instanceRoots).push(value);
        const field = fields.find((f) => f.name === declarator?.childForFieldName('name')?.text);
        const known = isStatic ? constantOf(value) : undefined;
        if (field !== undefined && field.value === undefined && known !== undefined) field.value = known;
      }
    } else if (member.type === 'static_initializer') staticRoots.push(member);
    else if (member.type === 'block') instanceRoots.push(member);
  }
  bindStaticAssignments(cls, staticRoots);
  for (const member of members) {
    if (
      member.type === 'method_declaration' ||
      member.type === 'constructor_declaration' ||
      member.type === 'compact_constructor_declaration'
    ) {
      cls.methods.push(readMethod(member, cls, file));
    } else if (TYPE_DECLARATIONS.has(member.type)) readClass(member, file, out);
  }
  readInitializers(cls, staticRoots, instanceRoots, file);
}

/**
 * `static {}` blocks and static field initializers run when the class loads: their calls (a NATS connection,
 * `System.getenv`) are effects like any method's, recorded on the JVM's name for them, `<clinit>`. Instance field
 * initializers and `{}` blocks run with every constructor: recorded on the first one (a synthetic `<init>` when the
 * class declares none).
 */
function readInitializers(
  cls: JavaClass,
  staticRoots: readonly Node[],
  instanceRoots: readonly Node[],
  file: FileScope,
): void {
  const synthetic = (name: string, first: Node, modifiers: string[]): JavaMethod => ({
    name,
    line: first.startPosition.row + 1,
    annotations: [],
    modifiers,
    params: [],
    returnType: 'void',
    calls: [],
    news: [],
    methodRefs: [],
    site: siteOf(first, file),
  });
  const scope = (): MethodScope => ({ cls, params: new Map(), locals: new Map() });
  const firstStatic = staticRoots[0];
  if (firstStatic !== undefined) {
    const clinit = synthetic('<clinit>', firstStatic, ['static']);
    scanBody(staticRoots, clinit, scope(), file, false);
    if (clinit.calls.length + clinit.news.length > 0) cls.methods.push(clinit);
  }
  const firstInstance = instanceRoots[0];
  if (firstInstance !== undefined) {
    let ctor = cls.methods.find((m) => m.name === '<init>');
    const created = ctor === undefined;
    ctor ??= synthetic('<init>', firstInstance, []);
    scanBody(instanceRoots, ctor, scope(), file, false);
    if (created && ctor.calls.length + ctor.news.length > 0) cls.methods.push(ctor);
  }
}

/** `System.getenv("K")` → `${K}`; `System.getenv().getOrDefault("K", "d")` → `${K:d}`; otherwise undefined. */
function envPlaceholderOf(node: Node): string | undefined {
  if (node.type !== 'method_invocation') return undefined;
  const name = node.childForFieldName('name')?.text;
  const object = node.childForFieldName('object');
  const args = (node.childForFieldName('arguments')?.namedChildren ?? []).filter(
    (c): c is Node => c !== null && !c.type.endsWith('comment'),
  );
  const literal = (n: Node | undefined): string | undefined =>
    n?.type === 'string_literal' ? unquote(n.text) : undefined;
  if (name === 'getenv' && object?.text === 'System') {
    const key = literal(args[0]);
    return key === undefined ? undefined : `\${${key}}`;
  }
  if (
    name === 'getOrDefault' &&
    object?.type === 'method_invocation' &&
    object.text.replace(/\s+/g, '') === 'System.getenv()'
  ) {
    const key = literal(args[0]);
    const fallback = literal(args[1]);
    return key === undefined ? undefined : `\${${key}${fallback === undefined ? '' : `:${fallback}`}}`;
  }
  return undefined;
}

/** What a static field initializer makes known: a string literal, or an environment variable with its default. */
function constantOf(value: Node): string | undefined {
  if (value.type === 'string_literal') return unquote(value.text);
  return envPlaceholderOf(value);
}

/**
 * A static block that overrides a static field from the environment (`subject = System.getenv("NATS_SUBJECT")`,
 * directly or through a local) makes the field `${NATS_SUBJECT:<its initial literal>}`.
 */
function bindStaticAssignments(cls: JavaClass, staticRoots: readonly Node[]): void {
  const blocks = staticRoots.filter((r) => r.type === 'static_initializer');
  if (blocks.length === 0) return;
  const locals = new Map<string, string>();
  for (const block of blocks)
    for (const declarator of block.descendantsOfType('variable_declarator')) {
      const value = declarator?.childForFieldName('value');
      const env = value === null || value === undefined ? undefined : envPlaceholderOf(value);
      const name = declarator?.childForFieldName('name')?.text;
      if (env !== undefined && name !== undefined) locals.set(name, env);
    }
  for (const block of blocks)
    for (const assignment of block.descendantsOfType('assignment_expression')) {
      const left = assignment?.childForFieldName('left');
      const right = assignment?.childForFieldName('right');
      if (left === null || left === undefined || right === null || right === undefined) continue;
      const fieldName =
        left.type === 'identifier'
          ? left.text
          : left.type === 'field_access'
            ? left.childForFieldName('field')?.text
            : undefined;
      const field = cls.fields.find((f) => f.name === fieldName && f.modifiers.includes('static'));
      const env = right.type === 'identifier' ? locals.get(right.text) : envPlaceholderOf(right);
      if (field === undefined || env === undefined) continue;
      const initial = field.value;
      field.value =
        initial !== undefined && !initial.includes('${') && !env.includes(':')
          ? `${env.slice(0, -1)}:${initial}}`
          : env;
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
