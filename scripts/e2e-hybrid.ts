/**
 * `npm run e2e:hybrid`: the proof of the side-by-side deployment. `migrate up` brings the sample estate up on
 * the real Docker engine (four legacy containers built from its Dockerfiles, four components in the host, the
 * gateway in front at weight 0); the contract suite (test/contract/contract-suite.ts) runs through the gateway;
 * `migrate shift` moves each service to 100 while a bounded loopback load runs through the gateway; the suite
 * runs again (now served by the components); the weights go back to 0 and `migrate down` removes everything.
 *
 * Progress on stderr; the last stdout line is one JSON object. Exit 0 when everything passed, 1 otherwise.
 * Loopback only; the run has its own Postgres schema, NATS subjects and Redis database, removed at the end.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { runContract, type SuiteResult } from './e2e/contract.ts';
import {
  downSample,
  migrate,
  prepareSample,
  ROUTES,
  startLoad,
  upSample,
  type LocalStatusDoc,
} from './e2e/local-estate.ts';
import { claimRedisDb, flushRedisDb, PG_URL, REDIS_URL } from './e2e/resources.ts';

const RUN = `hybrid_${process.pid}`;
const PORT_BASE = Number(process.env.E2E_HYBRID_PORT_BASE ?? 27500);
const log = (message: string): void => void process.stderr.write(`[e2e:hybrid] ${message}\n`);

/** Containers and components answering `GET /actuator/health` with status UP. */
async function countHealthy(status: LocalStatusDoc): Promise<number> {
  const ports = status.services.flatMap((s) => [
    s.container.port,
    ...(s.component === undefined ? [] : [s.component.port]),
  ]);
  let up = 0;
  for (const port of ports) {
    const response = await fetch(`http://127.0.0.1:${port}/actuator/health`).catch(() => undefined);
    const body = (await response?.json().catch(() => undefined)) as { status?: string } | undefined;
    if (response?.status === 200 && body?.status === 'UP') up += 1;
  }
  return up;
}

async function main(): Promise<number> {
  const work = await mkdtemp(join(tmpdir(), 'migrate-e2e-hybrid-'));
  const runDir = join(work, 'run');
  const schema = RUN;
  let redisDb = 0;
  const result: Record<string, unknown> = {};
  let ok: boolean;
  let state: LocalStatusDoc | undefined;
  try {
    log('base image (scripts/ensure-jre-image.sh) and the jars (samples/spring-orders/scripts/build.sh)');
    await prepareSample();
    redisDb = await claimRedisDb(RUN);
    const gateway = `http://127.0.0.1:${PORT_BASE}`;
    log(`migrate up (gateway ${gateway}, schema ${schema}, redis db ${redisDb})`);
    const started = Date.now();
    state = await upSample({ runDir, run: RUN, redisDb, portBase: PORT_BASE });
    result.up_seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    result.containers = state.services.filter((s) => s.container.state === 'running').length;
    result.components = state.services.filter((s) => s.component?.listening === true).length;

    const target = {
      orderUrl: gateway,
      inventoryUrl: gateway,
      productUrl: gateway,
      notificationUrl: gateway,
      pg: { connectionString: PG_URL, schema },
      redis: { url: REDIS_URL, db: redisDb },
    };
    // one gateway in front of four services has one /actuator/health: that group is asked of each side below
    process.env.CONTRACT_ONLY = 'inventory,orders,products';
    result.health_up = await countHealthy(state);
    const at0: SuiteResult = await runContract(work, 'gateway-at-0', {
      name: 'gateway at weight 0',
      ...target,
    });
    result.contract_at_0 = at0.passed;
    result.contract_at_0_failed = at0.failed;

    log('shifting every service to 100 under load');
    const load = startLoad(gateway, 4);
    for (const route of ROUTES) {
      for (const weight of [10, 50, 100]) {
        const shift = await migrate(['shift', route, String(weight), '--run-dir', runDir]);
        if (shift.code !== 0) throw new Error(`migrate shift ${route} ${weight} exited ${shift.code}`);
        await new Promise((r) => setTimeout(r, 1000));
      }
    }
    await load.stop();
    result.load_requests = load.counts.requests;
    result.failed_requests = load.counts.failed;
    if (load.counts.failures.length > 0) log(`failed requests: ${load.counts.failures.join('; ')}`);

    const at100 = await runContract(work, 'gateway-at-100', { name: 'gateway at weight 100', ...target });
    result.contract_at_100 = at100.passed;
    result.contract_at_100_failed = at100.failed;
    for (const failure of [...at0.failures, ...at100.failures]) log(`FAILED ${failure}`);

    log('back to 0');
    for (const route of ROUTES) await migrate(['shift', route, '0', '--run-dir', runDir]);
    ok =
      result.health_up === 8 &&
      result.containers === 4 &&
      result.components === 4 &&
      at0.failed === 0 &&
      at100.failed === 0 &&
      at0.passed > 0 &&
      at100.passed > 0 &&
      load.counts.failed === 0;
  } catch (error) {
    log(`error: ${(error as Error).message}`);
    ok = false;
  } finally {
    log('migrate down --volumes');
    const started = Date.now();
    result.left_behind = await downSample(runDir, state);
    result.down_seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    if (result.left_behind !== 0) ok = false;
    if (redisDb > 0) await flushRedisDb(redisDb).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ ok, ...result })}\n`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
