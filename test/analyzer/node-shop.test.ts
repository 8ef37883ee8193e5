import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../analyzer/index.ts';
import { compareNodeShopAnalysis, type NodeShopExpectation } from '../../scripts/e2e/node-shop-analysis.ts';

const NODE_SHOP = join(import.meta.dirname, '../../samples/node-shop');

describe('analyze samples/node-shop', () => {
  it('finds every service, route (with prefixes and statuses) and effect of expected.json, and nothing else', async () => {
    const expected = JSON.parse(
      await readFile(join(NODE_SHOP, 'expected.json'), 'utf8'),
    ) as NodeShopExpectation;
    const compared = compareNodeShopAnalysis(await analyzeEstate(NODE_SHOP, {}), expected);
    expect(compared.problems).toEqual([]);
    expect(compared).toMatchObject({
      servicesFound: 4,
      routesFound: 13,
      routesExpected: 13,
      effectsMissed: 0,
      effectsUnexpected: 0,
    });
  });

  it('reports a missed route, a wrong status and a missed effect as problems', () => {
    const expected: NodeShopExpectation = {
      services: {
        cart: {
          routes: { 'GET /health': 200, 'DELETE /api/carts/:cartId': 204 },
          effects: ['kv cart/src/store.ts:14'],
        },
      },
    };
    const analysis = {
      services: [
        {
          name: 'cart',
          endpoints: [{ method: 'DELETE', path: '/api/carts/:cartId', status: 200 }],
          effects: [],
        },
      ],
    };
    expect(compareNodeShopAnalysis(analysis, expected)).toEqual({
      servicesFound: 1,
      routesFound: 0,
      routesExpected: 2,
      effectsMissed: 1,
      effectsUnexpected: 0,
      problems: [
        'cart: route GET /health not found (found: DELETE /api/carts/:cartId)',
        'cart: route DELETE /api/carts/:cartId has status 200, expected 204',
        'cart: effect kv cart/src/store.ts:14 missed',
      ],
    });
  });
});
