import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createAdminClient, type Gateway } from '../../bridge/index.ts';
import { parsePlan, type Plan, type Step } from '../../planner/index.ts';
import { startGateway, startLoad, startUpstream, testConfig, token } from '../bridge/gateway/helpers.ts';

const gates = {
  windowMs: 60_000,
  minSamples: 10,
  action: 'rollback',
  errorRate: { maxIncrease: 0.05 },
  latencyP99: { maxRatio: 100, minMs: 1000 },
  diffRate: { max: 0.05 },
} as const;

/** A short test step: `shadow`, `verify` or a weight. */
export function testStep(name: 'verify' | 'shadow' | number, holdMs = 200): Step {
  if (name === 'verify' || name === 'shadow')
    return { name, kind: name, weight: 0, holdMs: name === 'verify' ? 0 : holdMs, gates: { ...gates } };
  return { name: `${name}%`, kind: 'canary', weight: name, holdMs, gates: { ...gates } };
}

const readiness = { level: 'ready', score: 90, blockers: [] } as const;

/** A hand-made plan (every service in wave 1), written to a temp dir as plan.yaml; parsed as rollout reads it. */
export async function writeTestPlan(
  services: { id: string; steps: Step[] }[],
): Promise<{ plan: Plan; path: string }> {
  const document = {
    schemaVersion: '1.0',
    estate: 'test-estate',
    basis: { analysis: 'analyzed', portReports: [], answers: 'recommended' },
    services: services.map((s) => ({
      id: s.id,
      include: true,
      includeReason: 'test',
      wave: 1,
      waveReason: 'test',
      dependsOn: [],
      target: 'wasmcloud',
      targetReason: 'test',
      readiness: { wasmcloud: readiness, spin: readiness, spin4: readiness, embedded: readiness },
      bindings: [],
      secrets: [],
      effort: { points: 1, raw: 1, basis: 'analysis', formula: '1' },
      steps: s.steps,
    })),
    findings: [],
  };
  const dir = await mkdtemp(join(tmpdir(), 'migrate-rollout-'));
  const path = join(dir, 'plan.yaml');
  const text = JSON.stringify(document, null, 2);
  await writeFile(path, text);
  return { plan: parsePlan(text, path), path };
}

/** The same JSON answer on both sides (so shadow compares equal); `status` lets a side fail. */
export function answer(status: () => number = () => 200) {
  return (req: IncomingMessage, res: ServerResponse): void => {
    const code = status();
    res.writeHead(code, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ path: req.url, ok: code < 400 }));
  };
}

/**
 * A gateway with routes alpha and beta (container and wasm upstreams each) and bounded traffic to both; beta's
 * wasm side answers `betaWasmStatus`. What it started is stopped by `cleanup` (run in reverse).
 */
export async function startTestRoutes(
  cleanup: (() => Promise<void>)[],
  betaWasmStatus = 200,
): Promise<{ gateway: Gateway; client: ReturnType<typeof createAdminClient> }> {
  const routes = [];
  for (const name of ['alpha', 'beta']) {
    const container = await startUpstream(answer());
    const wasm = await startUpstream(answer(() => (name === 'beta' ? betaWasmStatus : 200)));
    cleanup.push(
      () => container.close(),
      () => wasm.close(),
    );
    routes.push({
      name,
      prefix: `/api/${name}`,
      container: [container.url],
      wasm: [wasm.url],
      gates: { windowMs: 60_000, minSamples: 1_000_000 },
    });
  }
  const gateway = await startGateway(testConfig({ sticky: { from: 'header', name: 'x-user-id' }, routes }));
  cleanup.push(() => gateway.stop());
  for (const name of ['alpha', 'beta']) {
    const load = startLoad(gateway.url, {
      workers: 2,
      maxRequests: 200_000,
      path: `/api/${name}/1`,
      keyCount: 100,
      pauseMs: 2,
    });
    cleanup.push(() => load.stop());
  }
  return { gateway, client: createAdminClient({ url: gateway.adminUrl, token }) };
}
