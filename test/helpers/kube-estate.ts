/**
 * A fake cluster dressed as a real one: the sample estate's legacy objects as `kubectl apply` left them
 * (kustomize resolved by the real kubectl), SpinKube's executor and RuntimeClass as its Helm chart installs
 * them, and a kubeconfig file pointing at it.
 */
import { execFileSync } from 'node:child_process';
import { writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import type { FakeKubeApi } from './fake-kube-api.ts';

export const SAMPLE_ESTATE = fileURLToPath(new URL('../../samples/spring-orders', import.meta.url));
export const SAMPLE_NAMESPACE = 'spring-orders';
/** The manager kubectl's client-side apply records. */
export const LEGACY_MANAGER = 'kubectl-client-side-apply';

type Json = Record<string, unknown>;

/** The sample's k8s folder as `kubectl kustomize` renders it. */
export function renderLegacyObjects(): Json[] {
  const yaml = execFileSync('kubectl', ['kustomize', join(SAMPLE_ESTATE, 'k8s')], { encoding: 'utf8' });
  return parseAllDocuments(yaml)
    .map((d) => d.toJSON() as Json | null)
    .filter((o): o is Json => o !== null);
}

/** Seed the legacy objects; returns them as seeded (for "untouched" checks). */
export function seedLegacy(api: FakeKubeApi): Json[] {
  const objects = renderLegacyObjects();
  for (const o of objects) api.seed(o, LEGACY_MANAGER);
  return objects;
}

/** What the SpinKube install brings into a namespace: the executor, and the cluster's RuntimeClass. */
export function seedSpinKube(api: FakeKubeApi, namespace = SAMPLE_NAMESPACE): void {
  api.seed(
    {
      apiVersion: 'node.k8s.io/v1',
      kind: 'RuntimeClass',
      metadata: { name: 'wasmtime-spin-v2' },
      handler: 'spin',
    },
    'helm',
  );
  api.seed(
    {
      apiVersion: 'core.spinkube.dev/v1alpha1',
      kind: 'SpinAppExecutor',
      metadata: { name: 'containerd-shim-spin', namespace },
      spec: { createDeployment: true, deploymentConfig: { runtimeClassName: 'wasmtime-spin-v2' } },
    },
    'helm',
  );
}

/** A kubeconfig file for the fake (context `fake`). */
export async function writeKubeconfig(api: FakeKubeApi, dir: string): Promise<string> {
  const file = join(dir, 'kubeconfig');
  await writeFile(file, api.kubeConfig.exportConfig());
  return file;
}

/** An object's content without what the server maintains (for before/after comparisons). */
export function getContent(o: Json): Json {
  const copy = structuredClone(o);
  const metadata = (copy['metadata'] ?? {}) as Json;
  for (const k of ['managedFields', 'resourceVersion', 'generation', 'uid', 'creationTimestamp'])
    delete metadata[k];
  delete copy['status'];
  return copy;
}
