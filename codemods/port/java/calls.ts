/** Java method calls → TypeScript: Java library calls by table, Spring Data/bean calls awaited, accessors as properties. */
import type { Node } from 'web-tree-sitter';
import {
  classRef,
  field,
  isNode,
  translateExpr,
  translateLambda,
  tsType,
  accessorProperty,
} from './expressions.ts';
import { inferType } from './infer.ts';
import type { JavaClass, JavaType } from './model.ts';
import { getPropertyOfAccessor } from './names.ts';
import { readType } from './read-model.ts';
import { isBeanRole, isDataRole } from './roles.ts';
import { DROPPED_TYPES } from './runtime-names.ts';
import { lookupLocal, simpleType, type Scope } from './scope.ts';
import { Untranslatable } from './todo.ts';
import {
  getElementType,
  isDateType,
  isFutureType,
  isListType,
  isMapType,
  isSetType,
  isSortedMapType,
  isSortedSetType,
  isStringType,
} from './types.ts';
import { translateStaticCall } from './static-calls.ts';
import {
  isTransactionCallback,
  rejectTransactionStatusCall,
  translateTransactionCall,
} from './transactions.ts';

/** jnats calls that wait for the server: awaited in the port (runtime/nats.ts), by receiver type. */
const ASYNC_NATS_METHODS: Readonly<Record<string, ReadonlySet<string>>> = {
  Connection: new Set(['flush', 'close', 'drain', 'request']),
  JetStream: new Set(['publish']),
  JetStreamManagement: new Set(['getStreamNames']),
};

interface Call {
  node: Node;
  object: Node | undefined;
  name: string;
  argNodes: Node[];
}

function readCall(node: Node): Call {
  const object = node.childForFieldName('object') ?? undefined;
  const name = field(node, 'name').text;
  const argNodes = node.childForFieldName('arguments')?.namedChildren.filter(isNode) ?? [];
  return { node, object, name, argNodes };
}

/** CompletableFuture's combinators, in the port Promise's (`thenApply(f)` → `then(f)`). */
const FUTURE_CHAIN: Readonly<Record<string, string>> = {
  thenApply: 'then',
  thenApplyAsync: 'then',
  thenCompose: 'then',
  thenComposeAsync: 'then',
  thenAccept: 'then',
  thenAcceptAsync: 'then',
  thenRun: 'then',
  thenRunAsync: 'then',
  exceptionally: 'catch',
};
/** Static factories of CompletableFuture, which make a future. */
const FUTURE_FACTORIES = new Set(['supplyAsync', 'runAsync', 'completedFuture', 'failedFuture', 'allOf']);

/** True when `node` is a CompletableFuture (a Promise in the port) as far as the translator can tell. */
export function isFutureExpr(node: Node | undefined, scope: Scope): boolean {
  if (node === undefined) return false;
  if (node.type === 'parenthesized_expression')
    return isFutureExpr(node.namedChildren[0] ?? undefined, scope);
  if (node.type === 'method_invocation') {
    const { object, name } = readCall(node);
    if (object?.text === 'CompletableFuture' && FUTURE_FACTORIES.has(name)) return true;
    if (FUTURE_CHAIN[name] !== undefined && isFutureExpr(object, scope)) return true;
  }
  return isFutureType(safeInfer(node, scope));
}

function safeInfer(node: Node, scope: Scope): JavaType | undefined {
  try {
    return inferType(node, scope);
  } catch {
    return undefined;
  }
}

/** The Java method a call reaches, when it is a method of the service (for its declared return type). */
function getCalledMethod(call: Call, scope: Scope): JavaClass['methods'][number] | undefined {
  const { object, name } = call;
  if (!object || object.type === 'this') return scope.cls.methods.find((m) => m.name === name);
  const type = safeInfer(object, scope);
  return type ? scope.ctx.classes.get(type.name)?.methods.find((m) => m.name === name) : undefined;
}

