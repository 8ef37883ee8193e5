/**
 * The Spin side of the component binding (component.ts): SQL over `spin:postgres/postgres@3.0.0` (a connection
 * opened on first use; `db-value`s converted as node-postgres returns them, see `createSpinSqlQuery`), the
 * connection addresses from a ported Spring config, config from Spin variables over
 * `wasi:config/store@0.2.0-draft-2024-09-27` (names mapped to Spin's lower-case `[a-z0-9_]`), and logs as lines on
 * `wasi:cli/stdout`, which Spin keeps as the component's log.
 */
import type { SqlResult, SqlValue } from './capabilities.ts';
import { isInt32 } from './component-postgres.ts';

/** A `db-value` or `parameter-value` as jco represents a variant. */
export interface SpinValue {
  tag: string;
  val?: unknown;
}

/** `row-set` of `spin:postgres/postgres@3.0.0`. */
export interface SpinRowSet {
  columns: { name: string; dataType: string }[];
  rows: SpinValue[][];
}

/** A `spin:postgres/postgres` connection resource. */
export interface SpinPostgresConnection {
  query(statement: string, params: SpinValue[]): SpinRowSet;
  execute(statement: string, params: SpinValue[]): bigint;
}

/** `spin:postgres/postgres@3.0.0`, as imported (`import * as pg from 'spin:postgres/postgres@3.0.0'`). */
export interface WitSpinPostgres {
  Connection: { open(address: string): SpinPostgresConnection };
}

/** `wasi:config/store@0.2.0-draft-2024-09-27`, as Spin serves its variables. */
export interface WitSpinVariables {
  get(key: string): string | undefined;
  getAll(): [string, string][];
}

/** A `wasi:io/streams` output stream: only what writing lines needs. */
export interface WitOutputStream {
  blockingWriteAndFlush(contents: Uint8Array): void;
}

/** `wasi:cli/stdout@0.2.10`. */
export interface WitStdout {
  getStdout(): WitOutputStream;
}

const encoder = new TextEncoder();

/** A facade SQL parameter (not an array: see {@link expandArrayParams}) → a `parameter-value`. */
export function toSpinParameter(value: SqlValue): SpinValue {
  if (value === null || value === undefined) return { tag: 'db-null' };
  if (typeof value === 'string') return { tag: 'str', val: value };
  if (typeof value === 'boolean') return { tag: 'boolean', val: value };
  if (typeof value === 'bigint') return { tag: 'int64', val: value };
  if (typeof value === 'number') {
    if (isInt32(value)) return { tag: 'int32', val: value };
    if (Number.isSafeInteger(value)) return { tag: 'int64', val: BigInt(value) };
    return { tag: 'floating64', val: value };
  }
  if (value instanceof Date) {
    const d = value;
    return {
      tag: 'datetime',
      val: [
        d.getUTCFullYear(),
        d.getUTCMonth() + 1,
        d.getUTCDate(),
        d.getUTCHours(),
        d.getUTCMinutes(),
        d.getUTCSeconds(),
        d.getUTCMilliseconds() * 1_000_000,
      ],
    };
  }
  if (value instanceof Uint8Array) return { tag: 'binary', val: value };
  return { tag: 'str', val: JSON.stringify(value) };
}

/** A `db-value` → the value node-postgres would give for that column. */
export function fromSpinValue(value: SpinValue): unknown {
  const { tag, val } = value;
  switch (tag) {
    case 'db-null':
    case 'unsupported':
      return null;
    case 'int64':
      return String(val);
    case 'date': {
      const [y, m, d] = val as [number, number, number];
      return new Date(Date.UTC(y, m - 1, d));
    }
    case 'time': {
      const [h, min, s, ns] = val as [number, number, number, number];
      const frac = ns === 0 ? '' : `.${String(ns).padStart(9, '0').replace(/0+$/, '')}`;
      return `${[h, min, s].map((n) => String(n).padStart(2, '0')).join(':')}${frac}`;
    }
    case 'datetime': {
      const [y, m, d, h, min, s, ns] = val as [number, number, number, number, number, number, number];
      return new Date(Date.UTC(y, m - 1, d, h, min, s, Math.floor(ns / 1_000_000)));
    }
    case 'timestamp':
      return new Date(Number(val) * 1000);
    default:
      // boolean, int8/16/32, floating32/64, str, binary
      return val;
  }
}

