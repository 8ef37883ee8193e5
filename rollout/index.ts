// Public door of rollout/ (the conductor): the decision log and its state file, where a rollout stands, and
// gate evaluation over the gateway's metrics. Executing steps through the gateway comes next.
export {
  RolloutRecordSchema,
  ROLLOUT_RECORD_VERSION,
  type RolloutRecord,
  type GateCheck,
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