/** True when the call returns a promise in the port: repository, HTTP client, NATS round trip or an async bean method. */
export function isAsyncCall(node: Node, scope: Scope): boolean {
  const call = readCall(node);
  const { object, name } = call;
  // a method that returns a CompletableFuture hands back the promise itself: callers chain it (or join it)
  if (isFutureType(getCalledMethod(call, scope)?.returnType)) return false;
  // `future.join()` / `future.get()` wait for it
  if ((name === 'join' || name === 'get') && call.argNodes.length === 0 && isFutureExpr(object, scope))
    return true;
  if (!object || object.type === 'this') return scope.ctx.asyncMethods.has(`${scope.cls.name}.${name}`);
  // StringRedisTemplate's operations (runtime/redis-template.ts) go to Redis
  if (object.type === 'method_invocation' && /^opsFor(Hash|Value)$/.test(readCall(object).name)) return true;
  if (safeInfer(object, scope)?.name === 'StringRedisTemplate' && (name === 'delete' || name === 'hasKey'))
    return true;
  // runtime/transaction.ts awaits the callback
  if (safeInfer(object, scope)?.name === 'TransactionTemplate' && isTransactionCallback(name)) return true;
  if (
    (name === 'body' || name === 'bodyToMono' || name === 'toEntity' || name === 'toBodilessEntity') &&
    object.text.includes('.retrieve()')
  ) {
    return true;
  }
  const type = inferType(object, scope);
  if (!type) return false;
  const nats = ASYNC_NATS_METHODS[type.name];
  if (nats !== undefined) return nats.has(name);
  const role = scope.ctx.roles.get(type.name);
  if (role === 'jpa-repository' || role === 'redis-repository') return true;
  return isBeanRole(role) && scope.ctx.asyncMethods.has(`${type.name}.${name}`);
}

export function translateCall(node: Node, scope: Scope): string {
  const text = translateCallSync(readCall(node), scope);
  if (!isAsyncCall(node, scope)) return text;
  if (scope.lambdaDepth > 0)
    throw new Untranslatable('an awaited call (repository, client or async service) inside a lambda', node);
  if (scope.isConstructor) return `void ${text}`;
  return `(await ${text})`;
}

function args(call: Call, scope: Scope, elementType?: JavaType): string[] {
  return call.argNodes.map((a) => translateArg(a, scope, elementType));
}

export function translateArg(
  node: Node,
  scope: Scope,
  elementType?: JavaType,
  options: { async?: boolean } = {},
): string {
  if (node.type === 'lambda_expression') return translateLambda(node, scope, elementType, options);
  return translateExpr(node, scope);
}

/** A task or callback a future runs: an async function in the port, which may await what it calls. */
function futureArg(node: Node, scope: Scope): string {
  if (node.type === 'lambda_expression') return translateArg(node, scope, undefined, { async: true });
  return translateExpr(node, scope);
}

/** `CompletableFuture.supplyAsync(task[, executor])` and the other factories → promises. */
export function translateFutureFactory(name: string, argNodes: Node[], scope: Scope, at: Node): string {
  const [first] = argNodes;
  switch (name) {
    case 'supplyAsync':
    case 'runAsync':
      // the executor only chose a thread: the task runs on the event loop, after the caller's turn as on a pool
      if (first) return `Promise.resolve().then(${futureArg(first, scope)})`;
      break;
    case 'completedFuture':
      return `Promise.resolve(${first ? translateExpr(first, scope) : ''})`;
    case 'failedFuture':
      if (first) return `Promise.reject(${translateExpr(first, scope)})`;
      break;
    case 'allOf':
      return `Promise.all([${argNodes.map((a) => translateExpr(a, scope)).join(', ')}]).then(() => undefined)`;
  }
  throw new Untranslatable(`CompletableFuture.${name}`, at);
}

