/**
 * `npm run bench:host`: one orders handler (parse JSON, one SELECT, one INSERT, one NATS publish, respond)
 * served five ways against the same Postgres and NATS in one run: a StarlingMonkey component in the host in
 * worker mode, in JSPI mode (`limits.mode: jspi`) in two workers and in the host's own thread, a QuickJS
 * component (if it can be built and served), and the same TypeScript in plain Node (node:http).
 * Load comes from autocannon in a child process. Prints progress on stderr; the last stdout line is JSON.
 */
import '../fail-cleanly.ts';
import { execFile } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { AddressInfo } from 'node:net';
import pg from 'pg';
import { connect } from 'nats';
import { buildComponent } from '../../codemods/build/build-component.ts';
import { writeWorld } from '../../codemods/wit/world.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import { createHost, parseHostConfig, silentLogger, type Host } from '../../bridge/index.ts';
import { handleOrder } from './orders-logic.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const NATS_URL = 'nats://127.0.0.1:4222';
const DURATION_S = Number(process.env.BENCH_SECONDS ?? 10);
const CONNECTIONS = 16;
const table = `bench_host_${process.pid}`;
const here = fileURLToPath(new URL('.', import.meta.url));
const cacheDir = fileURLToPath(new URL('../../node_modules/.cache/migrate/bench-host/', import.meta.url));
const log = (message: string): void => void process.stderr.write(`${message}\n`);

interface LoadResult {
  rps: number;
  p99: number;
  non2xx: number;
  errors: number;
}

function load(url: string): Promise<LoadResult> {
  const bin = fileURLToPath(new URL('../../node_modules/.bin/autocannon', import.meta.url));
  const args = [
    '-j',
    '-c',
    String(CONNECTIONS),
    '-d',
    String(DURATION_S),
    '-m',
    'POST',
    '-H',
    'content-type=application/json',
    '-b',
    '{"sku":"SKU-1","qty":1}',
    url,
  ];
  return new Promise((resolve, reject) => {
    execFile(bin, args, { maxBuffer: 16 * 1024 * 1024 }, (error, stdout) => {
      if (error) return reject(new Error(`autocannon failed: ${error.message}`));
      const result = JSON.parse(stdout) as {
        requests: { average: number };
        latency: { p99: number };
        non2xx: number;
        errors: number;
      };
      resolve({
        rps: result.requests.average,
        p99: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
      });
    });
  });
}

async function buildOrders(backend: 'starlingmonkey' | 'qjs', outDir: string): Promise<string> {
  const witDir = await mkdtemp(join(tmpdir(), `bench-wit-${backend}-`));
  const world = await writeWorld(
    {
      packageName: 'migrate:orders',
      imports: [
        'wasmcloud:postgres/query@0.1.1-draft',
        'wasmcloud:messaging/consumer@0.2.0',
        'wasi:config/store@0.2.0-rc.1',
      ],
    },
    witDir,
  );
  const built = await buildComponent({
    entry: join(here, 'orders-guest.ts'),
    witPath: world.witPath,
    worldName: world.worldName,
    backend,
    cacheDir,
  });
  const path = join(outDir, `orders-${backend}.wasm`);
  await writeFileAtomic(path, built.bytes);
  log(`built ${backend} component: ${(built.size / 1e6).toFixed(1)} MB${built.cached ? ' (cached)' : ''}`);
  return path;
}

