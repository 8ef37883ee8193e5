// Public door of verify/: equivalence evidence for one service (legacy vs component) without a contract suite.
export { runVerify, type SideOptions, type VerifyOptions } from './run-verify.ts';
export {
  VERIFY_SCHEMA_VERSION,
  type ExchangeRecord,
  type KeyDelta,
  type Mismatch,
  type NoiseField,
  type Observation,
  type RequestKind,
  type TableDelta,
  type VerifyRequest,
  type VerifyResult,
} from './model.ts';
export type { FieldDifference } from './json-pointer.ts';
export { classifyExchanges } from './compare.ts';
export { planListRequests, planRequests, type PlannedRequest } from './generate-requests.ts';
export { parseEnvEntries, parseEnvFile } from './side-env.ts';
export { VERIFY_FORMATS, verifyReporters, type VerifyFormat } from './reporters.ts';
