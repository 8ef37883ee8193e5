/**
 * `npm run bench:estate`: the sample's four Spring services (default JVM flags, -Xmx512m) beside the same four
 * services as components in one `migrate host` process, against the same Postgres, NATS and Redis, in one run:
 * time to healthy, RSS idle and after load (each side's process tree: the JVMs; the host with its worker threads),
 * rps and p99 of POST /api/order, GET /api/inventory (2 skus) and GET /api/product with 16 connections after a
 * warm-up (each endpoint loaded on both sides back to back, so a busy machine weighs on both alike), artifact
 * sizes, and the real Wasmtime's figures for the inventory component (bench:wasmtime). A third side, `wasm_jspi`,
 * is a second host serving the same components in JSPI mode in its own thread (`limits: { mode: jspi, workers:
 * 0, instances: 16 }`), against a schema and Redis database of its own. Progress on stderr; the last stdout line
 * is JSON. BENCH_SECONDS (10) and BENCH_WARMUP_SECONDS (5) set the load; BENCH_PORT_BASE picks twelve ports from
 * there instead of free ones; BENCH_JAVA_OPTS overrides -Xmx512m; BENCH_WASM_LIMITS and BENCH_JSPI_LIMITS (JSON
 * objects) replace the two hosts' `limits`, e.g. BENCH_WASM_LIMITS='{"instances":4}'.
 */
import '../fail-cleanly.ts';
import { execFile, spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { loadavg, tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { readEphemeralPortRange } from '../../bridge/host/listen.ts';
import { transpileComponentCached } from '../../bridge/host/transpile.ts';
import {
  portAndBuild,
  SERVICES,
  GRANTS,
  type PortedService,
  type Service,
} from '../../scripts/e2e/components.ts';
import {
  claimRedisDb,
  createSchema,
  flushRedisDb,
  pgUrlFor,
  REDIS_URL,
  withDb,
} from '../../scripts/e2e/resources.ts';
import { getFreePort, startSpringEstate, type SpringEstate } from '../../test/contract/spring-estate.ts';
import { BenchError } from '../fail-cleanly.ts';
import { readTreeRssMb, runLoad, waitAllOk, type Endpoint, type LoadResult } from './measure.ts';
import { imageSizeMb } from './image.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const SECONDS = Number(process.env.BENCH_SECONDS ?? 10);
const WARMUP_SECONDS = Number(process.env.BENCH_WARMUP_SECONDS ?? 5);
const CONNECTIONS = 16;
const RUN = `bench_estate_${process.pid}`;
const cacheDir = join(ROOT, 'node_modules/.cache/migrate/bench-estate');
const log = (message: string): void => void process.stderr.write(`[bench:estate] ${message}\n`);
const round = (value: number, digits = 1): number => Number(value.toFixed(digits));
const ratio = (wasm: number, spring: number): number => round(wasm / spring, 3);

const ENDPOINTS = {
  order: {
    method: 'POST',
    path: '/api/order',
    body: JSON.stringify({ orderLineItemsDtoList: [{ skuCode: 'iphone_13', price: 999, quantity: 1 }] }),
  },
  inventory: { method: 'GET', path: '/api/inventory?skuCode=iphone_13&skuCode=galaxy_s24' },
  product: { method: 'GET', path: '/api/product' },
} as const satisfies Record<string, Endpoint>;
type EndpointName = keyof typeof ENDPOINTS;
const SERVICE_OF: Record<EndpointName, Service> = {
  order: 'order',
  inventory: 'inventory',
  product: 'product',
};

/** The GETs that answer 200 once each service serves (Spring's are its actuator health). */
const READY_PATHS: Record<Service, string> = {
  order: '/api/order',
  inventory: '/api/inventory?skuCode=iphone_13',
  product: '/api/product',
  notification: '/api/notification',
};

function checkJava(): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('java', ['-version'], (error) =>
      error
        ? reject(
            new BenchError(
              'java is not on the PATH',
              'install Java 17 (apt-get install -y openjdk-17-jdk-headless maven)',
            ),
          )
        : resolve(),
    );
  });
}

const ephemeral = await readEphemeralPortRange();
const ephemeralText = `${ephemeral.low}-${ephemeral.high}`;

