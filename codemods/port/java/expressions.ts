/**
 * Java expressions → TypeScript text. Throws Untranslatable for what it does not know; the statement
 * translator turns that into a TODO with the Java beside it.
 */
import type { Node } from 'web-tree-sitter';
import { readType } from './read-model.ts';
import type { JavaType } from './model.ts';
import { isDataRole } from './roles.ts';
import { RUNTIME_TYPES, PLAIN_ERRORS } from './runtime-names.ts';
import { declareLocal, fieldName, lookupLocal, OBJECT_TYPE, simpleType, type Scope } from './scope.ts';
import { Untranslatable } from './todo.ts';
import {
  isListType,
  isMapType,
  isSetType,
  isSortedMapType,
  isSortedSetType,
  isStringType,
  toTsType,
} from './types.ts';
import { translateCall } from './calls.ts';
import { inferType } from './infer.ts';

const BINARY_OPS: Record<string, string> = { '==': '===', '!=': '!==' };

/** Translates a Java expression node. */
export function translateExpr(node: Node, scope: Scope): string {
  switch (node.type) {
    case 'identifier':
      return translateIdentifier(node.text, scope);
    case 'this':
      return 'this';
    case 'string_literal':
      return translateString(node);
    case 'text_block':
      return (
        '`' +
        node.text
          .slice(3, -3)
          .replace(/^\s*\n/, '')
          .replaceAll('`', '\\`')
          .replaceAll('${', '\\${') +
        '`'
      );
    case 'character_literal':
      return JSON.stringify(node.text.slice(1, -1));
    case 'decimal_integer_literal':
    case 'hex_integer_literal':
    case 'octal_integer_literal':
    case 'binary_integer_literal':
      return node.text.replace(/[lL]$/, '').replaceAll('_', '');
    case 'decimal_floating_point_literal':
      return node.text.replace(/[fFdD]$/, '').replaceAll('_', '');
    case 'true':
    case 'false':
      return node.text;
    case 'null_literal':
      return 'null';
    case 'parenthesized_expression':
      return `(${translateExpr(child(node, 0), scope)})`;
    case 'binary_expression':
      return translateBinary(node, scope);
    case 'unary_expression': {
      const op = node.childForFieldName('operator')?.text ?? '';
      return `${op}${translateExpr(field(node, 'operand'), scope)}`;
    }
    case 'update_expression':
      return node.text.startsWith('++') || node.text.startsWith('--')
        ? `${node.text.slice(0, 2)}${translateExpr(child(node, 0), scope)}`
        : `${translateExpr(child(node, 0), scope)}${node.text.slice(-2)}`;
    case 'ternary_expression':
      return `${translateExpr(field(node, 'condition'), scope)} ? ${translateExpr(field(node, 'consequence'), scope)} : ${translateExpr(field(node, 'alternative'), scope)}`;
    case 'assignment_expression': {
      const op = node.childForFieldName('operator')?.text ?? '=';
      return `${translateExpr(field(node, 'left'), scope)} ${op} ${translateExpr(field(node, 'right'), scope)}`;
    }
    case 'field_access':
      return translateFieldAccess(node, scope);
    case 'array_access':
      return `${translateExpr(field(node, 'array'), scope)}[${translateExpr(field(node, 'index'), scope)}]!`;
    case 'method_invocation':
      return translateCall(node, scope);
    case 'object_creation_expression':
      return translateNew(node, scope);
    case 'array_creation_expression': {
      const init = node.namedChildren.find((n) => n?.type === 'array_initializer');
      if (init)
        return `[${init.namedChildren
          .filter(isNode)
          .map((e) => translateExpr(e, scope))
          .join(', ')}]`;
      throw new Untranslatable('array creation without initializer', node);
    }
    case 'array_initializer':
      return `[${node.namedChildren
        .filter(isNode)
        .map((e) => translateExpr(e, scope))
        .join(', ')}]`;
    case 'cast_expression': {
      const type = readType(field(node, 'type'));
      return `(${translateExpr(field(node, 'value'), scope)} as ${tsType(type, scope)})`;
    }
    case 'instanceof_expression': {
      if (node.childForFieldName('name') || node.namedChildren.some((n) => n?.type === 'record_pattern')) {
        throw new Untranslatable('instanceof with a pattern variable', node);
      }
      const type = readType(field(node, 'right'));
      return `${translateExpr(field(node, 'left'), scope)} instanceof ${classRef(type.name, scope)}`;
    }
    case 'lambda_expression':
      return translateLambda(node, scope, undefined, {
        async: scope.asyncReturnedLambda === true && node.parent?.type === 'return_statement',
      });
    case 'method_reference':
      return translateMethodRef(node, scope);
    case 'class_literal':
      throw new Untranslatable('class literal outside a known call', node);
    default:
      throw new Untranslatable(`${node.type.replaceAll('_', ' ')} is not supported`, node);
  }
}

