/**
 * The facade bound to ordinary Node libraries, so a transformed service still runs in plain Node: pg for sql,
 * nats for messaging, ioredis for kv, global fetch for http, process.env for config, Date, node:crypto, and
 * stdout/stderr for logs.
 *
 * Like capabilities.ts this file is copied into transformed services, so it imports no npm package statically:
 * clients are passed in (`createNodeCapabilities`) or loaded on demand (`connectNodeCapabilities`), and each client
 * is described by the few methods the facade needs.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import {
  CapabilityError,
  createMessage,
  type CapabilityBinding,
  type CapabilityKind,
  type KeyValueBucket,
  type LogLevel,
  type RedisArg,
  type RedisResult,
  type SqlTransaction,
} from './capabilities.ts';
import { createRedisCapability, type RedisBinding } from './redis.ts';

/** A pg `Pool` or `Client`. */
export interface PgQueryable {
  query(text: string, values?: unknown[]): Promise<{ rows: unknown[]; rowCount: number | null }>;
}

/** A pg `PoolClient`: `release(error)` destroys the connection instead of returning it to the pool. */
export interface PgPoolClient extends PgQueryable {
  release(error?: Error | boolean): void;
}

/** A pg `Pool`: a transaction checks out one client with `connect()`. */
export interface PgPool extends PgQueryable {
  connect(): Promise<PgPoolClient>;
  readonly totalCount: number;
}

/** pg's `Pool` has `totalCount`; a `Client` has a `connect()` that connects itself rather than checking one out. */
function isPgPool(sql: PgQueryable): sql is PgPool {
  return 'totalCount' in sql && typeof (sql as Partial<PgPool>).connect === 'function';
}

/** A nats.js `NatsConnection`. */
export interface NatsPublisher {
  publish(subject: string, payload?: Uint8Array | string, options?: { reply?: string }): void;
  subscribe(
    subject: string,
    options?: {
      callback?: (
        error: Error | null,
        message: { subject: string; data: Uint8Array; reply?: string },
      ) => void;
    },
  ): unknown;
}

/** An ioredis client. */
export interface RedisStore {
  getBuffer(key: string): Promise<Buffer | null>;
  set(key: string, value: string | Buffer): Promise<unknown>;
  del(key: string): Promise<number>;
  exists(key: string): Promise<number>;
  scan(cursor: string, matchToken: 'MATCH', pattern: string): Promise<[cursor: string, elements: string[]]>;
  /** Any command, replies as Buffers (for `caps.redis`). */
  callBuffer(command: string, ...args: (string | number | Buffer)[]): Promise<unknown>;
}

export interface NodeClients {
  /** A pg `Pool`; a `Client` works too, but then a transaction takes over that one connection while it runs. */
  sql?: PgQueryable;
  nats?: NatsPublisher;
  redis?: RedisStore;
  /** Configuration source; defaults to `process.env`. */
  env?: NodeJS.ProcessEnv;
  /** Defaults to the global `fetch`. */
  fetch?: typeof fetch;
  /** Where log lines go; defaults to stdout (trace…info) and stderr (warn…critical). */
  writeLog?: (level: LogLevel, line: string) => void;
}

function missing(kind: CapabilityKind, what: string): never {
  throw new CapabilityError(kind, `no ${what} configured for this process`);
}

async function guard<T>(kind: CapabilityKind, work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof CapabilityError) throw error;
    throw new CapabilityError(kind, error instanceof Error ? error.message : String(error), { cause: error });
  }
}

function createRedisBucket(redis: RedisStore | undefined, name: string): KeyValueBucket {
  const client = (): RedisStore => redis ?? missing('kv', 'Redis client (REDIS_URL)');
  const key = (k: string): string => (name === '' ? k : `${name}:${k}`);
  const getBytes = (k: string): Promise<Uint8Array | null> =>
    guard('kv', async () => {
      const value = await client().getBuffer(key(k));
      return value === null ? null : new Uint8Array(value);
    });
  return {
    getBytes,
    get: async (k) => {
      const value = await getBytes(k);
      return value === null ? null : new TextDecoder().decode(value);
    },
    set: (k, value) =>
      guard('kv', async () => {
        await client().set(key(k), typeof value === 'string' ? value : Buffer.from(value));
      }),
    delete: (k) =>
      guard('kv', async () => {
        await client().del(key(k));
      }),
    exists: (k) => guard('kv', async () => (await client().exists(key(k))) > 0),
    listKeys: (cursor) =>
      guard('kv', async () => {
        const [next, keys] = await client().scan(cursor ?? '0', 'MATCH', name === '' ? '*' : `${name}:*`);
        return {
          keys: name === '' ? keys : keys.map((k) => k.slice(name.length + 1)),
          cursor: next === '0' ? undefined : next,
        };
      }),
  };
}

