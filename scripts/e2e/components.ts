/**
 * Porting, building and hosting the sample's services as components, shared by `npm run e2e:sample` and
 * `npm run e2e:verify`: `migrate port`, `migrate codemod` and `migrate build` as a user runs them, and the host
 * config of one component.
 */
import { execFile } from 'node:child_process';
import { stat } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { ESTATE_ROOT } from '../../test/contract/spring-estate.ts';
import { pgUrlFor, REDIS_URL } from './resources.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const NATS_URL = 'nats://127.0.0.1:4222';
export const TARGET = 'embedded';

/** A sample service, by its short name (`order` for order-service). */
export type Service = 'order' | 'inventory' | 'product' | 'notification';
export const SERVICES: readonly Service[] = ['order', 'inventory', 'product', 'notification'];

const log = (message: string): void => void process.stderr.write(`[e2e] ${message}\n`);

/** Host capability names for the facade capabilities a build reports. */
export const GRANTS: Record<string, string> = {
  sql: 'sql',
  kv: 'kv',
  redis: 'redis',
  messaging: 'messaging',
  http: 'http-out',
  config: 'config',
  clock: 'clocks',
  random: 'random',
  log: 'logging',
};

interface CliResult {
  stdout: string;
  seconds: number;
}

/** Runs `migrate <args>` as a user would (bin/migrate.js on this Node); fails with its stderr. */
export function migrate(args: string[]): Promise<CliResult> {
  const started = performance.now();
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [join(ROOT, 'bin/migrate.js'), ...args],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: '1' } },
      (error, stdout, stderr) => {
        if (error) reject(new Error(`migrate ${args.join(' ')} failed:\n${stderr || error.message}`));
        else resolve({ stdout, seconds: (performance.now() - started) / 1000 });
      },
    );
  });
}

export interface PortedService {
  /** The short name (`order`, or a clinic service's `records`). */
  service: string;
  methods: number;
  methodsTodo: number;
  wasm: string;
  bytes: number;
  capabilities: string[];
  portSeconds: number;
  buildSeconds: number;
}

/** `migrate port`, then `migrate codemod` and `migrate build` on what it wrote (the sample's, or `estate`'s). */
export async function portAndBuild(
  work: string,
  service: string,
  estate: string = ESTATE_ROOT,
): Promise<PortedService> {
  const id = `${service}-service`;
  const out = join(work, id);
  const ported = await migrate(['port', id, '--estate', estate, '--out', out, '--json']);
  const report = JSON.parse(ported.stdout) as { methods: number; methods_todo: number };
  const codemod = await migrate(['codemod', out]);
  const wasm = join(work, `${service}.wasm`);
  const built = await migrate(['build', out, '--target', TARGET, '--out', wasm, '--json']);
  const document = JSON.parse(built.stdout) as { capabilities?: string[] };
  const bytes = (await stat(wasm)).size;
  log(
    `${id}: ${report.methods} methods, ${report.methods_todo} TODO; component ${(bytes / 1e6).toFixed(1)} MB ` +
      `(port ${ported.seconds.toFixed(1)} s, codemod+build ${(codemod.seconds + built.seconds).toFixed(1)} s)`,
  );
  return {
    service,
    methods: report.methods,
    methodsTodo: report.methods_todo,
    wasm,
    bytes,
    capabilities: document.capabilities ?? [],
    portSeconds: ported.seconds,
    buildSeconds: codemod.seconds + built.seconds,
  };
}

export interface ComponentSpec {
  name: string;
  /** Undefined when the service did not build: it is left out, and its URL refuses connections. */
  built: PortedService | undefined;
  /** Fixed when another component must know it; a free one otherwise. */
  port?: number;
  schema: string;
  redisDb: number;
  config: Record<string, string>;
  allowedHosts?: string[];
  subscriptions?: string[];
}

export function componentConfig(spec: ComponentSpec & { built: PortedService }): Record<string, unknown> {
  return {
    name: spec.name,
    wasm: spec.built.wasm,
    port: spec.port ?? 0,
    capabilities: [...new Set(spec.built.capabilities.map((c) => GRANTS[c] ?? c))],
    backends: {
      postgres: { url: pgUrlFor(spec.schema), poolSize: 4 },
      nats: { url: NATS_URL },
      redis: { url: `${REDIS_URL}/${spec.redisDb}` },
    },
    allowedHosts: spec.allowedHosts ?? [],
    config: spec.config,
    subscriptions: spec.subscriptions ?? [],
    // a ported service runs its startup hooks (Spring's runners) before it is served, as the JVM did
    startupPath: '/actuator/health',
    limits: { instances: 1, timeoutMs: 15_000, memoryMb: 256 },
  };
}
