// The host's side of fermyon:spin/redis: what a guest's calls do to the real Redis, and the error variants it gets
// back instead of a trap.
import { Redis } from 'ioredis';
import { afterAll, describe, expect, it } from 'vitest';
import { Backends, type BackendSettings, type ComponentGrant } from '../../../bridge/host/backends.ts';
import { ATOMIC_SCRIPT } from '../../../codemods/facade/redis.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const unique = `redis-backend-${process.pid}-${Date.now()}`;
const backends = new Backends({ log: () => undefined });
const direct = new Redis(REDIS_URL);

const bytes = (text: string) => ({ tag: 'binary', val: new TextEncoder().encode(text) });
const int = (value: number) => ({ tag: 'int64', val: BigInt(value) });

function dispatchFor(backendsOf: BackendSettings, capabilities = ['redis']) {
  const grant: ComponentGrant = {
    name: 'product',
    capabilities: new Set(capabilities),
    allowedHosts: [],
    backends: backendsOf,
  };
  return backends.createDispatch(grant);
}

afterAll(async () => {
  const keys = await direct.keys(`*${unique}*`);
  if (keys.length > 0) await direct.del(...keys);
  direct.disconnect();
  await backends.close();
});

describe('host fermyon:spin/redis', () => {
  it('opens only the configured backend: "" or its own URL; another address is invalid-address', async () => {
    const dispatch = dispatchFor({ redis: { url: REDIS_URL } });
    expect(await dispatch('redis.open', [''])).toEqual({ ok: true, value: 'backend' });
    expect(await dispatch('redis.open', [REDIS_URL])).toEqual({ ok: true, value: 'backend' });
    expect(await dispatch('redis.open', ['redis://elsewhere:6379'])).toEqual({
      ok: false,
      error: { tag: 'invalid-address' },
    });
  });

  it('answers error variants when not granted, not configured, or on a wrong type', async () => {
    expect(await dispatchFor({ redis: { url: REDIS_URL } }, ['kv'])('redis.open', [''])).toEqual({
      ok: false,
      error: { tag: 'other', val: 'capability redis is not granted to product' },
    });
    expect(await dispatchFor({})('redis.open', [''])).toEqual({
      ok: false,
      error: { tag: 'other', val: 'no redis backend configured' },
    });
    const dispatch = dispatchFor({ redis: { url: REDIS_URL } });
    await direct.set(`${unique}:text`, 'x');
    expect(await dispatch('redis.execute', ['backend', 'HGETALL', [bytes(`${unique}:text`)]])).toEqual({
      ok: false,
      error: { tag: 'type-error' },
    });
  });

  it('answers other(...) when Redis cannot be reached', async () => {
    const dispatch = dispatchFor({ redis: { url: 'redis://127.0.0.1:1' } });
    const outcome = await dispatch('redis.smembers', ['backend', 'product']);
    expect(outcome).toMatchObject({
      ok: false,
      error: { tag: 'other', val: expect.stringMatching(/^redis: /) },
    });
  });

  it('stores keys exactly as named without keyPrefix, and flattens execute replies', async () => {
    const dispatch = dispatchFor({ redis: { url: REDIS_URL } });
    const key = `product:${unique}`;
    const hset = await dispatch('redis.execute', [
      'backend',
      'HSET',
      [bytes(key), bytes('name'), bytes('ada')],
    ]);
    expect(hset).toEqual({ ok: true, value: [int(1)] });
    expect(await direct.hgetall(key)).toEqual({ name: 'ada' });
    expect(await dispatch('redis.execute', ['backend', 'HGETALL', [bytes(key)]])).toEqual({
      ok: true,
      value: [bytes('name'), bytes('ada')],
    });
    expect(await dispatch('redis.sadd', ['backend', `set:${unique}`, ['a', 'b']])).toEqual({
      ok: true,
      value: 2,
    });
    expect(await dispatch('redis.del', ['backend', [key, `set:${unique}`]])).toEqual({ ok: true, value: 2 });
  });

  it('puts keyPrefix in front of every key, EVAL keys included, when it is set', async () => {
    const keyPrefix = `${unique}:`;
    const dispatch = dispatchFor({ redis: { url: REDIS_URL, keyPrefix } });
    const evalArgs = [bytes(ATOMIC_SCRIPT), int(2), bytes('product:1'), bytes('product')];
    const argv = [bytes('hset'), int(2), bytes('name'), bytes('ada'), bytes('sadd'), int(1), bytes('1')];
    expect(await dispatch('redis.execute', ['backend', 'EVAL', [...evalArgs, ...argv]])).toEqual({
      ok: true,
      value: [int(2)],
    });
    expect(await direct.hgetall(`${keyPrefix}product:1`)).toEqual({ name: 'ada' });
    expect(await direct.smembers(`${keyPrefix}product`)).toEqual(['1']);
    expect(await dispatch('redis.smembers', ['backend', 'product'])).toEqual({ ok: true, value: ['1'] });
  });
});