const toRedisArg = (arg: RedisArg): string | number | Buffer =>
  typeof arg === 'bigint' ? arg.toString() : arg instanceof Uint8Array ? Buffer.from(arg) : arg;

/** An ioredis reply as `redis-result`s, nested arrays flattened (as Spin's host does). */
function toRedisResults(reply: unknown, out: RedisResult[] = []): RedisResult[] {
  if (reply === null || reply === undefined) out.push({ tag: 'nil' });
  else if (typeof reply === 'number') out.push({ tag: 'int64', val: BigInt(reply) });
  else if (Buffer.isBuffer(reply)) out.push({ tag: 'binary', val: new Uint8Array(reply) });
  else if (Array.isArray(reply)) for (const item of reply) toRedisResults(item, out);
  else out.push({ tag: 'status', val: typeof reply === 'string' ? reply : JSON.stringify(reply) });
  return out;
}

/** `caps.redis` over ioredis; keys go to Redis exactly as given (no bucket prefix, unlike `caps.kv`). */
function createRedisBinding(redis: RedisStore | undefined): RedisBinding {
  const client = (): RedisStore => redis ?? missing('redis', 'Redis client (REDIS_URL)');
  const run = (command: string, args: RedisArg[]): Promise<unknown> =>
    guard('redis', () => client().callBuffer(command, ...args.map(toRedisArg)));
  const count = async (command: string, args: RedisArg[]): Promise<number> =>
    Number(await run(command, args));
  return {
    get: async (key) => {
      const value = await run('GET', [key]);
      return Buffer.isBuffer(value) ? new Uint8Array(value) : null;
    },
    set: async (key, value) => {
      await run('SET', [key, value]);
    },
    incr: async (key) => BigInt(Number(await run('INCR', [key]))),
    del: (keys) => (keys.length === 0 ? Promise.resolve(0) : count('DEL', keys)),
    sadd: (key, values) => count('SADD', [key, ...values]),
    srem: (key, values) => count('SREM', [key, ...values]),
    smembers: async (key) =>
      ((await run('SMEMBERS', [key])) as Buffer[]).map((member) => member.toString('utf8')),
    publish: async (channel, payload) => {
      await run('PUBLISH', [channel, payload]);
    },
    execute: async (command, args) => toRedisResults(await run(command, args)),
  };
}

const ERROR_LEVELS: ReadonlySet<LogLevel> = new Set(['warn', 'error', 'critical']);

function writeLogLine(level: LogLevel, line: string): void {
  (ERROR_LEVELS.has(level) ? process.stderr : process.stdout).write(`${line}\n`);
}

function createSqlQuery(target: () => PgQueryable): SqlTransaction['query'] {
  return <R>(text: string, params: readonly unknown[] = []) =>
    guard('sql', async () => {
      const result = await target().query(text, [...params]);
      return { rows: result.rows as R[], rowCount: result.rowCount ?? result.rows.length };
    });
}

/**
 * `caps.sql.transaction` over pg: BEGIN, the work and COMMIT or ROLLBACK on one client checked out of the pool,
 * released afterwards (destroyed when ROLLBACK or COMMIT itself failed, as its state is then unknown).
 */
async function runNodeTransaction<T>(
  source: PgQueryable,
  work: (tx: SqlTransaction) => Promise<T>,
): Promise<T> {
  const client = isPgPool(source) ? await guard('sql', () => source.connect()) : source;
  const release = (error?: unknown): void => {
    if (client !== source) (client as PgPoolClient).release(error === undefined ? undefined : true);
  };
  const tx: SqlTransaction = { query: createSqlQuery(() => client) };
  try {
    await tx.query('BEGIN');
  } catch (error) {
    release(error);
    throw error;
  }
  let value: T;
  try {
    value = await work(tx);
  } catch (error) {
    await tx.query('ROLLBACK').then(
      () => release(),
      (rollbackError: unknown) => release(rollbackError),
    );
    throw error;
  }
  try {
    await tx.query('COMMIT');
  } catch (error) {
    release(error);
    throw error;
  }
  release();
  return value;
}

