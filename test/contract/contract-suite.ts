import { Redis } from 'ioredis';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

/**
 * Where an implementation of the spring-orders estate runs. The same suite runs against the Spring
 * services and against their WebAssembly ports: only these addresses change.
 */
export interface ContractTarget {
  /** Shown in the suite's title, e.g. `spring` or `wasm`. */
  name: string;
  /** Base URL of order-service, without a trailing slash. */
  orderUrl: string;
  /** Base URL of inventory-service. */
  inventoryUrl: string;
  /** Base URL of product-service. */
  productUrl: string;
  /** Base URL of notification-service. */
  notificationUrl: string;
  /** The Postgres database and schema that order and inventory write to. */
  pg: { connectionString: string; schema: string };
  /** The Redis server and database index that product writes to. */
  redis: { url: string; db: number };
}

/** A target known when the suite is defined, or a named one resolved once an outer `beforeAll` has run. */
export type ContractTargetSource = ContractTarget | { name: string; resolve: () => ContractTarget };

export interface JsonResponse {
  status: number;
  contentType: string;
  body: unknown;
}

interface LineItem {
  skuCode: string;
  price: number;
  quantity: number;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A bound for an event that never comes: delivery takes milliseconds, seconds on a busy machine. */
const NOTIFICATION_WAIT_MS = 90_000;

export async function request(method: 'GET' | 'POST', url: string, body?: unknown): Promise<JsonResponse> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = typeof body === 'string' ? body : JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // Not JSON: keep the raw text so the assertion shows it.
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed };
}

export function expectJsonError(response: JsonResponse, status: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({ status });
  expect(response.contentType).toMatch(/json/);
  expect(response.body).toEqual(expect.objectContaining({ message: expect.any(String) }));
  expect((response.body as { message: string }).message.length).toBeGreaterThan(0);
}

export function quoteIdent(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}

/** Plain numbers for prices so that `1200`, `1200.0` and `"1200.00"` compare equal. */
function normaliseItems(
  items: readonly { skuCode: string; price: unknown; quantity: unknown }[],
): LineItem[] {
  return items.map((i) => ({ skuCode: i.skuCode, price: Number(i.price), quantity: Number(i.quantity) }));
}

export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** The parts of the contract, one per service (plus health, which asks all four). */
export type ContractGroup = 'inventory' | 'orders' | 'products' | 'health';

export interface ContractSuiteOptions {
  /** Run only these groups (the others are not registered): for a target that runs some services only. */
  only?: readonly ContractGroup[];
}

/**
 * Registers the contract of the spring-orders estate as vitest suites: status codes, bodies, the rows written
 * to Postgres, the hashes written to Redis and the events delivered over NATS (seen through notification).
 */
