/**
 * Values for generated requests, by field name: from seed SQL (`INSERT INTO t (sku_code, …) VALUES ('a', …)`)
 * and from JSON answers of list endpoints. Names are matched loosely (`sku_code` = `skuCode` = `SKUCODE`). Pure.
 */

/** Field name (normalised) → distinct values in the order first seen. */
export type ValuePool = Map<string, unknown[]>;

/** `sku_code`, `skuCode` and `SkuCode` are one name. */
export function normaliseName(name: string): string {
  return name.replace(/[_\-\s]/g, '').toLowerCase();
}

export function addValue(pool: ValuePool, name: string, value: unknown): void {
  const key = normaliseName(name);
  const values = pool.get(key) ?? [];
  if (!values.some((v) => Object.is(v, value))) values.push(value);
  pool.set(key, values);
}

/** Splits a comma list at depth 0, outside quotes. */
function splitTopLevel(text: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = 0;
  for (let i = 0; i < text.length; i += 1) {
    const c = text[i];
    if (c === "'") {
      if (quoted && text[i + 1] === "'") i += 1;
      else quoted = !quoted;
    } else if (!quoted && c === '(') depth += 1;
    else if (!quoted && c === ')') depth -= 1;
    else if (!quoted && c === ',' && depth === 0) {
      out.push(text.slice(start, i).trim());
      start = i + 1;
    }
  }
  out.push(text.slice(start).trim());
  return out;
}

function parseLiteral(token: string): unknown {
  if (/^'.*'$/s.test(token)) return token.slice(1, -1).replaceAll("''", "'");
  if (/^-?\d+(\.\d+)?$/.test(token)) return Number(token);
  if (/^(true|false)$/i.test(token)) return token.toLowerCase() === 'true';
  return undefined; // NULL, functions, expressions: not a usable example
}

/** Tuples of a VALUES list: `(a, b), (c, d)`. */
function splitTuples(values: string): string[] {
  const tuples: string[] = [];
  let depth = 0;
  let quoted = false;
  let start = -1;
  for (let i = 0; i < values.length; i += 1) {
    const c = values[i];
    if (c === "'") {
      if (quoted && values[i + 1] === "'") i += 1;
      else quoted = !quoted;
    } else if (!quoted && c === '(') {
      if (depth === 0) start = i + 1;
      depth += 1;
    } else if (!quoted && c === ')') {
      depth -= 1;
      if (depth === 0 && start >= 0) tuples.push(values.slice(start, i));
    }
  }
  return tuples;
}

const INSERT = /insert\s+into\s+[\w."]+\s*\(([^)]*)\)\s*values\s*([\s\S]*?)(?:\bon\s+conflict\b[^;]*)?;/gi;

/** Adds every literal of every `INSERT … VALUES` in the SQL text to the pool, by column name. */
export function addSeedValues(pool: ValuePool, sql: string): void {
  const text = sql.replace(/--[^\n]*/g, '');
  for (const match of text.matchAll(INSERT)) {
    const columns = splitTopLevel(match[1]!).map((c) => c.replaceAll('"', ''));
    for (const tuple of splitTuples(match[2]!)) {
      const values = splitTopLevel(tuple);
      columns.forEach((column, i) => {
        const value = parseLiteral(values[i] ?? '');
        if (value !== undefined) addValue(pool, column, value);
      });
    }
  }
}

/** Adds every scalar of a JSON answer, by its key (items of a list answer included). */
export function addResponseValues(pool: ValuePool, value: unknown, key?: string): void {
  if (Array.isArray(value)) {
    for (const item of value.slice(0, 50)) addResponseValues(pool, item, key);
  } else if (typeof value === 'object' && value !== null) {
    for (const [name, inner] of Object.entries(value)) addResponseValues(pool, inner, name);
  } else if (key !== undefined && (typeof value === 'string' || typeof value === 'number')) {
    addValue(pool, key, value);
  }
}
