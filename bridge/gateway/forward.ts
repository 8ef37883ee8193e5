import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { Readable } from 'node:stream';
import type { Dispatcher } from 'undici';
import type { GatewayConfig, Side } from './config-schema.ts';
import type { RouteState } from './route-state.ts';
import type { CapturedResponse } from './shadow-tracker.ts';
import type { UpstreamPools } from './upstream-pools.ts';

const hopByHop = new Set([
  'connection',
  'keep-alive',
  'proxy-connection',
  'proxy-authenticate',
  'proxy-authorization',
  'te',
  'trailer',
  'transfer-encoding',
  'upgrade',
  'host',
]);

const idempotentMethods = new Set(['GET', 'HEAD', 'OPTIONS', 'TRACE', 'PUT', 'DELETE']);

/** Errors where the upstream never produced an answer: safe to send an idempotent request elsewhere. */
const connectionErrorCodes = new Set([
  'ECONNREFUSED',
  'ECONNRESET',
  'EPIPE',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'UND_ERR_SOCKET',
  'UND_ERR_CONNECT_TIMEOUT',
  'UND_ERR_CLOSED',
]);

const timeoutErrorCodes = new Set(['UND_ERR_HEADERS_TIMEOUT', 'UND_ERR_BODY_TIMEOUT']);

export function isIdempotent(method: string): boolean {
  return idempotentMethods.has(method);
}

export function getErrorCode(error: unknown): string {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' ? code : 'UNKNOWN';
}

/** Why a failed attempt is sent again on the other side. */
export type RetryReason = 'not-delivered' | 'idempotent' | 'idempotency-key';

/** Everything the forwarding code needs from the gateway, swapped as a whole on reload. */
export interface ForwardEnv {
  config: GatewayConfig;
  pools: UpstreamPools;
  /**
   * Called once per upstream attempt with its outcome (metrics, windows, events). `answered` false: no answer
   * came back (refused, reset, timed out), so its duration is not a latency.
   */
  onOutcome(
    route: RouteState,
    side: Side,
    ms: number,
    failed: boolean,
    shadow: boolean,
    answered?: boolean,
  ): void;
  onRetry(
    route: RouteState,
    from: Side,
    to: Side,
    method: string,
    path: string,
    error: string,
    reason: RetryReason,
  ): void;
  /** An upstream origin was ejected after a connection failure (`ms` > 0) or answered again (`ms` = 0). */
  onUpstreamHealth(route: RouteState, side: Side, origin: string, ms: number, error?: string): void;
  /** Every origin of `from` is out: this request goes to `to` whatever the weight. */
  onFailover(route: RouteState, from: Side, to: Side): void;
  /** A request that cannot be retried was sent and lost: it may or may not have been executed. */
  onAmbiguous(route: RouteState, side: Side, method: string, path: string, error: string): void;
}

export function otherSide(side: Side): Side {
  return side === 'wasm' ? 'container' : 'wasm';
}

/** Request headers for the upstream: the client's, minus hop-by-hop, plus X-Forwarded-*. Flat name/value list. */
export function buildUpstreamHeaders(req: IncomingMessage): string[] {
  const raw = req.rawHeaders;
  const out: string[] = [];
  let forwardedFor: string | undefined;
  for (let i = 0; i < raw.length; i += 2) {
    const name = raw[i]!;
    const lower = name.toLowerCase();
    if (hopByHop.has(lower)) continue;
    if (lower === 'x-forwarded-for') {
      forwardedFor = forwardedFor === undefined ? raw[i + 1]! : `${forwardedFor}, ${raw[i + 1]!}`;
      continue;
    }
    out.push(name, raw[i + 1]!);
  }
  const address = req.socket.remoteAddress ?? '';
  out.push('x-forwarded-for', forwardedFor === undefined ? address : `${forwardedFor}, ${address}`);
  if (req.headers.host !== undefined) out.push('x-forwarded-host', req.headers.host);
  return out;
}

