// npm run bench:gateway — direct vs the migrate gateway vs nginx (split_clients) vs @fastify/http-proxy, in one
// run on the same upstream: max throughput (closed loop, autocannon) and latency at a fixed rate (open loop,
// measured from each request's intended send time, so a stall is not hidden: coordinated omission corrected).
// Prints figures on stderr and, last, one JSON line on stdout. Loopback only; every phase is time-bounded.
import { BenchError } from '../fail-cleanly.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface } from 'node:readline';
import { Pool, type Dispatcher } from 'undici';

interface AutocannonResult {
  requests: { average: number; total: number };
  non2xx: number;
  errors: number;
  timeouts: number;
}
type AutocannonRequest = { setupRequest?: (req: { headers?: Record<string, string> }) => unknown };
const autocannon = createRequire(import.meta.url)('autocannon') as (options: {
  url: string;
  connections: number;
  duration: number;
  pipelining: number;
  requests?: AutocannonRequest[];
}) => Promise<AutocannonResult>;

const seconds = Number(process.env.BENCH_SECONDS ?? 5);
const token = 'bench-token-0123456789';
const dir = mkdtempSync(join(tmpdir(), 'migrate-bench-'));
const children: ChildProcess[] = [];
const log = (message: string): void => void process.stderr.write(`${message}\n`);

function start(
  command: string,
  args: string[],
  env: NodeJS.ProcessEnv = {},
): Promise<Record<string, unknown>> {
  const child = spawn(command, args, {
    stdio: ['ignore', 'pipe', 'inherit'],
    env: { ...process.env, ...env },
  });
  children.push(child);
  return new Promise((resolve, reject) => {
    const lines = createInterface({ input: child.stdout });
    lines.once('line', (line) => resolve(JSON.parse(line) as Record<string, unknown>));
    child.once('exit', (code) => reject(new Error(`${command} ${args.join(' ')} exited with ${code}`)));
  });
}

function cpuSeconds(pid: number): number {
  const pids = [pid, ...readChildren(pid)];
  let ticks = 0;
  for (const p of pids) {
    try {
      const fields = readFileSync(`/proc/${p}/stat`, 'utf8').split(') ')[1]!.split(' ');
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // process gone
    }
  }
  return ticks / 100;
}

function rssMb(pid: number): number {
  let kb = 0;
  for (const p of [pid, ...readChildren(pid)]) {
    try {
      kb += Number(/VmRSS:\s+(\d+)/.exec(readFileSync(`/proc/${p}/status`, 'utf8'))?.[1] ?? 0);
    } catch {
      // gone
    }
  }
  return Math.round(kb / 1024);
}

function readChildren(pid: number): number[] {
  try {
    return readFileSync(`/proc/${pid}/task/${pid}/children`, 'utf8')
      .trim()
      .split(/\s+/)
      .filter(Boolean)
      .map(Number);
  } catch {
    return [];
  }
}

let keySeq = 0;
const nextKey = (): string => `user-${(keySeq = (keySeq + 1) % 10_000)}`;

async function maxThroughput(url: string): Promise<number> {
  const result = await autocannon({
    url,
    connections: 50,
    duration: seconds,
    pipelining: 1,
    requests: [{ setupRequest: (req) => ({ ...req, headers: { ...req.headers, 'x-user-id': nextKey() } }) }],
  });
  if (result.errors > 0 || result.non2xx > 0)
    log(`  warning: ${result.errors} errors, ${result.non2xx} non-2xx`);
  return Math.round(result.requests.total / seconds);
}