async function ports(): Promise<number[]> {
  const base = Number(process.env.BENCH_PORT_BASE ?? 0);
  if (base > 0) {
    // An outgoing connection (or one in TIME_WAIT) whose local port the kernel took from this range blocks a
    // listen on that port though nothing listens there: the host then stops with EADDRINUSE.
    if (base + 11 >= ephemeral.low && base <= ephemeral.high)
      log(
        `warning: BENCH_PORT_BASE=${base} overlaps the ephemeral port range ${ephemeralText}; a service may fail to listen (EADDRINUSE) when an outgoing connection holds its port`,
      );
    return Array.from({ length: 12 }, (_, i) => base + i);
  }
  return Promise.all(Array.from({ length: 12 }, () => getFreePort()));
}

interface WasmSide {
  child: ChildProcess;
  urls: Record<Service, string>;
  healthyS: number;
  stop: () => Promise<void>;
}

/** A side's limits from an environment variable holding a JSON object (to try other pool shapes), or `fallback`. */
function limitsFromEnv(
  name: string,
  fallback: Record<string, unknown> | undefined,
): Record<string, unknown> | undefined {
  const text = process.env[name];
  if (text === undefined || text === '') return fallback;
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    value = undefined;
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    throw new BenchError(`${name} is not a JSON object: ${text}`, `e.g. ${name}='{"instances":4}'`);
  return value as Record<string, unknown>;
}

/** The components' limits: the host's defaults unless BENCH_WASM_LIMITS gives others. */
const WASM_LIMITS = limitsFromEnv('BENCH_WASM_LIMITS', undefined);
/** The JSPI side's limits: every component's instances in the host's own thread, one per connection. */
const JSPI_LIMITS = limitsFromEnv('BENCH_JSPI_LIMITS', { mode: 'jspi', workers: 0, instances: CONNECTIONS });

/**
 * Starts `migrate host` as a user does, on a config like samples/spring-orders/host.yaml (default limits unless
 * `limits` is given).
 */
async function startHost(
  work: string,
  built: Map<Service, PortedService>,
  servicePorts: number[],
  resources: { schema: string; redisDb: number; subject: string },
  side: 'wasm' | 'jspi',
  limits?: Record<string, unknown>,
): Promise<WasmSide> {
  const [order, inventory, product, notification] = servicePorts as [number, number, number, number];
  const port: Record<Service, number> = { order, inventory, product, notification };
  const config: Record<Service, Record<string, string>> = {
    order: { INVENTORY_URL: `http://127.0.0.1:${inventory}`, NATS_SUBJECT: resources.subject },
    inventory: {},
    product: {},
    notification: { NATS_SUBJECT: resources.subject },
  };
  const hostConfig = {
    cacheDir: join(cacheDir, 'transpiled'),
    backends: {
      postgres: { url: pgUrlFor(resources.schema) },
      nats: { url: 'nats://127.0.0.1:4222' },
      redis: { url: `${REDIS_URL}/${resources.redisDb}` },
    },
    components: SERVICES.map((service) => ({
      name: service,
      wasm: built.get(service)!.wasm,
      port: port[service],
      capabilities: [...new Set(built.get(service)!.capabilities.map((c) => GRANTS[c] ?? c))],
      ...(service === 'order' ? { allowedHosts: [`127.0.0.1:${inventory}`] } : {}),
      config: config[service],
      ...(service === 'notification' ? { subscriptions: [resources.subject] } : {}),
      ...(limits === undefined ? {} : { limits }),
    })),
  };
  const file = join(work, side === 'wasm' ? 'host.json' : 'host-jspi.json');
  await writeFile(file, JSON.stringify(hostConfig, null, 2));
  const started = performance.now();
  const child = spawn(process.execPath, [join(ROOT, 'bin/migrate.js'), 'host', '-c', file, '--json'], {
    cwd: ROOT,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  // With --json the host logs NDJSON on stderr and prints an error as a JSON document on stdout. Everything is
  // kept until the host serves (a failed start writes it to a file, see below); the pipes are drained after that
  // too, or a host that logs a lot would block on a full pipe.
  const output = { stdout: [] as Buffer[], stderr: [] as Buffer[] };
  let keeping = true;
  child.stdout.on('data', (chunk: Buffer) => void (keeping && output.stdout.push(chunk)));
  child.stderr.on('data', (chunk: Buffer) => void (keeping && output.stderr.push(chunk)));
  // 'close', not 'exit': it comes after both pipes have been read to their end, so a host that stops at once
  // still leaves its error in what a failure reports
  const exited = new Promise<void>((resolve) => child.once('close', () => resolve()));
  const stop = async (): Promise<void> => {
    if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exited;
    clearTimeout(timer);
  };
  const urls = Object.fromEntries(SERVICES.map((s) => [s, `http://127.0.0.1:${port[s]}`])) as Record<
    Service,
    string
  >;
  const ok = await Promise.race([
    waitAllOk(
      SERVICES.map((s) => urls[s] + READY_PATHS[s]),
      600_000,
    ),
    exited.then(() => false),
  ]);
  if (!ok) {
    const how =
      child.exitCode !== null || child.signalCode !== null
        ? `it stopped: ${child.signalCode ?? `exit code ${child.exitCode}`}`
        : 'it was still running; stopped with SIGTERM';
    await stop();
    const stdout = Buffer.concat(output.stdout).toString();
    const stderr = Buffer.concat(output.stderr).toString();
    // Kept beside the work dir, which the cleanup removes: the config and everything the host printed.
    const report = join(
      tmpdir(),
      `migrate-bench-estate-${process.pid}-${basename(file, '.json')}-failed.txt`,
    );
    await writeFile(
      report,
      `migrate host -c ${file} --json: ${how}\n\n--- ${basename(file)}\n${JSON.stringify(hostConfig, null, 2)}\n\n` +
        `--- stdout (${stdout.length} bytes)\n${stdout}\n--- stderr (${stderr.length} bytes)\n${stderr}`,
    );
    const last = `${stderr}\n${stdout}`.trim().split('\n').slice(-20).join('\n');
    throw new BenchError(
      `migrate host did not serve all four components (${how}); its config and full output: ${report}\n${last || '(it printed nothing)'}`,
      `read ${report}; with BENCH_PORT_BASE, keep the twelve ports below the ephemeral range (${ephemeralText})`,
    );
  }
  keeping = false;
  output.stdout.length = 0;
  output.stderr.length = 0;
  return { child, urls, healthyS: (performance.now() - started) / 1000, stop };
}

/** Creates a few products so that GET /api/product lists something. */
async function seedProducts(url: string): Promise<void> {
  for (let i = 0; i < 10; i += 1) {
    const response = await fetch(`${url}/api/product`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ name: `bench-${i}`, description: 'seeded by bench:estate', price: 10 + i }),
    });
    await response.arrayBuffer();
    if (response.status !== 201) throw new Error(`POST ${url}/api/product answered ${response.status}`);
  }
}

