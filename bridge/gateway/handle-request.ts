import type { IncomingMessage, ServerResponse } from 'node:http';
import { Transform, type Readable, type TransformCallback } from 'node:stream';
import type { Side } from './config-schema.ts';
import {
  BodyTooLargeError,
  buildUpstreamHeaders,
  CollectHandler,
  Exchange,
  isIdempotent,
  type ExchangeInit,
  sendError,
  type ForwardEnv,
} from './forward.ts';
import type { TrafficRecorder } from './recorder.ts';
import type { RouteState } from './route-state.ts';
import type { CapturedResponse } from './shadow-tracker.ts';
import { chooseSide } from './side-choice.ts';

/** What the request handler reads on each request; the gateway swaps it whole on reload. */
export interface RequestEnv extends ForwardEnv {
  /** Routes, longest prefix first. */
  routes: readonly RouteState[];
  overrideToken: string | undefined;
  /** Set when the config has `record`: shadowed exchanges are appended to its file. */
  recorder?: TrafficRecorder | undefined;
  onShadowResult(
    route: RouteState,
    request: { method: string; path: string; primary: Side },
    primary: CapturedResponse,
    candidate: CapturedResponse,
    noise: CapturedResponse | undefined,
  ): void;
}

/** Counts bytes of a body without a declared length and fails it once it passes the limit. */
class LimitStream extends Transform {
  readonly #limit: number;
  #seen = 0;
  constructor(limit: number) {
    super();
    this.#limit = limit;
  }
  override _transform(chunk: Buffer, _encoding: BufferEncoding, callback: TransformCallback): void {
    this.#seen += chunk.length;
    if (this.#seen > this.#limit)
      callback(new BodyTooLargeError(`request body is larger than ${this.#limit} bytes`));
    else callback(null, chunk);
  }
}

function findRoute(routes: readonly RouteState[], url: string): RouteState | undefined {
  for (const route of routes) {
    const prefix = route.config.prefix;
    if (url.startsWith(prefix)) {
      const next = url.charCodeAt(prefix.length);
      // `/api/order` matches `/api/order`, `/api/order/1`, `/api/order?x`, not `/api/orders`
      if (Number.isNaN(next) || next === 47 || next === 63 || prefix.endsWith('/')) return route;
    }
  }
  return undefined;
}

function upstreamPath(route: RouteState, url: string): string {
  if (!route.config.stripPrefix) return url;
  const rest = url.slice(route.config.prefix.length);
  return rest.startsWith('/') ? rest : `/${rest}`;
}

/** Reads a whole body of known, bounded size (for shadowing). */
function readBody(req: IncomingMessage): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.once('end', () => resolve(Buffer.concat(chunks)));
    req.once('error', reject);
  });
}

/**
 * Takes a request body for forwarding. Up to `keep` bytes it is read whole into memory, so the request can be
 * sent again (retry, failover); past that it streams: the chunks read so far, then the rest of the request,
 * failing once it passes `max`. A declared length above `keep` streams from the start.
 */
function takeBody(
  req: IncomingMessage,
  length: number | undefined,
  keep: number,
  max: number,
): Promise<Buffer | Readable> {
  if (length !== undefined && length > keep) return Promise.resolve(req);
  if (length === undefined && keep === 0) return Promise.resolve(req.pipe(new LimitStream(max)));
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = (): void => {
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('error', reject);
    };
    const onData = (chunk: Buffer): void => {
      size += chunk.length;
      chunks.push(chunk);
      if (size > max) {
        cleanup();
        req.resume();
        reject(new BodyTooLargeError(`request body is larger than ${max} bytes`));
        return;
      }
      if (size <= keep) return;
      cleanup();
      req.pause();
      const rest = new LimitStream(max);
      for (const c of chunks) rest.write(c);
      req.pipe(rest);
      resolve(rest);
    };
    const onEnd = (): void => {
      cleanup();
      resolve(Buffer.concat(chunks, size));
    };
    req.on('data', onData);
    req.once('end', onEnd);
    req.once('error', reject);
  });
}

