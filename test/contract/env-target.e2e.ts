// The contract suite against a target named by the environment: `CONTRACT_TARGET` is the path of a JSON file
// holding a ContractTarget. `npm run e2e:sample` writes that file for the components (and the mixed estates)
// and runs this file through vitest.e2e.config.ts; the ordinary test run does not pick it up.
import { readFileSync } from 'node:fs';
import { defineContractSuite, type ContractTarget } from './contract-suite.ts';

const file = process.env.CONTRACT_TARGET;
if (file === undefined || file === '') {
  throw new Error('CONTRACT_TARGET is not set: run this suite through `npm run e2e:sample`');
}
const target = JSON.parse(readFileSync(file, 'utf8')) as ContractTarget;

defineContractSuite(target);