/** Response headers that describe the upstream connection, not the answer: never passed to the client. */
function isResponseHopByHop(name: string): boolean {
  // undici gives lower-case names; a switch on the length first, so most names cost one comparison
  switch (name.length) {
    case 7:
      return name === 'upgrade' || name === 'trailer';
    case 10:
      return name === 'connection' || name === 'keep-alive';
    case 16:
      return name === 'proxy-connection';
    case 17:
      return name === 'transfer-encoding';
    default:
      return false;
  }
}

/**
 * The upstream's answer headers for the client, as the flat name/value list `writeHead` takes as it is: the
 * upstream's object is left untouched (deleting keys would turn it into a slow dictionary on every answer).
 */
function responseHeaders(headers: IncomingHttpHeaders, side: Side): (string | string[])[] {
  const out: (string | string[])[] = [];
  for (const name in headers) {
    const value = headers[name];
    if (value === undefined || isResponseHopByHop(name)) continue;
    out.push(name, value);
  }
  out.push('x-migrate-side', side);
  return out;
}

/** Writes a gateway-made error answer (never an upstream's), as JSON with a stable code. */
export function sendError(
  res: ServerResponse,
  status: number,
  code: string,
  message: string,
  headers: Record<string, string> = {},
): void {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  const body = JSON.stringify({ error: { code, message } });
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    ...headers,
  });
  res.end(body);
}

/** Marks a request body that exceeded the limit while streaming. */
export class BodyTooLargeError extends Error {
  readonly code = 'MIG_BODY_TOO_LARGE';
}

export interface ExchangeInit {
  env: ForwardEnv;
  route: RouteState;
  req: IncomingMessage;
  res: ServerResponse;
  method: string;
  path: string;
  headers: string[];
  /** A stream (not retryable), a buffer (retryable, shadowable) or null (no body). */
  body: Readable | Buffer | null;
  /** When set, the primary's answer is also captured up to this many bytes (shadowing). */
  captureLimit?: number;
}

const kExchange = Symbol('exchange');
type ExchangeResponse = ServerResponse & { [kExchange]?: Exchange };

function onClientClose(this: ExchangeResponse): void {
  if (!this.writableFinished) this[kExchange]?.clientGone();
}

/**
 * One client request on its way through the gateway: dispatches to a side (or to the other one when every
 * origin of the chosen side is out), streams the answer back, retries once on the other side when that is
 * safe, and reports the outcome. Implements undici's handler interface so the response goes from the upstream
 * socket to the client without an intermediate stream.
 *
 * Delivery: undici calls onRequestStart on a connected socket right before it writes the request. An attempt
 * that failed before that was never delivered, so any method may be sent again; after it, only idempotent
 * methods or requests carrying the idempotency key are, and a lost non-idempotent request is ambiguous.
 */
export class Exchange implements Dispatcher.DispatchHandler {
  readonly init: ExchangeInit;
  side: Side = 'container';
  #origin = '';
  #controller: Dispatcher.DispatchController | undefined;
  #started = false;
  #start = 0;
  #retried = false;
  /** This attempt reached onRequestStart (its bytes were about to be written). */
  #sent = false;
  /** Some attempt of this request was written to an upstream. */
  #everSent = false;
  #clientGone = false;
  #captured: Buffer[] | undefined;
  #capturedBytes = 0;
  #capture: CapturedResponse | undefined;
  #status = 0;
  /** Resolves with the primary's captured answer when capturing (undefined if it failed or was too large). */
  onCaptured: ((response: CapturedResponse | undefined) => void) | undefined;

  constructor(init: ExchangeInit) {
    this.init = init;
    // one module-level listener finds its exchange on the response: no closure or once-wrapper per request
    (init.res as ExchangeResponse)[kExchange] = this;
    init.res.on('close', onClientClose);
  }

  /** The client's connection closed before its answer was complete: stop the upstream attempt. */
  clientGone(): void {
    this.#clientGone = true;
    this.#controller?.abort(new Error('client went away'));
  }