/** The data plane: one call per client request. */
export function handleRequest(env: RequestEnv, req: IncomingMessage, res: ServerResponse): void {
  const url = req.url ?? '/';
  const route = findRoute(env.routes, url);
  if (route === undefined) {
    sendError(res, 404, 'MIG_NO_ROUTE', `no route matches ${url.split('?')[0]}`);
    return;
  }
  const maxBody = env.config.limits.maxBodyBytes;
  const lengthHeader = req.headers['content-length'];
  const length = lengthHeader === undefined ? undefined : Number(lengthHeader);
  if (length !== undefined && length > maxBody) {
    res.setHeader('connection', 'close');
    sendError(
      res,
      413,
      'MIG_BODY_TOO_LARGE',
      `request body of ${length} bytes is larger than ${maxBody} bytes`,
    );
    req.resume();
    return;
  }
  const choice = chooseSide(route, req, env.config, env.overrideToken);
  if ('error' in choice) {
    sendError(res, 403, 'MIG_OVERRIDE_REJECTED', choice.error);
    req.resume();
    return;
  }
  route.retryBudget.recordRequest();
  const method = req.method ?? 'GET';
  const hasBody = (length !== undefined && length > 0) || req.headers['transfer-encoding'] !== undefined;
  // one object per request, handed to the Exchange as it is (the body is filled in once it is known)
  const init: ExchangeInit = {
    env,
    route,
    req,
    res,
    method,
    path: upstreamPath(route, url),
    headers: buildUpstreamHeaders(req),
    body: null,
  };
  const shadow = route.config.shadow;
  const candidate: Side = choice.side === 'wasm' ? 'container' : 'wasm';
  const shadowed =
    route.shadowEnabled &&
    route.upstreams[candidate].hasHealthy() &&
    (isIdempotent(method) || shadow.allowNonIdempotent) &&
    (!hasBody || (length !== undefined && length <= shadow.maxBodyBytes)) &&
    Math.random() < route.shadowSampleRate;
  if (!shadowed) {
    if (!hasBody) {
      new Exchange(init).dispatch(choice.side);
      return;
    }
    takeBody(req, length, env.config.retry.maxBodyBytes, maxBody).then(
      (body) => {
        init.body = body;
        new Exchange(init).dispatch(choice.side);
      },
      (error: unknown) => {
        if (error instanceof BodyTooLargeError) {
          res.setHeader('connection', 'close');
          sendError(res, 413, 'MIG_BODY_TOO_LARGE', error.message);
        } else sendError(res, 400, 'MIG_BAD_REQUEST', 'could not read the request body');
      },
    );
    return;
  }
  const start = (body: Buffer | null): void => {
    init.body = body;
    init.captureLimit = shadow.maxBodyBytes;
    const exchange = new Exchange(init);
    const primaryDone = new Promise<CapturedResponse | undefined>(
      (resolve) => (exchange.onCaptured = resolve),
    );
    exchange.dispatch(choice.side);
    const recorder = env.recorder;
    if (recorder !== undefined)
      void primaryDone.then((response) =>
        recorder.record({ route: route.config.name, method, url, headers: req.headers, body, response }),
      );
    const collect = (side: Side, asShadow: boolean): Promise<CapturedResponse | undefined> =>
      new Promise((resolve) => {
        const started = performance.now();
        const origin = route.upstreams[side].pick();
        if (origin === undefined) return resolve(undefined);
        const handler = new CollectHandler(shadow.maxBodyBytes, (response) => {
          if (response !== undefined) route.upstreams[side].noteAnswer(origin);
          if (asShadow) {
            const failed = response === undefined || response.status >= 500;
            env.onOutcome(route, side, performance.now() - started, failed, true);
          }
          resolve(response);
        });
        try {
          env.pools.get(origin).dispatch(
            {
              origin,
              path: init.path,
              method: method,
              headers: init.headers,
              body,
              headersTimeout: env.config.timeouts.headersMs,
              bodyTimeout: env.config.timeouts.bodyMs,
            },
            handler,
          );
        } catch (error) {
          handler.onResponseError(undefined, error as Error);
        }
      });
    const candidateDone = collect(candidate, true);
    const noiseDone = route.tracker.wantsNoiseSample(shadow)
      ? collect(choice.side, false)
      : Promise.resolve(undefined);
    void Promise.all([primaryDone, candidateDone, noiseDone]).then(([primary, other, noise]) => {
      if (primary === undefined || other === undefined) return;
      env.onShadowResult(
        route,
        { method, path: url.split('?')[0]!, primary: choice.side },
        primary,
        other,
        noise,
      );
    });
  };
  if (!hasBody) {
    start(null);
    return;
  }
  readBody(req).then(start, () => sendError(res, 400, 'MIG_BAD_REQUEST', 'could not read the request body'));
}
