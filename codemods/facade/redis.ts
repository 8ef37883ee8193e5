/**
 * `caps.redis` (fermyon:spin/redis@2.0.0) for both bindings: the ioredis-shaped conveniences over the interface's
 * calls (`createRedisCapability`), and the component's calls over the WIT import (`createWitRedisBinding`); the
 * Node binding's calls over ioredis are in node.ts. Copied into transformed services with the rest of the facade.
 */
import {
  CapabilityError,
  type RedisArg,
  type RedisCapability,
  type RedisCommand,
  type RedisResult,
} from './capabilities.ts';

/** The calls of `fermyon:spin/redis` a binding supplies (bytes and counts as the WIT has them) plus `atomic`. */
export interface RedisBinding {
  get(key: string): Promise<Uint8Array | null>;
  set(key: string, value: Uint8Array): Promise<void>;
  incr(key: string): Promise<bigint>;
  del(keys: string[]): Promise<number>;
  sadd(key: string, values: string[]): Promise<number>;
  srem(key: string, values: string[]): Promise<number>;
  smembers(key: string): Promise<string[]>;
  publish(channel: string, payload: Uint8Array): Promise<void>;
  execute(command: string, args: RedisArg[]): Promise<RedisResult[]>;
}

const isByteArray = (value: unknown): value is Uint8Array => value instanceof Uint8Array;

/** Spreads arrays and `{ field: value }` records into a flat argument list, as ioredis does. */
export function flattenRedisArgs(
  args: readonly (RedisArg | readonly RedisArg[] | Readonly<Record<string, RedisArg>>)[],
): RedisArg[] {
  const flat: RedisArg[] = [];
  for (const arg of args) {
    if (Array.isArray(arg)) flat.push(...(arg as readonly RedisArg[]));
    else if (typeof arg === 'object' && !isByteArray(arg))
      for (const [field, value] of Object.entries(arg as Readonly<Record<string, RedisArg>>))
        flat.push(field, value);
    else flat.push(arg);
  }
  return flat;
}

const redisText = (value: RedisArg): string =>
  isByteArray(value) ? new TextDecoder().decode(value) : String(value);

function redisInteger(command: string, results: readonly RedisResult[]): number {
  const first = results[0];
  if (first?.tag !== 'int64') throw new CapabilityError('redis', `${command} did not answer an integer`);
  return Number(first.val);
}

function redisStrings(results: readonly RedisResult[]): (string | null)[] {
  return results.map((result) => {
    if (result.tag === 'nil') return null;
    if (result.tag === 'binary') return new TextDecoder().decode(result.val);
    return String(result.val);
  });
}

/**
 * The Lua script `atomic` sends as one EVAL: command i touches KEYS[i]; ARGV holds, per command, its name, its
 * argument count and its other arguments. Keys go as KEYS so a host that prefixes keys (or a cluster) sees them.
 */
export const ATOMIC_SCRIPT = `local a = 1
for i = 1, #KEYS do
  local n = tonumber(ARGV[a + 1])
  redis.call(ARGV[a], KEYS[i], unpack(ARGV, a + 2, a + 1 + n))
  a = a + 2 + n
end
return #KEYS`;

/**
 * The Lua script `hgetallMany` sends as one EVAL: per key, its field count, then its fields and values. Flat on
 * purpose: Spin's `execute` flattens nested array replies.
 */
export const HGETALL_MANY_SCRIPT = `local out = {}
for i = 1, #KEYS do
  local flat = redis.call('HGETALL', KEYS[i])
  out[#out + 1] = #flat
  for j = 1, #flat do out[#out + 1] = flat[j] end
end
return out`;

/** A hash from HGETALL's flat reply `flat[from..to)`: field, value, field, value, … */
function toHash(flat: readonly (string | null)[], from: number, to: number): Record<string, string> {
  const hash: Record<string, string> = {};
  for (let i = from; i + 1 < to; i += 2) hash[flat[i] ?? ''] = flat[i + 1] ?? '';
  return hash;
}

/** Reads HGETALL_MANY_SCRIPT's reply back into one record per key. */
export function parseHgetallMany(keys: number, flat: readonly (string | null)[]): Record<string, string>[] {
  const hashes: Record<string, string>[] = [];
  let at = 0;
  for (let i = 0; i < keys; i += 1) {
    const count = Number(flat[at]);
    if (!Number.isInteger(count) || count < 0 || at + 1 + count > flat.length)
      throw new CapabilityError('redis', `HGETALL of ${keys} keys answered a reply of an unexpected shape`);
    hashes.push(toHash(flat, at + 1, at + 1 + count));
    at += 1 + count;
  }
  return hashes;
}

/** The arguments of the EVAL that runs `commands` atomically: script, key count, keys, then ARGV. */
export function getAtomicEvalArgs(commands: readonly RedisCommand[]): RedisArg[] {
  const keys = commands.map(([, key]) => key);
  const argv = commands.flatMap(([command, , ...args]) => {
    const flat = flattenRedisArgs(args);
    return [command, flat.length, ...flat];
  });
  return [ATOMIC_SCRIPT, keys.length, ...keys, ...argv];
}

