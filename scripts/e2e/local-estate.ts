/**
 * The sample estate side by side through `migrate up` / `migrate down`, shared by `npm run e2e:hybrid` and
 * `npm run e2e:rollout`: the base image and jars, `up` with a Postgres schema, NATS subjects and Redis database
 * of the run, a bounded closed-loop load through the gateway, and what `down` left behind.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import Docker from 'dockerode';
import { isRunning } from '../../deploy/local/processes.ts';
import { PG_URL, REDIS_URL } from './resources.ts';

export const ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ESTATE = join(ROOT, 'samples/spring-orders');
export const DOCKER_HOST = process.env.DOCKER_HOST ?? 'unix:///var/lib/migrate-docker/docker.sock';
/** The sample's routes, as `migrate up` names them. */
export const ROUTES = ['inventory', 'product', 'order', 'notification'] as const;

export interface CliResult {
  code: number | null;
  stdout: string;
}

/** Runs a command in the checkout; stdout is collected, stderr shown (or dropped with `echo` false). */
export function run(
  command: string,
  args: string[],
  echo = true,
  onSpawn?: (child: ChildProcess) => void,
): Promise<CliResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, {
      cwd: ROOT,
      env: { ...process.env, DOCKER_HOST, NO_COLOR: '1' },
      stdio: ['ignore', 'pipe', echo ? 'inherit' : 'ignore'],
    });
    onSpawn?.(child);
    let stdout = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.on('close', (code) => resolve({ code, stdout }));
  });
}

/** `migrate <args>` as a user runs it (bin/migrate.js on this Node). */
export const migrate = (args: string[], onSpawn?: (child: ChildProcess) => void): Promise<CliResult> =>
  run(process.execPath, [join(ROOT, 'bin/migrate.js'), ...args], true, onSpawn);

/** The JRE base image (scripts/ensure-jre-image.sh) and the sample's jars (its scripts/build.sh). */
export async function prepareSample(): Promise<void> {
  if ((await run('bash', [join(ROOT, 'scripts/ensure-jre-image.sh')])).code !== 0)
    throw new Error('no base image');
  if ((await run('bash', [join(ESTATE, 'scripts/build.sh')])).code !== 0)
    throw new Error('maven build failed');
}

/** What `migrate up --json` / `migrate status --json` report about the local run. */
export interface LocalStatusDoc {
  runId: string;
  healthy: boolean;
  upSeconds?: number;
  processes: { pid: number }[];
  services: {
    container: { state: string; port: number };
    component?: { listening: boolean; port: number };
  }[];
}

export interface UpOptions {
  runDir: string;
  /** Names the run's Postgres schema and prefixes its NATS subjects. */
  run: string;
  redisDb: number;
  portBase: number;
  /** More `migrate up` arguments (`--plan`, `--ported`). */
  extra?: string[];
}

/** `migrate up` of the sample with the run's own schema, subjects and Redis database; JVMs kept small. */
export async function upSample(options: UpOptions): Promise<LocalStatusDoc> {
  const up = await migrate([
    'up',
    '--estate',
    ESTATE,
    '--postgres',
    `${PG_URL}?options=${encodeURIComponent(`-c search_path=${options.run}`)}`,
    '--redis',
    `${REDIS_URL}/${options.redisDb}`,
    '--subject-prefix',
    `${options.run}.`,
    '--port-base',
    String(options.portBase),
    '--run-dir',
    options.runDir,
    '--timeout',
    '1500',
    '--env',
    'JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -Xss512k',
    ...(options.extra ?? []),
    '--json',
  ]);
  if (up.code !== 0) throw new Error(`migrate up exited ${up.code}`);
  return JSON.parse(up.stdout) as LocalStatusDoc;
}

/** `migrate down --volumes`; then the containers, networks, processes and state file still there. */
export async function downSample(runDir: string, state: LocalStatusDoc | undefined): Promise<number> {
  const down = await migrate(['down', '--run-dir', runDir, '--volumes']);
  const left =
    state === undefined
      ? 0
      : await leftBehind(
          runDir,
          state.runId,
          state.processes.map((p) => p.pid),
        );
  return left + (down.code === 0 ? 0 : 1);
}

async function leftBehind(runDir: string, runId: string, pids: number[]): Promise<number> {
  const docker = new Docker({ socketPath: DOCKER_HOST.replace('unix://', '') });
  const filters = JSON.stringify({ label: [`io.migrate.run=${runId}`] });
  const [containers, networks] = await Promise.all([
    docker.listContainers({ all: true, filters }),
    docker.listNetworks({ filters }),
  ]);
  // as `migrate down` judges it (a zombie has stopped)
  const alive = pids.filter(isRunning);
  return (
    containers.length + networks.length + alive.length + (existsSync(join(runDir, 'up-state.json')) ? 1 : 0)
  );
}

export interface LoadCounts {
  requests: number;
  failed: number;
  failures: string[];
}

/**
 * A bounded closed-loop load through the gateway: `workers` loops of GETs on every route until stopped, each
 * pausing `pauseMs` between requests.
 */
export function startLoad(gateway: string, workers: number, pauseMs = 0) {
  let stop = false;
  const counts: LoadCounts = { requests: 0, failed: 0, failures: [] };
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
      if (pauseMs > 0) await new Promise((resolve) => setTimeout(resolve, pauseMs));
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
