import pg from 'pg';
import { describe, expect, it } from 'vitest';

/**
 * Where an implementation of samples/node-shop runs: the same suite runs against the services in plain Node and
 * against their WebAssembly components; only these addresses change.
 */
export interface NodeShopTarget {
  /** Shown in the suite's title, e.g. `node` or `wasm`. */
  name: string;
  catalogUrl: string;
  cartUrl: string;
  ordersUrl: string;
  notifierUrl: string;
  /** The database and schema catalog and orders write to (a URL whose options set the search_path). */
  databaseUrl: string;
}

/** A target known when the suite is defined, or one resolved once an outer `beforeAll` has run. */
export type NodeShopTargetSource = NodeShopTarget | { name: string; resolve: () => NodeShopTarget };

interface JsonResponse {
  status: number;
  contentType: string;
  body: unknown;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
/** A bound for an event that never comes: delivery takes milliseconds, seconds on a busy machine. */
const EVENT_WAIT_MS = 90_000;

async function request(method: string, url: string, body?: unknown): Promise<JsonResponse> {
  const init: RequestInit = { method, headers: { accept: 'application/json' } };
  if (body !== undefined) {
    init.headers = { ...init.headers, 'content-type': 'application/json' };
    init.body = JSON.stringify(body);
  }
  const response = await fetch(url, init);
  const text = await response.text();
  let parsed: unknown = text;
  try {
    parsed = text === '' ? undefined : JSON.parse(text);
  } catch {
    // not JSON: keep the text so that the assertion shows it
  }
  return { status: response.status, contentType: response.headers.get('content-type') ?? '', body: parsed };
}

function expectJsonError(response: JsonResponse, status: number): void {
  expect({ status: response.status, body: response.body }).toMatchObject({
    status,
    body: { message: expect.any(String) },
  });
  expect(response.contentType).toMatch(/json/);
}

const runId = `${process.pid}-${Date.now().toString(36)}`;
let carts = 0;
const newCartId = (): string => `c-${runId}-${(carts += 1)}`;

export function defineNodeShopSuite(source: NodeShopTargetSource): void {
  const target = (): NodeShopTarget => ('resolve' in source ? source.resolve() : source);

  describe(`node-shop contract (${source.name})`, () => {
    it('answers health on every service', async () => {
      const { catalogUrl, cartUrl, ordersUrl, notifierUrl } = target();
      for (const base of [catalogUrl, cartUrl, ordersUrl, notifierUrl]) {
        const health = await request('GET', `${base}/health`);
        expect({ base, status: health.status, body: health.body }).toEqual({
          base,
          status: 200,
          body: { status: 'UP' },
        });
      }
    });

    it('lists the seeded products and reads one by sku', async () => {
      const { catalogUrl } = target();
      const list = await request('GET', `${catalogUrl}/api/products`);
      expect(list.status).toBe(200);
      expect(list.body).toEqual(
        expect.arrayContaining([
          { sku: 'kettle', name: 'Kettle', priceCents: 2999 },
          { sku: 'mug', name: 'Mug', priceCents: 650 },
        ]),
      );
      const one = await request('GET', `${catalogUrl}/api/products/teapot`);
      expect(one).toMatchObject({ status: 200, body: { sku: 'teapot', name: 'Teapot', priceCents: 1850 } });
      expectJsonError(await request('GET', `${catalogUrl}/api/products/no-such-thing`), 404);
    });

    it('creates a product once, refuses a duplicate (409) and an invalid one (400)', async () => {
      const { catalogUrl } = target();
      const sku = `spoon-${runId}`;
      const product = { sku, name: 'Spoon', priceCents: 120 };
      expect(await request('POST', `${catalogUrl}/api/products`, product)).toMatchObject({
        status: 201,
        body: product,
      });
      expect(await request('GET', `${catalogUrl}/api/products/${sku}`)).toMatchObject({
        status: 200,
        body: product,
      });
      expectJsonError(await request('POST', `${catalogUrl}/api/products`, product), 409);
      expectJsonError(await request('POST', `${catalogUrl}/api/products`, { sku: 'Bad Sku', name: '' }), 400);
    });

    it('keeps a cart: items sorted by sku, a re-added item replaced, a bad quantity refused', async () => {
      const { cartUrl } = target();
      const cartId = newCartId();
      expect(await request('GET', `${cartUrl}/api/carts/${cartId}`)).toMatchObject({
        status: 200,
        body: { cartId, items: [] },
      });
      await request('PUT', `${cartUrl}/api/carts/${cartId}/items/mug`, { quantity: 1 });
      await request('PUT', `${cartUrl}/api/carts/${cartId}/items/kettle`, { quantity: 1 });
      const put = await request('PUT', `${cartUrl}/api/carts/${cartId}/items/mug`, { quantity: 3 });
      const items = [
        { sku: 'kettle', quantity: 1 },
        { sku: 'mug', quantity: 3 },
      ];
      expect(put).toMatchObject({ status: 200, body: { cartId, items } });
      expect(await request('GET', `${cartUrl}/api/carts/${cartId}`)).toMatchObject({
        status: 200,
        body: { cartId, items },
      });
      expectJsonError(await request('PUT', `${cartUrl}/api/carts/${cartId}/items/mug`, { quantity: 0 }), 400);
      expect((await request('DELETE', `${cartUrl}/api/carts/${cartId}`)).status).toBe(204);
      expect((await request('GET', `${cartUrl}/api/carts/${cartId}`)).body).toEqual({ cartId, items: [] });
    });

    it('refuses an order without a cart id (400), for an empty cart (409) and for an unknown product (422)', async () => {
      const { cartUrl, ordersUrl } = target();
      expectJsonError(await request('POST', `${ordersUrl}/api/orders`, {}), 400);
      expectJsonError(await request('POST', `${ordersUrl}/api/orders`, { cartId: newCartId() }), 409);
      const cartId = newCartId();
      await request('PUT', `${cartUrl}/api/carts/${cartId}/items/unicorn`, { quantity: 1 });
      expectJsonError(await request('POST', `${ordersUrl}/api/orders`, { cartId }), 422);
      expectJsonError(await request('GET', `${ordersUrl}/api/orders/no-such-order`), 404);
    });

    it('places an order: priced from the catalog, stored, the cart emptied and the notifier told', async () => {
      const { cartUrl, ordersUrl, notifierUrl, databaseUrl } = target();
      const cartId = newCartId();
      await request('PUT', `${cartUrl}/api/carts/${cartId}/items/kettle`, { quantity: 2 });
      await request('PUT', `${cartUrl}/api/carts/${cartId}/items/mug`, { quantity: 1 });
      const placed = await request('POST', `${ordersUrl}/api/orders`, { cartId });
      const items = [
        { sku: 'kettle', quantity: 2, priceCents: 2999 },
        { sku: 'mug', quantity: 1, priceCents: 650 },
      ];
      expect(placed).toMatchObject({ status: 201, body: { cartId, totalCents: 6648, items } });
      const { orderNumber } = placed.body as { orderNumber: string };
      expect(orderNumber).toMatch(UUID);

      expect(await request('GET', `${ordersUrl}/api/orders/${orderNumber}`)).toMatchObject({
        status: 200,
        body: { orderNumber, cartId, totalCents: 6648, items },
      });
      expect((await request('GET', `${cartUrl}/api/carts/${cartId}`)).body).toEqual({ cartId, items: [] });

      const db = new pg.Client({ connectionString: databaseUrl });
      await db.connect();
      try {
        const { rows } = await db.query('SELECT cart_id, total_cents FROM orders WHERE order_number = $1', [
          orderNumber,
        ]);
        expect(rows).toEqual([{ cart_id: cartId, total_cents: 6648 }]);
      } finally {
        await db.end();
      }

      const deadline = Date.now() + EVENT_WAIT_MS;
      let seen: unknown;
      while (Date.now() < deadline) {
        seen = (await request('GET', `${notifierUrl}/api/notifications?orderNumber=${orderNumber}`)).body;
        if (Array.isArray(seen) && seen.length > 0) break;
        await new Promise((r) => setTimeout(r, 100));
      }
      expect(seen).toEqual([{ orderNumber, totalCents: 6648 }]);
    });
  });
}
