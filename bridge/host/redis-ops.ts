/**
 * The host's Redis operations for guests: `wasi:keyvalue` (keys behind `<keyPrefix><bucket>:`) and
 * `fermyon:spin/redis` (keys as the component names them). Every failure is the interface's error value.
 */
import type { Redis } from 'ioredis';
import { fail, message, ok, type CallOutcome } from './sync-call.ts';

/** Compare-and-swap in one step: ARGV[1] says whether a value was read, ARGV[2] is it, ARGV[3] the new one. */
const SWAP_SCRIPT = `local v = redis.call('GET', KEYS[1])
if (ARGV[1] == '0' and v == false) or (ARGV[1] == '1' and v == ARGV[2]) then
  redis.call('SET', KEYS[1], ARGV[3])
  return {1}
end
if v == false then return {0} end
return {0, v}`;

/** One `wasi:keyvalue` call (`kv.get`, `kv.set`, …) on `redis`, every key behind `prefix`. */
export async function runKeyValueOp(
  redis: Redis,
  prefix: string,
  op: string,
  args: unknown[],
): Promise<CallOutcome> {
  try {
    switch (op) {
      case 'kv.open':
        return ok(args[0]);
      case 'kv.get': {
        const value = await redis.getBuffer(prefix + (args[1] as string));
        return ok(value === null ? undefined : new Uint8Array(value));
      }
      case 'kv.set':
        await redis.set(prefix + (args[1] as string), Buffer.from(args[2] as Uint8Array));
        return ok(undefined);
      case 'kv.delete':
        await redis.del(prefix + (args[1] as string));
        return ok(undefined);
      case 'kv.exists':
        return ok((await redis.exists(prefix + (args[1] as string))) === 1);
      case 'kv.increment':
        return ok(BigInt(await redis.incrby(prefix + (args[1] as string), Number(args[2]))));
      case 'kv.swap': {
        // one EVAL: set the value only if the key still holds what the handle read (absent: still absent)
        const [, key, read, value] = args as [string, string, Uint8Array | undefined, Uint8Array];
        const reply = (await redis.callBuffer(
          'EVAL',
          SWAP_SCRIPT,
          1,
          prefix + key,
          read === undefined ? '0' : '1',
          Buffer.from(read ?? new Uint8Array()),
          Buffer.from(value),
        )) as [number, Buffer?];
        if (reply[0] === 1) return ok(undefined);
        return fail({
          tag: 'cas-failed',
          val: reply[1] === undefined ? undefined : new Uint8Array(reply[1]),
        });
      }
      case 'kv.listKeys': {
        const cursor = args[1] === undefined ? '0' : (args[1] as bigint).toString();
        const [next, keys] = await redis.scan(cursor, 'MATCH', `${prefix}*`, 'COUNT', 200);
        return ok({
          keys: keys.map((key) => key.slice(prefix.length)),
          cursor: next === '0' ? undefined : BigInt(next),
        });
      }
      case 'kv.getMany': {
        const keys = args[1] as string[];
        const values = keys.length === 0 ? [] : await redis.mgetBuffer(...keys.map((key) => prefix + key));
        return ok(values.map((value, i) => (value === null ? undefined : [keys[i]!, new Uint8Array(value)])));
      }
      case 'kv.setMany': {
        const pairs = args[1] as [string, Uint8Array][];
        if (pairs.length > 0)
          await redis.mset(...pairs.flatMap(([key, value]) => [prefix + key, Buffer.from(value)]));
        return ok(undefined);
      }
      case 'kv.deleteMany': {
        const keys = args[1] as string[];
        if (keys.length > 0) await redis.del(...keys.map((key) => prefix + key));
        return ok(undefined);
      }
      default:
        return fail({ tag: 'other', val: `unknown op ${op}` });
    }
  } catch (error) {
    return fail({ tag: 'other', val: `redis: ${message(error)}` });
  }
}

/** One `fermyon:spin/redis` connection call (`redis.get`, `redis.execute`, …) on `redis`. */
export async function runRedisOp(redis: Redis, op: string, args: unknown[]): Promise<CallOutcome> {
  const key = args[1] as string;
  try {
    switch (op) {
      case 'redis.get': {
        const value = await redis.getBuffer(key);
        return ok(value === null ? undefined : new Uint8Array(value));
      }
      case 'redis.set':
        await redis.set(key, Buffer.from(args[2] as Uint8Array));
        return ok(undefined);
      case 'redis.incr':
        return ok(BigInt(await redis.incr(key)));
      case 'redis.del': {
        const keys = args[1] as string[];
        return ok(keys.length === 0 ? 0 : await redis.del(...keys));
      }
      case 'redis.sadd':
        return ok(await redis.sadd(key, ...(args[2] as string[])));
      case 'redis.srem':
        return ok(await redis.srem(key, ...(args[2] as string[])));
      case 'redis.smembers':
        return ok(await redis.smembers(key));
      case 'redis.publish':
        await redis.publish(key, Buffer.from(args[2] as Uint8Array));
        return ok(undefined);
      case 'redis.execute': {
        const params = (args[2] as { tag: string; val: bigint | Uint8Array }[]).map((param) =>
          typeof param.val === 'bigint' ? param.val.toString() : Buffer.from(param.val),
        );
        return ok(toRedisResults(await redis.callBuffer(args[1] as string, ...params)));
      }
      default:
        return fail({ tag: 'other', val: `unknown op ${op}` });
    }
  } catch (error) {
    return fail(
      message(error).startsWith('WRONGTYPE')
        ? { tag: 'type-error' }
        : { tag: 'other', val: `redis: ${message(error)}` },
    );
  }
}

/**
 * An ioredis reply (Buffers: `callBuffer`) as `redis-result`s, nested arrays flattened as Spin's host does. ioredis
 * gives status replies as bytes too, so they arrive as `binary`.
 */
function toRedisResults(reply: unknown, out: unknown[] = []): unknown[] {
  if (reply === null || reply === undefined) out.push({ tag: 'nil' });
  else if (typeof reply === 'number') out.push({ tag: 'int64', val: BigInt(reply) });
  else if (Buffer.isBuffer(reply)) out.push({ tag: 'binary', val: new Uint8Array(reply) });
  else if (Array.isArray(reply)) for (const item of reply as unknown[]) toRedisResults(item, out);
  else out.push({ tag: 'status', val: typeof reply === 'string' ? reply : JSON.stringify(reply) });
  return out;
}
