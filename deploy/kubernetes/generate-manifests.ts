import type { Estate } from '../../analyzer/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { getKubeDeployment, getKubeService, resolveBindings } from './bindings.ts';
import { createCallerPatches } from './caller-patches.ts';
import { createSpinApp, createWorkloadDeployment } from './component-resource.ts';
import { toDnsLabel } from './labels.ts';
import {
  createGatewayObjects,
  createHttpRoute,
  resolveRoutePrefix,
  type RoutedService,
  type RouterContext,
} from './router.ts';
import type { KubeObject, KubeRouter, KubeTarget, ManifestSet, ManifestWarning } from './types.ts';

export interface GenerateOptions {
  target: KubeTarget;
  /** Default `gateway`. */
  router?: KubeRouter;
  /** Namespace of everything generated; default: the namespace of the legacy Deployments, else `default`. */
  namespace?: string;
  /** OCI repository the components are pushed to; image = `<registry>/<service id>:<tag>`. */
  registry?: string;
  /** Default `latest`. */
  tag?: string;
  /** Service ids to migrate; default every service with a Kubernetes Deployment. */
  services?: readonly string[];
  /** Image that runs the migrate gateway. */
  gatewayImage?: string;
  /** Gateway API Gateway the HTTPRoutes attach to (default `migrate` in the namespace). */
  gatewayRef?: { name: string; namespace?: string };
  /** Share of requests mirrored by each HTTPRoute, 0–100 (default 0: no mirror filter). */
  mirrorPercent?: number;
}

export const DEFAULT_GATEWAY_IMAGE = 'migrate/gateway:0.1.0';

/** Order in which kinds are applied: what others reference first. */
const KIND_ORDER = [
  'Namespace',
  'ConfigMap',
  'Secret',
  'Service',
  'Deployment',
  'SpinApp',
  'WorkloadDeployment',
  'HTTPRoute',
];

/** Sort objects into apply order (stable within a kind). */
export function sortForApply(objects: KubeObject[]): KubeObject[] {
  const rank = (o: KubeObject): number => {
    const i = KIND_ORDER.indexOf(o.kind);
    return i === -1 ? KIND_ORDER.length : i;
  };
  return [...objects].sort((a, b) => rank(a) - rank(b));
}

/**
 * The manifests of the hybrid estate on Kubernetes: the component resource per migrated service, the router
 * (gateway or HTTPRoutes) and the callers' env patches. Pure: reads only the Estate.
 */
export function generateManifests(estate: Estate, options: GenerateOptions): ManifestSet {
  const router = options.router ?? 'gateway';
  const warnings: ManifestWarning[] = [];
  const selected = selectServices(estate, options.services);
  const namespace =
    options.namespace ??
    selected.map((s) => getKubeDeployment(s)?.namespace).find((n) => n !== undefined) ??
    'default';
  const registry = (options.registry ?? `localhost:5000/${toDnsLabel(estate.root)}`).replace(/\/+$/, '');
  const objects: KubeObject[] = [];
  const routed: RoutedService[] = [];
  for (const service of selected) {
    const { bindings, unresolved } = resolveBindings(service);
    for (const u of unresolved)
      warnings.push({
        service: service.id,
        message: `env ${u.env} is a redacted literal: bind it from a Secret in the legacy Deployment first, then regenerate`,
        location: u.location,
      });
    const readiness = service.readiness[options.target];
    if (readiness.level === 'blocked')
      warnings.push({
        service: service.id,
        message: `blocked on ${options.target}: ${readiness.blockers.map((b) => b.reason).join('; ')}`,
      });
    const context = {
      estate: estate.root,
      namespace,
      image: `${registry}/${toDnsLabel(service.id)}:${options.tag ?? 'latest'}`,
      bindings,
    };
    if (options.target === 'spin') objects.push(createSpinApp(service, context));
    else objects.push(...createWorkloadDeployment(service, context));
    const legacy = getKubeService(service);
    if (legacy === undefined) {
      warnings.push({
        service: service.id,
        message: 'no Kubernetes Service in the estate: the router has no container side for it; not routed',
      });
      continue;
    }
    routed.push({
      service,
      legacyName: legacy.name,
      legacyPort: service.container?.ports[0] ?? 8080,
      prefix: resolveRoutePrefix(service),
    });
  }
  const routerContext: RouterContext = {
    estate: estate.root,
    namespace,
    gatewayImage: options.gatewayImage ?? DEFAULT_GATEWAY_IMAGE,
    gatewayRef: options.gatewayRef ?? { name: 'migrate' },
    mirrorPercent: options.mirrorPercent ?? 0,
  };
  if (routed.length > 0) {
    if (router === 'gateway') objects.push(...createGatewayObjects(routed, routerContext));
    else objects.push(...routed.map((r) => createHttpRoute(r, routerContext)));
  }
  const callers = createCallerPatches(estate, routed, { router, namespace });
  warnings.push(...callers.warnings);
  return { objects: sortForApply(objects), callerPatches: callers.patches, warnings };
}

function selectServices(estate: Estate, ids: readonly string[] | undefined): Estate['services'] {
  if (ids === undefined || ids.length === 0)
    return estate.services.filter((s) => getKubeDeployment(s) !== undefined);
  return ids.map((id) => {
    const service = estate.services.find((s) => s.id === id || s.name === id);
    if (service === undefined)
      throw new AppError(ErrorCode.usage, `no service "${id}" in the estate`, {
        hint: `services: ${estate.services.map((s) => s.id).join(', ')}`,
      });
    if (getKubeDeployment(service) === undefined)
      throw new AppError(ErrorCode.input, `service "${id}" has no Kubernetes Deployment in the estate`, {
        hint: 'add its Deployment to the estate’s Kubernetes manifests, or migrate it with `migrate up` (local)',
      });
    return service;
  });
}