/** `caps.redis` over a binding of the WIT calls: the ioredis-shaped conveniences, the same in Node and components. */
export function createRedisCapability(binding: RedisBinding): RedisCapability {
  const decode = (bytes: Uint8Array | null): string | null =>
    bytes === null ? null : new TextDecoder().decode(bytes);
  const keysOf = (keys: readonly (string | readonly string[])[]): string[] => keys.flat();
  const integer = async (command: string, args: RedisArg[]): Promise<number> =>
    redisInteger(command, await binding.execute(command, args));
  return {
    get: async (key) => decode(await binding.get(key)),
    getBuffer: (key) => binding.get(key),
    set: async (key, value) => {
      await binding.set(key, isByteArray(value) ? value : new TextEncoder().encode(String(value)));
      return 'OK';
    },
    incr: async (key) => Number(await binding.incr(key)),
    del: (...keys) => binding.del(keysOf(keys)),
    sadd: (key, ...members) => binding.sadd(key, flattenRedisArgs(members).map(redisText)),
    srem: (key, ...members) => binding.srem(key, flattenRedisArgs(members).map(redisText)),
    smembers: (key) => binding.smembers(key),
    scard: (key) => integer('SCARD', [key]),
    exists: (...keys) => integer('EXISTS', keysOf(keys)),
    hset: (key, ...fields) => integer('HSET', [key, ...flattenRedisArgs(fields)]),
    hget: async (key, field) => redisStrings(await binding.execute('HGET', [key, field]))[0] ?? null,
    hgetall: async (key) => {
      const flat = redisStrings(await binding.execute('HGETALL', [key]));
      return toHash(flat, 0, flat.length);
    },
    hgetallMany: async (keys) =>
      keys.length === 0
        ? []
        : parseHgetallMany(
            keys.length,
            redisStrings(await binding.execute('EVAL', [HGETALL_MANY_SCRIPT, keys.length, ...keys])),
          ),
    hdel: (key, ...fields) => integer('HDEL', [key, ...fields]),
    publish: (channel, message) =>
      binding.publish(channel, isByteArray(message) ? message : new TextEncoder().encode(message)),
    atomic: async (commands) => {
      if (commands.length > 0) await binding.execute('EVAL', getAtomicEvalArgs(commands));
    },
    execute: (command, ...args) => binding.execute(command, args),
  };
}

/** `fermyon:spin/redis@2.0.0` `redis-parameter`. */
export type WitRedisParameter = { tag: 'int64'; val: bigint } | { tag: 'binary'; val: Uint8Array };

/** A `fermyon:spin/redis@2.0.0` connection resource. */
export interface WitRedisConnection {
  publish(channel: string, payload: Uint8Array): void;
  get(key: string): Uint8Array | undefined;
  set(key: string, value: Uint8Array): void;
  incr(key: string): bigint;
  del(keys: string[]): number;
  sadd(key: string, values: string[]): number;
  smembers(key: string): string[];
  srem(key: string, values: string[]): number;
  execute(command: string, args: WitRedisParameter[]): RedisResult[];
}

/** `fermyon:spin/redis@2.0.0`. */
export interface WitRedis {
  Connection: { open(address: string): WitRedisConnection };
}

const encoder = new TextEncoder();

function toRedisParameter(arg: RedisArg): WitRedisParameter {
  if (typeof arg === 'bigint') return { tag: 'int64', val: arg };
  if (typeof arg === 'number' && Number.isSafeInteger(arg)) return { tag: 'int64', val: BigInt(arg) };
  if (arg instanceof Uint8Array) return { tag: 'binary', val: arg };
  return { tag: 'binary', val: encoder.encode(String(arg)) };
}

/** Runs a synchronous WIT call as a settled promise, a WIT error as a CapabilityError (component.ts `settle`). */
export type SettleWit = <T>(kind: 'redis', work: () => T) => Promise<T>;

/**
 * The `RedisBinding` of a component: `fermyon:spin/redis` calls, the connection opened on first use (never while
 * the component is initialised) at `address`.
 */
export function createWitRedisBinding(
  redis: WitRedis | undefined,
  address: () => string,
  settle: SettleWit,
): RedisBinding {
  let connection: WitRedisConnection | undefined;
  const open = (): WitRedisConnection => {
    if (redis === undefined)
      throw new CapabilityError('redis', 'this component does not import fermyon:spin/redis');
    connection ??= redis.Connection.open(address());
    return connection;
  };
  const execute = (command: string, args: readonly RedisArg[]): RedisResult[] =>
    open().execute(command, args.map(toRedisParameter));
  return {
    get: (key) => settle('redis', () => open().get(key) ?? null),
    set: (key, value) => settle('redis', () => open().set(key, value)),
    incr: (key) => settle('redis', () => open().incr(key)),
    del: (keys) => settle('redis', () => (keys.length === 0 ? 0 : open().del(keys))),
    sadd: (key, values) => settle('redis', () => open().sadd(key, values)),
    srem: (key, values) => settle('redis', () => open().srem(key, values)),
    smembers: (key) => settle('redis', () => open().smembers(key)),
    publish: (channel, payload) => settle('redis', () => open().publish(channel, payload)),
    execute: (command, args) => settle('redis', () => execute(command, args)),
  };
}
