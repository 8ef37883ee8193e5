import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../bridge/index.ts';
import {
  admin,
  echo,
  send,
  startGateway,
  startLoad,
  startUpstream,
  testConfig,
  type Upstream,
} from './helpers.ts';

describe('gateway routing', () => {
  let container: Upstream;
  let wasm: Upstream;
  let gateway: Gateway;
  let pool: Pool;

  beforeAll(async () => {
    container = await startUpstream(echo('container'));
    wasm = await startUpstream(echo('wasm'));
    gateway = await startGateway(
      testConfig({
        sticky: { from: 'header', name: 'x-user-id' },
        routes: [
          { name: 'order', prefix: '/api/order', container: [container.url], wasm: [wasm.url], weight: 0 },
          { name: 'other', prefix: '/api/other', container: [container.url], stripPrefix: true },
        ],
      }),
    );
    pool = new Pool(gateway.url, { connections: 16 });
  });

  afterAll(async () => {
    await pool.close();
    await gateway.stop();
    await container.close();
    await wasm.close();
  });

  it('moves the split 0 → 1 → 10 → 50 → 100 under steady load with no failures and no key moving back', async () => {
    const load = startLoad(gateway.url, {
      workers: 4,
      maxRequests: 20_000,
      path: '/api/order/1',
      keyCount: 500,
    });
    const keys = Array.from({ length: 2000 }, (_, i) => `user-${i}`);
    const previous = new Map<string, string>();
    const observed: Record<number, number> = {};
    try {
      for (const weight of [0, 1, 10, 50, 100]) {
        const set = await admin(gateway, 'POST', '/api/routes/order/weight', { weight });
        expect(set.status).toBe(200);
        let wasmCount = 0;
        for (let i = 0; i < keys.length; i += 50) {
          const batch = await Promise.all(
            keys.slice(i, i + 50).map((key) => send(pool, '/api/order/1', { headers: { 'x-user-id': key } })),
          );
          batch.forEach((result, j) => {
            const key = keys[i + j]!;
            expect(result.status).toBe(200);
            if (result.side === 'wasm') wasmCount += 1;
            // monotonic: once wasm, always wasm while the weight rises
            if (previous.get(key) === 'wasm') expect(result.side, key).toBe('wasm');
            previous.set(key, result.side!);
          });
        }
        observed[weight] = (wasmCount / keys.length) * 100;
        expect(Math.abs(observed[weight] - weight)).toBeLessThanOrEqual(3);
      }
    } finally {
      await load.stop();
    }
    expect(load.results.length).toBeGreaterThan(50);
    expect(load.results.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('keeps a key on the same side for repeated requests at a fixed weight', async () => {
    await admin(gateway, 'POST', '/api/routes/order/weight', { weight: 30 });
    for (const key of ['alice', 'bob', 'carol']) {
      const sides = new Set<string | undefined>();
      for (let i = 0; i < 10; i += 1)
        sides.add((await send(pool, '/api/order', { headers: { 'x-user-id': key } })).side);
      expect(sides.size).toBe(1);
    }
  });

  it('forces a side with the override header and cookie', async () => {
    await admin(gateway, 'POST', '/api/routes/order/weight', { weight: 0 });
    expect((await send(pool, '/api/order', { headers: { 'x-migrate-side': 'wasm' } })).side).toBe('wasm');
    expect((await send(pool, '/api/order', { headers: { cookie: 'a=1; migrate-side=wasm' } })).side).toBe(
      'wasm',
    );
    const bad = await send(pool, '/api/order', { headers: { 'x-migrate-side': 'mars' } });
    expect(bad.status).toBe(403);
    expect(JSON.parse(bad.body).error.code).toBe('MIG_OVERRIDE_REJECTED');
  });

  it('matches the longest prefix, strips it when asked, and answers 404 JSON for no route', async () => {
    const stripped = await send(pool, '/api/other/x?y=1');
    expect(JSON.parse(stripped.body).path).toBe('/x?y=1');
    const kept = await send(pool, '/api/order/7');
    expect(JSON.parse(kept.body).path).toBe('/api/order/7');
    const none = await send(pool, '/api/orders');
    expect(none.status).toBe(404);
    expect(JSON.parse(none.body).error.code).toBe('MIG_NO_ROUTE');
  });
});
