import { describe, expect, it } from 'vitest';
import {
  assertValidManifests,
  findManifestProblems,
  type KubeObject,
} from '../../../deploy/kubernetes/index.ts';

const spinApp = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'core.spinkube.dev/v1alpha1',
  kind: 'SpinApp',
  metadata: { name: 'a', namespace: 'n' },
  spec,
});

describe('findManifestProblems', () => {
  it('refuses a SpinApp without executor, naming the field path', () => {
    expect(findManifestProblems([spinApp({ image: 'r/a:1' })])).toEqual([
      { object: 'SpinApp n/a', path: '.spec.executor', message: "must have required property 'executor'" },
    ]);
  });

  it('refuses a field the CRD does not list (the API server would prune it)', () => {
    const problems = findManifestProblems([spinApp({ image: 'r/a:1', executor: 'x', imagee: 'typo' })]);
    expect(problems).toEqual([
      { object: 'SpinApp n/a', path: '.spec.imagee', message: 'must NOT have additional properties' },
    ]);
  });

  it('applies the webhook rule: replicas together with enableAutoscaling is refused', () => {
    const problems = findManifestProblems([
      spinApp({ image: 'r/a:1', executor: 'x', replicas: 2, enableAutoscaling: true }),
    ]);
    expect(problems).toEqual([
      {
        object: 'SpinApp n/a',
        path: '.spec.replicas',
        message: 'must not be set when enableAutoscaling is true',
      },
    ]);
  });

  it('refuses a WorkloadDeployment host interface without its package', () => {
    const problems = findManifestProblems([
      {
        apiVersion: 'runtime.wasmcloud.dev/v1alpha1',
        kind: 'WorkloadDeployment',
        metadata: { name: 'w' },
        spec: {
          template: { spec: { hostInterfaces: [{ namespace: 'wasi', interfaces: ['incoming-handler'] }] } },
        },
      },
    ]);
    expect(problems.map((p) => p.path)).toEqual(['.spec.template.spec.hostInterfaces.0.package']);
  });

  it('refuses a core Service with a port that is not a number, and an HTTPRoute with a bad weight', () => {
    const problems = findManifestProblems([
      { apiVersion: 'v1', kind: 'Service', metadata: { name: 's' }, spec: { ports: [{ port: 'http' }] } },
      {
        apiVersion: 'gateway.networking.k8s.io/v1',
        kind: 'HTTPRoute',
        metadata: { name: 'r' },
        spec: { rules: [{ backendRefs: [{ name: 's', port: 80, weight: -1 }] }] },
      },
    ]);
    expect(problems.map((p) => p.object)).toEqual(['Service s', 'HTTPRoute r']);
  });

  it('refuses a gateway ConfigMap whose routes the gateway itself would refuse', () => {
    const problems = findManifestProblems([
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'migrate-gateway' },
        data: { 'gateway.yaml': 'routes: []\n' },
      },
    ]);
    expect(problems.map((p) => p.path)).toEqual(['.data.gateway.yaml']);
  });

  it('throws one error listing every problem so that nothing is sent', () => {
    expect(() => assertValidManifests([spinApp({})])).toThrow(
      /2 invalid generated manifest field\(s\)[\s\S]*\.spec\.image/,
    );
  });
});