export function defineContractSuite(source: ContractTargetSource, options: ContractSuiteOptions = {}): void {
  // Groups a target does not run are not registered at all (not skipped): a partial target says so in its name.
  const group = (name: ContractGroup, body: () => void): void => {
    if (options.only === undefined || options.only.includes(name)) describe(name, body);
  };
  describe(`spring-orders contract (${source.name})`, () => {
    let target: ContractTarget;
    let db: pg.Pool;
    let redis: Redis;
    const table = (name: string): string => `${quoteIdent(target.pg.schema)}.${quoteIdent(name)}`;

    async function countRows(): Promise<{ orders: number; items: number }> {
      const result = await db.query<{ orders: string; items: string }>(
        `SELECT (SELECT count(*) FROM ${table('t_orders')}) AS orders,
                (SELECT count(*) FROM ${table('t_order_line_items')}) AS items`,
      );
      const row = result.rows[0];
      return { orders: Number(row?.orders), items: Number(row?.items) };
    }

    async function placeOrder(items: LineItem[]): Promise<JsonResponse> {
      return request('POST', `${target.orderUrl}/api/order`, { orderLineItemsDtoList: items });
    }

    beforeAll(async () => {
      target = 'resolve' in source ? source.resolve() : source;
      db = new pg.Pool({ connectionString: target.pg.connectionString, max: 2 });
      redis = new Redis(target.redis.url, {
        db: target.redis.db,
        lazyConnect: true,
        maxRetriesPerRequest: 2,
      });
      await redis.connect();
    });

    afterAll(async () => {
      await db?.end();
      redis?.disconnect();
    });

    group('inventory', () => {
      it('answers exactly the known skus among several, with their stock state', async () => {
        const skus = ['iphone_13', 'pixel_8', 'galaxy_s24', 'no_such_sku'];
        const query = skus.map((s) => `skuCode=${encodeURIComponent(s)}`).join('&');
        const response = await request('GET', `${target.inventoryUrl}/api/inventory?${query}`);
        expect(response.status).toBe(200);
        expect(response.contentType).toMatch(/json/);
        const results = [...(response.body as { skuCode: string; inStock: boolean }[])];
        results.sort((a, b) => a.skuCode.localeCompare(b.skuCode));
        expect(results).toEqual([
          { skuCode: 'galaxy_s24', inStock: true },
          { skuCode: 'iphone_13', inStock: true },
          { skuCode: 'pixel_8', inStock: false },
        ]);
      });

      it('answers an empty list when no sku is known', async () => {
        const response = await request('GET', `${target.inventoryUrl}/api/inventory?skuCode=no_such_sku`);
        expect(response.status).toBe(200);
        expect(response.body).toEqual([]);
      });

      it('answers 400 with a message when skuCode is missing', async () => {
        expectJsonError(await request('GET', `${target.inventoryUrl}/api/inventory`), 400);
      });
    });

    group('orders', () => {
      const items: LineItem[] = [
        { skuCode: 'iphone_13', price: 1200, quantity: 1 },
        { skuCode: 'galaxy_s24', price: 999.5, quantity: 2 },
      ];
      let orderNumber = '';

      it('places an order: 201 with a UUID order number, and writes the order and its line items', async () => {
        const response = await placeOrder(items);
        expect(response.status).toBe(201);
        expect(response.contentType).toMatch(/json/);
        expect(Object.keys(response.body as object)).toEqual(['orderNumber']);
        orderNumber = (response.body as { orderNumber: string }).orderNumber;
        expect(orderNumber).toMatch(UUID);

        const orders = await db.query<{ id: string }>(
          `SELECT id FROM ${table('t_orders')} WHERE order_number = $1`,
          [orderNumber],
        );
        expect(orders.rows).toHaveLength(1);
        const lines = await db.query<{ sku_code: string; price: string; quantity: number }>(
          `SELECT sku_code, price, quantity FROM ${table('t_order_line_items')} WHERE order_id = $1 ORDER BY id`,
          [orders.rows[0]?.id],
        );
        expect(lines.rows).toEqual([
          { sku_code: 'iphone_13', price: '1200.00', quantity: 1 },
          { sku_code: 'galaxy_s24', price: '999.50', quantity: 2 },
        ]);
      });

      it(
        'delivers an order placed event to notification',
        async () => {
          expect(orderNumber).toMatch(UUID);
          const notification = await waitFor(
            'delivery of the order placed event',
            NOTIFICATION_WAIT_MS,
            async () => {
              const response = await request('GET', `${target.notificationUrl}/api/notification`);
              expect(response.status).toBe(200);
              const list = response.body as { orderNumber: string; items: LineItem[] }[];
              return list.find((n) => n.orderNumber === orderNumber);
            },
          );
          expect(normaliseItems(notification.items)).toEqual(items);
        },
        NOTIFICATION_WAIT_MS + 60_000,
      );

      it('lists orders by id with their items, including the placed one', async () => {
        expect(orderNumber).toMatch(UUID);
        const response = await request('GET', `${target.orderUrl}/api/order`);
        expect(response.status).toBe(200);
        const list = response.body as { id: number; orderNumber: string; items: LineItem[] }[];
        const ids = list.map((o) => o.id);
        expect(ids).toEqual([...ids].sort((a, b) => a - b));
        const placed = list.find((o) => o.orderNumber === orderNumber);
        expect(placed).toBeDefined();
        expect(normaliseItems(placed?.items ?? [])).toEqual(items);
      });

      it('answers 409 and writes nothing when a sku is out of stock', async () => {
        const before = await countRows();
        const response = await placeOrder([
          { skuCode: 'iphone_13', price: 1200, quantity: 1 },
          { skuCode: 'pixel_8', price: 799, quantity: 1 },
        ]);
        expectJsonError(response, 409);
        expect(await countRows()).toEqual(before);
      });

      it('answers 422 and writes nothing when a sku is unknown', async () => {
        const before = await countRows();
        const response = await placeOrder([
          { skuCode: 'iphone_13', price: 1200, quantity: 1 },
          { skuCode: 'no_such_sku', price: 1, quantity: 1 },
        ]);
        expectJsonError(response, 422);
        expect(await countRows()).toEqual(before);
      });

      it('answers 400 with a message for malformed JSON', async () => {
        const before = await countRows();
        expectJsonError(
          await request('POST', `${target.orderUrl}/api/order`, '{"orderLineItemsDtoList": [{'),
          400,
        );
        expect(await countRows()).toEqual(before);
      });

      it.each([
        ['an empty body object', {}],
        ['an empty item list', { orderLineItemsDtoList: [] }],
        ['an item without price and quantity', { orderLineItemsDtoList: [{ skuCode: 'iphone_13' }] }],
        ['an item without skuCode', { orderLineItemsDtoList: [{ price: 1, quantity: 1 }] }],
        [
          'a non-positive quantity',
          { orderLineItemsDtoList: [{ skuCode: 'iphone_13', price: 1, quantity: 0 }] },
        ],
      ])('answers 400 with a message for %s', async (_what, body) => {
        const before = await countRows();
        expectJsonError(await request('POST', `${target.orderUrl}/api/order`, body), 400);
        expect(await countRows()).toEqual(before);
      });
    });

    group('products', () => {
      const name = `contract-${Date.now()}-${Math.random().toString(36).slice(2, 8)}`;
      let id = '';

      it('creates a product: 201 with its id, stored as a Redis hash', async () => {
        const response = await request('POST', `${target.productUrl}/api/product`, {
          name,
          description: 'made by the contract suite',
          price: 19.99,
        });
        expect(response.status).toBe(201);
        expect(response.contentType).toMatch(/json/);
        expect(response.body).toEqual({
          id: expect.any(String),
          name,
          description: 'made by the contract suite',
          price: 19.99,
        });
        id = (response.body as { id: string }).id;
        expect(id.length).toBeGreaterThan(0);

        const stored = await findProductHash(redis, name);
        expect(stored?.key).toBe(`product:${id}`);
        expect(stored?.fields).toMatchObject({ id, name, description: 'made by the contract suite' });
        expect(Number(stored?.fields['price'])).toBe(19.99);
      });

      it('lists products, including the created one', async () => {
        expect(id).not.toBe('');
        const response = await request('GET', `${target.productUrl}/api/product`);
        expect(response.status).toBe(200);
        const list = response.body as { id: string; name: string; price: number }[];
        expect(list.find((p) => p.id === id)).toEqual({
          id,
          name,
          description: 'made by the contract suite',
          price: 19.99,
        });
      });

      it.each([
        ['malformed JSON', '{"name": '],
        ['a missing price', { name: 'no price' }],
        ['a blank name', { name: ' ', price: 1 }],
        ['a negative price', { name: 'negative', price: -1 }],
      ])('answers 400 with a message for %s', async (_what, body) => {
        expectJsonError(await request('POST', `${target.productUrl}/api/product`, body), 400);
      });
    });

    group('health', () => {
      it.each(['orderUrl', 'inventoryUrl', 'productUrl', 'notificationUrl'] as const)(
        'reports UP on /actuator/health for %s',
        async (key) => {
          const response = await request('GET', `${target[key]}/actuator/health`);
          expect(response.status).toBe(200);
          expect(response.body).toMatchObject({ status: 'UP' });
        },
      );
    });
  });
}

/** The hash whose `name` field is `name`, found by SCAN over the target's Redis database. */
async function findProductHash(
  redis: Redis,
  name: string,
): Promise<{ key: string; fields: Record<string, string> } | undefined> {
  let cursor = '0';
  do {
    const [next, keys] = await redis.scan(cursor, 'COUNT', 500);
    cursor = next;
    for (const key of keys) {
      if ((await redis.type(key)) !== 'hash') continue;
      const fields = await redis.hgetall(key);
      if (fields['name'] === name) return { key, fields };
    }
  } while (cursor !== '0');
  return undefined;
}
