import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readFile } from 'node:fs/promises';
import type { Subscription } from 'nats';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { Backends } from './backends.ts';
import { checkImports } from './capabilities.ts';
import type { HostComponentConfig, HostConfig } from './config.ts';
import type { HostLogger } from './logger.ts';
import { JspiPool } from './jspi-pool.ts';
import { listenComponent } from './listen.ts';
import { ComponentPool, type GuestPool, type JobResult, type PoolOptions } from './pool.ts';
import { ok } from './sync-call.ts';
import { compileCoreModules, transpileComponentCached } from './transpile.ts';

/** A request as the host hands it to a component (also the gateway's in-process call). */
export interface HostRequest {
  method: string;
  /** Path with query, e.g. `/orders?limit=5`. */
  path: string;
  headers?: [string, string][];
  body?: Uint8Array;
}

export interface HostResponse {
  status: number;
  headers: [string, string][];
  body: Uint8Array;
}

/** One loaded component. */
export interface RunningComponent {
  name: string;
  /** The bound port, once listening. */
  port: number | undefined;
  imports: readonly string[];
  pool: GuestPool;
}

export interface Host {
  readonly components: ReadonlyMap<string, RunningComponent>;
  /** Calls a component's incoming handler in-process. Never throws: failures are 5xx responses. */
  handle(component: string, request: HostRequest): Promise<HostResponse>;
  /** Runs a component's message handler (as a NATS subscription would). */
  deliver(component: string, message: { subject: string; body: Uint8Array }): Promise<JobResult>;
  close(): Promise<void>;
}

export interface CreateHostOptions {
  config: HostConfig;
  logger: HostLogger;
}

const MAX_BODY = 16 * 1024 * 1024;
const encoder = new TextEncoder();

function errorResponse(status: number, code: string, message: string): HostResponse {
  return {
    status,
    headers: [['content-type', 'application/json']],
    body: encoder.encode(JSON.stringify({ error: code, message })),
  };
}

const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

/** The component this host serves at a loopback `url` (its own listen address and bound port), if any. Pure. */
function localComponentAt(
  url: URL,
  config: HostConfig,
  components: ReadonlyMap<string, RunningComponent>,
): string | undefined {
  if (url.protocol !== 'http:' || !LOOPBACK.has(url.hostname)) return undefined;
  const port = Number(url.port || 80);
  const component = config.components.find(
    (entry) =>
      components.get(entry.name)?.port === port &&
      (LOOPBACK.has(entry.listen) ||
        entry.listen === '::1' ||
        entry.listen === '0.0.0.0' ||
        entry.listen === '::'),
  );
  return component?.name;
}

/** Maps a pool job result to an HTTP response. */
function toResponse(result: JobResult): HostResponse {
  switch (result.type) {
    case 'http-response':
      return { status: result.status, headers: result.headers, body: result.body };
    case 'timeout':
      return errorResponse(503, 'timeout', result.message);
    case 'crashed':
      return errorResponse(503, 'instance-stopped', result.message);
    case 'closed':
      return errorResponse(503, 'closed', result.message);
    case 'failed':
      return errorResponse(result.reason === 'trap' ? 500 : 502, result.reason, result.message);
    default:
      return errorResponse(500, 'internal', `unexpected reply ${result.type}`);
  }
}

async function loadComponent(
  component: HostComponentConfig,
  config: HostConfig,
  backends: Backends,
  logger: HostLogger,
): Promise<RunningComponent> {
  let bytes: Uint8Array;
  try {
    bytes = new Uint8Array(await readFile(component.wasm));
  } catch (error) {
    throw wrapError(
      ErrorCode.notFound,
      `cannot read component ${component.name} (${component.wasm})`,
      error,
      'check the wasm path in the host config',
    );
  }
  const transpiled = await transpileComponentCached(bytes, config.cacheDir, component.limits.mode);
  checkImports(component.name, transpiled.imports, component.capabilities);
  const modules = await compileCoreModules(transpiled, component.limits.memoryMb);
  const grantBackends = { ...config.backends, ...component.backends };
  const options: PoolOptions = {
    name: component.name,
    jsUrl: transpiled.jsUrl,
    modules,
    declaredImports: transpiled.imports,
    config: component.config,
    instances: component.limits.instances,
    timeoutMs: component.limits.timeoutMs,
    memoryMb: component.limits.memoryMb,
    reuse: component.limits.reuse,
    logger,
    endInvocation: (instance) => backends.endSqlSession(instance),
    dispatch: backends.createDispatch({
      name: component.name,
      capabilities: new Set(component.capabilities),
      allowedHosts: component.allowedHosts,
      backends: grantBackends,
      // a publish held across a NATS restart gives up 2 s before the request would be stopped
      publishWaitMs: Math.max(component.limits.timeoutMs - 2000, component.limits.timeoutMs / 2),
    }),
  };
  const { mode, workers } = component.limits;
  const pool =
    mode === 'jspi' && workers === 0
      ? new JspiPool(options)
      : new ComponentPool(mode === 'jspi' ? { ...options, jspiWorkers: workers } : options);
  return { name: component.name, port: undefined, imports: transpiled.imports, pool };
}

function readBody(req: IncomingMessage): Promise<Uint8Array> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.byteLength;
      if (size > MAX_BODY) {
        reject(new AppError(ErrorCode.input, 'request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(new Uint8Array(Buffer.concat(chunks))));
    req.on('error', reject);
  });
}

/**
 * Loads every configured component (transpile once, check imports against granted capabilities, compile,
 * start its worker pool), serves each on its own port and subscribes its NATS subjects. A component that
 * fails to load fails `createHost` with an AppError naming it; at run time one component's faults never
 * reach another.
 */
