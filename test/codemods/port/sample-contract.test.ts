import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { portJavaSources, readJavaSources } from '../../../codemods/index.ts';
import { defineContractSuite } from '../../contract/contract-suite.ts';
import { getFreePort } from '../../contract/spring-estate.ts';
import { claimRedisDatabase } from '../../helpers/redis-db.ts';
import type { Redis } from 'ioredis';
import { typeCheck, writeProject } from './helpers.ts';

// The four spring-orders services, ported and run in plain Node against the real Postgres, NATS and Redis.
const ESTATE = join(import.meta.dirname, '../../../samples/spring-orders');
const PG_URL = 'postgres://postgres:postgres@127.0.0.1:5432/test';
const SCHEMA = `port_contract_${process.pid}`;
/** A Redis database of this file's own (claimed in beforeAll, flushed in afterAll). */
let REDIS_DB = -1;
let redis: Redis | undefined;
/** Free loopback ports, picked before the services start (order must know inventory's). */
const PORTS = { inventory: 0, order: 0, product: 0, notification: 0 };
const SERVICES = ['inventory-service', 'order-service', 'product-service', 'notification-service'] as const;

let dir = '';
const children: ChildProcess[] = [];
const summary = { methods: 0, methods_todo: 0 };

async function waitForHealth(url: string, child: ChildProcess, log: () => string): Promise<void> {
  // A bound for a service that hangs: a start takes seconds, many on a busy machine.
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    if (child.exitCode !== null) throw new Error(`service exited early:\n${log()}`);
    try {
      if ((await fetch(`${url}/actuator/health`)).ok) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`service at ${url} did not become healthy:\n${log()}`);
}

function start(service: string, port: number, env: NodeJS.ProcessEnv): Promise<void> {
  const child = spawn(process.execPath, ['src/main.ts'], {
    cwd: join(dir, service),
    env: {
      ...process.env,
      SERVER_PORT: String(port),
      DB_SCHEMA: SCHEMA,
      REDIS_DATABASE: String(REDIS_DB),
      ...env,
    },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (c: Buffer) => (output += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (output += c.toString()));
  children.push(child);
  return waitForHealth(`http://127.0.0.1:${port}`, child, () => output);
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-sample-'));
  for (const service of SERVICES) {
    const ported = await portJavaSources(service, await readJavaSources(join(ESTATE, service)));
    summary.methods += ported.report.methods;
    summary.methods_todo += ported.report.methods_todo;
    await writeProject(join(dir, service), ported.files);
  }
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const resources = (s: string, f: string): Promise<string> =>
    readFile(join(ESTATE, s, 'src/main/resources', f), 'utf8');
  await db.query(
    `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; SET search_path = ${SCHEMA};`,
  );
  await db.query(await resources('inventory-service', 'schema.sql'));
  await db.query(await resources('inventory-service', 'data.sql'));
  await db.query(await resources('order-service', 'schema.sql'));
  await db.end();
  for (const service of Object.keys(PORTS) as (keyof typeof PORTS)[]) PORTS[service] = await getFreePort();
  ({ db: REDIS_DB, client: redis } = await claimRedisDatabase());
  await start('inventory-service', PORTS.inventory, {});
  await start('notification-service', PORTS.notification, { NATS_SUBJECT: `orders.placed.${SCHEMA}` });
  await start('order-service', PORTS.order, {
    INVENTORY_URL: `http://127.0.0.1:${PORTS.inventory}`,
    NATS_SUBJECT: `orders.placed.${SCHEMA}`,
  });
  await start('product-service', PORTS.product, {});
});

afterAll(async () => {
  for (const child of children) child.kill('SIGTERM');
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await db.end();
  if (redis !== undefined) {
    await redis.flushdb();
    redis.disconnect();
  }
  if (dir) await rm(dir, { recursive: true, force: true });
});

it('ports the four sample services with no TODOs, into projects that pass tsc --strict', () => {
  expect(summary).toEqual({ methods: expect.any(Number), methods_todo: 0 });
  for (const service of SERVICES) expect(typeCheck(join(dir, service))).toEqual([]);
}, 600_000);

defineContractSuite({
  name: 'ported to TypeScript, plain Node',
  resolve: () => ({
    name: 'ported',
    orderUrl: `http://127.0.0.1:${PORTS.order}`,
    inventoryUrl: `http://127.0.0.1:${PORTS.inventory}`,
    productUrl: `http://127.0.0.1:${PORTS.product}`,
    notificationUrl: `http://127.0.0.1:${PORTS.notification}`,
    pg: { connectionString: PG_URL, schema: SCHEMA },
    redis: { url: 'redis://127.0.0.1:6379', db: REDIS_DB },
  }),
});
