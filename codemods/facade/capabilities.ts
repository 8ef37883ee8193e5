/**
 * The typed capability facade: what a migrated service calls instead of pg, nats, ioredis, fetch, process.env,
 * Date, crypto and console. Each capability mirrors one WIT interface of the catalog (shared/catalog.ts), so the
 * same code runs in plain Node (bound by `node.ts` to the real libraries) and as a component (bound to the WIT
 * imports by `component.ts`).
 *
 * This file is self-contained on purpose (no imports): `migrate codemod` copies it into the service it transforms,
 * and the transformed code imports `caps` from that copy.
 *
 * Errors: a WIT capability returns `result<_, error>` and never throws across the boundary. On the TypeScript side
 * an `err` becomes a thrown (or rejected) `CapabilityError`, so ordinary `try/catch` code keeps working.
 */

/** The capability families, one per WIT interface. */
export type CapabilityKind =
  'sql' | 'messaging' | 'kv' | 'redis' | 'http' | 'config' | 'clock' | 'random' | 'log';

/** A capability's `result` error, thrown on the TypeScript side. `reason` is the WIT error text. */
export class CapabilityError extends Error {
  readonly kind: CapabilityKind;
  readonly reason: string;

  constructor(kind: CapabilityKind, reason: string, options?: { cause?: unknown }) {
    super(`${kind} capability failed: ${reason}`, options);
    this.name = 'CapabilityError';
    this.kind = kind;
    this.reason = reason;
  }
}

/** A value a SQL parameter may hold (wasmcloud:postgres `pg-value`; objects and arrays go as JSON). */
export type SqlValue =
  | string
  | number
  | bigint
  | boolean
  | null
  | undefined
  | Date
  | Uint8Array
  | readonly SqlValue[]
  | { readonly [key: string]: unknown };

/** Rows of a query; shaped like pg's `QueryResult` so `.rows` code keeps working. */
export interface SqlResult<R> {
  rows: R[];
  /** Rows returned or affected. */
  rowCount: number;
}

/** The queries of one transaction: all of them run in the transaction's database session. */
export interface SqlTransaction {
  query<R = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<SqlResult<R>>;
}

/** `wasmcloud:postgres/query`: `query(sql, params) -> result<list<result-row>, query-error>`. */
export interface SqlCapability {
  query<R = Record<string, unknown>>(sql: string, params?: readonly SqlValue[]): Promise<SqlResult<R>>;
  /**
   * Runs `work` in one transaction: `BEGIN`, then `COMMIT` when `work` resolves (its value is returned), or
   * `ROLLBACK` and the rejection rethrown when it rejects. Query through `tx`, not `caps.sql.query`: in Node a
   * transaction holds one pooled connection of its own. A component has only `query` in its WIT, so the binding
   * sends BEGIN/COMMIT/ROLLBACK as statements and relies on the host keeping one session per instance (the
   * embedded host does; a wasmCloud postgres provider does not promise it). Nested transactions are not supported.
   */
  transaction<T>(work: (tx: SqlTransaction) => Promise<T>): Promise<T>;
}

