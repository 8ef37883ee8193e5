/**
 * samples/node-shop in plain Node on the machine's Postgres, NATS and Redis: a schema of its own per run, the four
 * services on free ports, stopped together. Shared by the contract test and `npm run e2e:node-sample`.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import pg from 'pg';
import type { NodeShopTarget } from './node-shop-suite.ts';
import { getFreePort } from './spring-estate.ts';

export const NODE_SHOP_ROOT = fileURLToPath(new URL('../../samples/node-shop/', import.meta.url));
export const NODE_SHOP_SERVICES = ['catalog', 'cart', 'orders', 'notifier'] as const;
export type NodeShopService = (typeof NODE_SHOP_SERVICES)[number];

const REGISTER_NODE = 'src/caps/register-node.ts';
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
export const nodeShopDatabaseUrl = (schema: string): string =>
  `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`;

/** A bound for a hang: a service starts in well under a second on a quiet machine. */
const START_WAIT_MS = 120_000;

/** Creates `schema` afresh with the sample's tables and seed rows. */
export async function createNodeShopSchema(schema: string): Promise<void> {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}`);
    await db.query(`SET search_path = ${schema}`);
    await db.query(await readFile(join(NODE_SHOP_ROOT, 'schema.sql'), 'utf8'));
  } finally {
    await db.end();
  }
}

export async function dropNodeShopSchema(schema: string): Promise<void> {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    await db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`);
  } finally {
    await db.end();
  }
}

/** Polls `url` until it answers 200, the process exits, or the bound passes. */
export async function waitHealthy(url: string, child?: ChildProcess, output?: () => string): Promise<void> {
  const deadline = Date.now() + START_WAIT_MS;
  while (Date.now() < deadline) {
    if (child !== undefined && child.exitCode !== null) {
      throw new Error(`${url}: the process exited (${child.exitCode}):\n${output?.() ?? ''}`);
    }
    try {
      if ((await fetch(url)).status === 200) return;
    } catch {
      // not listening yet
    }
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`${url} did not answer 200 within ${START_WAIT_MS / 1000} s:\n${output?.() ?? ''}`);
}

export interface NodeShopEstate {
  target: NodeShopTarget;
  urls: Record<NodeShopService, string>;
  /** Each service's stdout and stderr so far. */
  logs: Record<NodeShopService, () => string>;
  stop: () => Promise<void>;
}

/**
 * Starts the four services with `node` (this process's binary) in `root` (the sample, or a copy of it); a codemodded
 * copy is started with its facade's `register-node.ts` preloaded.
 */
export async function startNodeShop(
  options: { root?: string; schema?: string; subject?: string; redisUrl?: string } = {},
): Promise<NodeShopEstate> {
  const root = options.root ?? NODE_SHOP_ROOT;
  const schema = options.schema ?? `node_shop_${process.pid}`;
  const subject = options.subject ?? `shop.order-placed.${process.pid}`;
  await createNodeShopSchema(schema);
  const ports = await Promise.all(NODE_SHOP_SERVICES.map(() => getFreePort()));
  const urls = Object.fromEntries(
    NODE_SHOP_SERVICES.map((service, i) => [service, `http://127.0.0.1:${ports[i]}`]),
  ) as Record<NodeShopService, string>;
  const env: NodeJS.ProcessEnv = {
    DATABASE_URL: nodeShopDatabaseUrl(schema),
    REDIS_URL: options.redisUrl ?? 'redis://127.0.0.1:6379',
    NODE_ENV: 'production', // as the images run them (express then answers an error with its reason phrase)
    NATS_URL: '127.0.0.1:4222',
    ORDER_SUBJECT: subject,
    CATALOG_URL: urls.catalog,
    CART_URL: urls.cart,
  };
  const children: ChildProcess[] = [];
  const logs = {} as Record<NodeShopService, () => string>;
  const stop = async (): Promise<void> => {
    await Promise.all(
      children.map(
        (child) =>
          new Promise<void>((done) => {
            if (child.exitCode !== null || child.signalCode !== null) return done();
            child.once('exit', () => done());
            child.kill('SIGTERM');
          }),
      ),
    );
    await dropNodeShopSchema(schema);
  };
  try {
    await Promise.all(
      NODE_SHOP_SERVICES.map(async (service, i) => {
        const dir = join(root, service);
        const pkg = JSON.parse(await readFile(join(dir, 'package.json'), 'utf8')) as { main: string };
        // A codemodded copy runs with the facade bound to pg, nats and ioredis, as `migrate codemod` says to.
        const preload = existsSync(join(dir, REGISTER_NODE)) ? ['--import', `./${REGISTER_NODE}`] : [];
        const child = spawn(process.execPath, [...preload, pkg.main], {
          cwd: dir,
          env: { ...process.env, ...env, PORT: String(ports[i]) },
          stdio: ['ignore', 'pipe', 'pipe'],
        });
        children.push(child);
        let output = '';
        child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
        child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
        logs[service] = () => output;
        await waitHealthy(`${urls[service]}/health`, child, logs[service]);
      }),
    );
  } catch (error) {
    await stop();
    throw error;
  }
  return {
    target: {
      name: 'node',
      catalogUrl: urls.catalog,
      cartUrl: urls.cart,
      ordersUrl: urls.orders,
      notifierUrl: urls.notifier,
      databaseUrl: nodeShopDatabaseUrl(schema),
    },
    urls,
    logs,
    stop,
  };
}
