// The clinic's contract suite against a target named by the environment: `CLINIC_TARGET` is the path of a JSON
// file holding a ClinicTarget. `npm run e2e:clinic` writes that file and runs this file through
// vitest.clinic.config.ts; the ordinary test run does not pick it up.
import { readFileSync } from 'node:fs';
import { defineClinicContractSuite, type ClinicTarget } from './contract-suite.ts';

const file = process.env.CLINIC_TARGET;
if (file === undefined || file === '') {
  throw new Error('CLINIC_TARGET is not set: run this suite through `npm run e2e:clinic`');
}
defineClinicContractSuite(JSON.parse(readFileSync(file, 'utf8')) as ClinicTarget);
