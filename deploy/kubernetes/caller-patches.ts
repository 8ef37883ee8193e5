import type { Estate } from '../../analyzer/index.ts';
import { getKubeDeployment } from './bindings.ts';
import { GATEWAY_NAME, GATEWAY_PORT, type RoutedService } from './router.ts';
import type { KubeObject, KubeRouter, ManifestWarning } from './types.ts';

export interface CallerPatchContext {
  router: KubeRouter;
  namespace: string;
}

/** `INVENTORY_URL ← configMapKeyRef orders-config/INVENTORY_URL = http://inventory-service:8080` or `NAME=url`. */
const K8S_ENV_EVIDENCE =
  /^([A-Za-z_][A-Za-z0-9_]*)\s*(?:← configMapKeyRef ([^/\s]+)\/(\S+) =|=)\s*(https?:\/\/\S+)$/;

/**
 * For each http edge caller → migrated service, a minimal server-side apply patch that points the caller at the
 * router (same path, router's origin): of the caller's Deployment (only that env entry) when the URL is a literal
 * there, or of the ConfigMap key it reads the URL from (pods read it at start: `kubectl rollout restart`). With
 * `httproute` the router is the Gateway API Gateway, whose address the cluster decides: no patch, a warning.
 */
export function createCallerPatches(
  estate: Estate,
  routed: RoutedService[],
  context: CallerPatchContext,
): { patches: KubeObject[]; warnings: ManifestWarning[] } {
  const warnings: ManifestWarning[] = [];
  const envByCaller = new Map<string, Map<string, string>>();
  const configMapData = new Map<string, Map<string, string>>();
  const routedIds = new Set(routed.map((r) => r.service.id));
  for (const edge of estate.edges) {
    if (edge.kind !== 'http' || edge.to === null || !routedIds.has(edge.to)) continue;
    const evidence = edge.evidence.find((e) => e.from === 'k8s' && K8S_ENV_EVIDENCE.test(e.text));
    const match = evidence === undefined ? null : K8S_ENV_EVIDENCE.exec(evidence.text);
    if (match === null) {
      warnings.push({
        service: edge.from,
        message: `calls ${edge.to} (${edge.detail}) but no env entry of its Kubernetes Deployment holds the URL: point it at the router by hand`,
        location:
          edge.evidence[0] === undefined
            ? undefined
            : `${edge.evidence[0].source.file}:${edge.evidence[0].source.line}`,
      });
      continue;
    }
    if (context.router === 'httproute') {
      warnings.push({
        service: edge.from,
        message: `${match[1]} calls ${edge.to} directly: with HTTPRoutes point it at your Gateway's address by hand`,
        location: `${evidence!.source.file}:${evidence!.source.line}`,
      });
      continue;
    }
    const url = new URL(match[4]!);
    const target = `http://${GATEWAY_NAME}.${context.namespace}.svc.cluster.local:${GATEWAY_PORT}${url.pathname === '/' ? '' : url.pathname}`;
    if (match[2] !== undefined) {
      // The Deployment reads the URL from a ConfigMap: patch that key (an env `value` beside the existing
      // `valueFrom` would be refused by the API server).
      const data = configMapData.get(match[2]) ?? new Map<string, string>();
      data.set(match[3]!, target);
      configMapData.set(match[2], data);
      continue;
    }
    const env = envByCaller.get(edge.from) ?? new Map<string, string>();
    env.set(match[1]!, target);
    envByCaller.set(edge.from, env);
  }
  const patches: KubeObject[] = [];
  for (const [name, data] of [...configMapData].sort(([a], [b]) => a.localeCompare(b)))
    patches.push({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name, namespace: context.namespace },
      data: Object.fromEntries([...data].sort(([a], [b]) => a.localeCompare(b))),
    });
  for (const [callerId, env] of [...envByCaller].sort(([a], [b]) => a.localeCompare(b))) {
    const caller = estate.services.find((s) => s.id === callerId);
    const deployment = caller === undefined ? undefined : getKubeDeployment(caller);
    if (deployment === undefined) continue;
    patches.push({
      apiVersion: 'apps/v1',
      kind: deployment.kind,
      metadata: { name: deployment.name, namespace: context.namespace },
      spec: {
        template: {
          spec: {
            containers: [
              {
                // The estate's convention (container named after its Deployment); checked against the live object on apply.
                name: deployment.name,
                env: [...env]
                  .sort(([a], [b]) => a.localeCompare(b))
                  .map(([name, value]) => ({ name, value })),
              },
            ],
          },
        },
      },
    });
  }
  return { patches, warnings };
}