export function isNode(n: Node | null): n is Node {
  return n !== null;
}

export function field(node: Node, name: string): Node {
  const found = node.childForFieldName(name);
  if (!found) throw new Untranslatable(`${node.type} without ${name}`, node);
  return found;
}

export function child(node: Node, index: number): Node {
  const found = node.namedChildren.filter(isNode)[index];
  if (!found) throw new Untranslatable(`${node.type} without operand`, node);
  return found;
}

/** The TS type text of a Java type, recording imports of service and runtime types. */
export function tsType(type: JavaType, scope: Scope): string {
  return toTsType(type, (name) => {
    // the service's own class first: a DTO named Message is not the NATS message
    if (scope.ctx.classes.has(name)) {
      scope.imports.useClass(name);
      return true;
    }
    const runtime = RUNTIME_TYPES[name];
    if (runtime) {
      scope.imports.useRuntime(runtime.module, runtime.name);
      return runtime.name;
    }
    return false;
  });
}

/** A class named in an expression (`X.method()`, `instanceof X`, `new X()`); imports it. */
export function classRef(name: string, scope: Scope): string {
  if (PLAIN_ERRORS.has(name)) return 'Error';
  const runtime = RUNTIME_TYPES[name];
  if (runtime) {
    scope.imports.useRuntime(runtime.module, runtime.name);
    return runtime.name;
  }
  if (scope.ctx.classes.has(name)) {
    if (name !== scope.cls.name) scope.imports.useClass(name);
    return name;
  }
  throw new Untranslatable(`class ${name} is not part of the service and has no known equivalent`);
}

function translateIdentifier(name: string, scope: Scope): string {
  if (lookupLocal(scope, name)) return name;
  const fieldDecl = scope.cls.fields.find((f) => f.name === name);
  if (fieldDecl) {
    if (fieldDecl.type.name === 'Logger') return 'log';
    return fieldDecl.modifiers.includes('static')
      ? `${scope.cls.name}.${fieldName(scope.cls, name)}`
      : `this.${fieldName(scope.cls, name)}`;
  }
  if (scope.cls.components.some((c) => c.name === name)) return `this.${name}`;
  if (name === 'log' && scope.cls.annotations.some((a) => a.name === 'Slf4j')) return 'log';
  if (/^[A-Z]/.test(name)) return classRef(name, scope);
  return name;
}

function translateString(node: Node): string {
  // Java and JavaScript share the escapes used in practice; keep the literal as written.
  return node.text;
}

function translateBinary(node: Node, scope: Scope): string {
  const op = node.childForFieldName('operator')?.text ?? '';
  const left = field(node, 'left');
  const right = field(node, 'right');
  const isNull = (n: Node): boolean => n.type === 'null_literal';
  // `== null` stays loose so that it also catches `undefined` (a missing JSON field, a Map miss).
  const tsOp = isNull(left) || isNull(right) ? op : (BINARY_OPS[op] ?? op);
  if (op === '+') {
    // a map or collection concatenated to a string is written as Java writes it ({k=v}, [a, b])
    // a string, or a concatenation that has one (`"a" + list + map` is `("a" + list) + map`)
    const text = (n: Node): boolean =>
      n.type === 'string_literal' ||
      isStringType(inferType(n, scope)) ||
      (n.type === 'binary_expression' &&
        n.childForFieldName('operator')?.text === '+' &&
        (text(field(n, 'left')) || text(field(n, 'right'))));
    const collection = (n: Node): boolean => {
      const type = inferType(n, scope);
      return isMapType(type) || isListType(type) || isSetType(type) || type?.array === true;
    };
    const side = (n: Node, other: Node): string => {
      const ts = translateExpr(n, scope);
      if (!collection(n) || !text(other)) return ts;
      scope.imports.useRuntime('java', 'javaString');
      return `javaString(${ts})`;
    };
    return `${side(left, right)} + ${side(right, left)}`;
  }
  return `${translateExpr(left, scope)} ${tsOp} ${translateExpr(right, scope)}`;
}

