import type { JavaType } from './model.ts';

const NUMBER = new Set([
  'int',
  'long',
  'short',
  'byte',
  'double',
  'float',
  'Integer',
  'Long',
  'Short',
  'Byte',
  'Double',
  'Float',
  'BigDecimal',
  'BigInteger',
  'Number',
  'AtomicInteger',
  'AtomicLong',
]);
const STRING = new Set(['String', 'char', 'Character', 'UUID', 'CharSequence']);
const BOOLEAN = new Set(['boolean', 'Boolean']);
const LIST = new Set([
  'List',
  'ArrayList',
  'LinkedList',
  'Collection',
  'Iterable',
  'Stream',
  'Deque',
  'ArrayDeque',
  'Queue',
]);
const SET = new Set(['Set', 'HashSet', 'LinkedHashSet']);
const MAP = new Set(['Map', 'HashMap', 'LinkedHashMap', 'ConcurrentHashMap', 'ConcurrentMap']);
/** Kept in key order: runtime/sorted-map.ts's TreeMap and TreeSet (a plain Map/Set would iterate in insertion order). */
const SORTED_MAP = new Set([
  'TreeMap',
  'SortedMap',
  'NavigableMap',
  'ConcurrentSkipListMap',
  'ConcurrentNavigableMap',
]);
const SORTED_SET = new Set(['TreeSet', 'SortedSet', 'NavigableSet', 'ConcurrentSkipListSet']);
/** Java futures: a Promise in the port (`supplyAsync`/`thenApply`/`join` → promise chains and await). */
const FUTURE = new Set(['Mono', 'CompletableFuture', 'CompletionStage', 'Future']);
const DATE = new Set(['Instant', 'LocalDateTime', 'LocalDate', 'OffsetDateTime', 'ZonedDateTime', 'Date']);

export function isNumberType(type: JavaType | undefined): boolean {
  return type !== undefined && NUMBER.has(type.name);
}
export function isStringType(type: JavaType | undefined): boolean {
  return type !== undefined && STRING.has(type.name);
}
export function isBooleanType(type: JavaType | undefined): boolean {
  return type !== undefined && BOOLEAN.has(type.name);
}
export function isListType(type: JavaType | undefined): boolean {
  return type !== undefined && (LIST.has(type.name) || type.array);
}
export function isSetType(type: JavaType | undefined): boolean {
  return type !== undefined && (SET.has(type.name) || SORTED_SET.has(type.name));
}
export function isMapType(type: JavaType | undefined): boolean {
  return type !== undefined && (MAP.has(type.name) || SORTED_MAP.has(type.name));
}
export function isSortedMapType(type: JavaType | undefined): boolean {
  return type !== undefined && SORTED_MAP.has(type.name);
}
export function isSortedSetType(type: JavaType | undefined): boolean {
  return type !== undefined && SORTED_SET.has(type.name);
}
export function isFutureType(type: JavaType | undefined): boolean {
  return type !== undefined && FUTURE.has(type.name);
}
export function isDateType(type: JavaType | undefined): boolean {
  return type !== undefined && DATE.has(type.name);
}

/**
 * The TypeScript spelling of a Java type. `known` holds the type names the generated project defines (service
 * classes and runtime shims); anything else becomes `unknown` so that the output still compiles.
 */
export function toTsType(type: JavaType, known: (name: string) => boolean | string): string {
  if (type.array) {
    if (type.args[0]?.name === 'byte') return 'Uint8Array';
    return `${wrap(toTsType(type.args[0] ?? anyType(), known))}[]`;
  }
  const arg = (i: number): string => toTsType(type.args[i] ?? anyType(), known);
  if (NUMBER.has(type.name)) return 'number';
  if (STRING.has(type.name)) return 'string';
  if (BOOLEAN.has(type.name)) return 'boolean';
  if (DATE.has(type.name)) return 'Date';
  if (type.name === 'void' || type.name === 'Void') return 'void';
  if (type.name === 'Object' || type.name === '?') return 'unknown';
  if (LIST.has(type.name)) return `${wrap(arg(0))}[]`;
  if (SET.has(type.name)) return `Set<${arg(0)}>`;
  if (MAP.has(type.name)) return `Map<${arg(0)}, ${arg(1)}>`;
  if (type.name === 'Optional') return `${arg(0)} | null`;
  if (type.name === 'Duration') return 'number';
  if (type.name === 'ResponseEntity') return `ResponseEntity<${type.args.length === 0 ? 'unknown' : arg(0)}>`;
  if (FUTURE.has(type.name)) return `Promise<${arg(0)}>`;
  if (type.name === 'var') return '';
  const name = known(type.name);
  if (name === false) return 'unknown';
  // `known` may rename: a runtime type's TS name (WebClientException → RestClientException)
  const ts = name === true ? type.name : name;
  return type.args.length > 0 ? `${ts}<${type.args.map((_, i) => arg(i)).join(', ')}>` : ts;
}

function wrap(ts: string): string {
  return /[|&]/.test(ts) ? `(${ts})` : ts;
}

function anyType(): JavaType {
  return { name: 'Object', args: [], array: false, annotations: [] };
}

/** `List<X>` → X; anything else → undefined. */
export function getElementType(type: JavaType | undefined): JavaType | undefined {
  if (type === undefined) return undefined;
  if (isListType(type) || isSetType(type) || type.name === 'Optional') return type.args[0];
  return undefined;
}
