// Public door of deploy/local: the hybrid estate on one machine (legacy containers + components + gateway).
export type { ComponentBuild, InfraBindings, LocalPlan, MessageSplit, ServicePlan } from './model.ts';
export {
  createLocalPlan,
  getRouteName,
  getRunPorts,
  getPostgresSchema,
  getSplitSubjects,
  type ComposeServiceInput,
  type LocalPlanInput,
} from './plan-local.ts';
export { readCompose, readSpringProperties, interpolate } from './read-inputs.ts';
export { connectEngine, type Engine } from './docker-engine.ts';
export { runUp, checkPorts, checkBindings, BASE_IMAGE_HINT, type UpRequest } from './up.ts';
export { runDown, type DownResult } from './down.ts';
export { getLocalStatus, formatLocalStatus, type LocalStatus } from './status.ts';
export { readUpState, UP_STATE_FILE, LABELS, type UpState } from './state.ts';
export { planComposeInfra, checkInfraImages, type ComposeInfraResult } from './compose-infra.ts';
export {
  measureFootprint,
  parseSpringStartMs,
  parseHostStartMs,
  type ServiceFootprint,
} from './footprint.ts';
