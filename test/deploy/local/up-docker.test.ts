// `migrate up` / `status` / `down` as a user runs them (child processes of bin/migrate.js) against the real
// Docker engine, Postgres, NATS and Redis of the machine: bad input leaves nothing behind, the sample comes up
// side by side, messages reach exactly one side, a second up and a second down change nothing, and a SIGINT
// during up removes what it had created.
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { copyFile, cp, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer, type Server } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Docker from 'dockerode';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { isRunning } from '../../../deploy/local/processes.ts';
import { claimRedisDb, flushRedisDb } from '../../../scripts/e2e/resources.ts';
import { getBuiltService } from '../../helpers/components.ts';
import { SAMPLE_ESTATE } from '../../helpers/port-service.ts';

const REPO = join(import.meta.dirname, '../../..');
const DOCKER_HOST =
  process.env.DOCKER_HOST ??
  (existsSync(join(REPO, '.docker-host'))
    ? readFileSync(join(REPO, '.docker-host'), 'utf8').trim()
    : 'unix:///var/lib/migrate-docker/docker.sock');
const docker = new Docker({ socketPath: DOCKER_HOST.replace('unix://', '') });
const JAVA_OPTS = 'JAVA_OPTS=-XX:TieredStopAtLevel=1 -XX:+UseSerialGC -Xmx256m -Xss512k';
const tag = `up${process.pid}`;

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

function migrate(args: string[], env: NodeJS.ProcessEnv = {}, onSpawn?: (pid: number) => void): Promise<Run> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [join(REPO, 'bin/migrate.js'), ...args], {
      cwd: REPO,
      env: { ...process.env, DOCKER_HOST, NO_COLOR: '1', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (c: Buffer) => (stdout += c.toString()));
    child.stderr.on('data', (c: Buffer) => (stderr += c.toString()));
    if (child.pid !== undefined) onSpawn?.(child.pid);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

async function labelled(label: string): Promise<string[]> {
  const list = await docker.listContainers({ all: true, filters: JSON.stringify({ label: [label] }) });
  return list.map((c) => c.Id);
}

async function schemaExists(name: string): Promise<boolean> {
  const client = new pg.Client({ connectionString: 'postgres://postgres@127.0.0.1:5432/test' });
  await client.connect();
  try {
    return (await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name])).rowCount === 1;
  } finally {
    await client.end();
  }
}

async function waitUntil<T>(
  what: string,
  timeoutMs: number,
  probe: () => Promise<T | undefined>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe().catch(() => undefined);
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${timeoutMs} ms`);
    await new Promise((r) => setTimeout(r, 300));
  }
}

const PREPORTED = ['order-service', 'notification-service', 'product-service'];
let work = '';
let ported = '';
let redisDb = 0;

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'migrate-up-test-'));
  ported = join(work, 'ported');
  // Three services are already ported and built, as `migrate port --build` leaves them (the run's global setup
  // built them); up ports and builds inventory itself, and takes the others as they are.
  for (const service of PREPORTED) {
    const built = getBuiltService(service, 'embedded');
    const root = join(ported, service);
    await cp(built.root, root, { recursive: true });
    await mkdir(join(root, 'dist'), { recursive: true });
    await copyFile(built.out, join(root, 'dist', `${built.name}.wasm`));
  }
  // the base image the sample's Dockerfiles build FROM (no registry here), and the jars they copy
  await new Promise<void>((resolve, reject) => {
    const child = spawn('bash', [join(REPO, 'scripts/ensure-jre-image.sh')], {
      env: { ...process.env, DOCKER_HOST },
      stdio: 'inherit',
    });
    child.on('close', (code) => (code === 0 ? resolve() : reject(new Error(`ensure-jre-image.sh: ${code}`))));
  });
  if (!existsSync(join(SAMPLE_ESTATE, 'order-service/target/order-service.jar')))
    await new Promise<void>((resolve) =>
      spawn('bash', [join(SAMPLE_ESTATE, 'scripts/build.sh')], { stdio: 'inherit' }).on('close', () =>
        resolve(),
      ),
    );
  redisDb = await claimRedisDb(tag);
}, 900_000);

afterAll(async () => {
  if (redisDb > 0) await flushRedisDb(redisDb);
  if (work !== '') await rm(work, { recursive: true, force: true });
});

/** The flags every run here shares: its own schema, Redis db, subjects and ports in this worker's range. */
function runFlags(name: string, portBase: number): string[] {
  return [
    '--postgres',
    `postgres://postgres@127.0.0.1:5432/test?options=${encodeURIComponent(`-c search_path=${tag}_${name}`)}`,
    '--redis',
    `redis://127.0.0.1:6379/${redisDb}`,
    '--subject-prefix',
    `${tag}.${name}.`,
    '--port-base',
    String(portBase),
    '--run-dir',
    join(work, `run-${name}`),
    '--ported',
    ported,
    '--timeout',
    '1200',
    '--env',
    JAVA_OPTS,
  ];
}