/** `X.class` or `new ParameterizedTypeReference<T>() {}` → the TS type. */
function typeToken(node: Node | undefined, scope: Scope): string | undefined {
  if (!node) return undefined;
  if (node.type === 'class_literal') {
    const t = node.namedChildren[0];
    return t ? tsType(readType(t), scope) : undefined;
  }
  if (node.type === 'object_creation_expression') {
    const t = node.childForFieldName('type');
    const generic = t ? readType(t) : undefined;
    if (
      generic &&
      (generic.name === 'ParameterizedTypeReference' || generic.name === 'TypeReference') &&
      generic.args[0]
    ) {
      return tsType(generic.args[0], scope);
    }
  }
  return undefined;
}

function translateCallSync(call: Call, scope: Scope): string {
  const { object, name } = call;
  const special = translateChains(call, scope);
  if (special !== undefined) return special;
  const future = translateFutureCall(call, scope);
  if (future !== undefined) return future;
  const env = translateEnvCall(call, scope);
  if (env !== undefined) return env;
  // `java.time.Duration.ofSeconds(2)`: a fully qualified class is the class
  const qualified =
    object?.type === 'field_access' ? /^[a-z][\w.]*\.([A-Z]\w*)$/.exec(object.text)?.[1] : undefined;
  if (qualified !== undefined && !lookupLocal(scope, object?.text.split('.')[0] ?? ''))
    return translateStaticCall({ ...call, owner: qualified }, scope);
  if (!object) {
    const method = scope.cls.methods.find((m) => m.name === name);
    if (!method)
      throw new Untranslatable(`call of ${name}(), which is not declared in ${scope.cls.name}`, call.node);
    const owner = method.modifiers.includes('static') ? scope.cls.name : 'this';
    return `${owner}.${name}(${args(call, scope).join(', ')})`;
  }
  if (
    object.type === 'identifier' &&
    /^[A-Z]/.test(object.text) &&
    !lookupLocal(scope, object.text) &&
    !scope.cls.fields.some((f) => f.name === object.text)
  ) {
    return translateStaticCall(call, scope);
  }
  const receiverType = inferType(object, scope);
  if (receiverType && DROPPED_TYPES.has(receiverType.name)) return translateObjectMapper(call, scope);
  if (object.type === 'identifier' && receiverType?.name === 'Logger')
    return `log.${name}(${args(call, scope).join(', ')})`;
  if (object.type === 'identifier' && object.text === 'log' && !receiverType)
    return `log.${name}(${args(call, scope).join(', ')})`;
  return translateInstanceCall(call, scope, receiverType);
}

/** Lombok builder chains and `Comparator.comparing(a).thenComparing(b)`, read as a whole chain. */
function translateChains(call: Call, scope: Scope): string | undefined {
  const chain: Call[] = [];
  let current: Node | undefined = call.node;
  while (current?.type === 'method_invocation') {
    const c = readCall(current);
    chain.unshift(c);
    current = c.object;
  }
  const root = chain[0];
  if (!root || current === undefined || current.type !== 'identifier') return undefined;
  if (call.name === 'build' && root.name === 'builder' && scope.ctx.classes.has(current.text)) {
    const cls = scope.ctx.classes.get(current.text);
    const props = chain
      .slice(1, -1)
      .map((c) => `${c.name}: ${translateExpr(c.argNodes[0] ?? c.node, scope)}`);
    if (cls?.kind === 'record') return `{ ${props.join(', ')} }`;
    return `Object.assign(new ${classRef(current.text, scope)}(), { ${props.join(', ')} })`;
  }
  if (
    current.text === 'Comparator' &&
    root.name === 'comparing' &&
    chain.slice(1).every((c) => c.name === 'thenComparing' || c.name === 'reversed')
  ) {
    if (chain.at(-1) !== chain.find((c) => c.node === call.node)) return undefined;
    scope.imports.useRuntime('java', 'comparing');
    const keys = chain
      .filter((c) => c.name !== 'reversed')
      .map((c) => translateArg(c.argNodes[0] ?? c.node, scope));
    const comparator = `comparing(${keys.join(', ')})`;
    if (chain.some((c) => c.name === 'reversed')) {
      if (chain.at(-1)?.name !== 'reversed' || chain.filter((c) => c.name === 'reversed').length > 1)
        throw new Untranslatable('reversed() in the middle of a comparator chain', call.node);
      return `((a, b) => ${comparator}(b, a))`;
    }
    return comparator;
  }
  return undefined;
}

