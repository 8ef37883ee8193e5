import { afterAll, beforeAll } from 'vitest';
import { defineNodeShopSuite } from './node-shop-suite.ts';
import { startNodeShop, type NodeShopEstate } from './node-shop-estate.ts';

let estate: NodeShopEstate | undefined;

beforeAll(async () => {
  estate = await startNodeShop();
});

afterAll(async () => {
  await estate?.stop();
});

defineNodeShopSuite({
  name: 'node',
  resolve: () => {
    if (!estate) throw new Error('node-shop did not start; see the beforeAll error');
    return estate.target;
  },
});