/** Constant-rate open-loop load: latency counted from the intended send time of each request. */
async function fixedRate(
  url: string,
  rate: number,
): Promise<{ p50: number; p90: number; p99: number; errors: number }> {
  const { origin, pathname } = new URL(url);
  const pool = new Pool(origin, { connections: 256, pipelining: 1 });
  const total = Math.round(rate * seconds);
  const latencies = new Float64Array(total);
  let done = 0;
  let errors = 0;
  let sent = 0;
  const start = performance.now() + 50;
  await new Promise<void>((resolve) => {
    const finish = (i: number, intended: number, failed: boolean): void => {
      latencies[i] = performance.now() - intended;
      if (failed) errors += 1;
      if ((done += 1) === total) resolve();
    };
    const tick = (): void => {
      const now = performance.now();
      while (sent < total && start + (sent * 1000) / rate <= now) {
        const i = sent;
        const intended = start + (i * 1000) / rate;
        sent += 1;
        const handler: Dispatcher.DispatchHandler = {
          onRequestStart() {},
          onResponseStart() {},
          onResponseData() {},
          onResponseEnd: () => finish(i, intended, false),
          onResponseError: () => finish(i, intended, true),
        };
        pool.dispatch({ path: pathname, method: 'GET', headers: ['x-user-id', nextKey()] }, handler);
      }
      // a 1 ms timer, not a busy loop: the generator must not steal the CPU the proxies are measured on
      if (sent < total) setTimeout(tick, 1);
    };
    tick();
  });
  await pool.close();
  const sorted = latencies.sort();
  const at = (q: number): number => Number(sorted[Math.min(total - 1, Math.floor(total * q))]!.toFixed(3));
  return { p50: at(0.5), p90: at(0.9), p99: at(0.99), errors };
}

function nginxConfig(ports: number[]): string {
  return `worker_processes 1;
daemon off;
error_log ${dir}/nginx-error.log warn;
pid ${dir}/nginx.pid;
events { worker_connections 4096; }
http {
  access_log off;
  client_body_temp_path ${dir}/body; proxy_temp_path ${dir}/proxy;
  fastcgi_temp_path ${dir}/fcgi; uwsgi_temp_path ${dir}/uwsgi; scgi_temp_path ${dir}/scgi;
  upstream container { server 127.0.0.1:${ports[0]}; keepalive 128; }
  upstream wasm { server 127.0.0.1:${ports[1]}; keepalive 128; }
  split_clients "$http_x_user_id" $side { 50% wasm; * container; }
  server {
    listen 127.0.0.1:0;
    location /api/order { proxy_pass http://$side; proxy_http_version 1.1; proxy_set_header Connection ""; }
  }
}
`;
}

/** Debian puts nginx in /usr/sbin, which a user's PATH may lack. */
function findNginx(): string {
  for (const candidate of ['nginx', '/usr/sbin/nginx']) {
    if (spawnSync(candidate, ['-v']).error === undefined) return candidate;
  }
  throw new BenchError(
    'nginx is not installed (the benchmark compares the gateway with it)',
    'run `npm run bench:gateway`, which installs it as root, or: sudo apt-get install -y nginx',
  );
}

async function startNginx(bin: string, ports: number[]): Promise<{ url: string; pid: number }> {
  // nginx cannot report a port chosen by the kernel: pick a free one first
  const { createServer } = await import('node:net');
  const port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  writeFileSync(join(dir, 'nginx.conf'), nginxConfig(ports).replace('127.0.0.1:0', `127.0.0.1:${port}`));
  const child = spawn(bin, ['-p', dir, '-c', join(dir, 'nginx.conf')], { stdio: 'inherit' });
  children.push(child);
  for (let i = 0; i < 100; i += 1) {
    const ok = await fetch(`http://127.0.0.1:${port}/api/order`).then(
      (r) => r.ok,
      () => false,
    );
    if (ok) return { url: `http://127.0.0.1:${port}/api/order`, pid: child.pid! };
    await new Promise((d) => setTimeout(d, 50));
  }
  throw new BenchError('nginx did not start', `see ${dir}/nginx-error.log`);
}

