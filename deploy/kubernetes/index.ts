/**
 * deploy/kubernetes' public door: the hybrid estate on Kubernetes. Pure manifest generation from the Estate
 * (`generateManifests`), validation against the real schemas (`findManifestProblems`), and the one edge that
 * talks to a cluster (`applyManifests`, `waitReady`, `deleteManaged`) by server-side apply as field manager
 * `migrate`.
 */
export {
  generateManifests,
  sortForApply,
  DEFAULT_GATEWAY_IMAGE,
  type GenerateOptions,
} from './generate-manifests.ts';
export { findManifestProblems, assertValidManifests, type ManifestProblem } from './validate-manifests.ts';
export { formatManifestsYaml } from './to-yaml.ts';
export { getManagedSelector, LABEL_ESTATE, LABEL_MANAGED_BY, LABEL_SERVICE } from './labels.ts';
export {
  TARGETS,
  ROUTERS,
  type KubeObject,
  type KubeRouter,
  type KubeTarget,
  type ManifestSet,
  type ManifestWarning,
} from './types.ts';
export {
  applyManifests,
  deleteManaged,
  isObjectReady,
  waitReady,
  type AppliedObject,
  type ApplyOptions,
  type ClusterOptions,
  type WaitOptions,
} from './apply-manifests.ts';
export {
  createLayout,
  createSpinLayout,
  createWasmLayout,
  MEDIA_TYPES,
  pushArtifact,
  verifyArtifact,
  type ArtifactLayout,
  type ComponentArtifact,
  type PushedArtifact,
} from './oci-artifact.ts';
export { listManaged, type ManagedObject } from './apply-manifests.ts';
export {
  assertRuntimeInstalled,
  loadKubeConfig,
  DEFAULT_SPIN_RUNTIME_CLASS,
  type KubeConfigOptions,
} from './cluster.ts';
export {
  captureCallerOriginals,
  createCallerState,
  createRestorePatches,
  readCallerOriginals,
  CALLER_STATE_NAME,
  type CallerOriginal,
} from './caller-state.ts';
export { readRouteWeights, setRouteWeight, type RouteWeight } from './router-weights.ts';
export { getKubeDeployment } from './bindings.ts';