/** Future combinators (`thenApply` → `then`), `join`/`get` (awaited by the caller), the factories. */
function translateFutureCall(call: Call, scope: Scope): string | undefined {
  const { object, name, argNodes } = call;
  if (object?.text === 'CompletableFuture' && FUTURE_FACTORIES.has(name))
    return translateFutureFactory(name, argNodes, scope, call.node);
  if (!isFutureExpr(object, scope) || object === undefined) return undefined;
  const chained = FUTURE_CHAIN[name];
  if (chained !== undefined && argNodes.length === 1 && argNodes[0]) {
    const callback = futureArg(argNodes[0], scope);
    // thenRun's task takes no argument; Promise.then passes one, which it ignores
    return `${translateExpr(object, scope)}.${chained}(${callback})`;
  }
  if ((name === 'join' || name === 'get') && argNodes.length === 0) return translateExpr(object, scope);
  throw new Untranslatable(`CompletableFuture.${name}`, call.node);
}

/** `System.getenv("X")` and `System.getenv().getOrDefault("X", d)` → `process.env` (the config capability in a component). */
function translateEnvCall(call: Call, scope: Scope): string | undefined {
  const { object, name, argNodes } = call;
  const a = (): string[] => argNodes.map((x) => translateExpr(x, scope));
  if (object?.text === 'System' && name === 'getenv' && argNodes.length === 1)
    return `(process.env[${a()[0]}] ?? null)`;
  if (object?.text === 'System.getenv()' || object?.text.replace(/\s/g, '') === 'System.getenv()') {
    if (name === 'getOrDefault' && argNodes.length === 2) return `(process.env[${a()[0]}] ?? ${a()[1]})`;
    if (name === 'get' && argNodes.length === 1) return `(process.env[${a()[0]}] ?? null)`;
    if (name === 'containsKey' && argNodes.length === 1) return `(process.env[${a()[0]}] !== undefined)`;
  }
  return undefined;
}

function translateObjectMapper(call: Call, scope: Scope): string {
  const a = call.argNodes;
  switch (call.name) {
    case 'writeValueAsString':
      scope.imports.useRuntime('java', 'toJson');
      return `toJson(${translateExpr(a[0] ?? call.node, scope)})`;
    case 'writeValueAsBytes':
      scope.imports.useRuntime('java', 'toJsonBytes');
      return `toJsonBytes(${translateExpr(a[0] ?? call.node, scope)})`;
    case 'readValue': {
      const type = typeToken(a[1], scope);
      if (!a[0] || type === undefined) break;
      scope.imports.useRuntime('java', 'parseJson');
      return `parseJson<${type}>(${translateExpr(a[0], scope)})`;
    }
  }
  throw new Untranslatable(`ObjectMapper.${call.name}`, call.node);
}

