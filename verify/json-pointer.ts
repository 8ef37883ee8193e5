/**
 * JSON values compared field by field, differences named by JSON pointer (RFC 6901), e.g. `/body/items/0/id`.
 * Patterns are pointers whose `*` segment matches any key or index; a pattern also covers everything below it.
 * Pure.
 */

/** One differing place: its pointer and the value on each side (undefined when absent there). */
export interface FieldDifference {
  pointer: string;
  legacy: unknown;
  component: unknown;
}

function escapeSegment(segment: string): string {
  return segment.replaceAll('~', '~0').replaceAll('/', '~1');
}

/** `/a/b` from segments. */
export function toPointer(segments: readonly (string | number)[]): string {
  return segments.map((s) => `/${escapeSegment(String(s))}`).join('');
}

/** Segments of a pointer (`''` is the root). */
export function parsePointer(pointer: string): string[] {
  if (pointer === '') return [];
  return pointer
    .slice(1)
    .split('/')
    .map((s) => s.replaceAll('~1', '/').replaceAll('~0', '~'));
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Every differing leaf between `a` and `b`; arrays compared by index, a length change names the extra items. */
export function diffValues(a: unknown, b: unknown): FieldDifference[] {
  const out: FieldDifference[] = [];
  walk(a, b, [], out);
  return out;
}

function walk(a: unknown, b: unknown, path: (string | number)[], out: FieldDifference[]): void {
  if (Object.is(a, b)) return;
  if (Array.isArray(a) && Array.isArray(b)) {
    const n = Math.max(a.length, b.length);
    for (let i = 0; i < n; i += 1) walk(a[i], b[i], [...path, i], out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = [...new Set([...Object.keys(a), ...Object.keys(b)])].sort();
    for (const key of keys) walk(a[key], b[key], [...path, key], out);
    return;
  }
  out.push({ pointer: toPointer(path), legacy: a, component: b });
}

/** The pattern a concrete pointer generalises to: every array index becomes `*`, so noise on item 0 covers item 3. */
export function generalise(pointer: string, value: unknown): string {
  const segments = parsePointer(pointer);
  let node: unknown = value;
  const out: string[] = [];
  for (const segment of segments) {
    if (Array.isArray(node)) {
      out.push('*');
      node = node[Number(segment)];
    } else {
      out.push(segment);
      node = isObject(node) ? node[segment] : undefined;
    }
  }
  return toPointer(out);
}

/**
 * True when `pattern` (with `*` segments) equals `pointer` or one of its ancestors. A `*` matches any segment, or
 * with `wildcard: 'index'` only an array index (learned patterns: noise on list items is not noise on every key).
 */
export function matchesPattern(pointer: string, pattern: string, wildcard: 'any' | 'index' = 'any'): boolean {
  const want = parsePointer(pattern);
  const got = parsePointer(pointer);
  if (want.length > got.length) return false;
  return want.every(
    (segment, i) =>
      segment === got[i] || (segment === '*' && (wildcard === 'any' || /^\d+$/.test(got[i] ?? ''))),
  );
}

/** Checks a user-given pointer; undefined when fine, else what is wrong. */
export function checkPointer(pointer: string): string | undefined {
  if (pointer !== '' && !pointer.startsWith('/'))
    return 'a JSON pointer starts with / (e.g. /body/createdAt)';
  return undefined;
}
