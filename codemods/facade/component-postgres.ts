/**
 * `wasmcloud:postgres/query` values for the component binding (component.ts). Postgres values are converted as the
 * host converts them (bridge/host/pg-values.ts), in the other direction: parameters become `pg-value` variants,
 * results become what node-postgres returns (int8 and numeric as strings, json parsed, bytea as bytes) so code
 * written against pg reads rows the same way.
 */
import type { SqlValue } from './capabilities.ts';

/**
 * `wasmcloud:postgres/query` returns rows and no affected-row count, so an INSERT, UPDATE or DELETE without a
 * RETURNING clause is sent with `RETURNING 1`: Postgres then returns one row per row the statement inserted,
 * updated or deleted (an `ON CONFLICT DO NOTHING` that skipped returns none), and their number is the rowCount
 * node-postgres would report. The rows themselves are not given back: the code did not ask for any.
 * Anything else (a SELECT, a statement with its own RETURNING, `WITH … INSERT`, DDL) is sent as it is.
 */
export function withAffectedRows(sql: string): { sql: string; counted: boolean } {
  if (!/^\s*(insert|update|delete)\b/i.test(sql) || /\breturning\b/i.test(sql))
    return { sql, counted: false };
  // On its own line: a trailing `-- comment` would otherwise swallow it.
  return { sql: `${sql.replace(/;\s*$/, '')}\nRETURNING 1`, counted: true };
}

/** A `pg-value` as jco represents a variant. */
export interface PgValue {
  tag: string;
  val?: unknown;
}

/** `wasmcloud:postgres/query@0.1.1-draft`. */
export interface WitPostgresQuery {
  query(sql: string, params: PgValue[]): { columnName: string; value: PgValue }[][];
}

/** `hashable-f64` (mantissa, exponent, sign), as bridge/host/pg-values.ts decodes it. */
export function toHashable(value: number): [bigint, number, number] {
  if (value === 0) return [0n, 0, 1];
  const sign = value < 0 ? -1 : 1;
  let exponent = Math.floor(Math.log2(Math.abs(value))) - 52;
  let mantissa = Math.abs(value) / 2 ** exponent;
  while (!Number.isInteger(mantissa)) {
    exponent -= 1;
    mantissa *= 2;
  }
  return [BigInt(mantissa), exponent, sign];
}

function fromHashable(value: unknown): number {
  const [mantissa, exponent, sign] = value as [bigint, number, number];
  return sign * Number(mantissa) * 2 ** exponent;
}

/** True for a number Postgres takes as an `int4`. */
export const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

/** A facade SQL parameter → a `pg-value` the host accepts (see `toPgParam` in bridge/host/pg-values.ts). */
export function toPgValue(value: SqlValue): PgValue {
  if (value === null || value === undefined) return { tag: 'null' };
  if (typeof value === 'string') return { tag: 'text', val: value };
  if (typeof value === 'boolean') return { tag: 'bool', val: value };
  if (typeof value === 'bigint') return { tag: 'int8', val: value };
  if (typeof value === 'number') {
    if (isInt32(value)) return { tag: 'int4', val: value };
    if (Number.isSafeInteger(value)) return { tag: 'int8', val: BigInt(value) };
    return { tag: 'float8', val: toHashable(value) };
  }
  if (value instanceof Date) return { tag: 'text', val: value.toISOString() };
  if (value instanceof Uint8Array) return { tag: 'bytea', val: value };
  if (Array.isArray(value)) {
    const items = value as readonly SqlValue[];
    if (items.every((v) => typeof v === 'string')) return { tag: 'text-array', val: items };
    if (items.every((v) => typeof v === 'boolean')) return { tag: 'bool-array', val: items };
    if (items.every((v) => typeof v === 'number' && isInt32(v))) return { tag: 'int4-array', val: items };
    if (items.every((v) => typeof v === 'bigint' || (typeof v === 'number' && Number.isSafeInteger(v))))
      return { tag: 'int8-array', val: items.map((v) => BigInt(v as number | bigint)) };
  }
  return { tag: 'jsonb', val: JSON.stringify(value) };
}

/** A result `pg-value` → the value node-postgres would give for that column. */
export function fromPgValue(value: PgValue): unknown {
  const { tag, val } = value;
  switch (tag) {
    case 'null':
      return null;
    case 'int8':
    case 'big-int':
    case 'big-serial':
    case 'serial8':
      return String(val);
    case 'float8':
    case 'float4':
    case 'double':
    case 'real':
      return fromHashable(val);
    case 'json':
    case 'jsonb':
      return JSON.parse(val as string) as unknown;
    case 'bytea':
      return val;
    default:
      return val;
  }
}
