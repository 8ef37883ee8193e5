// The node-shop contract suite against a target named by the environment: `NODE_SHOP_TARGET` is the path of a JSON
// file holding a NodeShopTarget. `npm run e2e:node-sample` writes it for the components and runs this file through
// a vitest config of its own; neither the ordinary test run nor `npm run e2e:sample` picks it up.
import { readFileSync } from 'node:fs';
import { defineNodeShopSuite, type NodeShopTarget } from './node-shop-suite.ts';

const file = process.env.NODE_SHOP_TARGET;
if (file === undefined || file === '') {
  throw new Error('NODE_SHOP_TARGET is not set: run this suite through `npm run e2e:node-sample`');
}
defineNodeShopSuite(JSON.parse(readFileSync(file, 'utf8')) as NodeShopTarget);
