/**
 * The facade bound to WIT imports, for a service built as a WebAssembly component. The WIT calls are synchronous
 * (the host blocks on the real backend); the facade's Promise-returning methods return already-settled promises,
 * so `await caps.sql.query(…)` code runs unchanged. A WIT `result` error (jco throws a `ComponentError` whose
 * `payload` is the error variant) becomes a `CapabilityError`.
 *
 * This file imports no WIT interface itself: the guest entry imports the interfaces its world has and passes them
 * to `createComponentCapabilities`, so a component imports only what it uses. A capability that was not passed
 * rejects with a `CapabilityError` (config reads as empty; logs are dropped). Outgoing HTTP is in
 * component-fetch.ts, subscriptions and the messaging handler export in component-messaging.ts.
 *
 * Postgres values are converted as the host converts them (bridge/host/pg-values.ts), in the other direction:
 * parameters become `pg-value` variants, results become what node-postgres returns (int8 and numeric as strings,
 * json parsed, bytea as bytes) so code written against pg reads rows the same way.
 *
 * For Spin, the binding takes Spin's shapes instead: SQL over `spin:postgres/postgres@3.0.0` (a connection opened on
 * first use; `db-value`s converted the same way, see `createSpinSqlQuery`), config from Spin variables over
 * `wasi:config/store@0.2.0-draft-2024-09-27` (names mapped to Spin's lower-case `[a-z0-9_]`), and logs as lines on
 * `wasi:cli/stdout`, which Spin keeps as the component's log.
 */
import {
  CapabilityError,
  type CapabilityBinding,
  type CapabilityKind,
  type KeyValueBucket,
  type LogLevel,
  type SqlCapability,
  type SqlResult,
  type SqlTransaction,
  type SqlValue,
} from './capabilities.ts';
import { createRedisCapability, createWitRedisBinding, type WitRedis } from './redis.ts';
import { createComponentFetch, type WitHttpTypes, type WitOutgoingHandler } from './component-fetch.ts';
import { addSubscription } from './component-messaging.ts';

/** A `pg-value` as jco represents a variant. */
export interface PgValue {
  tag: string;
  val?: unknown;
}

/** `wasmcloud:postgres/query@0.1.1-draft`. */
export interface WitPostgresQuery {
  query(sql: string, params: PgValue[]): { columnName: string; value: PgValue }[][];
}

/** A `wasi:keyvalue/store@0.2.0-draft` bucket resource. */
export interface WitBucket {
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  delete(key: string): void;
  exists(key: string): boolean;
  listKeys(cursor?: string): { keys: string[]; cursor?: string | undefined };
}

/** `wasi:keyvalue/store@0.2.0-draft`. */
export interface WitKeyValueStore {
  open(identifier: string): WitBucket;
}

/** `wasi:config/store@0.2.0-draft`. */
export interface WitConfigStore {
  get(key: string): string | undefined;
  getAll(): [string, string][];
}

/** `wasmcloud:messaging/consumer@0.2.0`. */
export interface WitMessagingConsumer {
  publish(message: { subject: string; body: Uint8Array; replyTo?: string | undefined }): void;
}

/** `wasi:clocks/wall-clock@0.2.10`. */
export interface WitWallClock {
  now(): { seconds: bigint; nanoseconds: number };
}

/** `wasi:random/random@0.2.10`. */
export interface WitRandom {
  getRandomBytes(length: bigint): Uint8Array;
  getRandomU64(): bigint;
}

/** `wasi:logging/logging@0.1.0-draft`. */
export interface WitLogging {
  log(level: LogLevel, context: string, message: string): void;
}

/** A `wasi:io/streams` output stream: only what writing lines needs. */
export interface WitOutputStream {
  blockingWriteAndFlush(contents: Uint8Array): void;
}

/** `wasi:cli/stdout@0.2.10`. */
export interface WitStdout {
  getStdout(): WitOutputStream;
}