  dispatch(side: Side): void {
    const { env, route, method, path, headers, body } = this.init;
    let origin = route.upstreams[side].pick();
    if (origin === undefined) {
      const other = otherSide(side);
      const alternative = route.upstreams[other].pick();
      if (alternative !== undefined) {
        env.onFailover(route, side, other);
        side = other;
        origin = alternative;
      } else {
        // every origin of both sides looks out: checks and ejections are guesses, so try the chosen side
        // anyway (a refusal is not delivered and may still go to the other side) rather than answer 502
        origin = route.upstreams[side].pickAny();
      }
    }
    this.side = side;
    this.#started = false;
    this.#sent = false;
    this.#start = performance.now();
    if (origin === undefined) {
      this.#origin = '';
      this.onResponseError(undefined, Object.assign(new Error('no upstream'), { code: 'MIG_NO_UPSTREAM' }));
      return;
    }
    this.#origin = origin;
    try {
      env.pools.get(origin).dispatch(
        {
          origin,
          path,
          method: method,
          headers,
          body,
          headersTimeout: env.config.timeouts.headersMs,
          bodyTimeout: env.config.timeouts.bodyMs,
        },
        this,
      );
    } catch (error) {
      // invalid arguments (e.g. a header undici refuses) surface here, synchronously
      this.onResponseError(undefined, Object.assign(error as Error, { code: 'MIG_INVALID_REQUEST' }));
    }
  }

