import { execFile } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../../bridge/index.ts';
import { token } from './helpers.ts';
import { ESTATE_START_SECONDS, getFreePort } from '../../contract/spring-estate.ts';

const exec = promisify(execFile);
const estate = 'samples/spring-orders/scripts/estate.sh';
// Free ports, so a run here never collides with another suite's estate (or another run of this one).
let ports = { order: 0, inventory: 0, product: 0, notification: 0 };

describe('gateway in front of the spring-orders estate', () => {
  let runDir: string;
  let gateway: Gateway;
  const env = (): NodeJS.ProcessEnv => ({
    ...process.env,
    ESTATE_RUN_DIR: runDir,
    ESTATE_START_TIMEOUT: String(ESTATE_START_SECONDS),
    ORDER_PORT: String(ports.order),
    INVENTORY_PORT: String(ports.inventory),
    PRODUCT_PORT: String(ports.product),
    NOTIFICATION_PORT: String(ports.notification),
  });

  beforeAll(
    async () => {
      runDir = await mkdtemp(join(tmpdir(), 'migrate-estate-gw-'));
      const [order, inventory, product, notification] = await Promise.all(
        Array.from({ length: 4 }, () => getFreePort()),
      );
      ports = { order: order!, inventory: inventory!, product: product!, notification: notification! };
      await exec('bash', [estate, 'start'], { env: env(), timeout: (ESTATE_START_SECONDS + 60) * 1000 });
      // the shipped example, pointed at this run's ports and at free gateway ports
      let text = await readFile('bridge/gateway/examples/spring-orders.yaml', 'utf8');
      for (const [i, port] of Object.values(ports).entries())
        text = text.replace(`127.0.0.1:1808${i + 1}`, `127.0.0.1:${port}`);
      text = text.replace('port: 8080', 'port: 0').replace('port: 9901', 'port: 0');
      const file = join(runDir, 'gateway.yaml');
      await writeFile(file, text);
      gateway = await Gateway.fromFile(file, { env: { MIGRATE_GATEWAY_TOKEN: token }, watch: false });
      await gateway.start();
    },
    (ESTATE_START_SECONDS + 120) * 1000,
  );

  afterAll(async () => {
    await gateway?.stop();
    await exec('bash', [estate, 'stop'], { env: env(), timeout: 120_000 }).catch(() => undefined);
    await rm(runDir, { recursive: true, force: true });
  });

  it('routes /api/* of every service to its container at weight 0', async () => {
    const get = async (path: string): Promise<{ status: number; side: string | null; body: unknown }> => {
      const response = await fetch(`${gateway.url}${path}`, { headers: { 'x-user-id': 'alice' } });
      return {
        status: response.status,
        side: response.headers.get('x-migrate-side'),
        body: await response.json(),
      };
    };
    const product = await get('/api/product');
    expect(product).toMatchObject({ status: 200, side: 'container' });
    expect(Array.isArray(product.body)).toBe(true);
    const inventory = await get('/api/inventory?skuCode=iphone_13');
    expect(inventory).toMatchObject({ status: 200, side: 'container', body: [{ skuCode: 'iphone_13' }] });
    const placed = await fetch(`${gateway.url}/api/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderLineItemsDtoList: [{ skuCode: 'iphone_13', price: 1200, quantity: 1 }] }),
    });
    expect(placed.status).toBe(201);
    expect(((await placed.json()) as { orderNumber: string }).orderNumber).toMatch(/^[0-9a-f-]{36}$/);
    expect(await get('/api/order')).toMatchObject({ status: 200, side: 'container' });
    expect(await get('/api/notification')).toMatchObject({ status: 200, side: 'container' });
    const state = gateway.getState();
    expect(state.routes.map((r) => [r.name, r.weight])).toEqual([
      ['order', 0],
      ['inventory', 0],
      ['product', 0],
      ['notification', 0],
    ]);
    for (const route of state.routes) expect(route.window.container.requests).toBeGreaterThan(0);
  });
});
