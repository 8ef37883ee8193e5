import type { KubeConfig } from '@kubernetes/client-node';
import { parse, stringify } from 'yaml';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { applyManifests, createObjectApi } from './apply-manifests.ts';
import { getManagedSelector, LABEL_SERVICE } from './labels.ts';
import { GATEWAY_NAME } from './router.ts';
import type { KubeRouter } from './types.ts';

/** The weight of one route as the router in the cluster has it. */
export interface RouteWeight {
  /** The route name (gateway config) or the service id (HTTPRoute label). */
  route: string;
  service: string;
  router: KubeRouter;
  /** Share of requests to the component, 0–100. */
  weight: number;
  /** The object that holds the weight, `Kind namespace/name`. */
  object: string;
}

type Live = Record<string, unknown> & {
  metadata?: { name?: string; namespace?: string; labels?: Record<string, string> };
};
interface GatewayRoute {
  name: string;
  weight?: number;
  [key: string]: unknown;
}
interface BackendRef {
  name: string;
  weight?: number;
  [key: string]: unknown;
}
const CONFIG_FILE = 'gateway.yaml';

async function listLabelled(
  config: KubeConfig,
  estate: string,
  namespace: string | undefined,
  apiVersion: string,
  kind: string,
): Promise<Live[]> {
  const api = createObjectApi({ kubeConfig: config });
  if ((await api.discover(apiVersion, kind)) === undefined) return [];
  const list = await api.list(
    apiVersion,
    kind,
    namespace,
    undefined,
    undefined,
    undefined,
    undefined,
    getManagedSelector(estate),
  );
  return list.items as Live[];
}

/** Every route's weight, from the gateway's ConfigMap and from the HTTPRoutes this estate manages. */
export async function readRouteWeights(
  config: KubeConfig,
  estate: string,
  namespace?: string,
): Promise<RouteWeight[]> {
  const weights: RouteWeight[] = [];
  for (const cm of await listLabelled(config, estate, namespace, 'v1', 'ConfigMap')) {
    if (cm.metadata?.name !== GATEWAY_NAME) continue;
    const text = ((cm['data'] ?? {}) as Record<string, string>)[CONFIG_FILE] ?? '';
    const routes = ((parse(text) ?? {}) as { routes?: GatewayRoute[] }).routes ?? [];
    for (const r of routes)
      weights.push({
        route: r.name,
        service: r.name,
        router: 'gateway',
        weight: r.weight ?? 0,
        object: `ConfigMap ${cm.metadata.namespace ?? ''}/${GATEWAY_NAME}`,
      });
  }
  for (const route of await listLabelled(
    config,
    estate,
    namespace,
    'gateway.networking.k8s.io/v1',
    'HTTPRoute',
  )) {
    const refs = getBackendRefs(route);
    const service = route.metadata?.labels?.[LABEL_SERVICE] ?? '';
    weights.push({
      route: service,
      service,
      router: 'httproute',
      weight: refs[1]?.weight ?? 0,
      object: `HTTPRoute ${route.metadata?.namespace ?? ''}/${route.metadata?.name ?? ''}`,
    });
  }
  return weights;
}

function getBackendRefs(route: Live): BackendRef[] {
  const rules = (route['spec'] as { rules?: { backendRefs?: BackendRef[] }[] } | undefined)?.rules ?? [];
  return rules[0]?.backendRefs ?? [];
}

const matches = (w: RouteWeight, name: string): boolean =>
  w.route === name || w.service === name || w.route === `${name}-service` || w.service === `${name}-service`;

/**
 * Move one route to `weight`% on the component side through the router: the gateway's ConfigMap (the gateway
 * watches its mounted config and reloads; the kubelet refreshes the mount within a minute) or the HTTPRoute's
 * backendRefs weights (legacy 100-w, component w). Applied as field manager `migrate`, which owns these fields.
 */
export async function setRouteWeight(
  config: KubeConfig,
  estate: string,
  route: string,
  weight: number,
  namespace?: string,
): Promise<RouteWeight> {
  const all = await readRouteWeights(config, estate, namespace);
  const found = all.find((w) => matches(w, route));
  if (found === undefined)
    throw new AppError(ErrorCode.notFound, `no route ${route} in the cluster for estate ${estate}`, {
      hint:
        all.length === 0
          ? 'run migrate up --kubernetes first'
          : `routes: ${all.map((w) => w.route).join(', ')}`,
    });
  const api = createObjectApi({ kubeConfig: config });
  const [kind, ref] = found.object.split(' ') as [string, string];
  const [ns, name] = ref.split('/') as [string, string];
  if (kind === 'ConfigMap') {
    const live = (await api.read({
      apiVersion: 'v1',
      kind,
      metadata: { name, namespace: ns },
    })) as unknown as Live;
    const doc = (parse(((live['data'] ?? {}) as Record<string, string>)[CONFIG_FILE] ?? '') ?? {}) as {
      routes?: GatewayRoute[];
    };
    for (const r of doc.routes ?? []) if (r.name === found.route) r.weight = weight;
    await applyManifests(
      [
        {
          apiVersion: 'v1',
          kind,
          metadata: { name, namespace: ns, labels: live.metadata?.labels ?? {} },
          data: { [CONFIG_FILE]: stringify(doc) },
        },
      ],
      { kubeConfig: config },
    );
  } else {
    const apiVersion = 'gateway.networking.k8s.io/v1';
    const live = (await api.read({ apiVersion, kind, metadata: { name, namespace: ns } })) as unknown as Live;
    const spec = structuredClone(live['spec']) as { rules: { backendRefs: BackendRef[] }[] };
    const refs = spec.rules[0]!.backendRefs;
    refs[0]!.weight = 100 - weight;
    refs[1]!.weight = weight;
    await applyManifests(
      [{ apiVersion, kind, metadata: { name, namespace: ns, labels: live.metadata?.labels ?? {} }, spec }],
      { kubeConfig: config },
    );
  }
  return { ...found, weight };
}