/** The WIT interfaces a guest imported; pass the modules as imported (`import * as query from '…'`). */
export interface WitImports {
  sql?: WitPostgresQuery;
  /** `spin:postgres/postgres@3.0.0` (Spin), used when `sql` is absent. */
  spinPostgres?: WitSpinPostgres;
  /** `wasi:config/store@0.2.0-draft-2024-09-27` as Spin serves its variables, used when `config` is absent. */
  variables?: WitConfigStore;
  /** `wasi:cli/stdout` (Spin keeps it as the component's log), used for `caps.log` when `log` is absent. */
  stdout?: WitStdout;
  kv?: WitKeyValueStore;
  redis?: WitRedis;
  config?: WitConfigStore;
  messaging?: WitMessagingConsumer;
  clock?: WitWallClock;
  random?: WitRandom;
  log?: WitLogging;
  /** `wasi:http/outgoing-handler@0.2.10`, with `httpTypes` for `caps.http.fetch`. */
  outgoingHandler?: WitOutgoingHandler;
  /** `wasi:http/types@0.2.10`. */
  httpTypes?: WitHttpTypes;
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** The text of a WIT error: jco's `ComponentError.payload` is the error variant `{ tag, val }`. */
export function witErrorReason(error: unknown): string {
  const payload = (error as { payload?: unknown } | null)?.payload;
  if (payload !== undefined && payload !== null && typeof payload === 'object') {
    const { tag, val } = payload as { tag?: unknown; val?: unknown };
    if (typeof tag === 'string')
      return val === undefined ? tag : `${tag}: ${typeof val === 'string' ? val : JSON.stringify(val)}`;
  }
  if (typeof payload === 'string') return payload;
  return error instanceof Error ? error.message : String(error);
}

function call<T>(kind: CapabilityKind, work: () => T): T {
  try {
    return work();
  } catch (error) {
    if (error instanceof CapabilityError) throw error;
    throw new CapabilityError(kind, witErrorReason(error), { cause: error });
  }
}

/** Runs a synchronous WIT call and returns its outcome as a settled promise. */
function settle<T>(kind: CapabilityKind, work: () => T): Promise<T> {
  try {
    return Promise.resolve(call(kind, work));
  } catch (error) {
    return Promise.reject(error instanceof Error ? error : new Error(String(error)));
  }
}

function absent(kind: CapabilityKind, iface: string): never {
  throw new CapabilityError(kind, `this component does not import ${iface}`);
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

const isInt32 = (n: number): boolean => Number.isInteger(n) && n >= -2147483648 && n <= 2147483647;

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

// --- spin:postgres/postgres@3.0.0 (Spin's outbound Postgres) ---

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

function bucketOf(kv: WitKeyValueStore | undefined, name: string): KeyValueBucket {
  let opened: WitBucket | undefined;
  const bucket = (): WitBucket => {
    opened ??= (kv ?? absent('kv', 'wasi:keyvalue/store')).open(name);
    return opened;
  };
  const getBytes = (key: string): Promise<Uint8Array | null> => settle('kv', () => bucket().get(key) ?? null);
  return {
    getBytes,
    get: (key) =>
      settle('kv', () => {
        const bytes = bucket().get(key);
        return bytes === undefined || bytes === null ? null : decoder.decode(bytes);
      }),
    set: (key, value) =>
      settle('kv', () => bucket().set(key, typeof value === 'string' ? encoder.encode(value) : value)),
    delete: (key) => settle('kv', () => bucket().delete(key)),
    exists: (key) => settle('kv', () => bucket().exists(key)),
    listKeys: (cursor) =>
      settle('kv', () => {
        const page = bucket().listKeys(cursor);
        return { keys: page.keys, cursor: page.cursor ?? undefined };
      }),
  };
}

/**
 * `caps.sql.transaction` over `wasmcloud:postgres/query`, which has no transaction calls: BEGIN, COMMIT and
 * ROLLBACK go as statements, so the transaction holds only if the host runs an instance's statements between
 * BEGIN and COMMIT in one database session. The embedded host (bridge/host) pins one connection per instance
 * for that, and rolls back a transaction still open when the invocation ends; a wasmCloud postgres provider
 * makes no such promise (it may run each statement on any pooled connection). Transactions of one instance run
 * one after another: a second one waits for the first to end, as there is only one session (so a transaction
 * started inside another's `work` never starts).
 */
function createComponentTransaction(query: SqlTransaction['query']): SqlCapability['transaction'] {
  let tail: Promise<unknown> = Promise.resolve();
  const run = async <T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> => {
    await query('BEGIN');
    let value: T;
    try {
      value = await work({ query });
    } catch (error) {
      // If ROLLBACK fails too, the host rolls back when the invocation ends; the work's error is the one to see.
      await query('ROLLBACK').catch(() => undefined);
      throw error;
    }
    await query('COMMIT');
    return value;
  };
  return <T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T> => {
    const result = tail.then(() => run(work));
    tail = result.catch(() => undefined);
    return result;
  };
}

/** Binds the facade to the WIT imports a guest passes; give the result to `bindCapabilities`. */
export function createComponentCapabilities(
  wit: WitImports,
  options: {
    bucket?: string;
    /**
     * The address `caps.redis` opens. A string is used as is; otherwise the config key `redis_address` (a Spin
     * variable), else this function's address (the generated component-bind.ts passes the ported
     * `spring.data.redis.*` on Spin, see `toRedisAddress`), else `''`, which migrate's host reads as "the Redis
     * backend it is configured with".
     */
    redisAddress?: string | (() => string);
    /**
     * The address a `spin:postgres` connection opens when the Spin variable `db_url` is not set; the generated
     * component-bind.ts passes the ported service's `spring.datasource.*` as a URL (see `toPostgresAddress`).
     */
    sqlAddress?: () => string;
  } = {},
): CapabilityBinding {
  const config = wit.config ?? (wit.variables === undefined ? undefined : createSpinVariables(wit.variables));
  const writeLine = wit.stdout === undefined ? undefined : createLineWriter(() => wit.stdout!.getStdout());
  const spinQuery =
    wit.spinPostgres === undefined
      ? undefined
      : createSpinSqlQuery(wit.spinPostgres, () => {
          const address = config?.get('db_url') ?? options.sqlAddress?.();
          if (address === undefined || address === '') {
            throw new CapabilityError('sql', 'no Postgres address: set the Spin variable db_url');
          }
          return address;
        });
  const defaultBucket = bucketOf(wit.kv, options.bucket ?? 'default');
  const buckets = new Map<string, KeyValueBucket>();
  const randomBytes = (length: number): Uint8Array =>
    call('random', () =>
      (wit.random ?? absent('random', 'wasi:random/random')).getRandomBytes(BigInt(length)),
    );
  const query = <R>(sql: string, params: readonly SqlValue[] = []): Promise<SqlResult<R>> =>
    settle('sql', () => {
      if (wit.sql === undefined && spinQuery !== undefined) return spinQuery<R>(sql, params);
      const rows = (wit.sql ?? absent('sql', 'wasmcloud:postgres/query')).query(sql, params.map(toPgValue));
      const objects = rows.map((row) => {
        const object: Record<string, unknown> = {};
        for (const entry of row) object[entry.columnName] = fromPgValue(entry.value);
        return object as R;
      });
      return { rows: objects, rowCount: objects.length };
    });
  return {
    sql: { query, transaction: createComponentTransaction(query) },
    messaging: {
      publish: (subject, body, replyTo) =>
        call('messaging', () =>
          (wit.messaging ?? absent('messaging', 'wasmcloud:messaging/consumer')).publish({
            subject,
            body: typeof body === 'string' ? encoder.encode(body) : body,
            ...(replyTo === undefined ? {} : { replyTo }),
          }),
        ),
      // The host owns subscriptions (component config `subscriptions`); the exported handler (see
      // component-messaging.ts) hands each message to the handlers recorded here.
      subscribe: addSubscription,
    },
    kv: {
      ...defaultBucket,
      bucket: (name) => {
        let bucket = buckets.get(name);
        if (bucket === undefined) {
          bucket = bucketOf(wit.kv, name);
          buckets.set(name, bucket);
        }
        return bucket;
      },
    },
    redis: createRedisCapability(
      createWitRedisBinding(
        wit.redis,
        () =>
          typeof options.redisAddress === 'string'
            ? options.redisAddress
            : (config?.get('redis_address') ?? options.redisAddress?.() ?? ''),
        settle,
      ),
    ),
    http: { fetch: createComponentFetch(wit.outgoingHandler, wit.httpTypes) },
    config: {
      get: (key) => (config === undefined ? undefined : call('config', () => config.get(key) ?? undefined)),
      getAll: () => (config === undefined ? {} : Object.fromEntries(call('config', () => config.getAll()))),
    },
    clock: {
      now: () => call('clock', () => (wit.clock ?? absent('clock', 'wasi:clocks/wall-clock')).now()),
      nowMs: () =>
        call('clock', () => {
          const { seconds, nanoseconds } = (wit.clock ?? absent('clock', 'wasi:clocks/wall-clock')).now();
          return Number(seconds) * 1000 + Math.floor(nanoseconds / 1e6);
        }),
    },
    random: {
      bytes: randomBytes,
      u64: () => call('random', () => (wit.random ?? absent('random', 'wasi:random/random')).getRandomU64()),
      float: () => Number(randomU53(randomBytes(8))) / 2 ** 53,
      uuid: () => {
        const b = randomBytes(16);
        b[6] = (b[6]! & 0x0f) | 0x40;
        b[8] = (b[8]! & 0x3f) | 0x80;
        const hex = [...b].map((x) => x.toString(16).padStart(2, '0')).join('');
        return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
      },
    },
    log: {
      log: (level, context, message) => {
        if (wit.log !== undefined) call('log', () => wit.log!.log(level, context, message));
        else if (writeLine !== undefined) {
          writeLine(`${level.toUpperCase()} ${context === '' ? '' : `${context}: `}${message}`);
        }
      },
    },
  };
}

/**
 * Spin variables behind the config facade. Spin names are lower-case `[a-z0-9_]`: `LOG_LEVEL` and
 * `spring.datasource.url` are read as `log_level` and `spring_datasource_url`; a name that cannot be one reads as
 * unset.
 */
export function createSpinVariables(store: WitConfigStore): WitConfigStore {
  return {
    get: (key) => {
      const name = key.toLowerCase().replace(/[^a-z0-9_]/g, '_');
      return /^[a-z][a-z0-9_]*$/.test(name) ? store.get(name) : undefined;
    },
    getAll: () => store.getAll(),
  };
}

/** Writes whole lines to a stream, in chunks `blocking-write-and-flush` accepts (at most 4096 bytes). */
function createLineWriter(open: () => WitOutputStream): (line: string) => void {
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

function randomU53(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n >> 11n;
}

/** Adds `DB_HOST` for a lower-case `db_host` (Spin variables are lower-case; ported code reads env in upper case). */
function withUpperCaseNames(values: Record<string, string>): Record<string, string> {
  const env = { ...values };
  for (const [key, value] of Object.entries(values)) {
    if (/^[a-z][a-z0-9_]*$/.test(key)) env[key.toUpperCase()] ??= value;
  }
  return env;
}

/**
 * Code ported from Node may still reach for `process` (`process.env`, `process.stderr.write`); a component has
 * none. Installs a minimal one over the binding: env from config, stdout/stderr lines to the log capability.
 */
export function installProcessShim(binding: CapabilityBinding): void {
  const global = globalThis as { process?: unknown };
  if (global.process !== undefined) return;
  const writer = (level: LogLevel) => ({
    write: (chunk: string | Uint8Array): boolean => {
      const text = typeof chunk === 'string' ? chunk : decoder.decode(chunk);
      binding.log.log(level, '', text.replace(/\n$/, ''));
      return true;
    },
  });
  let env: Record<string, string> | undefined;
  global.process = {
    // Read on first use: no WIT import may be called while the component is initialised (Wizer).
    get env(): Record<string, string> {
      env ??= withUpperCaseNames(binding.config.getAll());
      return env;
    },
    stdout: writer('info'),
    stderr: writer('info'),
  };
}
