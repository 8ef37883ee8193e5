import { readFileSync } from 'node:fs';
import { afterEach, describe, expect, it } from 'vitest';
import { EstateSchema } from '../../../analyzer/index.ts';
import {
  applyManifests,
  deleteManaged,
  generateManifests,
  waitReady,
  type KubeObject,
} from '../../../deploy/kubernetes/index.ts';
import { startFakeKubeApi, type FakeKubeApi } from '../../helpers/fake-kube-api.ts';
import { getContent } from '../../helpers/kube-estate.ts';

const estate = EstateSchema.parse(
  JSON.parse(readFileSync(new URL('./fixtures/spring-orders.estate.json', import.meta.url), 'utf8')),
);
const manifests = generateManifests(estate, {
  target: 'spin',
  services: ['inventory-service', 'product-service'],
});
const legacy: KubeObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: {
    name: 'inventory-service',
    namespace: 'spring-orders',
    labels: { 'app.kubernetes.io/name': 'inventory-service' },
  },
  spec: {
    replicas: 1,
    selector: { matchLabels: { app: 'inventory-service' } },
    template: { spec: { containers: [{ name: 'inventory-service', image: 'inv:1' }] } },
  },
};

let api: FakeKubeApi | undefined;
afterEach(async () => {
  await api?.close();
  api = undefined;
});

const versions = (fake: FakeKubeApi): string[] =>
  fake.objects().map((o) => {
    const m = o['metadata'] as { name: string; resourceVersion: string; generation: number };
    return `${String(o['kind'])}/${m.name}@${m.resourceVersion}/${m.generation}`;
  });

describe('applyManifests against a fake API server', () => {
  it('creates everything by server-side apply, and a second apply changes nothing', async () => {
    api = await startFakeKubeApi({ install: ['spin'] });
    const first = await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig });
    expect(first.map((r) => r.action)).toEqual(manifests.objects.map(() => 'created'));
    expect(
      api.requests
        .filter((r) => r.startsWith('PATCH'))
        .every((r) => r.includes('fieldManager=migrate') && r.endsWith('application/apply-patch+yaml')),
    ).toBe(true);
    // The controller's status writes bump resourceVersions: compare once it has reconciled everything.
    await waitReady(manifests.objects, { kubeConfig: api.kubeConfig, intervalMs: 10 });
    const before = versions(api);
    const second = await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig });
    expect(second.map((r) => r.action)).toEqual(manifests.objects.map(() => 'unchanged'));
    expect(versions(api)).toEqual(before);
    const app = api.objects('SpinApp')[0]!;
    expect(
      (app['metadata'] as { managedFields: { manager: string }[] }).managedFields.map((f) => f.manager),
    ).toEqual(['migrate']);
  });

  it('stores nothing on a server-side dry run', async () => {
    api = await startFakeKubeApi({ install: ['spin'] });
    const results = await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig, dryRun: true });
    expect(results).toHaveLength(manifests.objects.length);
    expect(api.requests.filter((r) => r.startsWith('PATCH')).every((r) => r.includes('dryRun=All'))).toBe(
      true,
    );
    expect(api.objects()).toEqual([]);
  });

  it('reports a conflict with the other manager, and takes the field over with forceConflicts', async () => {
    api = await startFakeKubeApi({ install: ['spin'] });
    const gateway = manifests.objects.find(
      (o) => o.kind === 'Service' && o.metadata.name === 'migrate-gateway',
    )!;
    api.seed({ ...structuredClone(gateway), spec: { ports: [{ name: 'http', port: 9999 }] } }, 'kubectl');
    await expect(applyManifests(manifests.objects, { kubeConfig: api.kubeConfig })).rejects.toThrow(
      /Service spring-orders\/migrate-gateway: Apply failed with 1 conflict: conflict with "kubectl" using v1: \.spec\.ports/,
    );
    await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig, forceConflicts: true });
    const live = api
      .objects('Service')
      .find((o) => (o['metadata'] as { name: string }).name === 'migrate-gateway')!;
    expect(live['spec']).toEqual(gateway['spec']);
  });

  it('refuses with what to install when the cluster lacks the SpinApp CRD, before sending anything', async () => {
    api = await startFakeKubeApi();
    const error = await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig }).catch(
      (e: unknown) => e,
    );
    expect(error).toMatchObject({
      code: 'MIG_KUBERNETES',
      message: expect.stringContaining('spinapps.core.spinkube.dev') as string,
      hint: expect.stringContaining('install SpinKube') as string,
    });
    expect(api.requests.filter((r) => r.startsWith('PATCH'))).toEqual([]);
  });

  it('waits until the controller marks everything ready', async () => {
    api = await startFakeKubeApi({ install: ['spin'] });
    await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig });
    await waitReady(manifests.objects, { kubeConfig: api.kubeConfig, intervalMs: 20, timeoutMs: 60_000 });
  });

  it('names what is not ready when the wait times out', async () => {
    api = await startFakeKubeApi({ install: ['spin'], readiness: 'never' });
    await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig });
    await expect(
      waitReady(manifests.objects, { kubeConfig: api.kubeConfig, intervalMs: 10, timeoutMs: 50 }),
    ).rejects.toThrow(
      'not ready in time: Deployment spring-orders/migrate-gateway, SpinApp spring-orders/inventory-service-wasm, SpinApp spring-orders/product-service-wasm',
    );
  });

  it('down deletes exactly the labelled objects and leaves the legacy ones untouched', async () => {
    api = await startFakeKubeApi({ install: ['spin'] });
    api.seed(legacy, 'kubectl');
    const legacyBefore = api.objects('Deployment');
    await applyManifests(manifests.objects, { kubeConfig: api.kubeConfig });
    const deleted = await deleteManaged('spring-orders', { kubeConfig: api.kubeConfig });
    expect(deleted).toHaveLength(manifests.objects.length);
    expect(
      api
        .objects()
        .filter(
          (o) =>
            (o['metadata'] as { labels?: Record<string, string> }).labels?.[
              'app.kubernetes.io/managed-by'
            ] === 'migrate',
        ),
    ).toEqual([]);
    // The controller writes the legacy Deployment's status (a new resourceVersion); its content is unchanged.
    expect(api.objects().map(getContent)).toEqual(legacyBefore.map(getContent));
  });
});