async function startNode(): Promise<{ url: string; close: () => Promise<void> }> {
  const pool = new pg.Pool({ connectionString: PG_URL, max: 8 });
  const nc = await connect({ servers: NATS_URL });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      void (async () => {
        // The same logic, with the async ports awaited in order (plain Node style).
        let order: { sku?: unknown; qty?: unknown } = {};
        const body = Buffer.concat(chunks).toString();
        try {
          order = JSON.parse(body) as typeof order;
        } catch {
          res.writeHead(400).end('{"error":"invalid JSON"}');
          return;
        }
        const stock = await pool.query(`SELECT stock FROM ${table}_products WHERE sku = $1`, [order.sku]);
        const inserted = await pool.query(
          `INSERT INTO ${table}_orders (sku, qty) VALUES ($1, $2) RETURNING id`,
          [order.sku, order.qty],
        );
        const result = handleOrder(
          {
            query: (sql) =>
              (sql.startsWith('SELECT') ? stock.rows : inserted.rows) as Record<string, unknown>[],
            publish: (subject, payload) => nc.publish(subject, payload),
          },
          body,
          table,
        );
        res.writeHead(result.status, { 'content-type': 'application/json' }).end(result.body);
      })().catch((error: unknown) => res.writeHead(503).end(String(error)));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}/orders`,
    close: async () => {
      server.close();
      await pool.end();
      await nc.close();
    },
  };
}

/**
 * Worker mode: two workers (one per core), one request each. JSPI mode: an instance per connection, in two
 * workers (`workers: 2`, 8 each) or in the host's own thread (`workers: 0`, 16).
 */
type Limits = { mode: 'worker'; instances: number } | { mode: 'jspi'; workers: number; instances: number };
const WORKER_LIMITS: Limits = { mode: 'worker', instances: 2 };
const JSPI_WORKERS_LIMITS: Limits = { mode: 'jspi', workers: 2, instances: CONNECTIONS / 2 };
const JSPI_MAIN_LIMITS: Limits = { mode: 'jspi', workers: 0, instances: CONNECTIONS };

async function startHost(name: string, wasm: string, limits: Limits = WORKER_LIMITS): Promise<Host> {
  return createHost({
    logger: silentLogger,
    config: parseHostConfig(
      JSON.stringify({
        cacheDir: join(cacheDir, 'transpiled'),
        backends: { postgres: { url: PG_URL, poolSize: 8 }, nats: { url: NATS_URL } },
        components: [
          {
            name,
            wasm,
            port: 0,
            capabilities: ['sql', 'messaging', 'config'],
            config: { table },
            limits: { ...limits, memoryMb: 256, timeoutMs: 10_000 },
          },
        ],
      }),
      'bench.json',
    ),
  });
}

const percentile = (values: number[], p: number): number => {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
};
const round = (value: number, digits = 1): number => Math.round(value * 10 ** digits) / 10 ** digits;

/** Instantiation time and RSS per idle instance: 20 instances made side by side in one of the pool's isolates. */
async function measureInstances(
  host: Host,
  name: string,
): Promise<{ instanceP50: number; rssPerInstance: number }> {
  const pool = host.components.get(name)!.pool;
  const instances = await pool.run({ type: 'instances', count: 1 });
  const more = await pool.run({ type: 'instances', count: 20 });
  if (instances.type !== 'instances' || more.type !== 'instances')
    return { instanceP50: NaN, rssPerInstance: NaN };
  return {
    instanceP50: percentile(more.times, 50),
    rssPerInstance: (more.memory.rss - instances.memory.rss) / 20 / (1024 * 1024),
  };
}

/** Serves the orders component in JSPI mode, loads it, and measures its instances in the pool's isolate. */
async function loadJspi(
  name: string,
  wasm: string,
  limits: Limits,
): Promise<{ result: LoadResult; instances: Awaited<ReturnType<typeof measureInstances>> }> {
  const host = await startHost(name, wasm, limits);
  try {
    const url = `http://127.0.0.1:${host.components.get(name)!.port}/orders`;
    const check = await fetch(url, { method: 'POST', body: '{"sku":"SKU-1","qty":1}' });
    if (check.status !== 201) throw new Error(`${name} answered ${check.status}: ${await check.text()}`);
    log(`${name} (${JSON.stringify(limits)}): loading`);
    const result = await load(url);
    log(`${name}: ${JSON.stringify(result)}`);
    return { result, instances: await measureInstances(host, name) };
  } finally {
    await host.close();
  }
}

