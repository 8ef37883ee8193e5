import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../bridge/index.ts';
import {
  admin,
  echo,
  send,
  startGateway,
  startUpstream,
  testConfig,
  waitFor,
  type Upstream,
} from './helpers.ts';

describe('gateway shadow and diff', () => {
  let container: Upstream;
  let wasm: Upstream;
  let gateway: Gateway;
  let pool: Pool;
  const price = (path: string, side: string): Record<string, unknown> => {
    const item = Number(/\/items\/(\d+)/.exec(path)?.[1] ?? 0);
    // the seeded behavioural difference: wasm rounds item 3's price differently
    return { item, price: item === 3 && side === 'wasm' ? 10.5 : 10.49, tags: ['a', 'b'] };
  };

  beforeAll(async () => {
    container = await startUpstream(echo('container', (p) => price(p, 'container')));
    wasm = await startUpstream(echo('wasm', (p) => price(p, 'wasm')));
    gateway = await startGateway(
      testConfig({
        routes: [
          {
            name: 'catalog',
            prefix: '/api/items',
            container: [container.url],
            wasm: [wasm.url],
            shadow: { enabled: true, ignore: ['side'], noise: { warmup: 5, sampleRate: 0.2 } },
            gates: { minSamples: 10, diffRate: { max: 0.5 } },
          },
        ],
      }),
    );
    pool = new Pool(gateway.url, { connections: 4 });
  });

  afterAll(async () => {
    await pool.close();
    await gateway.stop();
    await container.close();
    await wasm.close();
  });

  it('finds the seeded difference and learns ids and timestamps as noise', async () => {
    for (let round = 0; round < 6; round += 1) {
      for (let item = 1; item <= 5; item += 1) {
        const answer = await send(pool, `/api/items/${item}`);
        expect(answer.status).toBe(200);
        expect(JSON.parse(answer.body).side).toBe('container'); // the client always gets the primary
      }
    }
    const state = await waitFor(() => {
      const route = gateway.getState().routes[0]!;
      return route.shadow.compared >= 30 ? route : undefined;
    });
    expect(Object.keys(state.noise).sort()).toEqual(['generatedAt', 'id']);
    expect(state.diffFields).toEqual({ price: 6 });
    expect(state.shadow.differing).toBe(6);
    expect(new Set(state.diffSamples.map((s) => s.path))).toEqual(new Set(['/api/items/3']));
    const diffEvent = gateway.events.recent(200).find((e) => e.type === 'shadow.diff');
    expect(diffEvent).toMatchObject({ route: 'catalog', path: '/api/items/3', newFields: ['price'] });
    expect(gateway.events.recent(200).some((e) => e.type === 'shadow.noise-learned')).toBe(true);
  });

  it('does not shadow POST unless the route allows non-idempotent shadowing', async () => {
    const before = wasm.requests;
    const compared = gateway.getState().routes[0]!.shadow.compared;
    const answer = await send(pool, '/api/items/1', { method: 'POST', body: '{"a":1}' });
    expect(answer.status).toBe(200);
    // A GET sent after it is shadowed: once that shadow is compared, a shadow of the POST would have gone first.
    await send(pool, '/api/items/1');
    await waitFor(() => (gateway.getState().routes[0]!.shadow.compared > compared ? true : undefined));
    expect(wasm.requests).toBe(before + 1); // the GET's shadow only
  });

  it('turns shadowing off and on through the admin API', async () => {
    const off = await admin(gateway, 'POST', '/api/routes/catalog/shadow', { enabled: false });
    expect(off.json.route.shadow.enabled).toBe(false);
    const before = wasm.requests;
    await send(pool, '/api/items/2');
    await new Promise((done) => setTimeout(done, 100));
    expect(wasm.requests).toBe(before);
    const on = await admin(gateway, 'POST', '/api/routes/catalog/shadow', { enabled: true, sampleRate: 0.5 });
    expect(on.json.route.shadow).toMatchObject({ enabled: true, sampleRate: 0.5 });
  });

  it('serves the live page without a token and its data only with one', async () => {
    const page = await fetch(`${gateway.adminUrl}/`);
    expect(page.headers.get('content-type')).toMatch(/text\/html/);
    const html = await page.text();
    expect(html).toContain('<title>migrate gateway</title>');
    expect(html).toContain("fetch('/api/state'");
    const state = await admin(gateway, 'GET', '/api/state');
    expect(state.json.routes[0]).toMatchObject({ name: 'catalog', shadow: { enabled: true } });
  });

  it('exposes Prometheus metrics with diffs, weights and latency histograms', async () => {
    const metrics = await admin(gateway, 'GET', '/metrics');
    expect(metrics.status).toBe(200);
    const text = metrics.json as string;
    expect(text).toMatch(/^migrate_gateway_shadow_diffs_total\{route="catalog"\} 6$/m);
    expect(text).toMatch(/^migrate_gateway_weight\{route="catalog"\} 0$/m);
    expect(text).toMatch(
      /^migrate_gateway_request_duration_seconds_bucket\{route="catalog",side="wasm",le="\+Inf"\} \d+$/m,
    );
    expect(text).toMatch(/^migrate_gateway_requests_total\{route="catalog",side="container"\} \d+$/m);
    expect(text).toMatch(/^migrate_gateway_rollbacks_total\{route="catalog"\} 0$/m);
  });
});
