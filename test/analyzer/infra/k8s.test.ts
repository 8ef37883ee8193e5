import { mkdir, mkdtemp, rm, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { k8sReader, readKubernetes } from '../../../analyzer/infra/k8s.ts';
import { FIXTURES, contextFor, listFiles } from './helpers.ts';

const estate = join(FIXTURES, 'estate');
const k8sFiles = (): string[] => listFiles(estate).filter((f) => f.startsWith('k8s/'));

describe('readKubernetes through a kustomize overlay', () => {
  it('applies namespace, namePrefix, commonLabels and images to the base resources', async () => {
    const facts = await readKubernetes(estate, k8sFiles());
    expect(facts.kustomizations).toEqual([
      'k8s/base/kustomization.yaml',
      'k8s/overlays/prod/kustomization.yaml',
    ]);
    const [api] = facts.workloads;
    expect(facts.workloads).toHaveLength(1);
    expect(api).toMatchObject({
      kind: 'Deployment',
      name: 'prod-api',
      namespace: 'prod',
      file: 'k8s/base/api.yaml',
      line: 2,
      replicas: 2,
      labels: { app: 'api', env: 'prod' },
      podLabels: { app: 'api', env: 'prod' },
      kustomization: 'k8s/overlays/prod/kustomization.yaml',
    });
    expect(api?.containers[0]?.image).toBe('shop/api:2.0');
    expect(facts.services[0]).toMatchObject({ name: 'prod-api', selector: { app: 'api', env: 'prod' } });
    expect(facts.ingresses[0]?.rules).toEqual([
      { host: 'shop.local', path: '/api', service: 'prod-api', port: '80', line: 59 },
    ]);
  });

  it('follows renamed ConfigMap/Secret references and never keeps secret values', async () => {
    const facts = await readKubernetes(estate, k8sFiles());
    const container = facts.workloads[0]?.containers[0];
    expect(container?.env).toEqual([
      {
        name: 'STOCK_URL',
        from: { kind: 'configMapKeyRef', name: 'prod-api-config', key: 'STOCK_URL' },
        line: 23,
      },
      { name: 'DB_PASSWORD', from: { kind: 'secretKeyRef', name: 'prod-db', key: 'password' }, line: 28 },
      { name: 'API_TOKEN', value: '***', line: 33 },
    ]);
    expect(container?.envFrom).toEqual([{ kind: 'configMap', name: 'prod-api-config', line: 36 }]);
    expect(facts.configMaps[0]?.data).toEqual({ STOCK_URL: 'http://stock:8080', SMTP_PASSWORD: '***' });
    expect(facts.secrets[0]).toMatchObject({
      name: 'prod-db',
      type: 'Opaque',
      keys: ['password', 'username'],
    });
    const json = JSON.stringify(facts);
    expect(json).not.toMatch(/aHVudGVy|c2hvcA|letmein|plain-token-value/);
  });

  it('reports a kustomize resource that does not exist, with the line naming it, and goes on', async () => {
    const facts = await readKubernetes(estate, k8sFiles());
    expect(facts.problems).toEqual([
      expect.objectContaining({
        code: 'kustomize-missing-resource',
        file: 'k8s/overlays/prod/kustomization.yaml',
        line: 10,
        severity: 'error',
      }),
    ]);
  });
});

describe('readKubernetes on bad input', () => {
  let dir = '';
  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'k8s-'));
    await mkdir(join(dir, 'loop'));
    await symlink('b', join(dir, 'loop', 'a'));
    await symlink('a', join(dir, 'loop', 'b'));
    await writeFile(join(dir, 'loop', 'kustomization.yaml'), 'resources:\n  - a\n  - ../plain\n');
    await mkdir(join(dir, 'plain'));
    await writeFile(join(dir, 'plain', 'kustomization.yaml'), 'resources:\n  - ../loop\n');
    await writeFile(
      join(dir, 'broken.yaml'),
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: b: c\n---\napiVersion: v1\nkind: Service\nmetadata:\n  name: ok\n',
    );
    await writeFile(join(dir, 'ci.yml'), 'on: [push\n');
  });
  afterAll(async () => {
    await rm(dir, { recursive: true, force: true });
  });

  it('turns symlink loops, kustomization cycles and broken manifests into findings', async () => {
    const facts = await readKubernetes(dir, [
      'broken.yaml',
      'ci.yml',
      'loop/kustomization.yaml',
      'plain/kustomization.yaml',
    ]);
    const codes = facts.problems.map((p) => `${p.file}:${p.line} ${p.code}`);
    expect(codes).toContain('loop/kustomization.yaml:2 symlink-loop');
    expect(codes.some((c) => c.endsWith('kustomize-cycle'))).toBe(true);
    expect(codes.some((c) => c.startsWith('broken.yaml:') && c.endsWith('yaml-invalid'))).toBe(true);
    // Not a Kubernetes manifest: its syntax is not ours to report.
    expect(codes.some((c) => c.startsWith('ci.yml'))).toBe(false);
    // The good document after the broken one is still read.
    expect(facts.services.map((s) => s.name)).toEqual(['ok']);
  });
});

describe('k8sReader', () => {
  it('maps onto the core facts: workloads, services, ingress rules, ConfigMaps with key lines, Secrets', async () => {
    const result = await k8sReader.read(contextFor(estate));
    expect(result.workloads?.[0]?.containers[0]).toMatchObject({
      name: 'api',
      image: 'shop/api:2.0',
      ports: [8080],
      envFrom: [{ kind: 'configMapKeyRef', name: 'prod-api-config' }],
    });
    expect(result.workloads?.[0]?.containers[0]?.env[1]).toEqual({
      file: 'k8s/base/api.yaml',
      line: 28,
      name: 'DB_PASSWORD',
      ref: { kind: 'secretKeyRef', name: 'prod-db', key: 'password' },
    });
    expect(result.services?.[0]?.ports).toEqual([{ port: 80, targetPort: 8080 }]);
    expect(result.ingress?.[0]).toMatchObject({
      ingress: 'prod-web',
      service: 'prod-api',
      port: 80,
      path: '/api',
    });
    expect(result.configMaps?.[0]?.data['STOCK_URL']).toEqual({ value: 'http://stock:8080', line: 6 });
    expect(result.secrets?.[0]).toMatchObject({ name: 'prod-db', keys: ['password', 'username'] });
    // compose and Spring files are not read as manifests
    expect(result.findings?.map((f) => f.code)).toEqual(['kustomize-missing-resource']);
  });
});
