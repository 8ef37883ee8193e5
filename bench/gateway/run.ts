// npm run bench:gateway — direct vs the migrate gateway vs nginx (split_clients) vs @fastify/http-proxy, in one
// run on the same upstream: max throughput (closed loop, autocannon) and latency at a fixed rate (open loop,
// measured from each request's intended send time, so a stall is not hidden: coordinated omission corrected).
// Every target is measured in BENCH_ROUNDS short rounds (default 3) taken in turn, the order reversed every other
// round, so the figures compared come from the same minutes of a shared machine; each figure is the median over
// the rounds. What each JSON field means: bench/gateway/README.md. Env: BENCH_SECONDS (per round and target,
// default 2), BENCH_ROUNDS, BENCH_PROFILE=<dir> (the gateway runs with `node --cpu-prof` and writes its profile
// there). Prints figures on stderr and, last, one JSON line on stdout. Loopback only; every phase is time-bounded.
import { BenchError } from '../fail-cleanly.ts';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { loadavg, tmpdir } from 'node:os';
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

const seconds = Number(process.env.BENCH_SECONDS ?? 2);
const rounds = Math.max(1, Number(process.env.BENCH_ROUNDS ?? 3));
const profileDir = process.env.BENCH_PROFILE;
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

/** Closed-loop load for `seconds`: requests answered (not a rate, so CPU per request needs no rounding). */
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
  return result.requests.total;
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

function median(values: readonly number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 === 1 ? sorted[mid]! : (sorted[mid - 1]! + sorted[mid]!) / 2;
}

/** The median over rounds of a / b, each round's pair measured back to back. */
function ratio(a: readonly number[], b: readonly number[]): number {
  return Number(median(a.map((x, i) => x / b[i]!)).toFixed(3));
}

/** The 1-minute load average: how busy the shared machine was. */
function loadAverage(): number {
  return Number(loadavg()[0]!.toFixed(2));
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
  const profile = profileDir === undefined ? [] : ['--cpu-prof', `--cpu-prof-dir=${profileDir}`];
  const gatewayChild = await start(node, [...profile, 'bench/gateway/gateway-server.ts', config]);
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

  const loadBefore = loadAverage();
  const names = Object.keys(targets) as (keyof typeof targets)[];
  /** The targets in turn, the order reversed every other round, so a drift in the machine's load evens out. */
  const order = (round: number): (keyof typeof targets)[] => (round % 2 === 0 ? names : [...names].reverse());
  for (const name of names) await fixedRate(targets[name], 500); // warm up connections and JIT

  log(`throughput (closed loop, autocannon -c 50), ${rounds} rounds of ${seconds}s per target, req/s`);
  const rps = Object.fromEntries(names.map((n) => [n, [] as number[]])) as Record<
    keyof typeof targets,
    number[]
  >;
  const cpuUsed: Record<string, number> = {};
  const answered: Record<string, number> = {};
  for (let round = 0; round < rounds; round += 1) {
    for (const name of order(round)) {
      const pid = pids[name];
      const before = pid === undefined ? 0 : cpuSeconds(pid);
      const total = await maxThroughput(targets[name]);
      rps[name].push(Math.round(total / seconds));
      if (pid !== undefined) {
        cpuUsed[name] = (cpuUsed[name] ?? 0) + cpuSeconds(pid) - before;
        answered[name] = (answered[name] ?? 0) + total;
      }
    }
    log(`  round ${round + 1}: ${names.map((n) => `${n} ${rps[n].at(-1)!}`).join(', ')}`);
  }
  const cpu: Record<string, number> = {};
  for (const name of Object.keys(cpuUsed))
    cpu[name] = Number(((cpuUsed[name]! / answered[name]!) * 10_000).toFixed(2));
  log(
    `  CPU s per 10k requests: ${Object.entries(cpu)
      .map(([n, c]) => `${n} ${c}`)
      .join(', ')}; RSS MB: ${Object.entries(pids)
      .map(([n, pid]) => `${n} ${rssMb(pid!)}`)
      .join(', ')}`,
  );

  const rate = Math.round(median(rps.gateway) / 2);
  log(
    `latency at ${rate} req/s (half of the gateway's saturation), open loop, ${rounds} rounds of ${seconds}s, ms`,
  );
  type Latency = Awaited<ReturnType<typeof fixedRate>>;
  const latency = Object.fromEntries(names.map((n) => [n, [] as Latency[]])) as Record<
    keyof typeof targets,
    Latency[]
  >;
  for (let round = 0; round < rounds; round += 1) {
    for (const name of order(round)) latency[name].push(await fixedRate(targets[name], rate));
  }
  const quantile = (name: keyof typeof targets, q: 'p50' | 'p90' | 'p99'): number =>
    Number(median(latency[name].map((l) => l[q])).toFixed(3));
  for (const name of names) {
    const errors = latency[name].reduce((sum, l) => sum + l.errors, 0);
    log(
      `  ${name.padEnd(8)} p50 ${quantile(name, 'p50')}  p90 ${quantile(name, 'p90')}  p99 ${quantile(name, 'p99')}  errors ${errors}`,
    );
  }
  /** Per round, the gateway's figure minus the direct one measured next to it; the median of those. */
  const overhead = (q: 'p50' | 'p99'): number =>
    Number(median(latency.gateway.map((l, i) => l[q] - latency.direct[i]![q])).toFixed(3));

  const admin = gatewayChild.admin as string;
  const setShadow = (body: object): Promise<Response> =>
    fetch(`${admin}/api/routes/order/shadow`, {
      method: 'POST',
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
  // shadow on and off in turn, so both are measured under the same conditions
  const shadowed: number[] = [];
  const plain: number[] = [];
  for (let round = 0; round < rounds; round += 1) {
    await setShadow({ enabled: true, sampleRate: 0.1 });
    shadowed.push((await fixedRate(targets.gateway, rate)).p99);
    await setShadow({ enabled: false });
    plain.push((await fixedRate(targets.gateway, rate)).p99);
  }
  log(
    `  gateway p99, shadow 10%: ${median(shadowed).toFixed(3)}; without, in the same rounds: ${median(plain).toFixed(3)}`,
  );

  const figures = {
    direct_rps: Math.round(median(rps.direct)),
    gateway_rps: Math.round(median(rps.gateway)),
    nginx_rps: Math.round(median(rps.nginx)),
    fastify_rps: Math.round(median(rps.fastify)),
    gateway_vs_nginx: ratio(rps.gateway, rps.nginx),
    gateway_vs_fastify: ratio(rps.gateway, rps.fastify),
    p50_overhead_ms: overhead('p50'),
    p99_overhead_ms: overhead('p99'),
    shadow10_p99_increase: Number(((median(shadowed) - median(plain)) / median(plain)).toFixed(3)),
    rate_rps: rate,
    cpu_s_per_10k: cpu,
    rounds,
    seconds_per_round: seconds,
    load_average: [loadBefore, loadAverage()],
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