export async function createHost(options: CreateHostOptions): Promise<Host> {
  const { config, logger } = options;
  const backends = new Backends(logger);
  const components = new Map<string, RunningComponent>();
  const servers: Server[] = [];
  const subscriptions: Subscription[] = [];

  const handle = async (name: string, request: HostRequest): Promise<HostResponse> => {
    const component = components.get(name);
    if (component === undefined) return errorResponse(404, 'no-component', `no component named ${name}`);
    const result = await component.pool.run({
      type: 'http',
      request: {
        method: request.method,
        pathWithQuery: request.path,
        authority: 'localhost',
        headers: request.headers ?? [],
        body: request.body ?? new Uint8Array(),
      },
    });
    return toResponse(result);
  };

  const deliver = (name: string, message: { subject: string; body: Uint8Array }): Promise<JobResult> => {
    const component = components.get(name);
    if (component === undefined)
      return Promise.resolve({ type: 'closed', message: `no component named ${name}` });
    return component.pool.run({ type: 'message', message });
  };

  // the startup hooks run before the component is served (see `startupPath`)
  const runStartup = async (name: string, path: string): Promise<void> => {
    const started = performance.now();
    const response = await handle(name, { method: 'GET', path });
    const startupMs = Math.round(performance.now() - started);
    if (response.status >= 500)
      logger.log('error', name, `startup GET ${path} answered ${response.status}`, {
        body: new TextDecoder().decode(response.body).slice(0, 500),
        startupMs,
      });
    else logger.log('info', name, `started (GET ${path} answered ${response.status})`, { startupMs });
  };

  const close = async (): Promise<void> => {
    for (const subscription of subscriptions) subscription.unsubscribe();
    await Promise.all(servers.map((server) => new Promise((resolve) => server.close(resolve))));
    for (const server of servers) server.closeAllConnections();
    await Promise.all([...components.values()].map((component) => component.pool.close()));
    await backends.close();
  };

  try {
    // Components load side by side (compiling, then instantiating in their workers): the host is ready when the
    // slowest is, not after the sum of them.
    const loading = performance.now();
    const loaded = await Promise.allSettled(
      config.components.map(async (component) => {
        const running = await loadComponent(component, config, backends, logger);
        await running.pool.whenReady();
        return running;
      }),
    );
    // In config order (listings follow it); a failure closes every pool that did load.
    for (const result of loaded)
      if (result.status === 'fulfilled') components.set(result.value.name, result.value);
    const failed = loaded.find((result) => result.status === 'rejected');
    if (failed !== undefined) throw failed.reason;
    backends.setLocalHttp((url, req) => {
      const name = localComponentAt(url, config, components);
      if (name === undefined) return undefined;
      return handle(name, {
        method: req.method,
        path: url.pathname + url.search,
        headers: req.headers,
        ...(req.body === undefined ? {} : { body: req.body }),
      }).then((response) =>
        ok({
          status: response.status,
          headers: [
            ...response.headers.filter(([key]) => key.toLowerCase() !== 'content-length'),
            ['content-length', String(response.body.byteLength)],
          ],
          body: response.body,
        }),
      );
    });
    for (const component of config.components) {
      const running = components.get(component.name)!;
      if (component.startupPath !== undefined) await runStartup(component.name, component.startupPath);
      if (component.port !== undefined) {
        const server = createServer((req: IncomingMessage, res: ServerResponse) => {
          void (async () => {
            let response: HostResponse;
            try {
              const body = await readBody(req);
              const headers: [string, string][] = [];
              for (let i = 0; i < req.rawHeaders.length; i += 2)
                headers.push([req.rawHeaders[i]!, req.rawHeaders[i + 1]!]);
              response = await handle(component.name, {
                method: req.method ?? 'GET',
                path: req.url ?? '/',
                headers,
                body,
              });
            } catch (error) {
              response = errorResponse(400, 'bad-request', (error as Error).message);
            }
            res.statusCode = response.status;
            for (const [key, value] of response.headers) {
              if (key.toLowerCase() !== 'content-length' && key.toLowerCase() !== 'transfer-encoding')
                res.appendHeader(key, value);
            }
            res.setHeader('content-length', response.body.byteLength);
            res.end(response.body);
          })();
        });
        servers.push(server);
        running.port = await listenComponent(server, {
          name: component.name,
          listen: component.listen,
          port: component.port,
          index: config.components.indexOf(component),
        });
        // startMs: transpile (cached), compile and instantiate, to listening: the component's start time (the
        // components load side by side, so it is measured from the start of the host's loading)
        logger.log('info', component.name, `serving on http://${component.listen}:${running.port}`, {
          startMs: Math.round(performance.now() - loading),
        });
      }
      const nats = { ...config.backends, ...component.backends }.nats;
      if (component.subscriptions.length > 0) {
        if (nats === undefined || !component.capabilities.includes('messaging')) {
          throw new AppError(
            ErrorCode.config,
            `component ${component.name} has subscriptions but no messaging capability or NATS backend`,
            {
              hint: 'add `messaging` to capabilities and backends.nats.url',
            },
          );
        }
        for (const subject of component.subscriptions) {
          subscriptions.push(
            await backends.subscribe(nats, subject, async (message) => {
              const result = await deliver(component.name, message);
              if (result.type !== 'message-handled' || result.error !== undefined) {
                logger.log('warn', component.name, `message on ${message.subject} not handled`, {
                  result: result.type === 'message-handled' ? result.error : result.type,
                });
              }
            }),
          );
        }
      }
    }
  } catch (error) {
    await close();
    throw error;
  }
  return { components, handle, deliver, close };
}
