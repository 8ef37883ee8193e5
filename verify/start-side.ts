/**
 * Starts a side verify runs itself (adapter): a `.wasm` component in migrate's host, or a Spring Boot `.jar` as
 * `java -jar` with SERVER_PORT. Either gets the side's environment; `stop()` ends exactly what was started.
 */
import { spawn } from 'node:child_process';
import { createServer } from 'node:net';
import { basename, resolve } from 'node:path';
import { createHost, HOST_CAPABILITIES, parseHostConfig } from '../bridge/index.ts';
import { AppError, ErrorCode, wrapError } from '../shared/errors.ts';
import { withSearchPath, type SideData } from './side-env.ts';

export interface StartedSide {
  url: string;
  stop: () => Promise<void>;
}

export interface StartOptions {
  label: string;
  env: Readonly<Record<string, string>>;
  data: SideData;
  /** How long a jar may take to answer HTTP. */
  startTimeoutMs: number;
  log: (message: string) => void;
  signal?: AbortSignal | undefined;
}

export function getFreePort(): Promise<number> {
  return new Promise((done, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address !== null ? address.port : 0;
      server.close(() => done(port));
    });
  });
}

/** Hosts outbound HTTP may reach: every http(s) URL among the environment's values. */
function allowedHosts(env: Readonly<Record<string, string>>): string[] {
  const hosts = new Set<string>();
  for (const value of Object.values(env)) {
    if (!/^https?:\/\//.test(value)) continue;
    try {
      hosts.add(new URL(value).host);
    } catch {
      // not a URL after all
    }
  }
  return [...hosts];
}

/** Serves a component in migrate's host, on a free loopback port, with every capability the host offers. */
export async function startComponent(wasm: string, options: StartOptions): Promise<StartedSide> {
  const { data } = options;
  const config = {
    components: [
      {
        name: `verify-${options.label}`,
        wasm: resolve(wasm),
        port: 0,
        capabilities: [...HOST_CAPABILITIES],
        backends: {
          ...(data.postgres === undefined
            ? {}
            : { postgres: { url: withSearchPath(data.postgres.url, data.postgres.schema), poolSize: 2 } }),
          ...(data.nats === undefined ? {} : { nats: { url: data.nats.url } }),
          ...(data.redis === undefined ? {} : { redis: { url: `${data.redis.url}/${data.redis.db}` } }),
        },
        allowedHosts: allowedHosts(options.env),
        config: { ...options.env },
        // a ported service runs its startup hooks (Spring's runners) before verify's first request, as the JVM did
        startupPath: '/actuator/health',
        limits: { instances: 1, timeoutMs: 30_000, memoryMb: 256 },
      },
    ],
  };
  const host = await createHost({
    config: parseHostConfig(JSON.stringify(config), `${basename(wasm)} (verify)`),
    logger: {
      log: (level, component, message) => {
        if (level === 'error' || level === 'warn') options.log(`${component}: ${message}`);
      },
    },
  });
  const port = [...host.components.values()][0]?.port;
  if (port === undefined) {
    await host.close();
    throw new AppError(ErrorCode.internal, `the host did not serve ${wasm} on a port`);
  }
  return { url: `http://127.0.0.1:${port}`, stop: () => host.close() };
}

async function answers(url: string): Promise<boolean> {
  try {
    const response = await fetch(url, { signal: AbortSignal.timeout(2000) });
    await response.arrayBuffer();
    return true;
  } catch {
    return false;
  }
}

/** Runs `java -jar <jar>` with the side's environment and SERVER_PORT; resolves once it answers HTTP. */
export async function startJar(jar: string, options: StartOptions): Promise<StartedSide> {
  const port = await getFreePort();
  const url = `http://127.0.0.1:${port}`;
  const child = spawn('java', ['-jar', resolve(jar)], {
    env: { ...process.env, ...options.env, SERVER_PORT: String(port) },
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  let tail = '';
  child.stderr.on('data', (chunk: Buffer) => (tail = (tail + chunk.toString('utf8')).slice(-4000)));
  let exited: number | null | undefined;
  const exit = new Promise<void>((done) =>
    child.once('exit', (code) => {
      exited = code;
      done();
    }),
  );
  child.once('error', () => (exited = -1));
  const stop = async (): Promise<void> => {
    if (exited !== undefined) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 15_000);
    await exit;
    clearTimeout(timer);
  };
  const deadline = Date.now() + options.startTimeoutMs;
  options.log(`${options.label}: started ${basename(jar)} (pid ${child.pid}) on ${url}`);
  for (;;) {
    if (exited !== undefined) {
      throw new AppError(ErrorCode.backend, `${jar} exited (${exited}) before answering HTTP`, {
        hint: `its last output:\n${tail.split('\n').slice(-15).join('\n')}`,
      });
    }
    if (options.signal?.aborted === true || Date.now() > deadline) {
      await stop();
      if (options.signal?.aborted === true) throw new AppError(ErrorCode.cancelled, 'cancelled');
      throw new AppError(
        ErrorCode.backend,
        `${jar} did not answer on ${url} within ${options.startTimeoutMs} ms`,
        {
          hint: 'give it more time with --start-timeout, or start it yourself and pass its URL',
        },
      );
    }
    if (await answers(`${url}/`)) return { url, stop };
    await new Promise((done) => setTimeout(done, 500));
  }
}

/** Wraps a start failure with the side's name. */
export function wrapStartError(label: string, error: unknown): AppError {
  return wrapError(ErrorCode.backend, `cannot start the ${label} side`, error);
}
