// Transforms and the capability facade (migrate codemod).
export { loadCodemodPlan, type CodemodPlan, type PlannedWrite } from './transforms/load.ts';
export {
  runTransforms,
  formatUnifiedDiff,
  type CodemodResult,
  type FileChange,
  type AppliedEdit,
} from './transforms/run.ts';
export { ALL_TRANSFORMS } from './transforms/all.ts';
export { TRANSFORM_KINDS, type Transform, type TransformKind } from './transforms/transform.ts';
export type { Capabilities, CapabilityBinding } from './facade/capabilities.ts';

// Java → TypeScript port (migrate port).
export {
  portJavaSources,
  readJavaSources,
  formatPortReport,
  type PortedService,
  type PortReport,
} from './port/java/index.ts';

// Component build (migrate build).
export {
  planBuild,
  loadBuildPlan,
  collectCapabilityUses,
  createUnsupportedError,
  type BuildPlan,
  type CapabilityUse,
  type UnsupportedUse,
} from './build/plan.ts';
export {
  buildService,
  getServiceName,
  type BuiltService,
  type BuildServiceOptions,
} from './build/build-service.ts';
export { readComponentInterfaces } from './build/build-component.ts';
export {
  typeCheckDirectory,
  typeCheckFiles,
  formatTypeErrors,
  type TypeCheckError,
  type TypeCheckResult,
} from './build/type-check.ts';
