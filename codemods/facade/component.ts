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
 * `wasmcloud:postgres/query` values are converted in component-postgres.ts; the Spin variants (SQL over
 * `spin:postgres`, Spin variables as config, logs on `wasi:cli/stdout`) are in component-spin.ts.
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
import { fromPgValue, toPgValue, withAffectedRows, type WitPostgresQuery } from './component-postgres.ts';
import {
  createLineWriter,
  createSpinSqlQuery,
  createSpinVariables,
  type WitSpinPostgres,
  type WitSpinVariables,
  type WitStdout,
} from './component-spin.ts';

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

/** The WIT interfaces a guest imported; pass the modules as imported (`import * as query from '…'`). */
export interface WitImports {
  sql?: WitPostgresQuery;
  /** `spin:postgres/postgres@3.0.0` (Spin), used when `sql` is absent. */
  spinPostgres?: WitSpinPostgres;
  /** `wasi:config/store@0.2.0-draft-2024-09-27` as Spin serves its variables, used when `config` is absent. */
  variables?: WitSpinVariables;
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
      const sent = withAffectedRows(sql);
      const rows = (wit.sql ?? absent('sql', 'wasmcloud:postgres/query')).query(
        sent.sql,
        params.map(toPgValue),
      );
      if (sent.counted) return { rows: [], rowCount: rows.length };
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

function randomU53(bytes: Uint8Array): bigint {
  let n = 0n;
  for (const b of bytes) n = (n << 8n) | BigInt(b);
  return n >> 11n;
}