function translateFieldAccess(node: Node, scope: Scope): string {
  const object = field(node, 'object');
  const name = field(node, 'field').text;
  if (object.type === 'this') {
    const decl = scope.cls.fields.find((f) => f.name === name);
    if (decl?.type.name === 'Logger') return 'log';
    return decl?.modifiers.includes('static')
      ? `${scope.cls.name}.${fieldName(scope.cls, name)}`
      : `this.${fieldName(scope.cls, name)}`;
  }
  if (object.type === 'identifier' && /^[A-Z]/.test(object.text) && !lookupLocal(scope, object.text)) {
    if (object.text === 'BigDecimal') {
      const constants: Record<string, string> = { ZERO: '0', ONE: '1', TEN: '10' };
      const value = constants[name];
      if (value !== undefined) return value;
    }
    if (object.text === 'Integer' || object.text === 'Long') {
      if (name === 'MAX_VALUE') return 'Number.MAX_SAFE_INTEGER';
      if (name === 'MIN_VALUE') return 'Number.MIN_SAFE_INTEGER';
    }
    const enumClass = scope.ctx.classes.get(object.text);
    if (enumClass?.kind === 'enum') {
      if (enumClass.name !== scope.cls.name) scope.imports.useClass(enumClass.name);
      return JSON.stringify(name);
    }
    return `${classRef(object.text, scope)}.${name}`;
  }
  if (name === 'length') return `${translateExpr(object, scope)}.length`;
  return `${translateExpr(object, scope)}.${name}`;
}

function translateNew(node: Node, scope: Scope): string {
  const typeNode = field(node, 'type');
  const read = readType(typeNode);
  // `new java.util.ArrayList<>()`: a fully qualified class is the class
  const type = /^[a-z]\w*(\.[a-z]\w*)*\.[A-Z]/.test(read.name)
    ? { ...read, name: read.name.replace(/^[a-z]\w*(\.[a-z]\w*)*\./, '') }
    : read;
  const argsNode = node.childForFieldName('arguments');
  const argNodes = argsNode?.namedChildren.filter(isNode) ?? [];
  const args = (): string[] => argNodes.map((a) => translateExpr(a, scope));
  if (node.namedChildren.some((n) => n?.type === 'class_body'))
    throw new Untranslatable('anonymous class', node);
  switch (type.name) {
    case 'ArrayList':
    case 'LinkedList':
    case 'ArrayDeque':
    case 'CopyOnWriteArrayList':
      return argNodes.length === 0 || /^\d+$/.test(argNodes[0]?.text ?? '') ? '[]' : `[...${args()[0]}]`;
    case 'HashSet':
    case 'LinkedHashSet':
      return argNodes.length === 0 ? 'new Set()' : `new Set(${args()[0]})`;
    case 'HashMap':
    case 'LinkedHashMap':
    case 'ConcurrentHashMap':
      return argNodes.length === 0 ? 'new Map()' : `new Map(${args()[0]})`;
    case 'TreeMap':
    case 'ConcurrentSkipListMap':
    case 'TreeSet':
    case 'ConcurrentSkipListSet':
      return translateSortedNew(type, argNodes, scope, node);
    case 'Options.Builder':
      scope.imports.useRuntime('nats', 'Options');
      return 'Options.builder()';
    case 'StringBuilder':
      return argNodes.length === 0 ? "''" : `String(${args()[0]})`;
  }
  if (PLAIN_ERRORS.has(type.name)) {
    // `new ExceptionInInitializerError(e)`, `new RuntimeException(e)`: the cause alone
    const only = argNodes.length === 1 ? argNodes[0] : undefined;
    const onlyType = only?.type === 'identifier' ? lookupLocal(scope, only.text) : undefined;
    if (onlyType && (PLAIN_ERRORS.has(onlyType.name) || /(Exception|Error)$/.test(onlyType.name)))
      return `new Error(${only?.text}.message, { cause: ${only?.text} })`;
    const [message, cause] = args();
    if (cause !== undefined) return `new Error(${message}, { cause: ${cause} })`;
    return `new Error(${message ?? ''})`;
  }
  const cls = scope.ctx.classes.get(type.name);
  if (cls?.kind === 'record') {
    if (cls.components.length !== argNodes.length)
      throw new Untranslatable(`new ${cls.name} with ${argNodes.length} arguments`, node);
    if (cls.name !== scope.cls.name) scope.imports.useClass(cls.name);
    const values = args();
    const props = cls.components.map((c, i) => (values[i] === c.name ? c.name : `${c.name}: ${values[i]}`));
    return `{ ${props.join(', ')} }`;
  }
  if (
    cls &&
    isDataRole(scope.ctx.roles.get(cls.name)) &&
    argNodes.length > 0 &&
    cls.constructors.length === 0
  ) {
    const allArgs = cls.annotations.some((a) => a.name === 'AllArgsConstructor' || a.name === 'Value');
    if (!allArgs) throw new Untranslatable(`new ${cls.name}(...) without a matching constructor`, node);
  }
  const typeArgs = type.args.length > 0 ? `<${type.args.map((t) => tsType(t, scope)).join(', ')}>` : '';
  return `new ${classRef(type.name, scope)}${typeArgs}(${args().join(', ')})`;
}