function translateInstanceCall(call: Call, scope: Scope, receiverType: JavaType | undefined): string {
  const { object, name, argNodes } = call;
  if (!object) throw new Untranslatable('call without receiver', call.node);
  const r = (): string => translateExpr(object, scope);
  const a = (elementType?: JavaType): string[] => args(call, scope, elementType);
  const element = getElementType(receiverType);
  const n = argNodes.length;

  if (receiverType?.name === 'TransactionTemplate')
    return translateTransactionCall(r(), name, argNodes, call.node, scope, (callback) =>
      translateArg(callback, scope, simpleType('TransactionStatus'), { async: true }),
    );
  if (receiverType?.name === 'TransactionStatus') rejectTransactionStatusCall(name, call.node);

  // Optional (kept as `T | null`).
  if (receiverType?.name === 'Optional') {
    switch (name) {
      case 'map':
        scope.imports.useRuntime('java', 'mapOptional');
        return `mapOptional(${r()}, ${a(element)[0]})`;
      case 'filter':
        scope.imports.useRuntime('java', 'filterOptional');
        return `filterOptional(${r()}, ${a(element)[0]})`;
      case 'isEmpty':
        if (n === 0) return `(${r()} == null)`;
        break;
    }
  }
  // LocalDate arithmetic.
  if (isDateType(receiverType) && /^(plus|minus)Days$/.test(name) && n === 1) {
    scope.imports.useRuntime('java', 'plusDays');
    return `plusDays(${r()}, ${name === 'minusDays' ? `-(${a()[0]})` : a()[0]})`;
  }

  // Streams and collections.
  const stream = translateStreamCall(call, scope, receiverType, r, a);
  if (stream !== undefined) return stream;

  // RestClient / WebClient chains.
  if ((name === 'body' || name === 'bodyToMono') && object.text.includes('.retrieve()') && n <= 1) {
    const type = typeToken(argNodes[0], scope) ?? 'unknown';
    return `${r()}.${name}<${type}>()`;
  }
  if (name === 'block' && n === 0 && object.type === 'method_invocation') return r();

  // Optional.
  switch (name) {
    case 'orElse':
      return `(${r()} ?? ${a()[0]})`;
    case 'orElseGet':
      return `(${r()} ?? (${a()[0]})())`;
    case 'orElseThrow':
      scope.imports.useRuntime('java', 'orElseThrow');
      return n === 0 ? `orElseThrow(${r()})` : `orElseThrow(${r()}, ${a()[0]})`;
    case 'isPresent':
      if (n === 0) return `(${r()} != null)`;
      break;
  }

  // Map and Set.
  if (isMapType(receiverType)) {
    const [k, v] = a();
    // Java's put/remove answer the previous value (null asserted away like `get`'s); Map's set/delete do not
    const used = call.node.parent?.type !== 'expression_statement';
    if (used && name === 'put' && n === 2) {
      scope.imports.useRuntime('java', 'putPrevious');
      return `putPrevious(${r()}, ${k}, ${v})!`;
    }
    if (used && name === 'remove' && n === 1) {
      scope.imports.useRuntime('java', 'removePrevious');
      return `removePrevious(${r()}, ${k})!`;
    }
    switch (name) {
      case 'get':
        return `${r()}.get(${k})!`;
      case 'put':
        return `${r()}.set(${k}, ${v})`;
      case 'containsKey':
        return `${r()}.has(${k})`;
      case 'getOrDefault':
        return `(${r()}.get(${k}) ?? ${v})`;
      case 'remove':
        return `${r()}.delete(${k})`;
      case 'size':
        return `${r()}.size`;
      case 'isEmpty':
        return `(${r()}.size === 0)`;
      case 'keySet':
        return `[...${r()}.keys()]`;
      case 'values':
        return `[...${r()}.values()]`;
      case 'entrySet':
        // entries as objects, so that `e.getKey()`/`e.getValue()` read as properties
        return `[...${r()}.entries()].map(([key, value]) => ({ key, value }))`;
      case 'forEach': {
        const [k1 = 'key', v1 = 'value'] = lambdaParamNames(argNodes[0]);
        return `${r()}.forEach((${v1}, ${k1}) => (${a()[0]})(${k1}, ${v1}))`;
      }
      case 'toString':
        // Java's {k=v, k2=v2}, in the map's own order (key order for a sorted map)
        scope.imports.useRuntime('java', 'javaString');
        return `javaString(${r()})`;
    }
    if (isSortedMapType(receiverType)) return translateNavigableCall(call, r(), a(), 'Map');
    throw new Untranslatable(`Map.${name}`, call.node);
  }
  if (isSortedSetType(receiverType) && NAVIGABLE_SET.has(name))
    return translateNavigableCall(call, r(), a(), 'Set');
  if (isSetType(receiverType)) {
    switch (name) {
      case 'add':
      case 'contains':
        return `${r()}.${name === 'add' ? 'add' : 'has'}(${a()[0]})`;
      case 'remove':
        return `${r()}.delete(${a()[0]})`;
      case 'size':
        return `${r()}.size`;
      case 'isEmpty':
        return `(${r()}.size === 0)`;
      case 'addAll':
        if (n === 1) return `${a()[0]}.forEach((value) => ${r()}.add(value))`;
        break;
    }
  }

  // Lists, deques and strings share these spellings.
  const listOrString = isListType(receiverType) || isStringType(receiverType) || receiverType === undefined;
  if (listOrString) {
    switch (name) {
      case 'size':
      case 'length':
        if (n === 0) return `${r()}.length`;
        break;
      case 'isEmpty':
        if (n === 0) return `(${r()}.length === 0)`;
        break;
      case 'add':
      case 'addLast':
      case 'offer':
      case 'offerLast':
        if (n === 1 && (isListType(receiverType) || receiverType === undefined))
          return `${r()}.push(${a()[0]})`;
        break;
      case 'addFirst':
        return `${r()}.unshift(${a()[0]})`;
      case 'removeFirst':
      case 'poll':
      case 'pollFirst':
        if (n === 0) return `${r()}.shift()`;
        break;
      case 'removeLast':
      case 'pollLast':
        if (n === 0) return `${r()}.pop()`;
        break;
      case 'peekFirst':
      case 'getFirst':
        return `${r()}[0]`;
      case 'addAll':
        return `${r()}.push(...${a()[0]})`;
      case 'clear':
        return `${r()}.splice(0)`;
      case 'contains':
        return `${r()}.includes(${a()[0]})`;
      case 'get':
        if (n === 1 && isListType(receiverType)) return `${r()}[${a()[0]}]!`;
        break;
      case 'toArray':
        return `[...${r()}]`;
      case 'equals':
        return `${r()} === ${a()[0]}`;
      case 'isBlank':
        return `(${r()}.trim() === '')`;
      case 'equalsIgnoreCase':
        return `${r()}.toLowerCase() === ${a()[0]}.toLowerCase()`;
      case 'trim':
      case 'strip':
        return `${r()}.trim()`;
      case 'toUpperCase':
      case 'toLowerCase':
      case 'startsWith':
      case 'endsWith':
      case 'substring':
      case 'charAt':
      case 'indexOf':
        if (isStringType(receiverType)) return `${r()}.${name}(${a().join(', ')})`;
        break;
      case 'replace':
        if (isStringType(receiverType)) return `${r()}.replaceAll(${a().join(', ')})`;
        break;
    }
    void element;
  }
  switch (name) {
    case 'toString':
      if (n === 0) {
        if (object.text === 'UUID.randomUUID()' || isStringType(receiverType)) return r();
        // Java's text of a map or collection ({k=v}, [a, b]), not JavaScript's ([object Map], a,b)
        scope.imports.useRuntime('java', 'javaString');
        return `javaString(${r()})`;
      }
      break;
    case 'equals':
      if (n === 1) return `${r()} === ${a()[0]}`;
      break;
    case 'compareTo':
      scope.imports.useRuntime('java', 'compareNatural');
      return `compareNatural(${r()}, ${a()[0]})`;
    case 'value':
      if (n === 0 && receiverType?.name === 'HttpStatus') return `${r()}.value`;
      break;
    case 'getMessage':
      if (n === 0) return `${r()}.message`;
      break;
  }

  // Data: record accessors, getters and setters become properties.
  const dataClass = receiverType ? scope.ctx.classes.get(receiverType.name) : undefined;
  const isData = dataClass !== undefined && isDataRole(scope.ctx.roles.get(dataClass.name));
  if (isData && dataClass) {
    const property = n === 0 ? accessorProperty(dataClass.name, name, scope) : undefined;
    if (property !== undefined) return `${r()}.${property}`;
    const setter = /^set([A-Z].*)$/.exec(name)?.[1];
    const prop = setter ? setter.charAt(0).toLowerCase() + setter.slice(1) : undefined;
    if (
      prop &&
      n === 1 &&
      dataClass.fields.some((f) => f.name === prop) &&
      !dataClass.methods.some((m) => m.name === name && !isTrivialSetter(m.body))
    ) {
      return `${r()}.${prop} = ${a()[0]}`;
    }
    return `${r()}.${name}(${a().join(', ')})`;
  }
  if (receiverType && scope.ctx.classes.has(receiverType.name)) return `${r()}.${name}(${a().join(', ')})`;
  if (receiverType === undefined || !scope.ctx.classes.has(receiverType.name)) {
    // Unknown receivers (runtime shims, exceptions, NATS messages): JavaBean getters are properties there too.
    const property = n === 0 && name !== 'getClass' ? getPropertyOfAccessor(name) : undefined;
    if (property !== undefined && name.startsWith('get')) return `${r()}.${property}`;
    const recordOwner =
      n === 0
        ? [...scope.ctx.classes.values()].find(
            (c) => c.kind === 'record' && c.components.some((k) => k.name === name),
          )
        : undefined;
    if (recordOwner && receiverType === undefined) return `${r()}.${name}`;
  }
  return `${r()}.${name}(${a().join(', ')})`;
}

