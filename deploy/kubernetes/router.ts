import { stringify } from 'yaml';
import type { Estate } from '../../analyzer/index.ts';
import { getComponentName, SPIN_SERVICE_PORT } from './component-resource.ts';
import { createLabels } from './labels.ts';
import type { KubeObject } from './types.ts';

type Service = Estate['services'][number];

/** Names and ports of the router the callers are pointed at. */
export const GATEWAY_NAME = 'migrate-gateway';
export const GATEWAY_PORT = 8080;
export const GATEWAY_ADMIN_PORT = 9901;
const CONFIG_FILE = 'gateway.yaml';

/** One migrated service as the router sees it: where its container and its component answer. */
export interface RoutedService {
  service: Service;
  /** The legacy Kubernetes Service name and port (left as the estate has them). */
  legacyName: string;
  legacyPort: number;
  /** Path prefix of the service's HTTP endpoints, e.g. `/api/order`. */
  prefix: string;
}

export interface RouterContext {
  estate: string;
  namespace: string;
  /** Image that runs `migrate gateway --config …`. */
  gatewayImage: string;
  /** Gateway API `Gateway` the HTTPRoutes attach to. */
  gatewayRef: { name: string; namespace?: string };
  /** Share (0–100) of requests mirrored to the component by the HTTPRoute filter. */
  mirrorPercent: number;
}

const clusterHost = (name: string, namespace: string): string => `${name}.${namespace}.svc.cluster.local`;

/** The longest common path prefix (whole segments) of a service's HTTP endpoints; `/` when none. */
export function resolveRoutePrefix(service: Service): string {
  const paths = service.endpoints
    .filter((e) => e.method !== 'MESSAGE')
    .map((e) => e.path.split('/').filter((s) => s !== ''));
  if (paths.length === 0) return '/';
  const first = paths[0]!;
  let length = 0;
  while (
    length < first.length &&
    !first[length]!.includes('{') &&
    !first[length]!.startsWith(':') &&
    paths.every((p) => p[length] === first[length])
  )
    length++;
  return `/${first.slice(0, length).join('/')}`;
}

/** The gateway's config file: one route per service, container and wasm upstreams as cluster DNS names, weight 0. */
export function createGatewayConfig(routed: RoutedService[], namespace: string): Record<string, unknown> {
  return {
    listen: { host: '0.0.0.0', port: GATEWAY_PORT },
    admin: { host: '127.0.0.1', port: GATEWAY_ADMIN_PORT, tokenEnv: 'MIGRATE_GATEWAY_TOKEN' },
    routes: routed.map((r) => ({
      name: r.service.id.replace(/[^a-z0-9-]/g, '-'),
      prefix: r.prefix,
      container: [`http://${clusterHost(r.legacyName, namespace)}:${r.legacyPort}`],
      wasm: [`http://${clusterHost(getComponentName(r.service), namespace)}:${SPIN_SERVICE_PORT}`],
      weight: 0,
    })),
  };
}

/** The migrate gateway in the cluster: ConfigMap (its routes), Deployment, Service. */
export function createGatewayObjects(routed: RoutedService[], context: RouterContext): KubeObject[] {
  const labels = createLabels(context.estate, 'gateway', 'router');
  const selector = { 'app.kubernetes.io/name': GATEWAY_NAME };
  const metadata = { name: GATEWAY_NAME, namespace: context.namespace, labels };
  const config = createGatewayConfig(routed, context.namespace);
  return [
    { apiVersion: 'v1', kind: 'ConfigMap', metadata, data: { [CONFIG_FILE]: stringify(config) } },
    {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata,
      spec: {
        replicas: 1,
        selector: { matchLabels: selector },
        template: {
          metadata: { labels: { ...labels, ...selector } },
          spec: {
            containers: [
              {
                name: 'gateway',
                image: context.gatewayImage,
                args: ['gateway', '--config', `/etc/migrate/${CONFIG_FILE}`],
                ports: [{ name: 'http', containerPort: GATEWAY_PORT }],
                env: [
                  {
                    name: 'MIGRATE_GATEWAY_TOKEN',
                    valueFrom: { secretKeyRef: { name: GATEWAY_NAME, key: 'token', optional: true } },
                  },
                ],
                readinessProbe: { tcpSocket: { port: 'http' }, periodSeconds: 5 },
                volumeMounts: [{ name: 'config', mountPath: '/etc/migrate', readOnly: true }],
              },
            ],
            volumes: [{ name: 'config', configMap: { name: GATEWAY_NAME } }],
          },
        },
      },
    },
    {
      apiVersion: 'v1',
      kind: 'Service',
      metadata,
      spec: { selector, ports: [{ name: 'http', port: GATEWAY_PORT, targetPort: 'http' }] },
    },
  ];
}

/**
 * One Gateway API `HTTPRoute` per service: the legacy Service at weight 100, the component's at 0, and a
 * RequestMirror filter copying `mirrorPercent`% of requests to the component (responses of mirrors are dropped).
 */
export function createHttpRoute(r: RoutedService, context: RouterContext): KubeObject {
  const component = { name: getComponentName(r.service), port: SPIN_SERVICE_PORT };
  return {
    apiVersion: 'gateway.networking.k8s.io/v1',
    kind: 'HTTPRoute',
    metadata: {
      name: `${r.service.id}-split`.slice(0, 63),
      namespace: context.namespace,
      labels: createLabels(context.estate, r.service.id, 'router'),
    },
    spec: {
      parentRefs: [
        {
          name: context.gatewayRef.name,
          ...(context.gatewayRef.namespace === undefined ? {} : { namespace: context.gatewayRef.namespace }),
        },
      ],
      rules: [
        {
          matches: [{ path: { type: 'PathPrefix', value: r.prefix } }],
          backendRefs: [
            { name: r.legacyName, port: r.legacyPort, weight: 100 },
            { ...component, weight: 0 },
          ],
          ...(context.mirrorPercent > 0
            ? {
                filters: [
                  {
                    type: 'RequestMirror',
                    requestMirror: { backendRef: component, percent: context.mirrorPercent },
                  },
                ],
              }
            : {}),
        },
      ],
    },
  };
}
