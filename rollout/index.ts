// Public door of rollout/ (the conductor): the decision log and its state file, where a rollout stands, gate
// evaluation over the gateway's metrics, the conductor that executes steps through the gateway, and the report.
export {
  RolloutRecordSchema,
  ROLLOUT_RECORD_VERSION,
  type RolloutRecord,
  type GateCheck,
  type VerifyEvidence,
  type Footprint,
  FootprintSchema,
} from './records.ts';
export { appendRecord, readStateFile, type StateFileContents } from './state-file.ts';
export {
  getRolloutProgress,
  getPlanHash,
  type RolloutProgress,
  type ServiceProgress,
  type ServiceStatus,
} from './progress.ts';
export { evaluateStep, type StepVerdict, type RouteMetrics } from './gates.ts';
export { createStepRecord, getHeldMs } from './decide.ts';
export {
  runRollout,
  abortRollout,
  findRoute,
  type RolloutGateway,
  type RolloutVerifier,
  type FootprintMeter,
  type RolloutEvent,
  type RolloutOptions,
  type RolloutOutcome,
} from './run-rollout.ts';
export {
  createRolloutReport,
  renderRolloutText,
  describeRemainingSteps,
  ROLLOUT_REPORT_VERSION,
  type RolloutReport,
} from './report.ts';
