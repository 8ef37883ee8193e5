// The contract suite against a target named by the environment: `CONTRACT_TARGET` is the path of a JSON file
// holding a ContractTarget. `npm run e2e:sample` writes that file for the components (and the mixed estates)
// and runs this file through vitest.e2e.config.ts; the ordinary test run does not pick it up.
import { readFileSync } from 'node:fs';
import { defineContractSuite, type ContractGroup, type ContractTarget } from './contract-suite.ts';

const file = process.env.CONTRACT_TARGET;
if (file === undefined || file === '') {
  throw new Error('CONTRACT_TARGET is not set: run this suite through `npm run e2e:sample`');
}
const target = JSON.parse(readFileSync(file, 'utf8')) as ContractTarget;

// `CONTRACT_ONLY=inventory,orders,products`: a target that cannot serve every group (one gateway in front of
// four services has one /actuator/health, so `npm run e2e:hybrid` asks each side's health itself).
const only = process.env.CONTRACT_ONLY?.split(',').filter((g) => g !== '') as ContractGroup[] | undefined;
defineContractSuite(target, only === undefined || only.length === 0 ? {} : { only });
