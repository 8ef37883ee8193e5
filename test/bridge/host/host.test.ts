import { createServer, type Server } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect as connectTcp, type AddressInfo } from 'node:net';
import pg from 'pg';
import { Redis } from 'ioredis';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../bridge/host/host.ts';
import { parseHostConfig } from '../../../bridge/host/config.ts';
import { isAppError, type AppError } from '../../../shared/errors.ts';
import { checkCompareAndSwap, FIXTURE_SPECS, getFixtureWasm, getTestBackends } from './helpers.ts';

const run = `h${process.pid}${Date.now().toString(36)}`;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const logs: Record<string, unknown>[] = [];
const logger = {
  log: (level: string, component: string, msg: string, fields?: Record<string, unknown>) =>
    void logs.push({ level, component, msg, ...fields }),
};

let dir: string;
let wasm: Record<string, string>;
let host: Host;
let db: pg.Client;
let redis: Redis;
let nc: NatsConnection;
let upstream: Server;
let upstreamHits: string[];

const text = (body: Uint8Array): string => new TextDecoder().decode(body);
const get = async (name: string, path: string, method = 'GET', body?: string) => {
  const port = host.components.get(name)!.port!;
  const response = await fetch(`http://127.0.0.1:${port}${path}`, {
    method,
    ...(body === undefined ? {} : { body }),
  });
  return { status: response.status, body: await response.text() };
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-host-test-'));
  wasm = {};
  for (const name of Object.keys(FIXTURE_SPECS)) wasm[name] = getFixtureWasm(name);
  db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(
    `CREATE SCHEMA ${run}; CREATE TABLE ${run}.items (id serial PRIMARY KEY, name text NOT NULL)`,
  );
  redis = new Redis('redis://127.0.0.1:6379');
  nc = await connect({ servers: 'nats://127.0.0.1:4222' });
  upstreamHits = [];
  upstream = createServer((req, res) => {
    upstreamHits.push(req.url ?? '');
    res.setHeader('content-type', 'text/plain');
    res.end(`pong ${req.url}`);
  });
  await new Promise<void>((resolve) => upstream.listen(0, '127.0.0.1', resolve));
  const upstreamHost = `127.0.0.1:${(upstream.address() as AddressInfo).port}`;
  // No test here waits for these limits: far above what a call takes, even on a busy machine.
  const limits = { instances: 1, timeoutMs: 60_000, memoryMb: 128 };
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: getTestBackends(run),
      components: [
        { name: 'hello', wasm: wasm.hello, port: 0, limits: { ...limits, instances: 2 } },
        {
          name: 'sql',
          wasm: wasm.sql,
          port: 0,
          capabilities: ['sql', 'config'],
          config: { table: `${run}.items` },
          limits,
        },
        // startupPath: a GET the host sends before serving it (kv's GET /incr/<key> counts)
        { name: 'kv', wasm: wasm.kv, port: 0, capabilities: ['kv'], startupPath: '/incr/started', limits },
        { name: 'kv-cas', wasm: wasm['kv-cas'], port: 0, capabilities: ['kv'], limits },
        {
          name: 'messaging',
          wasm: wasm.messaging,
          port: 0,
          capabilities: ['messaging'],
          subscriptions: [`${run}.in`],
          limits,
        },
        {
          name: 'http-out',
          wasm: wasm['http-out'],
          port: 0,
          capabilities: ['http-out'],
          allowedHosts: [upstreamHost],
          limits,
        },
        {
          name: 'http-denied',
          wasm: wasm['http-out'],
          port: 0,
          capabilities: ['http-out'],
          allowedHosts: ['example.invalid'],
          limits,
        },
        {
          name: 'env',
          wasm: wasm.env,
          port: 0,
          capabilities: ['config', 'logging', 'clocks', 'random'],
          config: { greeting: 'hej', mode: 'test' },
          limits,
        },
        {
          name: 'faulty',
          wasm: wasm.faulty,
          port: 0,
          // The time limit test waits for this one; a call that does not loop takes milliseconds.
          limits: { instances: 1, timeoutMs: 10_000, memoryMb: 256 },
        },
        // Calls components of this same host (in-process, not over loopback).
        {
          name: 'http-local',
          wasm: wasm['http-out'],
          port: 0,
          capabilities: ['http-out'],
          allowedHosts: ['127.0.0.1'],
          limits,
        },
        // The same guest with a fresh instance for every request.
        { name: 'faulty-fresh', wasm: wasm.faulty, port: 0, limits: { ...limits, reuse: 1 } },
      ],
    }),
    'test-config.json',
  );
  host = await createHost({ config, logger });
});