/** NavigableMap's methods runtime/sorted-map.ts's TreeMap has under their Java names. */
const NAVIGABLE_MAP = new Set([
  'firstKey',
  'lastKey',
  'firstEntry',
  'lastEntry',
  'pollFirstEntry',
  'pollLastEntry',
  'ceilingKey',
  'floorKey',
  'higherKey',
  'lowerKey',
  'ceilingEntry',
  'floorEntry',
  'higherEntry',
  'lowerEntry',
  'headMap',
  'tailMap',
  'subMap',
  'descendingMap',
  'comparator',
  'clear',
]);
/** NavigableSet's methods runtime/sorted-map.ts's TreeSet has under their Java names. */
const NAVIGABLE_SET = new Set([
  'first',
  'last',
  'pollFirst',
  'pollLast',
  'ceiling',
  'floor',
  'higher',
  'lower',
  'headSet',
  'tailSet',
  'subSet',
  'descendingSet',
  'comparator',
  'clear',
]);

/**
 * A sorted map's or set's navigation (`firstKey()`, `headMap(k)`, `subSet(a, b)`, …) → the runtime's method of
 * the same name. Java's two-argument `subMap(a, b)`/`subSet(a, b)` is `(a, true, b, false)`; the key views are
 * arrays in order. Anything else is a TODO.
 */
