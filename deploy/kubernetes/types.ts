/** A Kubernetes object as sent to the API server: plain data, serialisable to YAML. */
export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: {
    name: string;
    namespace?: string;
    labels?: Record<string, string>;
    annotations?: Record<string, string>;
    [key: string]: unknown;
  };
  [key: string]: unknown;
}

export const TARGETS = ['spin', 'wasmcloud'] as const;
/** Where the component runs: SpinKube (`SpinApp`) or wasmCloud 2 (`WorkloadDeployment`). */
export type KubeTarget = (typeof TARGETS)[number];

export const ROUTERS = ['gateway', 'httproute'] as const;
/** How traffic is split: the migrate gateway as a Deployment, or Gateway API `HTTPRoute` weights. */
export type KubeRouter = (typeof ROUTERS)[number];

/** Something the generator could not do; shown to the user, never swallowed. */
export interface ManifestWarning {
  service: string;
  message: string;
  /** Where the input came from, `file:line` relative to the estate root. */
  location?: string;
}

/** What `generateManifests` returns. */
export interface ManifestSet {
  /** The objects `migrate` owns (all labelled), in apply order. */
  objects: KubeObject[];
  /**
   * Minimal server-side apply patches of the callers' legacy Deployments (only the env entries that must point
   * at the router). Not labelled and not pruned: the Deployments belong to the estate.
   */
  callerPatches: KubeObject[];
  warnings: ManifestWarning[];
}
