import { execFile } from 'node:child_process';
import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { promisify } from 'node:util';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parse, parseAllDocuments } from 'yaml';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { startFakeKubeApi, type FakeKubeApi } from '../helpers/fake-kube-api.ts';
import {
  getContent,
  SAMPLE_ESTATE,
  SAMPLE_NAMESPACE,
  seedLegacy,
  seedSpinKube,
  writeKubeconfig,
} from '../helpers/kube-estate.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';

let api: FakeKubeApi | undefined;
let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-kube-cli-'));
});
afterEach(async () => {
  await api?.close();
  api = undefined;
  await rm(dir, { recursive: true, force: true });
});

const LABELLED = 'app.kubernetes.io/managed-by';
const labelled = (fake: FakeKubeApi) =>
  fake
    .objects()
    .filter((o) => (o['metadata'] as { labels?: Record<string, string> }).labels?.[LABELLED] === 'migrate');

async function cluster(options: Parameters<typeof startFakeKubeApi>[0] = { install: ['spin'] }) {
  api = await startFakeKubeApi(options);
  seedLegacy(api);
  if (options.install?.includes('spin') === true) seedSpinKube(api);
  return { api, env: { KUBECONFIG: await writeKubeconfig(api, dir), HOME: dir } };
}

const up = (env: NodeJS.ProcessEnv, ...args: string[]) =>
  runCliCaptured(['up', '--kubernetes', '--estate', SAMPLE_ESTATE, ...args], env);