/** The `$n` placeholders of a statement, outside quoted strings, identifiers and comments. */
function findPlaceholders(sql: string): { start: number; end: number; index: number }[] {
  const found: { start: number; end: number; index: number }[] = [];
  let i = 0;
  while (i < sql.length) {
    const ch = sql[i]!;
    if (ch === "'" || ch === '"') {
      const close = sql.indexOf(ch, i + 1);
      i = close === -1 ? sql.length : close + 1;
    } else if (ch === '-' && sql[i + 1] === '-') {
      const close = sql.indexOf('\n', i);
      i = close === -1 ? sql.length : close + 1;
    } else if (ch === '$' && /[0-9]/.test(sql[i + 1] ?? '')) {
      let end = i + 1;
      while (/[0-9]/.test(sql[end] ?? '')) end += 1;
      found.push({ start: i, end, index: Number(sql.slice(i + 1, end)) });
      i = end;
    } else {
      i += 1;
    }
  }
  return found;
}

/**
 * Spreads array parameters over one placeholder per item (`$1` → `ARRAY[$1, $2]`; an empty array → `'{}'`, which
 * Postgres types from its context) and renumbers the rest. Pure; statements without arrays come back unchanged.
 */
export function expandArrayParams(
  sql: string,
  params: readonly SqlValue[],
): { sql: string; params: SqlValue[] } {
  if (!params.some((p) => Array.isArray(p))) return { sql, params: [...params] };
  const flat: SqlValue[] = [];
  const replacement = params.map((param) => {
    if (!Array.isArray(param)) {
      flat.push(param);
      return `$${flat.length}`;
    }
    const items = param as readonly SqlValue[];
    if (items.length === 0) return "'{}'";
    return `ARRAY[${items.map((item) => (flat.push(item), `$${flat.length}`)).join(', ')}]`;
  });
  let out = '';
  let last = 0;
  for (const { start, end, index } of findPlaceholders(sql)) {
    out += sql.slice(last, start) + (replacement[index - 1] ?? sql.slice(start, end));
    last = end;
  }
  return { sql: out + sql.slice(last), params: flat };
}

/** The Postgres type each numeric or date-time `parameter-value` is sent as. */
const PARAMETER_CASTS: Readonly<Record<string, string>> = {
  int32: 'int4',
  int64: 'int8',
  floating64: 'float8',
  datetime: 'timestamp',
};

/**
 * Casts each numeric and date-time placeholder to the type its value is sent as (`id = $1` → `id = $1::int4`).
 * Spin's host (tokio-postgres) refuses a value whose Rust type is not exactly the parameter type Postgres infers
 * (an `int32` for a `bigint` id); with the cast Postgres infers the sent type and converts it itself
 * (`bigint = int4`, an `int4` assigned to a `bigint` column). Strings, booleans and bytes are left to inference.
 */
export function castParameters(sql: string, values: readonly SpinValue[]): string {
  let out = '';
  let last = 0;
  for (const { end, index } of findPlaceholders(sql)) {
    const cast = PARAMETER_CASTS[values[index - 1]?.tag ?? ''];
    if (cast === undefined) continue;
    out += `${sql.slice(last, end)}::${cast}`;
    last = end;
  }
  return out + sql.slice(last);
}

const RETURNS_ROWS = /^\s*(select|with|values|show|table|explain)\b|\breturning\b/i;

/**
 * A Postgres URL (`postgres://user:password@host:port/db?options=-c search_path=schema`) from a ported Spring
 * config: `spring.datasource.url` (`jdbc:postgresql://host:port/db?currentSchema=x`), `.username`, `.password`.
 */
