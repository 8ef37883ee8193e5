/**
 * `caps.http.fetch` in a component, over `wasi:http/outgoing-handler@0.2.10` and `wasi:http/types@0.2.10`, done
 * synchronously: the request is built, sent with `handle`, the future is blocked on and the whole body read before
 * the call returns, so the returned promise is already settled. The engine's own global `fetch` is not used: it
 * completes on the event loop, which an export does not run before it returns.
 *
 * Bodies are whole buffers (string, bytes, ArrayBuffer, URLSearchParams); redirects are not followed. A transport
 * failure (connection refused, the host denying the authority, a timeout) rejects with a `CapabilityError` naming
 * the wasi:http `error-code`; an HTTP error status is a response, as with `fetch`.
 */
import { CapabilityError } from './capabilities.ts';

/** The parts of the wasi:http 0.2.10 resources (as componentize-js exposes them) this file uses. */
interface Pollable {
  block(): void;
}
export interface InputStream {
  blockingRead(length: bigint): Uint8Array;
  [Symbol.dispose]?: () => void;
}
interface OutputStream {
  blockingWriteAndFlush(bytes: Uint8Array): void;
  [Symbol.dispose]?: () => void;
}
interface OutgoingBody {
  write(): OutputStream;
}
interface OutgoingRequest {
  setMethod(method: { tag: string; val?: string }): void;
  setScheme(scheme: { tag: string; val?: string } | undefined): void;
  setAuthority(authority: string | undefined): void;
  setPathWithQuery(path: string | undefined): void;
  body(): OutgoingBody;
}
interface IncomingResponse {
  status(): number;
  headers(): { entries(): [string, Uint8Array][] };
  consume(): { stream(): InputStream };
}
/** `future-incoming-response`: `get` is `option<result<result<incoming-response, error-code>>>`. */
interface FutureIncomingResponse {
  subscribe(): Pollable;
  get(): unknown;
}

/** `wasi:http/outgoing-handler@0.2.10`. */
export interface WitOutgoingHandler {
  handle(request: object, options: undefined): FutureIncomingResponse;
}

/** `wasi:http/types@0.2.10`: the resource classes an outgoing request needs. */
export interface WitHttpTypes {
  Fields: { fromList(entries: [string, Uint8Array][]): object };
  OutgoingRequest: new (headers: object) => object;
  OutgoingBody: { finish(body: object, trailers: undefined): void };
}

const encoder = new TextEncoder();
const decoder = new TextDecoder();
const METHODS = new Set(['get', 'head', 'post', 'put', 'delete', 'connect', 'options', 'trace', 'patch']);

function toWitMethod(method: string): { tag: string; val?: string } {
  const lower = method.toLowerCase();
  return METHODS.has(lower) ? { tag: lower } : { tag: 'other', val: method };
}

function toWitScheme(protocol: string): { tag: string; val?: string } {
  if (protocol === 'http:') return { tag: 'HTTP' };
  if (protocol === 'https:') return { tag: 'HTTPS' };
  return { tag: 'other', val: protocol.replace(/:$/, '') };
}

function headerEntries(headers: RequestInit['headers']): [string, string][] {
  if (headers === undefined) return [];
  if (Array.isArray(headers)) return headers.map(([k, v]) => [String(k), String(v)]);
  if (typeof (headers as Headers).forEach === 'function') {
    const entries: [string, string][] = [];
    (headers as Headers).forEach((value, key) => entries.push([key, value]));
    return entries;
  }
  return Object.entries(headers as Record<string, string>);
}

function bodyBytes(body: RequestInit['body']): Uint8Array | undefined {
  if (body === undefined || body === null) return undefined;
  if (typeof body === 'string') return encoder.encode(body);
  if (body instanceof Uint8Array) return body;
  if (body instanceof ArrayBuffer) return new Uint8Array(body);
  if (ArrayBuffer.isView(body)) return new Uint8Array(body.buffer, body.byteOffset, body.byteLength);
  if (typeof URLSearchParams === 'function' && body instanceof URLSearchParams)
    return encoder.encode(body.toString());
  throw new CapabilityError('http', 'only string, bytes and URLSearchParams bodies can be sent');
}

/** The text of a WIT variant (`{ tag: 'connection-refused' }` → `connection-refused`). */
function describeVariant(value: unknown): string {
  if (value !== null && typeof value === 'object' && 'tag' in value) {
    const { tag, val } = value as { tag: unknown; val?: unknown };
    const name = typeof tag === 'string' ? tag : JSON.stringify(tag);
    if (val === undefined || val === null) return name;
    return `${name}: ${typeof val === 'string' ? val : JSON.stringify(val, (_k, v: unknown) => (typeof v === 'bigint' ? String(v) : v))}`;
  }
  return typeof value === 'string' ? value : JSON.stringify(value);
}

