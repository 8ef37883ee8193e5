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
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { runContract, type SuiteResult } from './e2e/contract.ts';
import { claimRedisDb, flushRedisDb, PG_URL, REDIS_URL } from './e2e/resources.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const ESTATE = join(ROOT, 'samples/spring-orders');
const RUN = `hybrid_${process.pid}`;
const PORT_BASE = Number(process.env.E2E_HYBRID_PORT_BASE ?? 27500);
const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/lib/migrate-docker/docker.sock';
const ROUTES = ['inventory', 'product', 'order', 'notification'] as const;
const log = (message: string): void => void process.stderr.write(`[e2e:hybrid] ${message}\n`);

interface CliResult {
  code: number | null;
  stdout: string;
}

function run(command: string, args: string[], echo = true): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, DOCKER_HOST, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', echo ? 'inherit' : 'ignore'],
    });
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

const migrate = (args: string[]): Promise<CliResult> =>
  run(process.execPath, [join(ROOT, 'bin/migrate.js'), ...args]);

/** A bounded closed-loop load through the gateway: `workers` loops of GETs until stopped. */
function startLoad(gateway: string, workers: number) {
  let stop = false;
  const counts = { requests: 0, failed: 0, failures: [] as string[] };
  const paths = ['/api/inventory?skuCode=iphone_13', '/api/product', '/api/order', '/api/notification'];
  const loop = async (worker: number): Promise<void> => {
    for (let i = worker; !stop; i += 1) {
      const path = paths[i % paths.length]!;
      try {
        const response = await fetch(`${gateway}${path}`, { headers: { 'x-user-id': `user-${i % 97}` } });
        await response.arrayBuffer();
        counts.requests += 1;
        if (response.status !== 200) {
          counts.failed += 1;
          if (counts.failures.length < 10) counts.failures.push(`${path}: ${response.status}`);
        }
      } catch (error) {
        counts.requests += 1;
        counts.failed += 1;
        if (counts.failures.length < 10) counts.failures.push(`${path}: ${(error as Error).message}`);
      }
    }
  };
  const done = Promise.all(Array.from({ length: workers }, (_, w) => loop(w)));
  return {
    counts,
    async stop() {
      stop = true;
      await done;
    },
  };
}

async function leftBehind(runDir: string, runId: string, pids: number[]): Promise<number> {
  const docker = new Docker({ socketPath: DOCKER_HOST.replace('unix://', '') });
  const filters = JSON.stringify({ label: [`io.migrate.run=${runId}`] });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  const alive = pids.filter((pid) => {
    try {
      process.kill(pid, 0);
      return true;
    } catch {
      return false;
    }
  });
  return (
    containers.length + networks.length + alive.length + (existsSync(join(runDir, 'up-state.json')) ? 1 : 0)
  );
}

interface LocalStatusDoc {
  runId: string;
  healthy: boolean;
  upSeconds?: number;
  processes: { pid: number }[];
  services: {
    container: { state: string; port: number };
    component?: { listening: boolean; port: number };
  }[];
}

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
    if ((await run('bash', [join(ROOT, 'scripts/ensure-jre-image.sh')])).code !== 0)
      throw new Error('no base image');
    if ((await run('bash', [join(ESTATE, 'scripts/build.sh')])).code !== 0)
      throw new Error('maven build failed');
    redisDb = await claimRedisDb(RUN);
    const gateway = `http://127.0.0.1:${PORT_BASE}`;
    log(`migrate up (gateway ${gateway}, schema ${schema}, redis db ${redisDb})`);
    const started = Date.now();
    const up = await migrate([
      'up',
      '--estate',
      ESTATE,
      '--postgres',
      `${PG_URL}?options=${encodeURIComponent(`-c search_path=${schema}`)}`,
      '--redis',
      `${REDIS_URL}/${redisDb}`,
      '--subject-prefix',
      `${RUN}.`,
      '--port-base',
      String(PORT_BASE),
      '--run-dir',
      runDir,
      '--timeout',
      '1500',
      '--env',
      'JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -Xss512k',
      '--json',
    ]);
    result.up_seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    if (up.code !== 0) throw new Error(`migrate up exited ${up.code}`);
    state = JSON.parse(up.stdout) as LocalStatusDoc;
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
    const down = await migrate(['down', '--run-dir', runDir, '--volumes']);
    result.down_seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    if (down.code !== 0) ok = false;
    result.left_behind =
      state === undefined
        ? 0
        : await leftBehind(
            runDir,
            state.runId,
            state.processes.map((p) => p.pid),
          );
    if (result.left_behind !== 0) ok = false;
    if (redisDb > 0) await flushRedisDb(redisDb).catch(() => undefined);
    await rm(work, { recursive: true, force: true });
  }
  process.stdout.write(`${JSON.stringify({ ok, ...result })}\n`);
  return ok ? 0 : 1;
}

process.exitCode = await main();
