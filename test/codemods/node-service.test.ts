import { execFile } from 'node:child_process';
import { cp, mkdtemp, readFile, rm, symlink } from 'node:fs/promises';
import type { AddressInfo } from 'node:net';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { promisify } from 'node:util';
import pg from 'pg';
import { connect, type NatsConnection } from 'nats';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/run-cli.ts';

const exec = promisify(execFile);
const FIXTURE = resolve('test/codemods/fixtures/node-service');
const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const suffix = `${process.pid}_${Date.now()}`;
const TABLE = `codemod_orders_${suffix}`;
const SUBJECT = `codemod.order-placed.${suffix}`;

interface AppModule {
  createApp(): { listen(port: number, done: () => void): Server };
}
interface EventsModule {
  seen: string[];
}

async function copyFixture(): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-codemod-'));
  await cp(FIXTURE, dir, { recursive: true });
  await symlink(resolve('node_modules'), join(dir, 'node_modules'));
  return dir;
}

async function listen(server: Server): Promise<string> {
  if (!server.listening) await new Promise<void>((done) => server.once('listening', done));
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

/** Polls until `check` holds, or a bound for what never comes (delivery takes milliseconds, seconds when busy). */
async function waitFor(check: () => boolean): Promise<void> {
  const deadline = Date.now() + 90_000;
  while (!check() && Date.now() < deadline) await new Promise((r) => setTimeout(r, 50));
}

describe('hand-written Node service (express + pg + nats + fetch + env + randomUUID + console)', () => {
  let db: pg.Pool;
  let nc: NatsConnection;
  let inventory: Server;
  const published: string[] = [];
  const dirs: string[] = [];
  const servers: Server[] = [];

  beforeAll(async () => {
    db = new pg.Pool({ connectionString: DATABASE_URL });
    await db.query(`CREATE TABLE ${TABLE} (order_number text primary key, sku_code text, quantity int)`);
    nc = await connect({ servers: '127.0.0.1:4222' });
    nc.subscribe(SUBJECT, {
      callback: (_e, m) => published.push(m.json<{ orderNumber: string }>().orderNumber),
    });
    inventory = createServer((req, res) => {
      res.setHeader('content-type', 'application/json');
      res.end(JSON.stringify({ inStock: !(req.url ?? '').includes('none') }));
    }).listen(0);
    const inventoryUrl = await listen(inventory);
    Object.assign(process.env, {
      DATABASE_URL,
      NATS_URL: '127.0.0.1:4222',
      ORDERS_TABLE: TABLE,
      ORDER_SUBJECT: SUBJECT,
      INVENTORY_URL: inventoryUrl,
    });
  });

  afterAll(async () => {
    for (const s of servers) s.close();
    inventory.close();
    await db.query(`DROP TABLE IF EXISTS ${TABLE}`);
    await Promise.all([db.end(), nc.drain()]);
    await Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true })));
  });

  async function placeOrder(dir: string): Promise<string> {
    const app = (await import(join(dir, 'src/app.ts'))) as AppModule;
    const server = app.createApp().listen(0, () => undefined);
    servers.push(server);
    const base = await listen(server);
    const created = await fetch(`${base}/api/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ skuCode: 'iphone_13', quantity: 2 }),
    });
    expect(created.status).toBe(201);
    const { orderNumber } = (await created.json()) as { orderNumber: string };
    const rejected = await fetch(`${base}/api/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ skuCode: 'none', quantity: 1 }),
    });
    expect(rejected.status).toBe(409);
    const read = await fetch(`${base}/api/order/${orderNumber}`);
    expect(await read.json()).toEqual({ order_number: orderNumber, sku_code: 'iphone_13', quantity: 2 });
    const { rows } = await db.query(`SELECT quantity FROM ${TABLE} WHERE order_number = $1`, [orderNumber]);
    expect(rows).toEqual([{ quantity: 2 }]);
    const events = (await import(join(dir, 'src/events.ts'))) as EventsModule;
    await waitFor(() => published.includes(orderNumber) && events.seen.includes(orderNumber));
    expect(published).toContain(orderNumber);
    expect(events.seen).toContain(orderNumber);
    return orderNumber;
  }

  it('writes the row and publishes the event before the codemod', async () => {
    const dir = await copyFixture();
    dirs.push(dir);
    await placeOrder(dir);
  });

  it('still does after the codemod, bound to the Node facade, and a second run changes nothing', async () => {
    const dir = await copyFixture();
    dirs.push(dir);
    const dry = await runCliCaptured(['codemod', dir, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('+    const orderNumber = caps.random.uuid();');
    expect(await readFile(join(dir, 'src/app.ts'), 'utf8')).toContain('crypto.randomUUID()');

    const run = await runCliCaptured(['codemod', dir, '--json']);
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      files: { path: string; notes: unknown[] }[];
      written: string[];
    };
    expect(report.written).toContain('src/caps/capabilities.ts');
    expect(report.files.flatMap((f) => f.notes)).toEqual([]);

    const sources = await Promise.all(
      ['app.ts', 'db.ts', 'events.ts', 'server.ts'].map((f) => readFile(join(dir, 'src', f), 'utf8')),
    );
    for (const text of sources) {
      expect(text).not.toMatch(/from 'pg'|from 'nats'|process\.env|console\.|crypto\.randomUUID/);
    }

    const again = await runCliCaptured(['codemod', dir]);
    expect(again.stdout.trim()).toBe('nothing to change');

    // The transformed service type-checks under --strict.
    await exec(process.execPath, [
      resolve('node_modules/typescript/bin/tsc'),
      '-p',
      join(dir, 'tsconfig.json'),
    ]);

    const facade = (await import(
      join(dir, 'src/caps/capabilities.ts')
    )) as typeof import('../../codemods/facade/capabilities.ts');
    const node = (await import(
      join(dir, 'src/caps/node.ts')
    )) as typeof import('../../codemods/facade/node.ts');
    const connection = await node.connectNodeCapabilities();
    facade.bindCapabilities(connection.binding);
    try {
      await placeOrder(dir);
    } finally {
      await connection.close();
    }
  }, 600_000); // codemods the service and type-checks it with tsc: minutes of CPU on a busy machine
});