/**
 * `new TreeMap<>()`, `new TreeMap<>(comparator)`, `new TreeMap<>(map)` (and the sets, and the concurrent
 * skip lists) → runtime/sorted-map.ts, which keeps the order. A copy of a sorted map or set keeps its comparator,
 * as Java's `TreeMap(SortedMap)` does; an argument that is neither a comparator nor a collection is a TODO.
 */
function translateSortedNew(type: JavaType, argNodes: readonly Node[], scope: Scope, node: Node): string {
  const isSet = type.name.endsWith('Set');
  const name = classRef(type.name, scope);
  const typeArgs = type.args.length > 0 ? `<${type.args.map((t) => tsType(t, scope)).join(', ')}>` : '';
  const [arg] = argNodes;
  if (arg === undefined) return `new ${name}${typeArgs}()`;
  if (argNodes.length > 1)
    throw new Untranslatable(`new ${type.name} with ${argNodes.length} arguments`, node);
  const source = inferType(arg, scope);
  const text = translateExpr(arg, scope);
  if (isSortedMapType(source) || isSortedSetType(source))
    return `new ${name}${typeArgs}(${text}.comparator(), ${text})`;
  if (isMapType(source)) {
    if (isSet) throw new Untranslatable(`new ${type.name} of a map`, node);
    return `new ${name}${typeArgs}(null, ${text})`;
  }
  if (isListType(source) || isSetType(source)) {
    if (!isSet) throw new Untranslatable(`new ${type.name} of a collection`, node);
    return `new ${name}${typeArgs}(null, ${text})`;
  }
  const comparator =
    arg.type === 'lambda_expression' ||
    arg.type === 'method_reference' ||
    source?.name === 'Comparator' ||
    /^Comparator\.|^Collections\.reverseOrder\(/.test(arg.text);
  if (comparator) return `new ${name}${typeArgs}(${text})`;
  throw new Untranslatable(
    `new ${type.name}(${arg.text}): the port cannot tell whether the argument is a comparator or a collection`,
    node,
  );
}

function lambdaParams(node: Node): { name: string; type: JavaType | undefined }[] {
  const params = field(node, 'parameters');
  if (params.type === 'identifier') return [{ name: params.text, type: undefined }];
  return params.namedChildren.filter(isNode).map((p) => {
    if (p.type === 'identifier') return { name: p.text, type: undefined };
    const typeNode = p.childForFieldName('type');
    return {
      name: p.childForFieldName('name')?.text ?? p.text,
      type: typeNode ? readType(typeNode) : undefined,
    };
  });
}

/**
 * `x -> expr` and `(a, b) -> { ... }`. `elementType` is what the lambda's first parameter receives when the caller
 * knows it (e.g. the element type of the list being mapped), for later inference.
 */
export function translateLambda(
  node: Node,
  scope: Scope,
  elementType?: JavaType,
  options: { async?: boolean } = {},
): string {
  const params = lambdaParams(node);
  const body = field(node, 'body');
  scope.locals.push(new Map());
  // an async lambda (a future's task, a startup runner) may await: it is a fresh async context
  const depth = scope.lambdaDepth;
  scope.lambdaDepth = options.async === true ? 0 : depth + 1;
  try {
    for (const [i, p] of params.entries())
      declareLocal(scope, p.name, p.type ?? (i === 0 ? (elementType ?? OBJECT_TYPE) : OBJECT_TYPE));
    const head = `${options.async === true ? 'async ' : ''}(${params.map((p) => p.name).join(', ')})`;
    if (body.type === 'block') return `${head} => ${translateLambdaBlock(body, scope)}`;
    const expr = translateExpr(body, scope);
    return `${head} => ${expr.startsWith('{') ? `(${expr})` : expr}`;
  } finally {
    scope.lambdaDepth = depth;
    scope.locals.pop();
  }
}

let blockTranslator: ((block: Node, scope: Scope) => string) | undefined;

/** Set by the statement translator, which depends on this module (kept acyclic at import time). */
export function setBlockTranslator(translate: (block: Node, scope: Scope) => string): void {
  blockTranslator = translate;
}

function translateLambdaBlock(block: Node, scope: Scope): string {
  if (!blockTranslator) throw new Untranslatable('lambda with a block body', block);
  return blockTranslator(block, scope);
}

function translateMethodRef(node: Node, scope: Scope): string {
  const parts = node.namedChildren.filter(isNode);
  const target = parts[0];
  const name = parts.at(-1)?.text ?? '';
  if (!target) throw new Untranslatable('method reference', node);
  if (name === 'new') throw new Untranslatable('constructor reference', node);
  if (target.type === 'this') return `(value) => this.${name}(value)`;
  if (target.text === 'Function' && name === 'identity') return '(value) => value';
  if (/^[A-Z]/.test(target.text) && !lookupLocal(scope, target.text)) {
    const cls = scope.ctx.classes.get(target.text);
    const method = cls?.methods.find((m) => m.name === name);
    if (cls && method?.modifiers.includes('static'))
      return `(value) => ${classRef(cls.name, scope)}.${name}(value)`;
    if (target.text === 'String' && name === 'valueOf') return '(value) => String(value)';
    if (target.text === 'Objects' && name === 'nonNull') return '(value) => value != null';
    if (target.text === 'String' && name === 'trim') return '(value) => value.trim()';
    // `Type::accessor` on data: the property.
    const property = accessorProperty(target.text, name, scope);
    if (property !== undefined) return `(value) => value.${property}`;
    if (cls) return `(value) => value.${name}()`;
    throw new Untranslatable(`method reference ${node.text}`, node);
  }
  const receiver = translateExpr(target, scope);
  const type = inferType(target, scope);
  if (type && scope.ctx.classes.has(type.name)) return `(value) => ${receiver}.${name}(value)`;
  throw new Untranslatable(`method reference ${node.text}`, node);
}

/** `OrderDto::skuCode` or `Order::getId` → the property name when the class is plain data. */
export function accessorProperty(className: string, method: string, scope: Scope): string | undefined {
  const cls = scope.ctx.classes.get(className);
  if (!cls || !isDataRole(scope.ctx.roles.get(className))) return undefined;
  if (cls.kind === 'record' && cls.components.some((c) => c.name === method)) return method;
  const match = /^(get|is)([A-Z].*)$/.exec(method);
  if (match?.[2]) {
    const prop = match[2].charAt(0).toLowerCase() + match[2].slice(1);
    if (cls.fields.some((f) => f.name === prop)) return prop;
  }
  // Lombok's getter of `boolean isActive` is `isActive()`, not `isIsActive()`
  if (cls.fields.some((f) => f.name === method && f.type.name === 'boolean' && /^is[A-Z]/.test(method)))
    return cls.methods.some((m) => m.name === method) ? undefined : method;
  return undefined;
}

export { simpleType };