const db = new pg.Client({ connectionString: PG_URL });
await db.connect();
await db.query(
  `CREATE TABLE ${table}_products (sku text PRIMARY KEY, stock int NOT NULL); CREATE TABLE ${table}_orders (id serial PRIMARY KEY, sku text NOT NULL, qty int NOT NULL); INSERT INTO ${table}_products VALUES ('SKU-1', 1000000)`,
);
const outDir = await mkdtemp(join(tmpdir(), 'bench-host-'));
const figures: Record<string, unknown> = {};
const notes: string[] = [];
try {
  const node = await startNode();
  log('plain node: loading');
  const nodeResult = await load(node.url);
  await node.close();
  log(`plain node: ${JSON.stringify(nodeResult)}`);

  const smWasm = await buildOrders('starlingmonkey', outDir);
  const sm = await startHost('orders', smWasm);
  const smUrl = `http://127.0.0.1:${sm.components.get('orders')!.port}/orders`;
  const check = await fetch(smUrl, { method: 'POST', body: '{"sku":"SKU-1","qty":1}' });
  if (check.status !== 201) throw new Error(`component answered ${check.status}: ${await check.text()}`);
  log('starlingmonkey component: loading');
  const smResult = await load(smUrl);
  log(`starlingmonkey component: ${JSON.stringify(smResult)}`);
  const { instanceP50, rssPerInstance } = await measureInstances(sm, 'orders');
  await sm.close();

  const jspi = await loadJspi('orders-jspi', smWasm, JSPI_WORKERS_LIMITS);
  const jspiMain = await loadJspi('orders-jspi-main', smWasm, JSPI_MAIN_LIMITS);
  const jspiResult = jspi.result;
  const jspiInstances = jspiMain.instances;

  let qjsRps: number | null = null;
  let qjsP99: number | null = null;
  try {
    const qjsWasm = await buildOrders('qjs', outDir);
    const qjs = await startHost('orders-qjs', qjsWasm);
    try {
      const url = `http://127.0.0.1:${qjs.components.get('orders-qjs')!.port}/orders`;
      const probe = await fetch(url, { method: 'POST', body: '{"sku":"SKU-1","qty":1}' });
      if (probe.status !== 201)
        throw new Error(`QuickJS component answered ${probe.status}: ${(await probe.text()).slice(0, 200)}`);
      log('qjs component: loading');
      const result = await load(url);
      log(`qjs component: ${JSON.stringify(result)}`);
      qjsRps = round(result.rps);
      qjsP99 = result.p99;
    } finally {
      await qjs.close();
    }
  } catch (error) {
    notes.push(`qjs: ${(error as Error).message.split('\n')[0]}`);
    log(`qjs component unavailable: ${(error as Error).message.split('\n')[0]}`);
  }

  Object.assign(figures, {
    node_rps: round(nodeResult.rps),
    wasm_rps: round(smResult.rps),
    wasm_jspi_rps: round(jspiResult.rps),
    wasm_jspi_main_thread_rps: round(jspiMain.result.rps),
    wasm_qjs_rps: qjsRps,
    ratio_wasm_vs_node: round(smResult.rps / nodeResult.rps, 3),
    ratio_wasm_jspi_vs_node: round(jspiResult.rps / nodeResult.rps, 3),
    p99_ms: {
      node: nodeResult.p99,
      wasm: smResult.p99,
      wasm_jspi: jspiResult.p99,
      wasm_jspi_main_thread: jspiMain.result.p99,
      wasm_qjs: qjsP99,
    },
    new_instance_ms_p50: round(instanceP50, 2),
    rss_per_instance_mb: round(rssPerInstance, 2),
    idle_instances_per_gb: Math.floor(1024 / rssPerInstance),
    jspi: {
      new_instance_ms_p50: round(jspiInstances.instanceP50, 2),
      rss_per_instance_mb: round(jspiInstances.rssPerInstance, 2),
      idle_instances_per_gb: Math.floor(1024 / jspiInstances.rssPerInstance),
    },
    errors: {
      node: nodeResult.non2xx + nodeResult.errors,
      wasm: smResult.non2xx + smResult.errors,
      wasm_jspi: jspiResult.non2xx + jspiResult.errors,
      wasm_jspi_main_thread: jspiMain.result.non2xx + jspiMain.result.errors,
    },
    connections: CONNECTIONS,
    seconds_per_run: DURATION_S,
    ...(notes.length > 0 ? { notes } : {}),
  });
} finally {
  await db.query(`DROP TABLE IF EXISTS ${table}_products, ${table}_orders`);
  await db.end();
}
console.log(JSON.stringify(figures));
