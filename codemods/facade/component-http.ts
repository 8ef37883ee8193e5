/**
 * Guest side of `wasi:http/incoming-handler@0.2.10`: reads a request from the raw wasi:http resources, writes a
 * response, and `createIncomingHandler` turns a plain `(request) → response` function into the `incomingHandler`
 * export a component built by componentize-js needs (a hand-written export, so one instance serves many requests).
 */
import {
  Fields as WitFields,
  OutgoingBody as WitOutgoingBody,
  OutgoingResponse as WitOutgoingResponse,
  ResponseOutparam as WitResponseOutparam,
  // @ts-expect-error: WIT import, resolved by componentize-js
} from 'wasi:http/types@0.2.10';
import { readAll, type InputStream } from './component-fetch.ts';

/** The parts of the wasi:http 0.2.10 resources (as componentize-js exposes them) this file uses. */
interface OutputStream {
  blockingWriteAndFlush(bytes: Uint8Array): void;
  [Symbol.dispose]?: () => void;
}
/** `incoming-request`. */
export interface WitIncomingRequest {
  method(): string | { tag: string; val?: string };
  pathWithQuery(): string | undefined;
  headers(): { entries(): [string, Uint8Array][] };
  consume(): { stream(): InputStream };
}
/** `response-outparam`. */
export type WitResponseOutparam = object;
interface OutgoingBodyResource {
  write(): OutputStream;
}
interface OutgoingResponseResource {
  setStatusCode(status: number): void;
  body(): OutgoingBodyResource;
}

/* eslint-disable @typescript-eslint/no-unsafe-assignment -- the WIT imports are untyped; these give them types */
const Fields: { fromList(entries: [string, Uint8Array][]): object } = WitFields;
const OutgoingBody: { finish(body: OutgoingBodyResource, trailers: undefined): void } = WitOutgoingBody;
const OutgoingResponse: new (headers: object) => OutgoingResponseResource = WitOutgoingResponse;
const ResponseOutparam: {
  set(out: WitResponseOutparam, response: { tag: 'ok'; val: OutgoingResponseResource }): void;
} = WitResponseOutparam;
/* eslint-enable @typescript-eslint/no-unsafe-assignment */

export interface GuestRequest {
  /** Lower-case, as wasi:http names methods (`get`, `post`, …). */
  method: string;
  /** Path with the query string. */
  path: string;
  headers: [string, string][];
  body: Uint8Array;
}

/** What a request handler receives: the method upper-case, the path and the query apart. */
export interface HttpRequest {
  method: string;
  path: string;
  /** The query string without `?` ('' when none). */
  query: string;
  headers: Record<string, string>;
  body: Uint8Array;
}

export interface HttpResponse {
  status: number;
  headers?: Record<string, string>;
  body?: string | Uint8Array;
}

export type HttpHandler = (request: HttpRequest) => HttpResponse | Promise<HttpResponse>;

const decoder = new TextDecoder();
const encoder = new TextEncoder();

export function readRequest(request: WitIncomingRequest): GuestRequest {
  const method = request.method();
  const path = request.pathWithQuery() ?? '/';
  const headers = request
    .headers()
    .entries()
    .map(([k, v]): [string, string] => [k, decoder.decode(v)]);
  const all = readAll(request.consume().stream());
  return { method: typeof method === 'string' ? method : method.tag, path, headers, body: all };
}

export function text(bytes: Uint8Array): string {
  return decoder.decode(bytes);
}

/** Writes a response with one content-type header (compatibility shape of the host test fixtures). */
export function respond(
  out: WitResponseOutparam,
  status: number,
  body: string,
  contentType = 'application/json',
): void {
  writeResponse(out, { status, headers: { 'content-type': contentType }, body });
}

export function writeResponse(out: WitResponseOutparam, response: HttpResponse): void {
  const headers = Fields.fromList(
    Object.entries(response.headers ?? {}).map(([k, v]) => [k.toLowerCase(), encoder.encode(v)]),
  );
  const outgoing = new OutgoingResponse(headers);
  outgoing.setStatusCode(response.status);
  const outBody = outgoing.body();
  ResponseOutparam.set(out, { tag: 'ok', val: outgoing });
  const stream = outBody.write();
  const bytes =
    typeof response.body === 'string' ? encoder.encode(response.body) : (response.body ?? new Uint8Array());
  for (let offset = 0; offset < bytes.length; offset += 4096) {
    stream.blockingWriteAndFlush(bytes.subarray(offset, offset + 4096));
  }
  stream[Symbol.dispose]?.();
  OutgoingBody.finish(outBody, undefined);
}

const errorBody = (error: unknown): string =>
  JSON.stringify({ error: String((error as Error)?.message ?? error) });

export function handleSafely(out: WitResponseOutparam, fn: () => void): void {
  try {
    fn();
  } catch (error) {
    respond(out, 500, errorBody(error));
  }
}

/** The request as a handler sees it. */
export function toHttpRequest(request: GuestRequest): HttpRequest {
  const q = request.path.indexOf('?');
  const headers: Record<string, string> = {};
  for (const [k, v] of request.headers) headers[k] = k in headers ? `${headers[k]}, ${v}` : v;
  return {
    method: request.method.toUpperCase(),
    path: q === -1 ? request.path : request.path.slice(0, q),
    query: q === -1 ? '' : request.path.slice(q + 1),
    headers,
    body: request.body,
  };
}

/**
 * The `incomingHandler` export for a handler. An async handler works when every await settles without the host
 * (the component facade's capabilities return settled promises): the response is written once the promise settles.
 * Nothing escapes the export (an exception would trap the instance): failures answer 500.
 */
export function createIncomingHandler(handler: HttpHandler): {
  handle(request: WitIncomingRequest, out: WitResponseOutparam): void;
} {
  return {
    handle(request, out) {
      handleSafely(out, () => {
        const result = handler(toHttpRequest(readRequest(request)));
        if (!(result instanceof Promise)) {
          writeResponse(out, result);
          return;
        }
        result.then(
          (response) => {
            try {
              writeResponse(out, response);
            } catch (error) {
              respond(out, 500, errorBody(error));
            }
          },
          (error: unknown) => respond(out, 500, errorBody(error)),
        );
      });
    },
  };
}