/** Unwraps `get`'s `option<result<result<incoming-response, error-code>>>`; an `err` throws its reason. */
function unwrapResponse(value: unknown): IncomingResponse {
  let current = value;
  for (let depth = 0; depth < 2; depth += 1) {
    if (current === undefined || current === null)
      throw new CapabilityError('http', 'the response was not ready');
    const { tag, val } = current as { tag?: unknown; val?: unknown };
    if (tag === 'err') throw new CapabilityError('http', describeVariant(val));
    if (tag !== 'ok') break;
    current = val;
  }
  return current as IncomingResponse;
}

/** Everything a wasi:io input stream gives until it closes (also the incoming request body in component-http). */
export function readAll(stream: InputStream): Uint8Array {
  const chunks: Uint8Array[] = [];
  let size = 0;
  for (;;) {
    let chunk: Uint8Array;
    try {
      chunk = stream.blockingRead(65536n);
    } catch {
      break; // closed
    }
    chunks.push(chunk);
    size += chunk.length;
  }
  const all = new Uint8Array(size);
  let offset = 0;
  for (const chunk of chunks) {
    all.set(chunk, offset);
    offset += chunk.length;
  }
  return all;
}

/** What the service reads of a response; a `Response` where the engine has one. */
function createResponse(
  url: string,
  status: number,
  headers: [string, string][],
  body: Uint8Array,
): Response {
  const ResponseClass = (globalThis as { Response?: typeof Response }).Response;
  if (ResponseClass !== undefined) {
    const empty = status === 204 || status === 205 || status === 304;
    const init = (empty ? null : body) as unknown as ConstructorParameters<typeof Response>[0];
    return new ResponseClass(init, { status, headers });
  }
  const text = (): string => decoder.decode(body);
  const lower = headers.map(([k, v]): [string, string] => [k.toLowerCase(), v]);
  const minimal = {
    url,
    status,
    ok: status >= 200 && status < 300,
    statusText: '',
    redirected: false,
    headers: {
      get: (name: string) =>
        lower
          .filter(([k]) => k === name.toLowerCase())
          .map(([, v]) => v)
          .join(', ') || null,
      has: (name: string) => lower.some(([k]) => k === name.toLowerCase()),
      forEach: (fn: (value: string, key: string) => void) => lower.forEach(([k, v]) => fn(v, k)),
    },
    text: () => Promise.resolve(text()),
    json: () => Promise.resolve(JSON.parse(text()) as unknown),
    arrayBuffer: () => Promise.resolve(body.slice().buffer),
    bytes: () => Promise.resolve(body.slice()),
  };
  return minimal as unknown as Response;
}

/** Sends one request and reads the whole response, synchronously. Throws a `CapabilityError` on failure. */
function send(
  handler: WitOutgoingHandler,
  types: WitHttpTypes,
  input: string | URL,
  init: RequestInit,
): Response {
  const url = new URL(String(input));
  const body = bodyBytes(init.body);
  const entries = headerEntries(init.headers).map(([k, v]): [string, Uint8Array] => [
    k.toLowerCase(),
    encoder.encode(v),
  ]);
  const request = new types.OutgoingRequest(types.Fields.fromList(entries)) as OutgoingRequest;
  request.setMethod(toWitMethod(init.method ?? 'GET'));
  request.setScheme(toWitScheme(url.protocol));
  request.setAuthority(url.host);
  request.setPathWithQuery(`${url.pathname}${url.search}`);
  const outgoing = request.body();
  const future = handler.handle(request, undefined);
  const stream = outgoing.write();
  if (body !== undefined) {
    for (let offset = 0; offset < body.length; offset += 4096)
      stream.blockingWriteAndFlush(body.subarray(offset, offset + 4096));
  }
  stream[Symbol.dispose]?.();
  types.OutgoingBody.finish(outgoing, undefined);
  future.subscribe().block();
  const response = unwrapResponse(future.get());
  const status = response.status();
  const headers = response
    .headers()
    .entries()
    .map(([k, v]): [string, string] => [k, decoder.decode(v)]);
  const incoming = response.consume().stream();
  const bytes = readAll(incoming);
  incoming[Symbol.dispose]?.();
  return createResponse(url.href, status, headers, bytes);
}

/**
 * `caps.http.fetch` over the WIT imports, or a rejection naming what is missing. Never throws: every failure is a
 * rejected promise, so `try { await caps.http.fetch(…) } catch` sees it as it would see a failed `fetch`.
 */
export function createComponentFetch(
  handler: WitOutgoingHandler | undefined,
  types: WitHttpTypes | undefined,
): (input: string | URL, init?: RequestInit) => Promise<Response> {
  return (input, init = {}) => {
    if (handler === undefined || types === undefined)
      return Promise.reject(
        new CapabilityError('http', 'this component does not import wasi:http/outgoing-handler'),
      );
    try {
      return Promise.resolve(send(handler, types, input, init));
    } catch (error) {
      if (error instanceof CapabilityError) return Promise.reject(error);
      const payload = (error as { payload?: unknown } | null)?.payload;
      const reason =
        payload === undefined
          ? error instanceof Error
            ? error.message
            : String(error)
          : describeVariant(payload);
      return Promise.reject(new CapabilityError('http', reason, { cause: error }));
    }
  };
}