describe('migrate up refuses bad input and leaves nothing behind', () => {
  it('names a service the estate does not have', async () => {
    const run = await migrate([
      'up',
      '--estate',
      SAMPLE_ESTATE,
      '--services',
      'billing',
      ...runFlags('bad1', 27400),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('the estate has no service billing');
    expect(existsSync(join(work, 'run-bad1', 'up-state.json'))).toBe(false);
  }, 300_000);

  it('names an unreachable Docker engine', async () => {
    const run = await migrate(['up', '--estate', SAMPLE_ESTATE, ...runFlags('bad2', 27400)], {
      DOCKER_HOST: `unix://${join(work, 'no-docker.sock')}`,
    });
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MIG_DOCKER cannot reach the Docker engine at unix:\/\/.*no-docker\.sock/);
  }, 300_000);

  it('names a port already taken, and what it was for', async () => {
    const server: Server = createServer();
    await new Promise<void>((resolve) => server.listen(27402, '127.0.0.1', resolve));
    try {
      const run = await migrate(['up', '--estate', SAMPLE_ESTATE, ...runFlags('bad3', 27400)]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('port 27402 (for the inventory-service container) is already in use');
      expect(existsSync(join(work, 'run-bad3', 'up-state.json'))).toBe(false);
    } finally {
      server.close();
    }
  }, 300_000);

  it('names the compose infra image it cannot pull', async () => {
    const run = await migrate([
      'up',
      '--estate',
      SAMPLE_ESTATE,
      '--infra',
      'compose',
      ...runFlags('bad4', 27400),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(
      /image (nats:2\.10-alpine|postgres:16|redis:7) is not in the engine .* cannot be pulled/,
    );
    expect(run.stderr).toContain('--infra existing');
  }, 300_000);

  describe('with a copy of the estate', () => {
    let estate = '';
    beforeAll(async () => {
      estate = join(work, 'broken-orders');
      await cp(SAMPLE_ESTATE, estate, {
        recursive: true,
        filter: (src) =>
          !/\/target\/(classes|generated-sources|maven-|test-classes)/.test(src) && !src.includes('/.run'),
      });
    });

    it('reports the Dockerfile step that fails with its output, and removes what it made', async () => {
      const file = join(estate, 'inventory-service/Dockerfile');
      const text = await readFile(file, 'utf8');
      await writeFile(
        file,
        text.replace('WORKDIR /app', 'WORKDIR /app\nRUN echo "checking the jar layout" && false'),
      );
      const run = await migrate([
        'up',
        '--estate',
        estate,
        '--services',
        'inventory',
        ...runFlags('bad5', 27400),
      ]);
      await writeFile(file, text);
      expect(run.code).toBe(2);
      // the first up here to get that far: it ported and built the service --ported lacked
      expect(run.stderr).toMatch(/inventory-service: no component in .*; porting and building it/);
      expect(run.stderr).toContain('MIG_BUILD');
      expect(run.stderr).toMatch(/failed at Step \d+\/\d+ : RUN echo "checking the jar layout" && false/);
      expect(run.stderr).toContain('| checking the jar layout');
      expect(await labelled('io.migrate.estate=broken-orders')).toEqual([]);
      expect(existsSync(join(work, 'run-bad5', 'up-state.json'))).toBe(false);
    }, 1_200_000);

    it('names a base image that is neither local nor pullable, and how to provide it', async () => {
      const run = await migrate([
        'up',
        '--estate',
        estate,
        '--services',
        'inventory',
        '--build-arg',
        'BASE_IMAGE=migrate-test/no-such-jre:17',
        ...runFlags('bad6', 27400),
      ]);
      expect(run.code).toBe(2);
      expect(run.stderr).toContain('image migrate-test/no-such-jre:17 is not in the engine');
      expect(run.stderr).toContain('ensure-jre-image.sh');
      expect(await labelled('io.migrate.estate=broken-orders')).toEqual([]);
    }, 1_200_000);
  });
});

describe('migrate up on samples/spring-orders', () => {
  const flags = (): string[] => runFlags('life', 27410);
  interface LocalDoc {
    local: {
      runId: string;
      healthy: boolean;
      processes: { pid: number; alive: boolean }[];
      services: {
        route: string;
        container: { port: number; state: string; health: string };
        component?: { port: number; listening: boolean };
        weight?: number;
      }[];
    };
  }
  let status: LocalDoc['local'];
  const gateway = 'http://127.0.0.1:27410';

  const readStatus = async (): Promise<LocalDoc['local']> => {
    const run = await migrate(['status', '--run-dir', join(work, 'run-life'), '--json']);
    expect(run.code, run.stderr).toBe(0);
    return (JSON.parse(run.stdout) as LocalDoc).local;
  };

  const notifications = async (port: number): Promise<string> =>
    (await fetch(`http://127.0.0.1:${port}/api/notification`)).text();

  const placeOrder = async (): Promise<string> => {
    const response = await fetch(`${gateway}/api/order`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ orderLineItemsDtoList: [{ skuCode: 'iphone_13', price: 1200, quantity: 1 }] }),
    });
    expect(response.status).toBe(201);
    return ((await response.json()) as { orderNumber: string }).orderNumber;
  };

  it('brings up four containers, four components and the gateway at weight 0', async () => {
    const run = await migrate(['up', '--estate', SAMPLE_ESTATE, ...flags()]);
    expect(run.code, run.stderr).toBe(0);
    // every component was in --ported: three as the setup left them, inventory as the up above built it
    expect(run.stderr).not.toContain('no component in');
    status = await readStatus();
    expect(status.healthy).toBe(true);
    expect(
      status.services.map((s) => [
        s.route,
        s.container.state,
        s.container.health,
        s.component?.listening,
        s.weight,
      ]),
    ).toEqual([
      ['inventory', 'running', 'healthy', true, 0],
      ['notification', 'running', 'healthy', true, 0],
      ['order', 'running', 'healthy', true, 0],
      ['product', 'running', 'healthy', true, 0],
    ]);
    expect(await labelled(`io.migrate.run=${status.runId}`)).toHaveLength(4);
  }, 2_400_000);

  it('delivers each order event to exactly the side the weight picks', async () => {
    const notification = status.services.find((s) => s.route === 'notification')!;
    const first = await placeOrder();
    await waitUntil('the container receiving the event', 60_000, async () =>
      (await notifications(notification.container.port)).includes(first) ? true : undefined,
    );
    expect(await notifications(notification.component!.port)).not.toContain(first);

    const shift = await migrate(['shift', 'notification', '100', '--run-dir', join(work, 'run-life')]);
    expect(shift.code, shift.stderr).toBe(0);
    // the splitter reads weights every 250 ms: place orders until one reaches the component
    const second = await waitUntil('an event reaching the component', 60_000, async () => {
      const number = await placeOrder();
      return (await waitUntil('delivery', 30_000, async () => {
        const [c, w] = await Promise.all([
          notifications(notification.container.port),
          notifications(notification.component!.port),
        ]);
        return c.includes(number) || w.includes(number) ? w.includes(number) : undefined;
      }))
        ? number
        : undefined;
    });
    expect(await notifications(notification.container.port)).not.toContain(second);
  }, 300_000);

  it('does nothing on a second up of the running estate, and reports its status', async () => {
    const before = await labelled(`io.migrate.run=${status.runId}`);
    const run = await migrate(['up', '--estate', SAMPLE_ESTATE, ...flags()]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stderr).toContain('is already up');
    expect(run.stdout).toContain('order /api/order');
    expect(await labelled(`io.migrate.run=${status.runId}`)).toEqual(before);
  }, 600_000);

  it('removes exactly what up created, and a second down finds nothing to do', async () => {
    const pids = status.processes.map((p) => p.pid);
    const down = await migrate(['down', '--run-dir', join(work, 'run-life'), '--volumes']);
    expect(down.code, down.stderr).toBe(0);
    expect(await labelled(`io.migrate.run=${status.runId}`)).toEqual([]);
    expect(pids.filter(isRunning)).toEqual([]);
    expect(await schemaExists(`${tag}_life`)).toBe(false);
    const again = await migrate(['down', '--run-dir', join(work, 'run-life')]);
    expect(again.code).toBe(0);
    expect(again.stdout).toContain('nothing is up');
  }, 600_000);
});

describe('Ctrl+C during migrate up', () => {
  it('undoes what that up created and exits 130', async () => {
    const runDir = join(work, 'run-cancel');
    let pid = 0;
    const running = migrate(
      ['up', '--estate', SAMPLE_ESTATE, ...runFlags('cancel', 27420)],
      {},
      (p) => (pid = p),
    );
    const runId = await waitUntil('up creating its first container', 1_200_000, async () => {
      const state = JSON.parse(await readFile(join(runDir, 'up-state.json'), 'utf8')) as {
        runId: string;
        containers: unknown[];
      };
      return state.containers.length > 0 ? state.runId : undefined;
    });
    process.kill(pid, 'SIGINT');
    const run = await running;
    expect(run.code).toBe(130);
    expect(run.stderr).toContain('MIG_CANCELLED');
    // the life test above built the four images from these very inputs: this up sent no context again
    expect(run.stderr.match(/: \S+ is up to date \(same Dockerfile/g) ?? [], run.stderr).toHaveLength(4);
    expect(await labelled(`io.migrate.run=${runId}`)).toEqual([]);
    expect(existsSync(join(runDir, 'up-state.json'))).toBe(false);
    expect(await schemaExists(`${tag}_cancel`)).toBe(false);
  }, 1_500_000);
});