/** Binds the facade to clients the caller created (and owns: closing them is the caller's job). */
export function createNodeCapabilities(clients: NodeClients = {}): CapabilityBinding {
  const env = clients.env ?? process.env;
  const doFetch = clients.fetch ?? globalThis.fetch;
  const writeLog = clients.writeLog ?? writeLogLine;
  const pool = (): PgQueryable => clients.sql ?? missing('sql', 'Postgres pool (DATABASE_URL)');
  return {
    sql: {
      query: createSqlQuery(pool),
      transaction: async (work) => runNodeTransaction(pool(), work),
    },
    messaging: {
      publish(subject, body, replyTo) {
        const nats = clients.nats ?? missing('messaging', 'NATS connection (NATS_URL)');
        try {
          nats.publish(subject, body, replyTo === undefined ? undefined : { reply: replyTo });
        } catch (error) {
          throw new CapabilityError('messaging', error instanceof Error ? error.message : String(error), {
            cause: error,
          });
        }
      },
      subscribe(subject, handler) {
        const nats = clients.nats ?? missing('messaging', 'NATS connection (NATS_URL)');
        nats.subscribe(subject, {
          callback: (error, message) => {
            if (error !== null) {
              writeLog('error', `subscription ${subject} failed: ${error.message}`);
              return;
            }
            Promise.resolve()
              .then(() => handler(createMessage(message.subject, message.data, message.reply || undefined)))
              .catch((cause: unknown) =>
                writeLog(
                  'error',
                  `handler for ${subject} failed: ${cause instanceof Error ? cause.message : String(cause)}`,
                ),
              );
          },
        });
      },
    },
    kv: { ...createRedisBucket(clients.redis, ''), bucket: (name) => createRedisBucket(clients.redis, name) },
    redis: createRedisCapability(createRedisBinding(clients.redis)),
    http: {
      fetch: (input, init) => guard('http', () => doFetch(input, init)),
    },
    config: {
      get: (key) => env[key],
      getAll: () =>
        Object.fromEntries(
          Object.entries(env).filter((entry): entry is [string, string] => entry[1] !== undefined),
        ),
    },
    clock: {
      now: () => {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1_000_000 };
      },
      nowMs: () => Date.now(),
    },
    random: {
      uuid: () => randomUUID(),
      bytes: (length) => new Uint8Array(randomBytes(length)),
      u64: () => randomBytes(8).readBigUInt64LE(),
      float: () => randomBytes(4).readUInt32LE() / 2 ** 32,
    },
    log: {
      log: (level, context, message) => writeLog(level, context === '' ? message : `[${context}] ${message}`),
    },
  };
}

export interface NodeConnectOptions {
  /** Read for DATABASE_URL, NATS_URL and REDIS_URL, and bound as the config store. Defaults to process.env. */
  env?: NodeJS.ProcessEnv;
}

/** A binding with the clients it opened; `close()` ends them. */
export interface NodeConnection {
  binding: CapabilityBinding;
  close(): Promise<void>;
}

// Variable specifiers keep tsc from requiring these packages in services that do not use them.
const PG = 'pg';
const NATS = 'nats';
const IOREDIS = 'ioredis';

/**
 * Opens the clients the environment names (DATABASE_URL, NATS_URL, REDIS_URL) and binds the facade to them; a
 * capability whose variable is unset fails with a CapabilityError when used. This is where connection settings
 * live after the codemod: the service's code no longer knows them, as a component's would not.
 */
export async function connectNodeCapabilities(options: NodeConnectOptions = {}): Promise<NodeConnection> {
  const env = options.env ?? process.env;
  const closers: (() => Promise<unknown>)[] = [];
  const clients: NodeClients = { env };
  try {
    if (env.DATABASE_URL !== undefined) {
      const { default: pg } = (await import(PG)) as {
        default: {
          Pool: new (config: { connectionString: string }) => PgQueryable & { end(): Promise<void> };
        };
      };
      const pool = new pg.Pool({ connectionString: env.DATABASE_URL });
      clients.sql = pool;
      closers.push(() => pool.end());
    }
    if (env.NATS_URL !== undefined) {
      const nats = (await import(NATS)) as {
        connect(options: { servers: string }): Promise<NatsPublisher & { drain(): Promise<void> }>;
      };
      const connection = await nats.connect({ servers: env.NATS_URL });
      clients.nats = connection;
      closers.push(() => connection.drain());
    }
    if (env.REDIS_URL !== undefined) {
      const { Redis } = (await import(IOREDIS)) as {
        Redis: new (url: string) => RedisStore & { quit(): Promise<unknown> };
      };
      const redis = new Redis(env.REDIS_URL);
      clients.redis = redis;
      closers.push(() => redis.quit());
    }
  } catch (error) {
    await Promise.allSettled(closers.map((close) => close()));
    throw error;
  }
  return {
    binding: createNodeCapabilities(clients),
    close: async () => {
      await Promise.allSettled(closers.map((close) => close()));
    },
  };
}
