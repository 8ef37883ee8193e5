// The Spring product-service (Spring Data Redis) ported (`migrate port`), codemodded (`migrate codemod`) and built
// (`migrate build --target embedded`) into a WebAssembly component with no hand-written glue, and served by the
// host against the real Redis: products land as the Spring service writes them, a hash `product:<id>` with
// `_class` plus the id set `product`, in the configured database.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Redis } from 'ioredis';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltService } from '../helpers/components.ts';
import { CLAIM_KEY, claimRedisDatabase } from '../helpers/redis-db.ts';
import { buildService, type BuiltService } from '../../codemods/build/build-service.ts';
import { createHost, type Host } from '../../bridge/host/host.ts';
import { parseHostConfig } from '../../bridge/host/config.ts';
import { defineContractSuite } from '../contract/contract-suite.ts';

const REDIS_URL = 'redis://127.0.0.1:6379';
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const PRODUCT_CLASS = 'com.example.orders.product.model.Product';

let dir = '';
let root = '';
let host: Host | undefined;
let built: BuiltService;
let redis: Redis | undefined;
let db = -1;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-product-component-'));
  ({ db, client: redis } = await claimRedisDatabase());
  // Ported, codemodded and built for embedded once per test run by the global setup (test/setup).
  built = getBuiltService('product-service', 'embedded');
  root = built.root;
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: { redis: { url: `${REDIS_URL}/${db}` } },
      components: [
        {
          name: 'product',
          wasm: built.out,
          port: 0,
          capabilities: ['redis', 'config', 'logging', 'clocks', 'random'],
          limits: { instances: 1, timeoutMs: 60_000, memoryMb: 128 },
        },
      ],
    }),
    'product-component.json',
  );
  host = await createHost({ config, logger: { log: () => undefined } });
});

afterAll(async () => {
  await host?.close();
  if (redis !== undefined) {
    await redis.flushdb();
    redis.disconnect();
  }
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const text = (body: Uint8Array): string => new TextDecoder().decode(body);
const json = (body: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(body));

async function post(product: unknown): Promise<{ status: number; body: unknown }> {
  const response = await host!.handle('product', {
    method: 'POST',
    path: '/api/product',
    headers: [['content-type', 'application/json']],
    body: json(product),
  });
  return { status: response.status, body: JSON.parse(text(response.body)) as unknown };
}

describe('ported product-service as a component (Spring Data Redis layout)', () => {
  it('imports fermyon:spin/redis and no wasi:keyvalue', () => {
    expect(built.capabilities).toContain('redis');
    expect(built.imports).toContain('fermyon:spin/redis@2.0.0');
    expect(built.imports.some((name) => name.startsWith('wasi:keyvalue/'))).toBe(false);
  });

  it('stores a created product as the hash product:<id> with _class, and its id in the set product', async () => {
    const created = await post({ name: 'Kindle', description: 'e-reader', price: 19.99 });
    expect(created.status).toBe(201);
    const { id } = created.body as { id: string };
    expect(created.body).toEqual({ id, name: 'Kindle', description: 'e-reader', price: 19.99 });

    expect(await redis!.type(`product:${id}`)).toBe('hash');
    expect(await redis!.hgetall(`product:${id}`)).toEqual({
      _class: PRODUCT_CLASS,
      id,
      name: 'Kindle',
      description: 'e-reader',
      price: '19.99',
    });
    expect(await redis!.type('product')).toBe('set');
    expect(await redis!.smembers('product')).toEqual([id]);
    expect((await redis!.keys('*')).sort()).toEqual([CLAIM_KEY, 'product', `product:${id}`].sort());
  });

  it('lists what it stored, and what the Spring service stored in the same layout', async () => {
    // A product written the way Spring Data Redis writes it (HSET product:<id> + SADD product <id>).
    await redis!.hset('product:spring-1', {
      _class: PRODUCT_CLASS,
      id: 'spring-1',
      name: 'Pixel',
      description: 'phone',
      price: '599.5',
    });
    await redis!.sadd('product', 'spring-1');

    const response = await host!.handle('product', { method: 'GET', path: '/api/product' });
    expect(response.status).toBe(200);
    const list = JSON.parse(text(response.body)) as { id: string; name: string }[];
    expect(list).toHaveLength(2);
    expect(list).toContainEqual({ id: 'spring-1', name: 'Pixel', description: 'phone', price: 599.5 });
    expect(list.map((p) => p.name).sort()).toEqual(['Kindle', 'Pixel']);
  });

  it('answers 400 for an invalid product and writes nothing', async () => {
    const before = await redis!.dbsize();
    const invalid = await post({ name: ' ', price: -1 });
    expect(invalid.status).toBe(400);
    expect(await redis!.dbsize()).toBe(before);
  });

  it('answers 500 when Redis refuses a command, and keeps serving: an error value, not a trap', async () => {
    const members = await redis!.smembers('product');
    await redis!.del('product');
    await redis!.set('product', 'not a set');
    try {
      const failed = await post({ name: 'Broken', description: 'wrong type', price: 1 });
      expect(failed.status).toBe(500);
      // The service's own Spring-style 500 (a trap would be the host's answer, and a replaced instance).
      expect(failed.body).toMatchObject({
        status: 500,
        error: 'Internal Server Error',
        path: '/api/product',
      });
    } finally {
      await redis!.del('product');
      if (members.length > 0) await redis!.sadd('product', ...members);
      // Like MULTI/EXEC, the script does not undo what ran before the failing SADD.
      for (const key of await redis!.keys('product:*')) {
        if ((await redis!.hget(key, 'name')) === 'Broken') await redis!.del(key);
      }
    }
    const listed = await host!.handle('product', { method: 'GET', path: '/api/product' });
    expect(listed.status).toBe(200);
    expect(JSON.parse(text(listed.body))).toHaveLength(members.length);
  });

  it('does not load in a host that does not grant redis', async () => {
    const config = parseHostConfig(
      JSON.stringify({
        cacheDir: join(dir, 'cache'),
        backends: { redis: { url: `${REDIS_URL}/${db}` } },
        components: [
          { name: 'product', wasm: built.out, capabilities: ['kv', 'config', 'logging', 'clocks', 'random'] },
        ],
      }),
      'product-no-redis.json',
    );
    await expect(createHost({ config, logger: { log: () => undefined } })).rejects.toThrow(
      /component product imports fermyon:spin\/redis@2\.0\.0, which the host is not configured to give it/,
    );
  });

  it('refuses to build for wasmCloud, naming the construct and the way out', async () => {
    await expect(
      buildService(root, { target: 'wasmcloud', out: join(dir, 'wasmcloud.wasm') }),
    ).rejects.toThrow(
      /caps\.redis\.atomic needs the redis capability, which target wasmcloud does not support/,
    );
  });
});

// The products part of the estate's contract (the one the Spring service passes), over HTTP on the host's port.
defineContractSuite(
  {
    name: 'product-service component, products group',
    resolve: () => {
      const port = host?.components.get('product')?.port;
      if (port === undefined)
        throw new Error('the product component is not listening; see the beforeAll error');
      const url = `http://127.0.0.1:${port}`;
      return {
        name: 'product-service component, products group',
        orderUrl: url,
        inventoryUrl: url,
        productUrl: url,
        notificationUrl: url,
        pg: { connectionString: PG_URL, schema: 'public' },
        redis: { url: REDIS_URL, db },
      };
    },
  },
  { only: ['products'] },
);
