// order-service and notification-service ported (`migrate port`), codemodded and built for wasmCloud, served as
// components in one host with the ported inventory-service, against the real Postgres and NATS: order calls
// inventory over wasi:http/outgoing-handler and publishes on wasmcloud:messaging/consumer; notification receives
// the event through its exported wasmcloud:messaging/handler.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltService } from '../helpers/components.ts';
import type { BuiltService } from '../../codemods/build/build-service.ts';
import { createHost, type Host, type HostResponse } from '../../bridge/host/host.ts';
import { parseHostConfig } from '../../bridge/host/config.ts';

const ESTATE = join(import.meta.dirname, '../../samples/spring-orders');
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NATS_URL = 'nats://127.0.0.1:4222';
const RUN = `order_notification_${process.pid}`;
const ORDERS_SCHEMA = `${RUN}_orders`;
const INVENTORY_SCHEMA = `${RUN}_inventory`;
const SUBJECT = `${RUN}.orders.placed`;

let dir = '';
let host: Host | undefined;
let nc: NatsConnection | undefined;
const built = new Map<string, BuiltService>();
/** What the components logged (wasi:logging), by level and component. */
const logs: string[] = [];

/** A port nothing listens on now (for inventory, which must be known before the host starts). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

async function createSchemas(): Promise<void> {
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  try {
    for (const [schema, service, files] of [
      [ORDERS_SCHEMA, 'order-service', ['schema.sql']],
      [INVENTORY_SCHEMA, 'inventory-service', ['schema.sql', 'data.sql']],
    ] as const) {
      await db.query(
        `DROP SCHEMA IF EXISTS ${schema} CASCADE; CREATE SCHEMA ${schema}; SET search_path = ${schema};`,
      );
      for (const file of files)
        await db.query(await readFile(join(ESTATE, service, 'src/main/resources', file), 'utf8'));
    }
  } finally {
    await db.end();
  }
}

const postgres = (schema: string): { url: string; poolSize: number } => ({
  url: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
  // One connection: the ported save() runs BEGIN … COMMIT as separate queries (see beforeAll).
  poolSize: 1,
});

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-order-notification-'));
  await createSchemas();
  nc = await connect({ servers: NATS_URL });

  // Ported, codemodded and built for wasmcloud once per test run by the global setup (test/setup).
  for (const service of ['order-service', 'notification-service', 'inventory-service'])
    built.set(service, getBuiltService(service, 'wasmcloud'));
  const order = built.get('order-service')!.root;
  // save() runs its transaction through caps.sql.transaction (the sql transform): no pool in the component.
  const repository = await readFile(join(order, 'src/repository/order-repository.ts'), 'utf8');
  expect(repository).toContain('return caps.sql.transaction(async (tx) => {');
  expect(repository).not.toContain('.connect()');

  const inventoryPort = await freePort();
  const common = { limits: { instances: 1, timeoutMs: 60_000, memoryMb: 128 } };
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: { nats: { url: NATS_URL } },
      components: [
        {
          name: 'inventory',
          wasm: built.get('inventory-service')!.out,
          port: inventoryPort,
          capabilities: ['sql', 'clocks', 'config', 'logging'],
          backends: { postgres: postgres(INVENTORY_SCHEMA) },
          ...common,
        },
        {
          name: 'order',
          wasm: built.get('order-service')!.out,
          capabilities: ['sql', 'messaging', 'http-out', 'clocks', 'random', 'config', 'logging'],
          backends: { postgres: postgres(ORDERS_SCHEMA) },
          allowedHosts: [`127.0.0.1:${inventoryPort}`],
          config: { INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`, NATS_SUBJECT: SUBJECT },
          ...common,
        },
        {
          name: 'order-no-inventory',
          wasm: built.get('order-service')!.out,
          capabilities: ['sql', 'messaging', 'http-out', 'clocks', 'random', 'config', 'logging'],
          backends: { postgres: postgres(ORDERS_SCHEMA) },
          // Nothing listens on port 1: the call is refused, as when inventory is down.
          allowedHosts: ['127.0.0.1:1'],
          config: { INVENTORY_URL: 'http://127.0.0.1:1', NATS_SUBJECT: SUBJECT },
          ...common,
        },
        {
          name: 'order-denied',
          wasm: built.get('order-service')!.out,
          capabilities: ['sql', 'messaging', 'http-out', 'clocks', 'random', 'config', 'logging'],
          backends: { postgres: postgres(ORDERS_SCHEMA) },
          // Inventory is up, but not in this component's allowedHosts.
          config: { INVENTORY_URL: `http://127.0.0.1:${inventoryPort}`, NATS_SUBJECT: SUBJECT },
          ...common,
        },
        {
          name: 'notification',
          wasm: built.get('notification-service')!.out,
          capabilities: ['messaging', 'clocks', 'config', 'logging'],
          subscriptions: [SUBJECT],
          config: { NATS_SUBJECT: SUBJECT },
          ...common,
        },
      ],
    }),
    'order-notification.json',
  );
  host = await createHost({
    config,
    logger: { log: (level, component, message) => logs.push(`${level} ${component} ${message}`) },
  });
});

afterAll(async () => {
  await host?.close();
  await nc?.close();
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(
    `DROP SCHEMA IF EXISTS ${ORDERS_SCHEMA} CASCADE; DROP SCHEMA IF EXISTS ${INVENTORY_SCHEMA} CASCADE`,
  );
  await db.end();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const encoder = new TextEncoder();
const json = (response: HostResponse): unknown => JSON.parse(new TextDecoder().decode(response.body));

function placeOrder(component: string, items: { skuCode: string; price: number; quantity: number }[]) {
  return host!.handle(component, {
    method: 'POST',
    path: '/api/order',
    headers: [['content-type', 'application/json']],
    body: encoder.encode(JSON.stringify({ orderLineItemsDtoList: items })),
  });
}

async function notifications(): Promise<{ orderNumber: string; items: unknown[] }[]> {
  const response = await host!.handle('notification', { method: 'GET', path: '/api/notification' });
  expect(response.status).toBe(200);
  return json(response) as { orderNumber: string; items: unknown[] }[];
}

/** Reads until `done` (or a bound for what never comes: delivery takes milliseconds, seconds when busy). */
async function waitFor<T>(read: () => Promise<T>, done: (value: T) => boolean, ms = 90_000): Promise<T> {
  const until = Date.now() + ms;
  for (;;) {
    const value = await read();
    if (done(value) || Date.now() > until) return value;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('order-service and notification-service as components', () => {
  it('plans the world from what each service does: order publishes and calls out, notification subscribes', () => {
    const order = built.get('order-service')!;
    expect(order.plan.imports).toEqual(
      expect.arrayContaining(['wasi:http/outgoing-handler@0.2.10', 'wasmcloud:messaging/consumer@0.2.0']),
    );
    expect(order.exports).toEqual(['wasi:http/incoming-handler@0.2.10']);
    const notification = built.get('notification-service')!;
    expect(notification.plan.imports).not.toContain('wasmcloud:messaging/consumer@0.2.0');
    // It calls nobody: the port writes no RestClient runtime into it, so its world plans no outgoing HTTP.
    expect(notification.plan.imports).not.toContain('wasi:http/outgoing-handler@0.2.10');
    expect(notification.exports).toEqual([
      'wasi:http/incoming-handler@0.2.10',
      'wasmcloud:messaging/handler@0.2.0',
    ]);
  });

  it('lists no orders before any is placed', async () => {
    const listed = await host!.handle('order', { method: 'GET', path: '/api/order' });
    expect(listed.status).toBe(200);
    expect(json(listed)).toEqual([]);
  });

  it('places an order: inventory checked over HTTP, rows written, the event published and received', async () => {
    const items = [
      { skuCode: 'iphone_13', price: 1200, quantity: 1 },
      { skuCode: 'galaxy_s24', price: 999.5, quantity: 2 },
    ];
    const response = await placeOrder('order', items);
    expect(new TextDecoder().decode(response.body)).toContain('orderNumber');
    expect(response.status).toBe(201);
    const { orderNumber } = json(response) as { orderNumber: string };
    expect(orderNumber).toMatch(/^[0-9a-f-]{36}$/);

    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    try {
      const orders = await db.query(`SELECT id FROM ${ORDERS_SCHEMA}.t_orders WHERE order_number = $1`, [
        orderNumber,
      ]);
      expect(orders.rowCount).toBe(1);
      const lines = await db.query(
        `SELECT sku_code, price::text, quantity FROM ${ORDERS_SCHEMA}.t_order_line_items WHERE order_id = $1 ORDER BY sku_code`,
        [orders.rows[0].id],
      );
      expect(lines.rows).toEqual([
        { sku_code: 'galaxy_s24', price: '999.50', quantity: 2 },
        { sku_code: 'iphone_13', price: '1200.00', quantity: 1 },
      ]);
    } finally {
      await db.end();
    }

    const received = await waitFor(notifications, (list) => list.some((n) => n.orderNumber === orderNumber));
    expect(received.find((n) => n.orderNumber === orderNumber)?.items).toEqual(items);
    expect(logs).toContain(`info notification Received notification for order ${orderNumber}`);
  });

  // The line items are read with `order_id = ANY($1)`: an int4-array parameter through the host.
  it('lists placed orders with their line items', async () => {
    const listed = await host!.handle('order', { method: 'GET', path: '/api/order' });
    expect(listed.status).toBe(200);
    expect(json(listed)).toEqual(
      expect.arrayContaining([
        expect.objectContaining({ items: expect.arrayContaining([expect.anything()]) }),
      ]),
    );
  });

  it('answers 409 when inventory says out of stock and 422 for an unknown sku, writing nothing', async () => {
    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    const count = async (): Promise<string> =>
      (await db.query(`SELECT count(*) AS n FROM ${ORDERS_SCHEMA}.t_orders`)).rows[0].n as string;
    try {
      const before = await count();
      const outOfStock = await placeOrder('order', [{ skuCode: 'pixel_8', price: 700, quantity: 1 }]);
      expect(outOfStock.status).toBe(409);
      expect(json(outOfStock)).toMatchObject({ status: 409, message: expect.stringContaining('pixel_8') });
      const unknown = await placeOrder('order', [{ skuCode: 'nokia_3310', price: 50, quantity: 1 }]);
      expect(unknown.status).toBe(422);
      expect(json(unknown)).toMatchObject({ status: 422, message: expect.stringContaining('nokia_3310') });
      expect(await count()).toBe(before);
    } finally {
      await db.end();
    }
  });

  it.each([
    ['cannot be reached', 'order-no-inventory', 'connection-refused'],
    ['is not an allowed host', 'order-denied', 'HTTP-request-denied'],
  ])('answers 503 when inventory %s', async (_, component, reason) => {
    const response = await placeOrder(component, [{ skuCode: 'iphone_13', price: 1, quantity: 1 }]);
    expect(response.status).toBe(503);
    expect(json(response)).toMatchObject({ status: 503, message: 'Inventory service is unavailable' });
    // The ported RestClient wrapped the capability error as Spring's RestClientException, which was logged.
    expect(logs.join('\n')).toContain(`http capability failed: ${reason}`);
  });

  it('hands a NATS message to the notification component; a message it cannot read is dropped, not fatal', async () => {
    const orderNumber = `direct-${process.pid}`;
    nc!.publish(SUBJECT, encoder.encode('not json'));
    nc!.publish(SUBJECT, encoder.encode(JSON.stringify({ orderNumber, items: [] })));
    const received = await waitFor(notifications, (list) => list.some((n) => n.orderNumber === orderNumber));
    expect(received.map((n) => n.orderNumber)).toContain(orderNumber);
    expect(
      logs.some((line) => line.startsWith(`warn notification Ignoring unreadable message on '${SUBJECT}'`)),
    ).toBe(true);
    const unmatched = await host!.deliver('notification', {
      subject: `${RUN}.other`,
      body: new Uint8Array(),
    });
    expect(unmatched).toMatchObject({
      type: 'message-handled',
      error: `no subscription matches ${RUN}.other`,
    });
  });
});
