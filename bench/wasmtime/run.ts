/**
 * `npm run bench:wasmtime`: for each sample service's component, the real Wasmtime's figures (49, Python binding:
 * compile time, time per new instance, RSS per idle instance kept alive) beside migrate's host figures for the
 * same component (time per new instance, p50, and RSS per idle instance). Wasmtime links the component against
 * its runtime's host world (runtimes/). Needs scripts/ensure-wasmtime.sh, Postgres, Redis and NATS on loopback.
 * Progress on stderr; one JSON line on stdout. `BENCH_SERVICES=inventory-service,…` limits the services.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHost, parseHostConfig, silentLogger } from '../../bridge/index.ts';
import { loadRuntimeWorld, isWasmtimeWasi } from '../../codemods/build/link-check.ts';
import { findWasmtimePython, runWasmtimeLink } from '../../codemods/build/wasmtime-check.ts';
import { getRuntime } from '../../shared/runtimes.ts';
import { buildSample, type SampleService } from '../../test/helpers/build-sample.ts';

const SERVICES: readonly [SampleService, 'wasmcloud' | 'spin'][] = [
  ['inventory-service', 'wasmcloud'],
  ['product-service', 'spin'],
  ['order-service', 'wasmcloud'],
  ['notification-service', 'wasmcloud'],
];
const WASMTIME_INSTANCES = 50;
const HOST_INSTANCES = 20;
const log = (message: string): void => void process.stderr.write(`${message}\n`);
const round = (value: number, digits: number): number => Number(value.toFixed(digits));

function percentile(values: readonly number[], p: number): number {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? NaN;
}

const python = findWasmtimePython();
if (python === undefined) throw new Error('Wasmtime is not installed: run scripts/ensure-wasmtime.sh');
const only = process.env.BENCH_SERVICES?.split(',');
const dir = await mkdtemp(join(tmpdir(), 'migrate-bench-wasmtime-'));
const results: Record<string, unknown>[] = [];
try {
  for (const [service, target] of SERVICES) {
    if (only !== undefined && !only.includes(service)) continue;
    log(`${service}: building for ${target}`);
    const built = await buildSample(service, target, dir);
    const runtime = getRuntime(target);
    log(`${service}: Wasmtime compile (no cache, opt speed) and ${WASMTIME_INSTANCES} instances`);
    const world = loadRuntimeWorld(runtime);
    const wasmtime = await runWasmtimeLink(python, {
      wasm: built.out,
      cacheDir: null,
      optLevel: 'speed',
      runtimes: [
        {
          id: runtime.id,
          instances: Object.fromEntries([...world].filter(([name]) => !isWasmtimeWasi(name))),
        },
      ],
      bench: { instances: WASMTIME_INSTANCES },
    });
    log(`${service}: migrate's host, ${HOST_INSTANCES} instances`);
    const host = await createHost({
      config: parseHostConfig(
        JSON.stringify({
          cacheDir: join(dir, 'host-cache'),
          backends: {
            postgres: { url: 'postgres://postgres@127.0.0.1:5432/test', poolSize: 1 },
            redis: { url: 'redis://127.0.0.1:6379/0', keyPrefix: `bench-wasmtime-${process.pid}:` },
            nats: { url: 'nats://127.0.0.1:4222' },
          },
          components: [
            {
              name: 'bench',
              wasm: built.out,
              capabilities: ['sql', 'kv', 'redis', 'messaging', 'config', 'logging', 'clocks', 'random'],
              limits: { instances: 1, timeoutMs: 60_000, memoryMb: 256 },
            },
          ],
        }),
        'bench-wasmtime.json',
      ),
      logger: silentLogger,
    });
    let hostInstanceMs = NaN;
    let hostRss = NaN;
    try {
      const pool = host.components.get('bench')!.pool;
      const first = await pool.run({ type: 'instances', count: 1 });
      const more = await pool.run({ type: 'instances', count: HOST_INSTANCES });
      if (first.type === 'instances' && more.type === 'instances') {
        hostInstanceMs = percentile(more.times, 50);
        hostRss = (more.memory.rss - first.memory.rss) / HOST_INSTANCES / (1024 * 1024);
      }
    } finally {
      await host.close();
    }
    results.push({
      service,
      target,
      runtime: runtime.label,
      size_mb: round(built.size / (1024 * 1024), 1),
      links: wasmtime.results[0]!.links,
      wasmtime: {
        compile_s: round(wasmtime.compileMs / 1000, 1),
        new_instance_ms: round(wasmtime.bench!.instanceMs, 3),
        rss_per_instance_mb: round(wasmtime.bench!.rssPerInstanceMb, 3),
      },
      host: { new_instance_ms_p50: round(hostInstanceMs, 1), rss_per_instance_mb: round(hostRss, 2) },
    });
  }
} finally {
  await rm(dir, { recursive: true, force: true });
}
process.stdout.write(`${JSON.stringify({ bench: 'wasmtime', wasmtime: '49.0.0', services: results })}\n`);
