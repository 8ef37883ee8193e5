/** Small helpers for Java library calls that have no one-line TypeScript equivalent. */

export type Comparator<T> = (a: T, b: T) => number;

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

/** Jackson's `readValue` failed: the text is not JSON. */
export class JsonProcessingException extends Error {
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

/** `objectMapper.writeValueAsBytes(value)`. */
export function toJsonBytes(value: unknown): Uint8Array {
  return new TextEncoder().encode(JSON.stringify(value));
}

/** A caught value as an Error, for Java `catch (Exception e)`. */
export function asError(value: unknown): Error {
  return value instanceof Error ? value : new Error(String(value));
}