export function toPostgresAddress(config: Readonly<Record<string, string | undefined>>): string {
  const jdbc = config['spring.datasource.url'] ?? 'jdbc:postgresql://127.0.0.1:5432/postgres';
  const url = new URL(jdbc.replace(/^jdbc:/, ''));
  const user = config['spring.datasource.username'];
  const password = config['spring.datasource.password'];
  const auth =
    user === undefined || user === ''
      ? ''
      : `${encodeURIComponent(user)}${password === undefined || password === '' ? '' : `:${encodeURIComponent(password)}`}@`;
  const schema = url.searchParams.get('currentSchema');
  const options =
    schema === null || schema === '' ? '' : `?options=${encodeURIComponent(`-c search_path=${schema}`)}`;
  return `postgres://${auth}${url.hostname}:${url.port || '5432'}${url.pathname}${options}`;
}

/**
 * A Redis URL (`redis://:password@host:port/database`) from a ported Spring config: `spring.data.redis.host`,
 * `.port`, `.password`, `.database`.
 */
export function toRedisAddress(config: Readonly<Record<string, string | undefined>>): string {
  const password = config['spring.data.redis.password'] ?? '';
  const database = config['spring.data.redis.database'] ?? '0';
  const auth = password === '' ? '' : `:${encodeURIComponent(password)}@`;
  const host = config['spring.data.redis.host'] ?? '127.0.0.1';
  const port = config['spring.data.redis.port'] ?? '6379';
  return `redis://${auth}${host}:${port}${database === '0' ? '' : `/${database}`}`;
}

/** `caps.sql.query` over one lazily opened `spin:postgres` connection. */
export function createSpinSqlQuery(
  spin: WitSpinPostgres,
  address: () => string,
): <R>(sql: string, params?: readonly SqlValue[]) => SqlResult<R> {
  let connection: SpinPostgresConnection | undefined;
  return <R>(statement: string, params: readonly SqlValue[] = []): SqlResult<R> => {
    connection ??= spin.Connection.open(address());
    const expanded = expandArrayParams(statement, params);
    const values = expanded.params.map(toSpinParameter);
    const sql = castParameters(expanded.sql, values);
    if (!RETURNS_ROWS.test(sql)) {
      const count = connection.execute(sql, values);
      return { rows: [], rowCount: Number(count) };
    }
    const set = connection.query(sql, values);
    const rows = set.rows.map((row) => {
      const object: Record<string, unknown> = {};
      set.columns.forEach((column, i) => {
        object[column.name] = fromSpinValue(row[i] ?? { tag: 'db-null' });
      });
      return object as R;
    });
    return { rows, rowCount: rows.length };
  };
}

/**
 * Spin variables behind the config facade. Spin names are lower-case `[a-z0-9_]`: `LOG_LEVEL` and
 * `spring.datasource.url` are read as `log_level` and `spring_datasource_url`; a name that cannot be one reads as
 * unset.
 */
export function createSpinVariables(store: WitSpinVariables): WitSpinVariables {
  return {
    get: (key) => {
      const name = key.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      return /^[a-z][a-z0-9_]*$/.test(name) ? store.get(name) : undefined;
    },
    getAll: () => store.getAll(),
  };
}

/** Writes whole lines to a stream, in chunks `blocking-write-and-flush` accepts (at most 4096 bytes). */
export function createLineWriter(open: () => WitOutputStream): (line: string) => void {
  let stream: WitOutputStream | undefined;
  return (line) => {
    try {
      // Got on first use: no WIT import may be called while the component is initialised (Wizer).
      stream ??= open();
      const bytes = encoder.encode(`${line}\n`);
      for (let at = 0; at < bytes.length; at += 4096)
        stream.blockingWriteAndFlush(bytes.subarray(at, at + 4096));
    } catch {
      // A log line that cannot be written is dropped: logging must not fail the request.
    }
  };
}