describe('migrate up/status/shift/down --kubernetes against a fake API server', () => {
  it('applies, reports ready, shifts through the gateway ConfigMap, and down restores the caller and deletes only its own objects', async () => {
    const { api, env } = await cluster();
    const before = api.objects().map(getContent);
    const first = await up(env, '--json', '--timeout', '120');
    expect(first.stderr).toMatch(/order-service: not migrated to spin \(blocked/);
    expect(first.code).toBe(0);
    const report = JSON.parse(first.stdout) as { changes: number; objects: { id: string; action: string }[] };
    expect(report.objects.map((o) => o.id)).toContain('SpinApp spring-orders/inventory-service-wasm');
    expect(report.objects.map((o) => o.id)).not.toContain('SpinApp spring-orders/order-service-wasm');
    const orders = api
      .objects('ConfigMap')
      .find((o) => (o['metadata'] as { name: string }).name === 'orders-config')!;
    expect((orders['data'] as Record<string, string>)['INVENTORY_URL']).toBe(
      'http://migrate-gateway.spring-orders.svc.cluster.local:8080',
    );

    const again = await up(env, '--json', '--timeout', '120');
    expect(again.code).toBe(0);
    expect((JSON.parse(again.stdout) as { changes: number }).changes).toBe(0);

    const status = await runCliCaptured(['status', '--kubernetes', '--estate', SAMPLE_ESTATE, '--json'], env);
    expect(status.code).toBe(0);
    const state = JSON.parse(status.stdout) as {
      ready: boolean;
      routes: { route: string; weight: number }[];
    };
    expect(state.ready).toBe(true);
    expect(state.routes.map((r) => `${r.route}=${r.weight}`).sort()).toEqual([
      'inventory-service=0',
      'product-service=0',
    ]);

    const shift = await runCliCaptured(
      ['shift', 'inventory', '10', '--kubernetes', '--estate', SAMPLE_ESTATE],
      env,
    );
    expect(shift.code).toBe(0);
    const gateway = api
      .objects('ConfigMap')
      .find((o) => (o['metadata'] as { name: string }).name === 'migrate-gateway')!;
    const routes = (
      parse((gateway['data'] as Record<string, string>)['gateway.yaml']!) as {
        routes: { name: string; weight: number }[];
      }
    ).routes;
    expect(routes.find((r) => r.name === 'inventory-service')!.weight).toBe(10);

    const down = await runCliCaptured(['down', '--kubernetes', '--estate', SAMPLE_ESTATE, '--json'], env);
    expect(down.code).toBe(0);
    expect(labelled(api)).toEqual([]);
    const after = api.objects().map(getContent);
    expect(after).toEqual(expect.arrayContaining(before));
    expect(after).toHaveLength(before.length);
  });

  it('moves HTTPRoute weights with --router httproute', async () => {
    const { api, env } = await cluster({ install: ['wasmcloud', 'gatewayApi'] });
    const run = await up(
      env,
      '--target',
      'wasmcloud',
      '--router',
      'httproute',
      '--services',
      'inventory',
      '--timeout',
      '120',
    );
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/all ready/);
    const shift = await runCliCaptured(
      ['shift', 'inventory', '25', '--kubernetes', '--estate', SAMPLE_ESTATE, '--json'],
      env,
    );
    expect(shift.code).toBe(0);
    const route = api.objects('HTTPRoute')[0]!;
    const refs = (route['spec'] as { rules: { backendRefs: { name: string; weight: number }[] }[] }).rules[0]!
      .backendRefs;
    expect(refs.map((r) => `${r.name}=${r.weight}`)).toEqual([
      'inventory-service=75',
      'inventory-service-wasm=25',
    ]);
  });

  it('exits 2 naming the kubeconfig when there is none', async () => {
    const run = await up({ KUBECONFIG: join(dir, 'missing'), HOME: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no kubeconfig: .*missing not found/);
  });

  it('exits 2 listing the contexts when --context names none of them', async () => {
    const { env } = await cluster();
    const run = await up(env, '--context', 'prod');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no context "prod" in the kubeconfig/);
    expect(run.stderr).toMatch(/contexts: fake/);
  });

  it('exits 2 saying what to install when the SpinApp CRD is missing, before applying anything', async () => {
    const { api, env } = await cluster({ install: [] });
    const run = await up(env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /does not serve core\.spinkube\.dev\/v1alpha1 SpinApp \(CRD spinapps\.core\.spinkube\.dev\)/,
    );
    expect(run.stderr).toMatch(/install SpinKube/);
    expect(api.requests.filter((r) => r.startsWith('PATCH'))).toEqual([]);
  });

  it('exits 2 when the executor is not in the namespace', async () => {
    api = await startFakeKubeApi({ install: ['spin'] });
    seedLegacy(api);
    const run = await up({ KUBECONFIG: await writeKubeconfig(api, dir), HOME: dir });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/no SpinAppExecutor containerd-shim-spin in namespace spring-orders/);
  });

  it('reports a conflict with another field manager, and takes the fields over with --force-conflicts', async () => {
    const { api, env } = await cluster();
    api.seed(
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'migrate-gateway', namespace: SAMPLE_NAMESPACE },
        data: { 'gateway.yaml': 'routes: []\n' },
      },
      'kubectl-edit',
    );
    const run = await up(env);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /ConfigMap spring-orders\/migrate-gateway: .*conflict with "kubectl-edit" using v1: \.data\.gateway\.yaml/,
    );
    expect(run.stderr).toMatch(/--force-conflicts/);
    const forced = await up(env, '--force-conflicts', '--timeout', '120');
    expect(forced.code).toBe(0);
  });

  it('exits 2 naming what is not ready when the timeout passes', async () => {
    const { env } = await cluster({ install: ['spin'], readiness: 'never' });
    const run = await up(env, '--timeout', '1');
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /not ready in time: .*Deployment spring-orders\/migrate-gateway.*SpinApp spring-orders\/inventory-service-wasm/,
    );
  });

  it('sends dryRun=All with --dry-run=server and stores nothing', async () => {
    const { api, env } = await cluster();
    const before = api.objects().length;
    const run = await up(env, '--dry-run', 'server');
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/server dry run/);
    const patches = api.requests.filter((r) => r.startsWith('PATCH'));
    expect(patches.length).toBeGreaterThan(0);
    expect(patches.every((r) => r.includes('dryRun=All'))).toBe(true);
    expect(api.objects()).toHaveLength(before);
  });

  it('prints the manifests with --output yaml without a cluster', async () => {
    const run = await up({ KUBECONFIG: join(dir, 'missing'), HOME: dir }, '--output', 'yaml');
    expect(run.code).toBe(0);
    const kinds = parseAllDocuments(run.stdout).map((d) => (d.toJSON() as { kind: string }).kind);
    expect(kinds).toEqual(expect.arrayContaining(['ConfigMap', 'Deployment', 'Service', 'SpinApp']));
    expect(run.stdout).toMatch(/^# Generated by `migrate/);
  });

  it('writes with --output yaml what kubectl apply --server-side applies as up --kubernetes would', async () => {
    const { env } = await cluster();
    const yaml = await up(env, '--output', 'yaml');
    const file = join(dir, 'hybrid.yaml');
    await writeFile(file, yaml.stdout);
    // The real kubectl against the fake: discovery, then one apply-patch per object.
    const kubectl = await promisify(execFile)('kubectl', [
      '--kubeconfig',
      env.KUBECONFIG,
      'apply',
      '--server-side',
      '--field-manager=migrate',
      '--force-conflicts',
      '--validate=false',
      '-f',
      file,
    ]);
    expect(kubectl.stdout).toMatch(/spinapp\.core\.spinkube\.dev\/inventory-service-wasm serverside-applied/);
    const run = await up(env, '--json', '--timeout', '120');
    expect(run.code).toBe(0);
    const report = JSON.parse(run.stdout) as {
      objects: { id: string; action: string }[];
      callerPatches: { action: string }[];
    };
    // Only migrate's own record of the callers is new; every object kubectl applied is already as up wants it.
    expect(report.objects.filter((o) => o.action !== 'unchanged').map((o) => o.id)).toEqual([
      'ConfigMap spring-orders/migrate-callers',
    ]);
    expect(report.callerPatches.map((p) => p.action)).toEqual(['unchanged']);
  });
});
