import { afterAll, beforeAll } from 'vitest';
import { defineContractSuite } from './contract-suite.ts';
import {
  ESTATE_START_SECONDS,
  startSpringEstate,
  toContractTarget,
  type SpringEstate,
} from './spring-estate.ts';

// Maven build (when sources changed) plus four Spring Boot JVMs on two cores: allow minutes, not seconds.
let estate: SpringEstate | undefined;

beforeAll(
  async () => {
    estate = await startSpringEstate();
  },
  300_000 + (ESTATE_START_SECONDS + 120) * 1000,
);

afterAll(async () => {
  await estate?.stop();
}, 90_000);

defineContractSuite({
  name: 'spring',
  resolve: () => {
    if (!estate) throw new Error('the Spring estate did not start; see the beforeAll error');
    return toContractTarget(estate.facts);
  },
});
