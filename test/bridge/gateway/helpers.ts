import { randomUUID } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { Pool } from 'undici';
import { Gateway, gatewayConfigSchema, type GatewayConfig } from '../../../bridge/index.ts';

export const token = 'test-token-0123456789';

export interface Upstream {
  url: string;
  server: Server;
  requests: number;
  /** Kills the server and every open connection (a crash). */
  kill(): Promise<void>;
  close(): Promise<void>;
}

export type UpstreamBehaviour = (req: IncomingMessage, res: ServerResponse, body: Buffer) => void;

/** A JSON echo server with per-call noise (id, generatedAt), as real services have. */
export function echo(
  side: string,
  extra: (path: string) => Record<string, unknown> = () => ({}),
): UpstreamBehaviour {
  return (req, res) => {
    const body = JSON.stringify({
      side,
      path: req.url,
      id: randomUUID(),
      generatedAt: new Date(Date.now() + Math.floor(Math.random() * 1000)).toISOString(),
      ...extra(req.url ?? '/'),
    });
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(body);
  };
}

/** An HTTP server on loopback running `behaviour`; on `port` when given (to restart a killed one), else a free one. */
export async function startUpstream(behaviour: UpstreamBehaviour, port = 0): Promise<Upstream> {
  const server = createServer((req, res) => {
    // the gateway's active health checks are not traffic: tests count only what clients caused
    if (req.headers['user-agent'] !== 'migrate-gateway-health') upstream.requests += 1;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => behaviour(req, res, Buffer.concat(chunks)));
  });
  await new Promise<void>((done) => server.listen(port, '127.0.0.1', done));
  const close = (): Promise<void> =>
    new Promise((done) => {
      server.close(() => done());
      server.closeAllConnections();
    });
  const upstream: Upstream = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    server,
    requests: 0,
    kill: close,
    close: () => (server.listening ? close() : Promise.resolve()),
  };
  return upstream;
}

/** A config for tests: loopback, free ports, fast gates. */
export function testConfig(input: Record<string, unknown>): GatewayConfig {
  return gatewayConfigSchema.parse({
    listen: { host: '127.0.0.1', port: 0 },
    admin: { host: '127.0.0.1', port: 0, token },
    ...input,
  });
}

export async function startGateway(config: GatewayConfig, options = {}): Promise<Gateway> {
  const gateway = new Gateway(config, options);
  await gateway.start();
  return gateway;
}

export interface ClientResult {
  status: number;
  side: string | undefined;
  body: string;
  headers: Record<string, string | string[] | undefined>;
}

/** Sends one request through a keep-alive pool and reads the whole answer. */
export async function send(
  pool: Pool,
  path: string,
  options: { method?: string; headers?: Record<string, string>; body?: string } = {},
): Promise<ClientResult> {
  const response = await pool.request({
    path,
    method: options.method ?? 'GET',
    headers: options.headers ?? {},
    body: options.body ?? null,
  });
  const body = await response.body.text();
  const side = response.headers['x-migrate-side'];
  return {
    status: response.statusCode,
    side: typeof side === 'string' ? side : undefined,
    body,
    headers: response.headers,
  };
}

/**
 * Steady, bounded background load: `workers` loops each sending one request at a time with its own keys,
 * until stop() or `maxRequests`. Records every outcome.
 */
export function startLoad(
  url: string,
  options: { workers: number; maxRequests: number; path: string; keyCount: number; pauseMs?: number },
) {
  const pool = new Pool(url, { connections: options.workers });
  const results: { key: string; status: number; side: string | undefined; error?: string }[] = [];
  let stopped = false;
  let sent = 0;
  const worker = async (w: number): Promise<void> => {
    while (!stopped && sent < options.maxRequests) {
      sent += 1;
      const key = `user-${(sent * 7 + w) % options.keyCount}`;
      try {
        const r = await send(pool, options.path, { headers: { 'x-user-id': key } });
        results.push({ key, status: r.status, side: r.side });
      } catch (error) {
        results.push({ key, status: 0, side: undefined, error: (error as Error).message });
      }
      if (options.pauseMs !== undefined) await new Promise((d) => setTimeout(d, options.pauseMs));
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  return {
    results,
    /** Stops the workers and closes the pool; calling it again is harmless. */
    async stop(): Promise<void> {
      if (stopped) return;
      stopped = true;
      await done;
      await pool.close();
    },
  };
}

/** Admin answers are read loosely in tests; their shape is asserted by the tests themselves. */
// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type AdminJson = any;

export async function admin(
  gateway: Gateway,
  method: string,
  path: string,
  body?: unknown,
  auth = token,
): Promise<{ status: number; json: AdminJson }> {
  const response = await fetch(`${gateway.adminUrl}${path}`, {
    method,
    headers: {
      ...(auth === '' ? {} : { authorization: `Bearer ${auth}` }),
      ...(body === undefined ? {} : { 'content-type': 'application/json' }),
    },
    ...(body === undefined ? {} : { body: typeof body === 'string' ? body : JSON.stringify(body) }),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = text;
  }
  return { status: response.status, json: json as AdminJson };
}

/** Polls `check` until it returns a value; `timeoutMs` bounds a hang, it is not what the test expects to take. */
export function waitFor<T>(check: () => T | undefined, timeoutMs = 60_000): Promise<T> {
  const start = Date.now();
  return new Promise((resolve, reject) => {
    const tick = (): void => {
      const value = check();
      if (value !== undefined) return resolve(value);
      if (Date.now() - start > timeoutMs) return reject(new Error(`timed out waiting ${timeoutMs} ms`));
      setTimeout(tick, 20);
    };
    tick();
  });
}
