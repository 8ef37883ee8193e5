import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { EstateSchema, type Estate } from '../../../analyzer/index.ts';
import {
  findManifestProblems,
  formatManifestsYaml,
  generateManifests,
  type KubeObject,
} from '../../../deploy/kubernetes/index.ts';
import { parseAllDocuments } from 'yaml';

/** The analyzer's Estate of samples/spring-orders (types and findings dropped to keep the fixture small). */
const estate: Estate = EstateSchema.parse(
  JSON.parse(readFileSync(new URL('./fixtures/spring-orders.estate.json', import.meta.url), 'utf8')),
);

const find = (objects: KubeObject[], kind: string, name: string): KubeObject => {
  const found = objects.find((o) => o.kind === kind && o.metadata.name === name);
  if (found === undefined)
    throw new Error(`no ${kind} ${name} in ${objects.map((o) => `${o.kind}/${o.metadata.name}`).join(', ')}`);
  return found;
};

describe('generateManifests', () => {
  it('emits a SpinApp per service whose variables reference the legacy ConfigMap and Secret, never values', () => {
    const set = generateManifests(estate, { target: 'spin', registry: 'registry.test/orders', tag: '1.0.0' });
    const app = find(set.objects, 'SpinApp', 'order-service-wasm');
    expect(app.metadata.namespace).toBe('spring-orders');
    const spec = app['spec'] as { image: string; executor: string; variables: { name: string }[] };
    expect(spec.image).toBe('registry.test/orders/order-service:1.0.0');
    expect(spec.executor).toBe('containerd-shim-spin');
    expect(spec.variables).toContainEqual({
      name: 'db_password',
      valueFrom: { secretKeyRef: { name: 'orders-db-credentials', key: 'password' } },
    });
    expect(spec.variables).toContainEqual({
      name: 'nats_url',
      valueFrom: { configMapKeyRef: { name: 'orders-config', key: 'NATS_URL' } },
    });
    expect(spec.variables.map((v) => v.name)).not.toContain('java_opts');
    expect(set.objects.filter((o) => o.kind === 'SpinApp')).toHaveLength(4);
  });

  it('labels every managed object and never regenerates the legacy Deployments or Services', () => {
    const set = generateManifests(estate, { target: 'spin' });
    for (const o of set.objects) {
      expect(o.metadata.labels).toMatchObject({
        'app.kubernetes.io/managed-by': 'migrate',
        'migrate.dev/estate': 'spring-orders',
      });
      expect(o.metadata.labels?.['migrate.dev/service']).toBeTruthy();
      expect(['order-service', 'inventory-service', 'product-service', 'notification-service']).not.toContain(
        o.metadata.name,
      );
    }
  });

  it('configures the gateway with cluster DNS upstreams for both sides at weight 0', () => {
    const set = generateManifests(estate, { target: 'spin' });
    const config = find(set.objects, 'ConfigMap', 'migrate-gateway')['data'] as Record<string, string>;
    const [doc] = parseAllDocuments(config['gateway.yaml']!);
    const routes = (doc!.toJS() as { routes: unknown[] }).routes;
    expect(routes).toContainEqual({
      name: 'inventory-service',
      prefix: '/api/inventory',
      container: ['http://inventory-service.spring-orders.svc.cluster.local:8080'],
      wasm: ['http://inventory-service-wasm.spring-orders.svc.cluster.local:80'],
      weight: 0,
    });
    expect(find(set.objects, 'Deployment', 'migrate-gateway')).toBeDefined();
    expect(find(set.objects, 'Service', 'migrate-gateway')).toBeDefined();
  });

  it('points the caller at the gateway through the ConfigMap key its Deployment reads the URL from', () => {
    const set = generateManifests(estate, { target: 'spin' });
    expect(set.callerPatches).toEqual([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'orders-config', namespace: 'spring-orders' },
        data: { INVENTORY_URL: 'http://migrate-gateway.spring-orders.svc.cluster.local:8080' },
      },
    ]);
  });

  it('splits with weighted HTTPRoutes and a mirror percentage when the router is httproute', () => {
    const set = generateManifests(estate, { target: 'spin', router: 'httproute', mirrorPercent: 5 });
    const route = find(set.objects, 'HTTPRoute', 'order-service-split');
    expect((route['spec'] as { rules: unknown[] }).rules).toEqual([
      {
        matches: [{ path: { type: 'PathPrefix', value: '/api/order' } }],
        backendRefs: [
          { name: 'order-service', port: 8080, weight: 100 },
          { name: 'order-service-wasm', port: 80, weight: 0 },
        ],
        filters: [
          {
            type: 'RequestMirror',
            requestMirror: { backendRef: { name: 'order-service-wasm', port: 80 }, percent: 5 },
          },
        ],
      },
    ]);
    expect(set.objects.some((o) => o.metadata.name === 'migrate-gateway')).toBe(false);
    expect(set.callerPatches).toEqual([]);
    expect(set.warnings.map((w) => w.message)).toContainEqual(
      expect.stringContaining('INVENTORY_URL calls inventory-service'),
    );
  });

  it('emits a WorkloadDeployment with Host routing and the ConfigMap/Secret by reference for wasmcloud', () => {
    const set = generateManifests(estate, { target: 'wasmcloud', services: ['order-service'] });
    const workload = find(set.objects, 'WorkloadDeployment', 'order-service-wasm');
    const template = (workload['spec'] as { template: { spec: Record<string, unknown> } }).template.spec;
    expect(template['hostInterfaces']).toEqual([
      {
        namespace: 'wasi',
        package: 'http',
        interfaces: ['incoming-handler'],
        config: { host: 'order-service-wasm' },
      },
    ]);
    expect(JSON.stringify(template['components'])).toContain(
      '"secretFrom":[{"name":"orders-db-credentials"}]',
    );
    expect(find(set.objects, 'Service', 'order-service-wasm')).toBeDefined();
  });

  it('warns, with the reason, when a service is blocked on the target', () => {
    const set = generateManifests(estate, { target: 'spin' });
    expect(set.warnings).toContainEqual({
      service: 'order-service',
      message: expect.stringContaining('blocked on spin') as string,
    });
  });

  it('refuses an unknown service id naming the ones that exist', () => {
    expect(() => generateManifests(estate, { target: 'spin', services: ['nope'] })).toThrow(
      /no service "nope"/,
    );
  });

  it('generates valid manifests for every target and router, and YAML kubectl can read back', () => {
    for (const target of ['spin', 'wasmcloud'] as const)
      for (const router of ['gateway', 'httproute'] as const) {
        const set = generateManifests(estate, { target, router, mirrorPercent: 10 });
        expect(findManifestProblems([...set.objects, ...set.callerPatches])).toEqual([]);
        const docs = parseAllDocuments(formatManifestsYaml(set)).map((d) => d.toJS() as KubeObject);
        expect(docs).toEqual([...set.objects, ...set.callerPatches]);
      }
  });
});
