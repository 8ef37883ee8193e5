import type { Estate } from '../../analyzer/index.ts';
import { toSpinVariableName, type Binding } from './bindings.ts';
import { createLabels, toDnsLabel } from './labels.ts';
import type { KubeObject } from './types.ts';

type Service = Estate['services'][number];

/** The SpinKube executor for Spin apps on the containerd shim. */
export const SPIN_EXECUTOR = 'containerd-shim-spin';
/** The port of the Service the spin-operator creates for a SpinApp (named after it). */
export const SPIN_SERVICE_PORT = 80;

export interface ComponentContext {
  estate: string;
  namespace: string;
  /** OCI reference of the component, e.g. `registry.example/orders/order-service:1.0.0`. */
  image: string;
  bindings: Binding[];
}

/** Name of everything on the component side of a service: `<service>-wasm`, beside the legacy `<service>`. */
export function getComponentName(service: Service): string {
  return toDnsLabel(`${service.id}-wasm`.replace(/^(.{0,58}).*-wasm$/, '$1-wasm'));
}

/** SpinKube `SpinApp`: variables bind the legacy env by reference (`valueFrom`), never by copying a secret. */
export function createSpinApp(service: Service, context: ComponentContext): KubeObject {
  return {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinApp',
    metadata: {
      name: getComponentName(service),
      namespace: context.namespace,
      labels: createLabels(context.estate, service.id, 'component'),
    },
    spec: {
      image: context.image,
      executor: SPIN_EXECUTOR,
      replicas: 1,
      variables: context.bindings.map((b) => ({
        name: toSpinVariableName(b.env),
        ...('value' in b.source ? { value: b.source.value } : { valueFrom: b.source }),
      })),
    },
  };
}

/**
 * wasmCloud 2 `WorkloadDeployment`. Literal bindings go to the component's `wasi:config` environment; ConfigMap
 * and Secret references are passed as whole objects (`configFrom`/`secretFrom`), since the CRD has no key-level
 * reference. HTTP is routed by Host header: the host serves `<service>-wasm` (the selector-less Service the
 * operator keeps an EndpointSlice for).
 */
export function createWorkloadDeployment(service: Service, context: ComponentContext): KubeObject[] {
  const name = getComponentName(service);
  const labels = createLabels(context.estate, service.id, 'component');
  const config: Record<string, string> = {};
  const configFrom = new Set<string>();
  const secretFrom = new Set<string>();
  for (const b of context.bindings) {
    if ('value' in b.source) config[b.env] = b.source.value;
    else if ('configMapKeyRef' in b.source) configFrom.add(b.source.configMapKeyRef.name);
    else secretFrom.add(b.source.secretKeyRef.name);
  }
  const environment = {
    ...(Object.keys(config).length > 0 ? { config } : {}),
    ...(configFrom.size > 0 ? { configFrom: [...configFrom].sort().map((n) => ({ name: n })) } : {}),
    ...(secretFrom.size > 0 ? { secretFrom: [...secretFrom].sort().map((n) => ({ name: n })) } : {}),
  };
  const workload: KubeObject = {
    apiVersion: 'runtime.wasmcloud.dev/v1alpha1',
    kind: 'WorkloadDeployment',
    metadata: { name, namespace: context.namespace, labels },
    spec: {
      replicas: 1,
      kubernetes: { service: { name } },
      template: {
        labels,
        spec: {
          components: [
            {
              name: toDnsLabel(service.id),
              image: context.image,
              ...(Object.keys(environment).length > 0 ? { localResources: { environment } } : {}),
            },
          ],
          hostInterfaces: [
            {
              namespace: 'wasi',
              package: 'http',
              interfaces: ['incoming-handler'],
              config: { host: name },
            },
          ],
        },
      },
    },
  };
  const serviceObject: KubeObject = {
    apiVersion: 'v1',
    kind: 'Service',
    metadata: { name, namespace: context.namespace, labels },
    spec: { ports: [{ name: 'http', port: SPIN_SERVICE_PORT, protocol: 'TCP' }] },
  };
  return [serviceObject, workload];
}
