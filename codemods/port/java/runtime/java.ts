/** Small helpers for Java library calls that have no one-line TypeScript equivalent. */

export type Comparator<T> = (a: T, b: T) => number;

/** A `Map.Entry`: `entrySet()`'s items and a sorted map's `firstEntry()`; `getKey()`/`getValue()` read these. */
export interface MapEntry<K, V> {
  key: K;
  value: V;
}

/**
 * `String.valueOf(value)` as Java writes it: `null`, a map as `{k=v, k2=v2}`, a list, set or array as `[a, b]`
 * (items written the same way), an object by its own `toString()`. The port uses it for `x.toString()` and for a
 * collection in a string concatenation, where JavaScript would write `[object Map]` or `a,b`.
 */
export function javaString(value: unknown): string {
  if (value === null || value === undefined) return 'null';
  if (typeof value === 'string') return value;
  if (value instanceof Map)
    return `{${[...(value as Map<unknown, unknown>)].map(([k, v]) => `${javaString(k)}=${javaString(v)}`).join(', ')}}`;
  if (Array.isArray(value) || value instanceof Set)
    return `[${[...(value as Iterable<unknown>)].map(javaString).join(', ')}]`;
  if (typeof value === 'number' || typeof value === 'boolean' || typeof value === 'bigint')
    return String(value);
  // anything else by its own toString(), as Java calls it (a ported class's, a Date's)
  return (value as { toString(): string }).toString();
}

/** Natural order of strings, numbers, booleans and dates (Java's `Comparable`). */
export function compareNatural(a: unknown, b: unknown): number {
  if (a instanceof Date && b instanceof Date) return a.getTime() - b.getTime();
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  const x = String(a);
  const y = String(b);
  return x < y ? -1 : x > y ? 1 : 0;
}

/** `Comparator.comparing(key)`, with `thenComparing` spelled as a second key. */
export function comparing<T>(...keys: ((value: T) => unknown)[]): Comparator<T> {
  return (a, b) => {
    for (const key of keys) {
      const order = compareNatural(key(a), key(b));
      if (order !== 0) return order;
    }
    return 0;
  };
}

/** `map.put(key, value)` whose result is used: the value it replaced, or null. */
export function putPrevious<K, V>(map: Map<K, V>, key: K, value: V): V | null {
  const previous = map.has(key) ? (map.get(key) as V) : null;
  map.set(key, value);
  return previous;
}

/** `map.remove(key)` whose result is used: the value it removed, or null. */
export function removePrevious<K, V>(map: Map<K, V>, key: K): V | null {
  const previous = map.has(key) ? (map.get(key) as V) : null;
  map.delete(key);
  return previous;
}

/** `Collectors.toMap(key, value, merge)`. */
export function toMap<T, K, V>(
  items: Iterable<T>,
  key: (item: T) => K,
  value: (item: T) => V,
  merge?: (a: V, b: V) => V,
): Map<K, V> {
  const map = new Map<K, V>();
  for (const item of items) {
    const k = key(item);
    const v = value(item);
    const existing = map.get(k);
    if (existing !== undefined) {
      if (merge === undefined) throw new Error(`Duplicate key ${String(k)}`);
      map.set(k, merge(existing, v));
    } else map.set(k, v);
  }
  return map;
}

/** `optional.orElseThrow(supplier)`. */
export function orElseThrow<T>(value: T | null | undefined, error?: () => Error): T {
  if (value === null || value === undefined) throw error?.() ?? new Error('No value present');
  return value;
}

/** Java's `IOException`: an I/O failure (a NATS request with no answer in time); Jackson's failures are ones too. */
export class IOException extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'IOException';
  }
}

/** Jackson's `readValue` failed: the text is not JSON. */
export class JsonProcessingException extends IOException {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JsonProcessingException';
  }
}

/** `objectMapper.readValue(data, X.class)`: parses UTF-8 bytes or text. */
export function parseJson<T>(data: Uint8Array | string): T {
  const text = typeof data === 'string' ? data : new TextDecoder().decode(data);
  try {
    return JSON.parse(text) as T;
  } catch (error) {
    throw new JsonProcessingException(error instanceof Error ? error.message : String(error), {
      cause: error,
    });
  }
}

/** `objectMapper.writeValueAsString(value)`: a Map is an object and a Set an array, as Jackson writes them. */
export function toJson(value: unknown): string {
  return JSON.stringify(value, (_key, item: unknown) =>
    item instanceof Map
      ? Object.fromEntries(item as Map<PropertyKey, unknown>)
      : item instanceof Set
        ? [...(item as Set<unknown>)]
        : item,
  );
}

/** `objectMapper.writeValueAsBytes(value)`. */
export function toJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(toJson(value));
}

/** A caught value as an Error, for Java `catch (Exception e)`. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}

/** `args` of an `ApplicationRunner`: the command line, as `run(ApplicationArguments)` received it. */
export type ApplicationArguments = readonly string[];

/** A `CommandLineRunner`/`ApplicationRunner` made by a `@Bean` method; the composition root runs it at startup. */
export type CommandLineRunner = (args: readonly string[]) => unknown;
export type ApplicationRunner = CommandLineRunner;

/**
 * `Executors.newFixedThreadPool(n)` and kin. JavaScript has one thread: the tasks given to it
 * (`supplyAsync(task, executor)`) run as promises on the event loop, so the executor only stands in for the bean
 * the Java injected, and `shutdown()` (a `destroyMethod`) has nothing to stop.
 */
export class ExecutorService {
  shutdown(): void {}
}

/** `Optional.map(f)` over a value the port keeps as `T | null`. */
export function mapOptional<T, U>(
  value: T | null | undefined,
  map: (value: T) => U | null | undefined,
): U | null {
  return value === null || value === undefined ? null : (map(value) ?? null);
}

/** `Optional.filter(p)` over a value the port keeps as `T | null`. */
export function filterOptional<T>(value: T | null | undefined, keep: (value: T) => boolean): T | null {
  return value === null || value === undefined || !keep(value) ? null : value;
}

/**
 * A `LocalDate` column's value as the entity holds it: the `YYYY-MM-DD` text, whether the driver gave text (the
 * Node pool's DATE parser) or a Date at midnight UTC (a component's sql capability). Typed as the Date the port
 * declares a LocalDate as; JSON and `+` print it as Jackson and `LocalDate.toString` do.
 */
export function localDate(value: unknown): Date {
  if (value === null || value === undefined) return value as unknown as Date;
  const text = value instanceof Date ? value.toISOString().slice(0, 10) : (value as string).slice(0, 10);
  return text as unknown as Date;
}

/**
 * `LocalDate.plusDays(n)` (`minusDays` is `-n`) on a date the port holds as a `Date`, or as the ISO text JSON
 * brought. The result prints (JSON, `String(…)`, `+`) as `yyyy-MM-dd`, as Jackson and `LocalDate.toString` do.
 */
export function plusDays(date: Date | string, days: number): Date {
  const base = typeof date === 'string' ? new Date(`${date.slice(0, 10)}T00:00:00Z`) : date;
  const result = new Date(Date.UTC(base.getUTCFullYear(), base.getUTCMonth(), base.getUTCDate() + days));
  const text = result.toISOString().slice(0, 10);
  return Object.assign(result, { toJSON: () => text, toString: () => text });
}
