/**
 * Field-by-field comparison of two JSON values. Paths are normalised: object keys joined with dots, every array
 * index written `[]`, the root `$`. Normalising indices lets noise learned on `items[].id` apply to every item.
 */
export function diffJson(a: unknown, b: unknown): string[] {
  const out = new Set<string>();
  walk(a, b, '', out);
  return [...out].sort();
}

function join(path: string, key: string): string {
  return path === '' ? key : `${path}.${key}`;
}

function walk(a: unknown, b: unknown, path: string, out: Set<string>): void {
  if (Object.is(a, b)) return;
  const here = path === '' ? '$' : path;
  if (Array.isArray(a) && Array.isArray(b)) {
    if (a.length !== b.length) out.add(`${here}.length`);
    const n = Math.min(a.length, b.length);
    for (let i = 0; i < n; i += 1) walk(a[i], b[i], `${path}[]`, out);
    return;
  }
  if (isObject(a) && isObject(b)) {
    const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
    for (const key of keys) {
      if (!(key in a) || !(key in b)) out.add(join(path, key));
      else walk(a[key], b[key], join(path, key), out);
    }
    return;
  }
  out.add(here);
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * True when a configured ignore entry covers the path: a bare name (`createdAt`) matches that key at any depth;
 * a dotted path (`order.id`, `items[].sku`) matches from the root, including everything below it.
 */
export function isIgnoredPath(path: string, ignore: readonly string[]): boolean {
  for (const entry of ignore) {
    if (/[.[]/.test(entry)) {
      if (path === entry || path.startsWith(`${entry}.`) || path.startsWith(`${entry}[`)) return true;
    } else {
      const segments = path.split('.').map((s) => s.replace(/\[\]$/, ''));
      if (segments.includes(entry)) return true;
    }
  }
  return false;
}
