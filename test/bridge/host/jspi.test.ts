// The host's JSPI mode (`limits.mode: jspi`): instances suspended while a capability call is in flight, in a
// worker thread (`workers: 1`) or in the host's own thread (`workers: 0`), against the real Postgres, Redis and
// NATS and a real upstream.
import { createServer, type Server, type ServerResponse } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../bridge/host/host.ts';
import { parseHostConfig } from '../../../bridge/host/config.ts';
import { silentLogger } from '../../../bridge/host/logger.ts';
import { checkCompareAndSwap, getFixtureWasm, getTestBackends } from './helpers.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const CONCURRENT = 8;
const text = (body: Uint8Array): string => new TextDecoder().decode(body);

async function until(check: () => boolean): Promise<void> {
  while (!check()) await new Promise((resolve) => setTimeout(resolve, 20));
}

describe.each([
  { workers: 1, where: 'in a worker thread' },
  { workers: 0, where: "in the host's own thread" },
])('JSPI mode $where', ({ workers }) => {
  const run = `j${workers}${process.pid}${Date.now().toString(36)}`;
  let host: Host;
  let db: pg.Client;
  let redis: Redis;
  let nc: NatsConnection;
  let upstream: Server;
  /** Requests to the upstream's /hold, answered when the test says. */
  const held: ServerResponse[] = [];

  const call = async (name: string, method: string, path: string, body?: string) => {
    const response = await host.handle(name, {
      method,
      path,
      ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
    });
    return { status: response.status, body: text(response.body) };
  };
  const fetchVia = (target: string) => call('http-out', 'GET', `/fetch?target=${encodeURIComponent(target)}`);

  beforeAll(async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-host-jspi-'));
    db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    await db.query(
      `CREATE SCHEMA ${run}; CREATE TABLE ${run}.items (id serial PRIMARY KEY, name text NOT NULL)`,
    );
    redis = new Redis('redis://127.0.0.1:6379');
    nc = await connect({ servers: 'nats://127.0.0.1:4222' });
    upstream = createServer((req, res) => {
      if (req.url === '/hold') held.push(res);
      else res.end(`pong ${req.url}`);
    });
    await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
    // No test waits for these limits except the time limits' own: far above what a call takes on a busy machine.
    const limits = { mode: 'jspi', workers, instances: CONCURRENT, timeoutMs: 60_000, memoryMb: 128 };
    const config = parseHostConfig(
      JSON.stringify({
        cacheDir: join(dir, 'cache'),
        backends: getTestBackends(run),
        components: [
          { name: 'hello', wasm: getFixtureWasm('hello'), port: 0, limits },
          {
            name: 'sql',
            wasm: getFixtureWasm('sql'),
            capabilities: ['sql', 'config'],
            config: { table: `${run}.items` },
            limits,
          },
          // every GET of this one waits 10 s in Postgres: past its 1 s limit while suspended on the call
          {
            name: 'slow-sql',
            wasm: getFixtureWasm('sql'),
            capabilities: ['sql', 'config'],
            config: { table: `(SELECT 1 AS id, 'slow' AS name FROM pg_sleep(10)) AS slow` },
            limits: { ...limits, timeoutMs: 1000 },
          },
          { name: 'kv', wasm: getFixtureWasm('kv'), capabilities: ['kv'], limits },
          { name: 'kv-cas', wasm: getFixtureWasm('kv-cas'), capabilities: ['kv'], limits },
          {
            name: 'messaging',
            wasm: getFixtureWasm('messaging'),
            capabilities: ['messaging'],
            subscriptions: [`${run}.in`],
            limits,
          },
          {
            name: 'http-out',
            wasm: getFixtureWasm('http-out'),
            port: 0,
            capabilities: ['http-out'],
            allowedHosts: ['127.0.0.1'],
            limits,
          },
          { name: 'faulty', wasm: getFixtureWasm('faulty'), limits: { ...limits, instances: 1 } },
          // the loop test waits for this limit; nothing else calls this component
          {
            name: 'faulty-loop',
            wasm: getFixtureWasm('faulty'),
            limits: { ...limits, instances: 1, timeoutMs: 2000 },
          },
        ],
      }),
      'jspi.json',
    );
    host = await createHost({ config, logger: silentLogger });
  });

  afterAll(async () => {
    for (const res of held.splice(0)) res.end('released');
    await host?.close();
    await db?.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`);
    await db?.end();
    const keys = await redis?.keys(`${run}:*`);
    if (keys?.length) await redis.del(...keys);
    redis?.disconnect();
    await nc?.close();
    upstream?.close();
  });

  it('serves a second request while the first is suspended on its outbound call', async () => {
    const port = (upstream.address() as AddressInfo).port;
    let firstDone = false;
    const first = fetchVia(`127.0.0.1:${port}/hold`).then((r) => ((firstDone = true), r));
    await until(() => held.length === 1);
    const second = await fetchVia(`127.0.0.1:${port}/ping`);
    expect(second.status).toBe(200);
    expect(JSON.parse(second.body)).toEqual({ status: 200, body: 'pong /ping' });
    expect(firstDone).toBe(false);
    held.shift()!.end('released');
    expect(JSON.parse((await first).body)).toEqual({ status: 200, body: 'released' });
  });

  it('writes every row of concurrent requests through wasmcloud:postgres/query', async () => {
    const created = await Promise.all(
      Array.from({ length: CONCURRENT }, (_, i) =>
        call('sql', 'POST', '/items', JSON.stringify({ name: `n${i}` })),
      ),
    );
    expect(created.map((r) => r.status)).toEqual(Array(CONCURRENT).fill(201));
    const { rows } = await db.query(`SELECT name FROM ${run}.items ORDER BY name`);
    expect(rows.map((r: { name: string }) => r.name)).toEqual(
      Array.from({ length: CONCURRENT }, (_, i) => `n${i}`),
    );
    expect(JSON.parse((await call('sql', 'GET', '/items')).body)).toHaveLength(CONCURRENT);
  });

  it('returns a query error value, not a trap, for bad SQL', async () => {
    const failed = await call('sql', 'POST', '/items', '{"name":null}');
    expect(failed.status).toBe(503);
    expect(JSON.parse(failed.body).capabilityError.tag).toBe('invalid-query');
    expect((await call('sql', 'GET', '/items')).status).toBe(200);
  });

  it('stores keys in Redis through wasi:keyvalue', async () => {
    expect((await call('kv', 'PUT', '/kv/colour', 'blue')).status).toBe(204);
    expect(await redis.get(`${run}:cache:colour`)).toBe('blue');
    expect(JSON.parse((await call('kv', 'GET', '/kv/colour')).body)).toEqual({ value: 'blue' });
    expect((await call('kv', 'GET', '/kv/missing')).status).toBe(404);
  });

  it('compares and swaps through wasi:keyvalue/atomics (draft2) while suspended', async () => {
    await checkCompareAndSwap(
      (method, path, body) => call('kv-cas', method, path, body),
      'swapped',
      () => redis.get(`${run}:cache:swapped`),
    );
  });

  it('publishes to NATS and runs the exported handler for subscribed subjects', async () => {
    const published = nc.subscribe(`${run}.out`, { max: 1 });
    const handled = nc.subscribe(`${run}.in.handled`, { max: 1 });
    await nc.flush();
    expect((await call('messaging', 'POST', `/publish/${run}.out`, 'order-1')).status).toBe(202);
    for await (const msg of published) expect(text(msg.data)).toBe('order-1');
    nc.publish(`${run}.in`, new TextEncoder().encode('order-2'));
    for await (const msg of handled) expect(text(msg.data)).toBe('order-2');
  });

  it('calls a component of the same host in-process', async () => {
    const hello = host.components.get('hello')!.port!;
    const local = await fetchVia(`127.0.0.1:${hello}/via-host`);
    expect(local.status).toBe(200);
    expect(local.body).toContain('/via-host');
  });

  it('replaces a trapped instance and keeps serving', async () => {
    expect((await call('faulty', 'GET', '/ok')).status).toBe(200);
    expect((await call('faulty', 'GET', '/trap')).status).toBe(500);
    const after = await call('faulty', 'GET', '/ok');
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body).served).toBe(1); // a fresh instance
  });

  it('stops a guest over its memory limit and recovers', async () => {
    expect((await call('faulty', 'GET', '/alloc')).status).toBe(500);
    expect((await call('faulty', 'GET', '/ok')).status).toBe(200);
  });

  it('answers 503 for a request past its time limit while suspended on a call, and keeps serving', async () => {
    const [slow, other] = await Promise.all([
      call('slow-sql', 'GET', '/items'),
      call('hello', 'GET', '/during'),
    ]);
    expect(slow.status).toBe(503);
    expect(JSON.parse(slow.body).error).toBe('timeout');
    expect(other.status).toBe(200);
    expect((await call('sql', 'GET', '/items')).status).toBe(200);
  });

  // In the host's own thread nothing can stop it (see docs/host-density.md): only a worker is tested.
  if (workers > 0)
    it('stops a guest that computes past its time limit by replacing its worker', async () => {
      const [looped, other] = await Promise.all([
        call('faulty-loop', 'GET', '/loop'),
        call('hello', 'GET', '/during-loop'),
      ]);
      expect(looped.status).toBe(503);
      expect(JSON.parse(looped.body).error).toBe('timeout');
      expect(other.status).toBe(200);
      expect((await call('faulty-loop', 'GET', '/ok')).status).toBe(200);
    });
});