async function main(): Promise<void> {
  const nginxBin = findNginx();
  const node = process.execPath;
  const upstream = await start(node, ['bench/gateway/upstream.ts']);
  const ports = upstream.ports as number[];
  const config = join(dir, 'gateway.yaml');
  writeFileSync(
    config,
    `listen: {host: 127.0.0.1, port: 0}
admin: {host: 127.0.0.1, port: 0, token: ${token}}
sticky: {from: header, name: x-user-id}
routes:
  - name: order
    prefix: /api/order
    container: [http://127.0.0.1:${ports[0]}]
    wasm: [http://127.0.0.1:${ports[1]}]
    weight: 50
    shadow: {enabled: false, sampleRate: 0.1, noise: {warmup: 10, sampleRate: 0}}
`,
  );
  const gatewayChild = await start(node, ['bench/gateway/gateway-server.ts', config]);
  const gatewayPid = children.at(-1)!.pid!;
  const fastify = await start(node, ['bench/gateway/fastify-server.ts', `http://127.0.0.1:${ports[0]}`]);
  const fastifyPid = children.at(-1)!.pid!;
  const nginx = await startNginx(nginxBin, ports);
  const targets = {
    direct: `http://127.0.0.1:${ports[0]}/api/order`,
    gateway: `${gatewayChild.url as string}/api/order`,
    nginx: nginx.url,
    fastify: `${fastify.url as string}/api/order`,
  };
  const pids: Record<string, number | undefined> = {
    gateway: gatewayPid,
    nginx: nginx.pid,
    fastify: fastifyPid,
  };

  log(`throughput (closed loop, autocannon -c 50, ${seconds}s each)`);
  const rps: Record<string, number> = {};
  const cpu: Record<string, number> = {};
  for (const [name, url] of Object.entries(targets)) {
    await fixedRate(url, 500); // warm up connections and JIT
    const pid = pids[name];
    const before = pid === undefined ? 0 : cpuSeconds(pid);
    rps[name] = await maxThroughput(url);
    if (pid !== undefined)
      cpu[name] = Number((((cpuSeconds(pid) - before) / (rps[name] * seconds)) * 10_000).toFixed(2));
    log(
      `  ${name.padEnd(8)} ${rps[name]} req/s${pid === undefined ? '' : `, ${cpu[name]} CPU s per 10k req, RSS ${rssMb(pid)} MB`}`,
    );
  }

  const rate = Math.round(rps.gateway! / 2);
  log(`latency at ${rate} req/s (half of the gateway's saturation), open loop, ${seconds}s each, ms`);
  const latency: Record<string, { p50: number; p90: number; p99: number; errors: number }> = {};
  for (const [name, url] of Object.entries(targets)) {
    latency[name] = await fixedRate(url, rate);
    log(
      `  ${name.padEnd(8)} p50 ${latency[name].p50}  p90 ${latency[name].p90}  p99 ${latency[name].p99}  errors ${latency[name].errors}`,
    );
  }
  const admin = gatewayChild.admin as string;
  await fetch(`${admin}/api/routes/order/shadow`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: true, sampleRate: 0.1 }),
  });
  const shadowed = await fixedRate(targets.gateway, rate);
  // the same run without shadow right after, so both are measured under the same conditions
  await fetch(`${admin}/api/routes/order/shadow`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify({ enabled: false }),
  });
  const plain = await fixedRate(targets.gateway, rate);
  log(`  gateway, shadow 10%: p50 ${shadowed.p50}  p99 ${shadowed.p99}; without, again: p99 ${plain.p99}`);

  const figures = {
    direct_rps: rps.direct,
    gateway_rps: rps.gateway,
    nginx_rps: rps.nginx,
    fastify_rps: rps.fastify,
    gateway_vs_nginx: Number((rps.gateway! / rps.nginx!).toFixed(3)),
    gateway_vs_fastify: Number((rps.gateway! / rps.fastify!).toFixed(3)),
    p50_overhead_ms: Number((latency.gateway!.p50 - latency.direct!.p50).toFixed(3)),
    p99_overhead_ms: Number((latency.gateway!.p99 - latency.direct!.p99).toFixed(3)),
    shadow10_p99_increase: Number(((shadowed.p99 - plain.p99) / plain.p99).toFixed(3)),
    rate_rps: rate,
    cpu_s_per_10k: cpu,
  };
  process.stdout.write(`${JSON.stringify(figures)}\n`);
}

try {
  await main();
} finally {
  for (const child of children) child.kill('SIGTERM');
  await new Promise((d) => setTimeout(d, 200));
  rmSync(dir, { recursive: true, force: true });
}