interface SideFigures {
  rss_idle_mb: number;
  rss_load_mb: number;
  healthy_s: number;
  endpoints: Record<EndpointName, { rps: number; p99_ms: number; errors: number }>;
}

async function wasmtimeFigures(): Promise<{ new_instance_ms: number; idle_instance_mb: number } | string> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bench/wasmtime/run.ts')],
      {
        cwd: ROOT,
        env: { ...process.env, BENCH_SERVICES: 'inventory-service' },
        maxBuffer: 16 * 1024 * 1024,
      },
      (error, stdout, stderr) => {
        if (error)
          return resolve(`bench:wasmtime failed: ${(stderr || error.message).trim().split('\n').pop()}`);
        const line = JSON.parse(stdout.trim().split('\n').pop()!) as {
          services: { wasmtime: { new_instance_ms: number; rss_per_instance_mb: number } }[];
        };
        const figures = line.services[0]!.wasmtime;
        resolve({ new_instance_ms: figures.new_instance_ms, idle_instance_mb: figures.rss_per_instance_mb });
      },
    );
  });
}

const load = `${loadavg()
  .map((l) => l.toFixed(2))
  .join(' ')}`;
log(`load average at start: ${load}`);
await checkJava();
const work = await mkdtemp(join(tmpdir(), 'migrate-bench-estate-'));
await mkdir(cacheDir, { recursive: true });
const notes: string[] = [];
let estate: SpringEstate | undefined;
let wasm: WasmSide | undefined;
let jspi: WasmSide | undefined;
let redisDb: number | undefined;
let jspiRedisDb: number | undefined;
const schema = `orders_${RUN}`;
const jspiSchema = `orders_${RUN}_jspi`;
let figures: Record<string, unknown> | undefined;
try {
  const built = new Map<Service, PortedService>();
  for (const service of SERVICES) {
    log(`${service}: port and build (cached after the first run)`);
    const result = await portAndBuild(work, service);
    built.set(service, result);
    // A deployed component is transpiled once; time to healthy is the host's start, not jco's first transpile.
    const bytes = new Uint8Array(await readFile(result.wasm));
    await transpileComponentCached(bytes, join(cacheDir, 'transpiled'));
    await transpileComponentCached(bytes, join(cacheDir, 'transpiled'), 'jspi');
  }
  const all = await ports();
  const javaOpts = process.env.BENCH_JAVA_OPTS ?? '-Xmx512m';
  process.env.JAVA_OPTS = javaOpts;
  log(`starting the four Spring services (JAVA_OPTS=${javaOpts})`);
  const springStarted = performance.now();
  estate = await startSpringEstate({ ports: all.slice(0, 4) as [number, number, number, number] });
  const springHealthyS = (performance.now() - springStarted) / 1000;
  log(`Spring healthy after ${springHealthyS.toFixed(1)} s`);
  const springPids = Object.values(estate.facts.services).map((s) => s.pid);
  const springUrls = Object.fromEntries(SERVICES.map((s) => [s, estate!.facts.services[s].url])) as Record<
    Service,
    string
  >;

  redisDb = await claimRedisDb(RUN);
  await createSchema(schema);
  log('starting migrate host with the four components');
  wasm = await startHost(
    work,
    built,
    all.slice(4),
    { schema, redisDb, subject: `orders.placed.${RUN}` },
    'wasm',
    WASM_LIMITS,
  );
  log(`components healthy after ${wasm.healthyS.toFixed(1)} s`);
  const wasmPid = wasm.child.pid!;
  jspiRedisDb = await claimRedisDb(`${RUN}_jspi`);
  await createSchema(jspiSchema);
  log('starting a second migrate host with the four components in JSPI mode');
  jspi = await startHost(
    work,
    built,
    all.slice(8),
    { schema: jspiSchema, redisDb: jspiRedisDb, subject: `orders.placed.${RUN}_jspi` },
    'jspi',
    JSPI_LIMITS,
  );
  log(`JSPI components healthy after ${jspi.healthyS.toFixed(1)} s`);
  const jspiPid = jspi.child.pid!;

  await seedProducts(springUrls.product);
  await seedProducts(wasm.urls.product);
  await seedProducts(jspi.urls.product);
  await new Promise((resolve) => setTimeout(resolve, 5000));
  const springIdle = await readTreeRssMb(springPids);
  const wasmIdle = await readTreeRssMb([wasmPid]);
  const jspiIdle = await readTreeRssMb([jspiPid]);
  log(
    `RSS idle: Spring ${springIdle.toFixed(0)} MB, components ${wasmIdle.toFixed(0)} MB, JSPI ${jspiIdle.toFixed(0)} MB`,
  );

  const endpoints = { spring: {}, wasm: {}, jspi: {} } as Record<
    'spring' | 'wasm' | 'jspi',
    Record<string, LoadResult>
  >;
  for (const name of Object.keys(ENDPOINTS) as EndpointName[]) {
    const endpoint = ENDPOINTS[name];
    const service = SERVICE_OF[name];
    log(`${name}: warm-up ${WARMUP_SECONDS} s each side`);
    await runLoad(springUrls[service], endpoint, CONNECTIONS, WARMUP_SECONDS);
    await runLoad(wasm.urls[service], endpoint, CONNECTIONS, WARMUP_SECONDS);
    await runLoad(jspi.urls[service], endpoint, CONNECTIONS, WARMUP_SECONDS);
    endpoints.spring[name] = await runLoad(springUrls[service], endpoint, CONNECTIONS, SECONDS);
    endpoints.wasm[name] = await runLoad(wasm.urls[service], endpoint, CONNECTIONS, SECONDS);
    endpoints.jspi[name] = await runLoad(jspi.urls[service], endpoint, CONNECTIONS, SECONDS);
    log(
      `${name}: Spring ${JSON.stringify(endpoints.spring[name])}, components ${JSON.stringify(endpoints.wasm[name])}, JSPI ${JSON.stringify(endpoints.jspi[name])}`,
    );
  }
  const springLoad = await readTreeRssMb(springPids);
  const wasmLoad = await readTreeRssMb([wasmPid]);
  const jspiLoad = await readTreeRssMb([jspiPid]);
  log(
    `RSS after load: Spring ${springLoad.toFixed(0)} MB, components ${wasmLoad.toFixed(0)} MB, JSPI ${jspiLoad.toFixed(0)} MB`,
  );

  const side = (
    which: 'spring' | 'wasm' | 'jspi',
    idle: number,
    loaded: number,
    healthy: number,
  ): SideFigures => ({
    rss_idle_mb: round(idle, 0),
    rss_load_mb: round(loaded, 0),
    healthy_s: round(healthy, 2),
    endpoints: Object.fromEntries(
      Object.entries(endpoints[which]).map(([name, r]) => [
        name,
        { rps: round(r.rps), p99_ms: r.p99_ms, errors: r.errors },
      ]),
    ) as SideFigures['endpoints'],
  });
  const spring = side('spring', springIdle, springLoad, springHealthyS);
  const components = side('wasm', wasmIdle, wasmLoad, wasm.healthyS);
  const jspiComponents = side('jspi', jspiIdle, jspiLoad, jspi.healthyS);
  await wasm.stop();
  wasm = undefined;
  await jspi.stop();
  jspi = undefined;
  await estate.stop();
  estate = undefined;

  const jars = await Promise.all(
    SERVICES.map(
      async (s) =>
        (await stat(join(ROOT, `samples/spring-orders/${s}-service/target/${s}-service.jar`))).size,
    ),
  );
  const image = await imageSizeMb(join(ROOT, 'samples/spring-orders'), 'inventory-service', log);
  if (typeof image === 'string') notes.push(image);
  log('Wasmtime figures for the inventory component (bench:wasmtime)');
  const wasmtime = await wasmtimeFigures();
  if (typeof wasmtime === 'string') notes.push(wasmtime);
  const componentMb = built.get('inventory')!.bytes / 1e6;
  const ratiosOf = (side: SideFigures): Record<string, number> => ({
    rss_idle: ratio(side.rss_idle_mb, spring.rss_idle_mb),
    rss_load: ratio(side.rss_load_mb, spring.rss_load_mb),
    healthy: ratio(side.healthy_s, spring.healthy_s),
    order_rps: ratio(side.endpoints.order.rps, spring.endpoints.order.rps),
    inventory_rps: ratio(side.endpoints.inventory.rps, spring.endpoints.inventory.rps),
    product_rps: ratio(side.endpoints.product.rps, spring.endpoints.product.rps),
    order_p99: ratio(side.endpoints.order.p99_ms, spring.endpoints.order.p99_ms),
    inventory_p99: ratio(side.endpoints.inventory.p99_ms, spring.endpoints.inventory.p99_ms),
    product_p99: ratio(side.endpoints.product.p99_ms, spring.endpoints.product.p99_ms),
  });
  figures = {
    spring,
    wasm: components,
    wasm_jspi: jspiComponents,
    ratios_jspi: ratiosOf(jspiComponents),
    ratios: {
      ...ratiosOf(components),
      ...(typeof image === 'number' ? { component_vs_image: ratio(componentMb, image) } : {}),
    },
    artifact: {
      image_mb: typeof image === 'number' ? round(image) : null,
      jar_mb: Object.fromEntries(SERVICES.map((s, i) => [s, round(jars[i]! / 1e6)])),
      component_mb: Object.fromEntries(SERVICES.map((s) => [s, round(built.get(s)!.bytes / 1e6)])),
    },
    wasmtime: typeof wasmtime === 'string' ? null : wasmtime,
    connections: CONNECTIONS,
    seconds_per_run: SECONDS,
    warmup_seconds: WARMUP_SECONDS,
    java_opts: javaOpts,
    limits: { wasm: WASM_LIMITS ?? 'defaults', jspi: JSPI_LIMITS },
    load_avg: { start: load, end: loadavg()[0]!.toFixed(2) },
    ...(notes.length > 0 ? { notes } : {}),
  };
} finally {
  await wasm?.stop().catch(() => undefined);
  await jspi?.stop().catch(() => undefined);
  await estate?.stop().catch((error: unknown) => log(`stopping the Spring estate: ${String(error)}`));
  await withDb((db) => db.query(`DROP SCHEMA IF EXISTS ${schema} CASCADE`).then(() => undefined)).catch(
    () => undefined,
  );
  await withDb((db) => db.query(`DROP SCHEMA IF EXISTS ${jspiSchema} CASCADE`).then(() => undefined)).catch(
    () => undefined,
  );
  if (redisDb !== undefined) await flushRedisDb(redisDb).catch(() => undefined);
  if (jspiRedisDb !== undefined) await flushRedisDb(jspiRedisDb).catch(() => undefined);
  await rm(work, { recursive: true, force: true });
}
if (figures !== undefined) process.stdout.write(`${JSON.stringify(figures)}\n`);