function translateNavigableCall(call: Call, receiver: string, args: string[], kind: 'Map' | 'Set'): string {
  const { name } = call;
  if (kind === 'Map') {
    if (name === 'navigableKeySet' && args.length === 0) return `[...${receiver}.keys()]`;
    if (name === 'descendingKeySet' && args.length === 0) return `[...${receiver}.descendingMap().keys()]`;
  }
  if ((name === 'subMap' || name === 'subSet') && args.length === 2)
    return `${receiver}.${name}(${args[0]}, true, ${args[1]}, false)`;
  // a key or entry that may be missing is `T | null`; asserted like `Map.get`'s, Java's null fails on use too
  const nullable =
    /^(ceiling|floor|higher|lower)(Key|Entry)?$|^(first|last|pollFirst|pollLast)(Entry)?$/.test(name);
  const orNull = nullable && !/^(first|last)$/.test(name) ? '!' : '';
  if ((kind === 'Map' ? NAVIGABLE_MAP : NAVIGABLE_SET).has(name))
    return `${receiver}.${name}(${args.join(', ')})${orNull}`;
  throw new Untranslatable(`Sorted${kind}.${name}`, call.node);
}

/** The parameter names of a lambda node (`(a, b) -> …`, `a -> …`). */
export function lambdaParamNames(node: Node | undefined): string[] {
  const params = node?.type === 'lambda_expression' ? node.childForFieldName('parameters') : undefined;
  if (!params) return [];
  if (params.type === 'identifier') return [params.text];
  return params.namedChildren
    .filter(isNode)
    .map((p) => (p.type === 'identifier' ? p.text : (p.childForFieldName('name')?.text ?? p.text)));
}