afterAll(async () => {
  await host?.close();
  await db?.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`);
  await db?.end();
  const keys = await redis?.keys(`${run}:*`);
  if (keys?.length) await redis.del(...keys);
  redis?.disconnect();
  await nc?.close();
  upstream?.close();
});

describe('component host', () => {
  it('serves a component over HTTP on its own port and in-process', async () => {
    const viaPort = await get('hello', '/greet?x=1', 'POST', 'ping');
    expect(viaPort.status).toBe(200);
    expect(JSON.parse(viaPort.body)).toEqual({
      hello: 'world',
      method: 'post',
      path: '/greet?x=1',
      echo: 'ping',
    });
    const inProcess = await host.handle('hello', { method: 'GET', path: '/direct' });
    expect(inProcess.status).toBe(200);
    expect(JSON.parse(text(inProcess.body)).path).toBe('/direct');
  });

  it('writes and reads rows in Postgres through wasmcloud:postgres/query', async () => {
    const created = await get('sql', '/items', 'POST', JSON.stringify({ name: 'widget' }));
    expect(created.status).toBe(201);
    const { rows } = await db.query(`SELECT name FROM ${run}.items`);
    expect(rows).toEqual([{ name: 'widget' }]);
    const listed = await get('sql', '/items');
    expect(JSON.parse(listed.body)).toEqual([
      [
        { columnName: 'id', value: { tag: 'int4', val: 1 } },
        { columnName: 'name', value: { tag: 'text', val: 'widget' } },
      ],
    ]);
  });

  it('returns a query error value, not a trap, for bad SQL', async () => {
    const host2 = await host.handle('sql', {
      method: 'POST',
      path: '/items',
      body: new TextEncoder().encode('{"name":null}'),
    });
    expect(host2.status).toBe(503);
    expect(JSON.parse(text(host2.body)).capabilityError.tag).toBe('invalid-query'); // NOT NULL violation, SQLSTATE 23502
    expect((await get('sql', '/items')).status).toBe(200);
  });

  it('GETs a component’s startupPath once before serving it, and logs the answer', async () => {
    // nothing of this test called kv: the host did, while it loaded
    expect(await redis.get(`${run}:cache:started`)).toBe('1');
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'info',
        component: 'kv',
        msg: 'started (GET /incr/started answered 200)',
      }),
    );
    expect(logs.filter((l) => typeof l.msg === 'string' && l.msg.startsWith('started ('))).toHaveLength(1);
  });

  it('stores keys in Redis through wasi:keyvalue', async () => {
    expect((await get('kv', '/kv/colour', 'PUT', 'blue')).status).toBe(204);
    expect(await redis.get(`${run}:cache:colour`)).toBe('blue');
    expect(JSON.parse((await get('kv', '/kv/colour')).body)).toEqual({ value: 'blue' });
    expect((await get('kv', '/kv/missing')).status).toBe(404);
    await get('kv', '/incr/count', 'POST');
    expect(JSON.parse((await get('kv', '/incr/count', 'POST')).body)).toEqual({ value: '2' });
  });

  it('compares and swaps through wasi:keyvalue/atomics (draft2), in one step on Redis', async () => {
    await checkCompareAndSwap(
      (method, path, body) => get('kv-cas', path, method, body),
      'swapped',
      () => redis.get(`${run}:cache:swapped`),
    );
  });

  it('publishes to NATS and runs the exported handler for subscribed subjects', async () => {
    const published = nc.subscribe(`${run}.out`, { max: 1 });
    const handled = nc.subscribe(`${run}.in.handled`, { max: 1 });
    await nc.flush();
    expect((await get('messaging', `/publish/${run}.out`, 'POST', 'order-1')).status).toBe(202);
    for await (const msg of published) expect(text(msg.data)).toBe('order-1');
    nc.publish(`${run}.in`, new TextEncoder().encode('order-2'));
    for await (const msg of handled) expect(text(msg.data)).toBe('order-2');
  });

  it('calls allowed hosts with undici and denies the rest', async () => {
    const port = (upstream.address() as AddressInfo).port;
    const allowed = await get('http-out', `/fetch?target=${encodeURIComponent(`127.0.0.1:${port}/ping`)}`);
    expect(allowed.status).toBe(200);
    expect(JSON.parse(allowed.body)).toEqual({ status: 200, body: 'pong /ping' });
    const before = upstreamHits.length;
    const denied = await get(
      'http-denied',
      `/fetch?target=${encodeURIComponent(`127.0.0.1:${port}/secret`)}`,
    );
    expect(denied.status).toBe(502);
    expect(JSON.parse(denied.body).capabilityError).toEqual({ tag: 'HTTP-request-denied' });
    expect(upstreamHits.length).toBe(before);
  });

  it('answers a call to a component of the same host as that component answers it', async () => {
    const hello = host.components.get('hello')!.port!;
    const target = encodeURIComponent(`127.0.0.1:${hello}/via-host?x=1`);
    const response = await get('http-local', `/fetch?target=${target}`);
    expect(response.status).toBe(200);
    expect(response.body).toContain('/via-host');
    expect(response.body).toContain('world');
  });

  it('gives only configured config keys, logs with the component name, and host time and randomness', async () => {
    const before = Date.now();
    const first = JSON.parse((await get('env', '/')).body);
    const after = Date.now();
    const second = JSON.parse((await get('env', '/')).body);
    expect(first).toMatchObject({ greeting: 'hej', secret: null, keys: ['greeting', 'mode'] });
    // The host's clock while the call ran (not the build's): between the readings taken around the call.
    expect(first.seconds).toBeGreaterThanOrEqual(Math.floor(before / 1000));
    expect(first.seconds).toBeLessThanOrEqual(Math.ceil(after / 1000));
    expect(first.dateNow).toBeGreaterThanOrEqual(before);
    expect(first.dateNow).toBeLessThanOrEqual(after);
    expect(first.random).not.toBe(second.random);
    expect(logs).toContainEqual(
      expect.objectContaining({
        level: 'info',
        component: 'env',
        msg: 'handling a request',
        context: 'env-guest',
      }),
    );
  });
});

describe('instance reuse', () => {
  it("keeps a guest's globals from one request to the next by default", async () => {
    const first = JSON.parse((await get('faulty', '/ok')).body) as { served: number };
    const second = JSON.parse((await get('faulty', '/ok')).body) as { served: number };
    expect(second.served).toBe(first.served + 1);
  });

  it('gives every request a fresh instance when reuse is 1', async () => {
    const served: number[] = [];
    for (let i = 0; i < 3; i += 1) {
      const body = JSON.parse((await get('faulty-fresh', '/ok')).body) as { served: number };
      served.push(body.served);
    }
    expect(served).toEqual([1, 1, 1]);
  });
});

describe('isolation', () => {
  it('replaces a trapped instance and keeps serving', async () => {
    expect((await get('faulty', '/trap')).status).toBe(500);
    const after = await get('faulty', '/ok');
    expect(after.status).toBe(200);
    expect(JSON.parse(after.body).served).toBe(1); // a fresh instance
    expect((await get('hello', '/')).status).toBe(200);
  });

  it('stops a request past its time limit with 503 and recovers', async () => {
    const [looped, other] = await Promise.all([get('faulty', '/loop'), get('hello', '/during-loop')]);
    expect(looped.status).toBe(503);
    expect(JSON.parse(looped.body).error).toBe('timeout');
    expect(other.status).toBe(200);
    expect((await get('faulty', '/ok')).status).toBe(200);
  });

  it('stops a guest over its memory limit and recovers', async () => {
    const result = await get('faulty', '/alloc');
    expect([500, 503]).toContain(result.status);
    expect((await get('faulty', '/ok')).status).toBe(200);
    expect((await get('hello', '/')).status).toBe(200);
  });

  it('fails to start with a hint naming the ephemeral range when an outgoing connection holds its port', async () => {
    // as on a machine whose port pick (bench:estate's BENCH_PORT_BASE) lies where clients take local ports
    const client = connectTcp(db.port, '127.0.0.1');
    await new Promise((resolve) => client.once('connect', resolve));
    const port = client.localPort!;
    const config = parseHostConfig(
      JSON.stringify({ components: [{ name: 'held', wasm: wasm.hello, port }] }),
      'held.json',
    );
    const error = await createHost({ config: { ...config, cacheDir: join(dir, 'cache') }, logger })
      .catch((e: unknown) => e)
      .finally(() => client.destroy());
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toContain(
      `cannot listen on 127.0.0.1:${port} for held (components[0].port)`,
    );
    expect((error as AppError).hint).toContain('ephemeral range');
  });

  it('refuses to load a component importing an interface the host does not give', async () => {
    const config = parseHostConfig(
      JSON.stringify({ components: [{ name: 'unknown', wasm: wasm.unknown }] }),
      'u.json',
    );
    const error = await createHost({ config: { ...config, cacheDir: join(dir, 'cache') }, logger }).catch(
      (e: unknown) => e,
    );
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toContain('acme:unknown/thing@1.0.0');
    const sqlWithoutGrant = parseHostConfig(
      JSON.stringify({ components: [{ name: 'sql', wasm: wasm.sql, capabilities: ['config'] }] }),
      's.json',
    );
    const error2 = await createHost({
      config: { ...sqlWithoutGrant, cacheDir: join(dir, 'cache') },
      logger,
    }).catch((e: unknown) => e);
    expect((error2 as Error).message).toContain('wasmcloud:postgres/');
    expect((await get('hello', '/')).status).toBe(200);
  });
});