  onRequestStart(controller: Dispatcher.DispatchController): void {
    this.#controller = controller;
    this.#sent = true;
    this.#everSent = true;
    if (this.#clientGone) controller.abort(new Error('client went away'));
  }

  onResponseStart(
    _controller: Dispatcher.DispatchController,
    statusCode: number,
    headers: IncomingHttpHeaders,
  ): void {
    this.#started = true;
    this.init.route.upstreams[this.side].noteAnswer(this.#origin);
    const res = this.init.res;
    if (this.init.captureLimit !== undefined) {
      this.#captured = [];
      this.#capture = { status: statusCode, headers, body: undefined };
    }
    this.#status = statusCode;
    res.writeHead(statusCode, responseHeaders(headers, this.side));
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    if (this.#captured !== undefined) {
      this.#capturedBytes += chunk.length;
      if (this.#capturedBytes <= this.init.captureLimit!) this.#captured.push(chunk);
      else this.#captured = undefined;
    }
    if (!this.init.res.write(chunk)) {
      // back-pressure from a slow client: stop reading the upstream until the client drains
      controller.pause();
      this.init.res.once('drain', () => controller.resume());
    }
  }

  onResponseEnd(): void {
    this.init.res.end();
    const failed = this.#status >= 500;
    const { env, route } = this.init;
    if (route.upstreams[this.side].restore(this.#origin)) {
      env.onUpstreamHealth(route, this.side, this.#origin, 0);
    }
    env.onOutcome(route, this.side, performance.now() - this.#start, failed, false);
    if (this.#capture !== undefined) {
      this.#capture.body = this.#captured === undefined ? undefined : Buffer.concat(this.#captured);
      this.onCaptured?.(this.#captured === undefined ? undefined : this.#capture);
    } else this.onCaptured?.(undefined);
  }

  /** Whether this failed attempt may be sent again, and why. */
  #retryReason(code: string): RetryReason | undefined {
    const { env, req, method, body } = this.init;
    if (this.#started || this.#retried || isStream(body) || this.#origin === '') return undefined;
    // a route with one side only has nowhere to send it again: the original failure is the answer
    if (this.init.route.upstreams[otherSide(this.side)].empty) return undefined;
    if (!this.#sent) return connectionErrorCodes.has(code) ? 'not-delivered' : undefined;
    if (!connectionErrorCodes.has(code) && code !== 'UND_ERR_HEADERS_TIMEOUT') return undefined;
    if (isIdempotent(method)) return 'idempotent';
    return hasIdempotencyKey(req, env.config.retry.idempotencyKeyHeader) ? 'idempotency-key' : undefined;
  }

  onResponseError(_controller: Dispatcher.DispatchController | undefined, error: Error): void {
    const { env, route, res, method, path } = this.init;
    const ms = performance.now() - this.#start;
    if (this.#clientGone) {
      env.onOutcome(route, this.side, ms, false, false);
      this.onCaptured?.(undefined);
      return;
    }
    if (this.#origin !== '') env.onOutcome(route, this.side, ms, true, false, this.#started);
    const code = getErrorCode(error);
    if (!this.#started && connectionErrorCodes.has(code) && this.#origin !== '') {
      const ejectedMs = route.upstreams[this.side].eject(this.#origin);
      if (ejectedMs !== undefined) env.onUpstreamHealth(route, this.side, this.#origin, ejectedMs, code);
    }
    const reason = this.#retryReason(code);
    if (reason !== undefined && route.retryBudget.tryAcquire(env.config.retry)) {
      const from = this.side;
      const to = otherSide(from);
      this.#retried = true;
      route.retries += 1;
      env.onRetry(route, from, to, method, path, code, reason);
      this.dispatch(to);
      return;
    }
    this.onCaptured?.(undefined);
    if (error instanceof BodyTooLargeError) {
      sendError(res, 413, 'MIG_BODY_TOO_LARGE', error.message);
    } else if (this.#everSent && !isIdempotent(method)) {
      // written to an upstream and lost: it may have been executed. Never sent again without a key.
      env.onAmbiguous(route, this.side, method, path, code);
      sendError(
        res,
        502,
        'MIG_UPSTREAM_AMBIGUOUS',
        `${this.side} upstream failed after the request was sent (${code}); it may or may not have been executed`,
        { 'x-migrate-ambiguous': 'true' },
      );
    } else if (timeoutErrorCodes.has(code)) {
      sendError(res, 504, 'MIG_UPSTREAM_TIMEOUT', `${this.side} upstream timed out (${code})`);
    } else {
      sendError(
        res,
        502,
        'MIG_UPSTREAM_UNAVAILABLE',
        `${this.side} upstream failed: ${code}`,
        this.#everSent ? {} : { 'x-migrate-delivered': 'false' },
      );
    }
  }
}

/** True when the request carries a non-empty idempotency key (and the feature is on). */
export function hasIdempotencyKey(req: IncomingMessage, header: string): boolean {
  if (header === '') return false;
  const value = req.headers[header.toLowerCase()];
  return typeof value === 'string' ? value.trim() !== '' : Array.isArray(value) && value.length > 0;
}

function isStream(body: unknown): boolean {
  return body !== null && !Buffer.isBuffer(body);
}

/** Collects a whole upstream answer in memory, up to a limit (shadow copies; never sent to the client). */
export class CollectHandler implements Dispatcher.DispatchHandler {
  readonly #limit: number;
  readonly #done: (response: CapturedResponse | undefined, error?: string) => void;
  #chunks: Buffer[] | undefined = [];
  #size = 0;
  #response: CapturedResponse = { status: 0, headers: {}, body: undefined };

  constructor(limit: number, done: (response: CapturedResponse | undefined, error?: string) => void) {
    this.#limit = limit;
    this.#done = done;
  }

  onRequestStart(): void {
    // nothing to set up; present so undici uses this handler's non-deprecated interface
  }

  onResponseStart(_c: Dispatcher.DispatchController, statusCode: number, headers: IncomingHttpHeaders): void {
    this.#response = { status: statusCode, headers, body: undefined };
  }

  onResponseData(controller: Dispatcher.DispatchController, chunk: Buffer): void {
    this.#size += chunk.length;
    if (this.#chunks === undefined) return;
    if (this.#size > this.#limit) {
      // too large to compare: stop keeping it but still drain it so the connection is reused
      this.#chunks = undefined;
      return;
    }
    this.#chunks.push(chunk);
    void controller;
  }

  onResponseEnd(): void {
    if (this.#chunks !== undefined) this.#response.body = Buffer.concat(this.#chunks);
    this.#done(this.#response);
  }

  onResponseError(_c: Dispatcher.DispatchController | undefined, error: Error): void {
    this.#done(undefined, getErrorCode(error));
  }
}