function isTrivialSetter(body: Node | undefined): boolean {
  return (
    body !== undefined &&
    body.namedChildren.length === 1 &&
    /^this\.\w+\s*=\s*\w+;$/.test(body.namedChildren[0]?.text ?? '')
  );
}

function translateStreamCall(
  call: Call,
  scope: Scope,
  receiverType: JavaType | undefined,
  r: () => string,
  a: (elementType?: JavaType) => string[],
): string | undefined {
  const { name, argNodes } = call;
  const n = argNodes.length;
  const element = getElementType(receiverType);
  // a method of the service's own class (a repository's `count()`, a bean's `filter(…)`) is that method
  if (receiverType !== undefined && scope.ctx.classes.has(receiverType.name)) return undefined;
  switch (name) {
    case 'stream':
    case 'parallelStream':
      if (n !== 0) return undefined;
      return isSetType(receiverType) ? `[...${r()}]` : r();
    case 'map':
    case 'mapToInt':
    case 'mapToLong':
    case 'mapToDouble':
    case 'mapToObj':
      return `${r()}.map(${a(element)[0]})`;
    case 'forEach':
      // Map.forEach's callback takes (key, value) in Java, (value, key) in JavaScript: see the Map case
      if (isMapType(receiverType)) return undefined;
      return `${r()}.forEach(${a(element)[0]})`;
    case 'filter':
    case 'flatMap':
      return `${r()}.${name}(${a(element)[0]})`;
    case 'anyMatch':
      return `${r()}.some(${a(element)[0]})`;
    case 'allMatch':
      return `${r()}.every(${a(element)[0]})`;
    case 'noneMatch':
      return `!${r()}.some(${a(element)[0]})`;
    case 'count':
      return n === 0 ? `${r()}.length` : undefined;
    case 'sum':
      return n === 0 ? `${r()}.reduce((sum, value) => sum + value, 0)` : undefined;
    case 'distinct':
      return `[...new Set(${r()})]`;
    case 'sorted':
      if (n === 0) {
        scope.imports.useRuntime('java', 'compareNatural');
        return `${r()}.toSorted(compareNatural)`;
      }
      return `${r()}.toSorted(${a(element)[0]})`;
    case 'limit':
      return `${r()}.slice(0, ${a()[0]})`;
    case 'skip':
      return `${r()}.slice(${a()[0]})`;
    case 'findFirst':
    case 'findAny':
      return n === 0 ? `(${r()}[0] ?? null)` : undefined;
    case 'toList':
      return n === 0 ? r() : undefined;
    case 'reduce':
      if (n === 2) {
        const [identity, op] = a(element);
        return `${r()}.reduce(${op}, ${identity})`;
      }
      return undefined;
    case 'collect':
      return translateCollect(call, scope, element, r);
    default:
      return undefined;
  }
}

function translateCollect(call: Call, scope: Scope, element: JavaType | undefined, r: () => string): string {
  const collector = call.argNodes[0];
  const inner = collector?.type === 'method_invocation' ? readCall(collector) : undefined;
  if (!inner || inner.object?.text !== 'Collectors')
    throw new Untranslatable('collect with a custom collector', call.node);
  const a = inner.argNodes.map((x) => translateArg(x, scope, element));
  switch (inner.name) {
    case 'toList':
    case 'toUnmodifiableList':
      return r();
    case 'toSet':
    case 'toUnmodifiableSet':
      return `new Set(${r()})`;
    case 'joining':
      return `${r()}.join(${a[0] ?? "''"})`;
    case 'toMap':
      scope.imports.useRuntime('java', 'toMap');
      return `toMap(${[r(), ...a].join(', ')})`;
    default:
      throw new Untranslatable(`Collectors.${inner.name}`, call.node);
  }
}

export { classRef };