/** `wasmcloud:messaging` `broker-message`, with `data` named as nats.js names it. */
export interface Message {
  subject: string;
  data: Uint8Array;
  replyTo?: string;
  /** The body as UTF-8 text. */
  string(): string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

export type MessageHandler = (message: Message) => void | Promise<void>;

/**
 * `wasmcloud:messaging/consumer` (publish) and `wasmcloud:messaging/handler` (subscribe). In a component the host
 * owns subscriptions and calls the exported handler; `subscribe` registers which function handles a subject.
 */
export interface MessagingCapability {
  publish(subject: string, body: Uint8Array | string, replyTo?: string): void;
  subscribe(subject: string, handler: MessageHandler): void;
}

/** One `wasi:keyvalue/store` bucket. Values are UTF-8 text unless read with `getBytes`. */
export interface KeyValueBucket {
  get(key: string): Promise<string | null>;
  getBytes(key: string): Promise<Uint8Array | null>;
  set(key: string, value: string | Uint8Array): Promise<void>;
  delete(key: string): Promise<void>;
  exists(key: string): Promise<boolean>;
  /** One page of keys; pass the returned cursor for the next page. */
  listKeys(cursor?: string): Promise<{ keys: string[]; cursor: string | undefined }>;
}

/** `wasi:keyvalue/store`: the default bucket, and `bucket(name)` for others (`open(identifier)`). */
export interface KeyValueCapability extends KeyValueBucket {
  bucket(name: string): KeyValueBucket;
}

/** A Redis command argument: text, an integer, or raw bytes. */
export type RedisArg = string | number | bigint | Uint8Array;

/** One value of a reply to `execute`, as `fermyon:spin/redis` `redis-result` has it (arrays come flattened). */
export type RedisResult =
  | { tag: 'nil' }
  | { tag: 'status'; val: string }
  | { tag: 'int64'; val: bigint }
  | { tag: 'binary'; val: Uint8Array };

/**
 * One command of an `atomic` group: its name, the one key it touches (every argument after the name's first is
 * not a key), and the rest of its arguments; a record stands for its field/value pairs (`hset`).
 */
export type RedisCommand = readonly [
  command: string,
  key: string,
  ...args: (RedisArg | readonly RedisArg[] | Readonly<Record<string, RedisArg>>)[],
];

/**
 * `fermyon:spin/redis@2.0.0`: a connection to the Redis the host (or Spin's `allowed_outbound_hosts`) allows, with
 * Redis data structures `wasi:keyvalue` lacks. Methods take and return what ioredis's methods of the same name do,
 * so `redis.hgetall(k)` becomes `caps.redis.hgetall(k)`; the typed ones not in the WIT interface go through
 * `execute`. `atomic` replaces `multi()…exec()`: one EVAL of a small Lua script, in Node as in a component (a
 * host's connection is shared, so MULTI cannot span calls). Nothing else runs in between; a command that fails
 * stops the script, and what ran before it stays (EXEC would also run the commands after it).
 */
export interface RedisCapability {
  get(key: string): Promise<string | null>;
  getBuffer(key: string): Promise<Uint8Array | null>;
  set(key: string, value: string | number | Uint8Array): Promise<'OK'>;
  incr(key: string): Promise<number>;
  /** Keys removed. */
  del(...keys: (string | readonly string[])[]): Promise<number>;
  /** Members added. */
  sadd(key: string, ...members: (RedisArg | readonly RedisArg[])[]): Promise<number>;
  /** Members removed. */
  srem(key: string, ...members: (RedisArg | readonly RedisArg[])[]): Promise<number>;
  smembers(key: string): Promise<string[]>;
  scard(key: string): Promise<number>;
  /** How many of the keys exist, as Redis EXISTS counts them. */
  exists(...keys: (string | readonly string[])[]): Promise<number>;
  /** `hset(key, { field: value })` or `hset(key, field, value, …)`; fields added. */
  hset(key: string, ...fields: (RedisArg | Readonly<Record<string, RedisArg>>)[]): Promise<number>;
  hget(key: string, field: string): Promise<string | null>;
  /** Every field and value; `{}` when the key does not exist. */
  hgetall(key: string): Promise<Record<string, string>>;
  /**
   * `hgetall` of every key, in one round trip (one EVAL, so no write lands between two of them); `{}` for a key
   * that does not exist. What `Promise.all(keys.map((k) => redis.hgetall(k)))` answers with ioredis.
   */
  hgetallMany(keys: readonly string[]): Promise<Record<string, string>[]>;
  /** Fields removed. */
  hdel(key: string, ...fields: string[]): Promise<number>;
  publish(channel: string, message: string | Uint8Array): Promise<void>;
  /** Runs the commands in order, as one EVAL: no other client's command runs in between. */
  atomic(commands: readonly RedisCommand[]): Promise<void>;
  /**
   * Any other command. Array replies come flattened. Spin answers status replies (`OK`, `hash`) as `status`; the
   * Node binding and migrate's host (both ioredis) as `binary`: compare their text, not their tag.
   */
  execute(command: string, ...args: RedisArg[]): Promise<RedisResult[]>;
}

/** `wasi:http/outgoing-handler`, with the `fetch` signature. HTTP error statuses are responses, not errors. */
export interface HttpCapability {
  fetch(input: string | URL, init?: RequestInit): Promise<Response>;
}

/** `wasi:config/store`: `get(key) -> result<option<string>>`, `get-all`. */
export interface ConfigCapability {
  get(key: string): string | undefined;
  getAll(): Record<string, string>;
}

/** `wasi:clocks/wall-clock` `datetime`. */
export interface Datetime {
  seconds: bigint;
  nanoseconds: number;
}

/** `wasi:clocks/wall-clock`: `now()`, and milliseconds since the epoch as `Date.now()` gives them. */
export interface ClockCapability {
  now(): Datetime;
  nowMs(): number;
}

/** `wasi:random/random`. */
export interface RandomCapability {
  /** A random (version 4) UUID, as `crypto.randomUUID()`. */
  uuid(): string;
  bytes(length: number): Uint8Array;
  u64(): bigint;
  /** A float in [0, 1), as `Math.random()`. */
  float(): number;
}

export type LogLevel = 'trace' | 'debug' | 'info' | 'warn' | 'error' | 'critical';

/** `wasi:logging/logging`: `log(level, context, message)`, plus console-style shortcuts. */
export interface LogCapability {
  log(level: LogLevel, context: string, message: string): void;
  trace(...args: unknown[]): void;
  debug(...args: unknown[]): void;
  info(...args: unknown[]): void;
  warn(...args: unknown[]): void;
  error(...args: unknown[]): void;
}

export interface Capabilities {
  sql: SqlCapability;
  messaging: MessagingCapability;
  kv: KeyValueCapability;
  redis: RedisCapability;
  http: HttpCapability;
  config: ConfigCapability;
  clock: ClockCapability;
  random: RandomCapability;
  log: LogCapability;
}

/** What a binding provides: everything but the log shortcuts, which are built here from `log`. */
export type CapabilityBinding = Omit<Capabilities, 'log'> & { log: Pick<LogCapability, 'log'> };

let bound: CapabilityBinding | undefined;

/** Binds the facade to an implementation (Node libraries, or WIT imports). Call once at start-up. */
export function bindCapabilities(binding: CapabilityBinding): void {
  bound = binding;
}

function current(kind: CapabilityKind): CapabilityBinding {
  if (bound === undefined) {
    throw new CapabilityError(kind, 'capabilities are not bound: call bindCapabilities() at start-up');
  }
  return bound;
}

/** Formats console-style arguments into one line (strings as they are, the rest as JSON). */
export function formatLogArgs(args: readonly unknown[]): string {
  return args
    .map((arg) => {
      if (typeof arg === 'string') return arg;
      if (arg instanceof Error) return arg.stack ?? `${arg.name}: ${arg.message}`;
      try {
        return JSON.stringify(arg) ?? String(arg);
      } catch {
        return String(arg);
      }
    })
    .join(' ');
}

const logAt =
  (level: LogLevel) =>
  (...args: unknown[]): void =>
    current('log').log.log(level, '', formatLogArgs(args));

/** The facade the transformed code calls; it forwards to whatever `bindCapabilities` bound. */
export const caps: Capabilities = {
  get sql() {
    return current('sql').sql;
  },
  get messaging() {
    return current('messaging').messaging;
  },
  get kv() {
    return current('kv').kv;
  },
  get redis() {
    return current('redis').redis;
  },
  get http() {
    return current('http').http;
  },
  get config() {
    return current('config').config;
  },
  get clock() {
    return current('clock').clock;
  },
  get random() {
    return current('random').random;
  },
  log: {
    log: (level, context, message) => current('log').log.log(level, context, message),
    trace: logAt('trace'),
    debug: logAt('debug'),
    info: logAt('info'),
    warn: logAt('warn'),
    error: logAt('error'),
  },
};

/** Drop-in for nats.js `JSONCodec()`: the codemod points that import here so nats is not needed at run time. */
export function JSONCodec<T = unknown>(): { encode(value: T): Uint8Array; decode(data: Uint8Array): T } {
  return {
    encode: (value) => new TextEncoder().encode(JSON.stringify(value)),
    decode: (data) => JSON.parse(new TextDecoder().decode(data)) as T,
  };
}

/** Drop-in for nats.js `StringCodec()`. */
export function StringCodec(): { encode(value: string): Uint8Array; decode(data: Uint8Array): string } {
  return {
    encode: (value) => new TextEncoder().encode(value),
    decode: (data) => new TextDecoder().decode(data),
  };
}

/** Builds a `Message` from a subject and body, for bindings. */
export function createMessage(subject: string, data: Uint8Array, replyTo?: string): Message {
  return {
    subject,
    data,
    ...(replyTo === undefined ? {} : { replyTo }),
    string: () => new TextDecoder().decode(data),
    json: <T>() => JSON.parse(new TextDecoder().decode(data)) as T,
  };
}
