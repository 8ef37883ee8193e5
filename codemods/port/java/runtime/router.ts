/**
 * A tiny router: routes with `{name}` path variables, JSON bodies, and Spring's error behaviour for what the
 * framework itself rejects (no route, malformed JSON, missing parameters). `handleRequest` needs no node:http
 * (a WebAssembly component's HTTP adapter calls it); `createRouterServer` serves it on node:http, which is
 * loaded only when called so bundles without Node built-ins can import this file.
 */
import type { IncomingHttpHeaders, IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  HttpMediaTypeNotSupportedException,
  HttpMessageNotReadableException,
  MethodArgumentNotValidException,
  MissingServletRequestParameterException,
  ResponseStatusException,
  httpStatusOf,
} from './spring-web.ts';
import type { Logger } from './logger.ts';

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  readonly params: Readonly<Record<string, string>>;
  readonly query: URLSearchParams;
  readonly headers: IncomingHttpHeaders;
  /** The parsed JSON body; throws HttpMessageNotReadableException or HttpMediaTypeNotSupportedException. */
  json(): unknown;
}

/** What a handler answers. `ResponseEntity` has this shape. */
export interface RouteResult {
  readonly status: number;
  readonly body: unknown;
}

export interface Route {
  readonly method: 'GET' | 'POST' | 'PUT' | 'PATCH' | 'DELETE';
  readonly path: string;
  handle(request: RouteRequest): Promise<RouteResult>;
}

/** Maps an exception to a response, like a `@RestControllerAdvice`; `undefined` when it has no handler. */
export type ErrorHandler = (error: unknown) => RouteResult | undefined | Promise<RouteResult | undefined>;

/** `@RequestParam String name` (required). */
export function requireQuery(request: RouteRequest, name: string, type = 'String'): string {
  const value = request.query.get(name);
  if (value === null) throw new MissingServletRequestParameterException(name, type);
  return value;
}

/** `@RequestParam List<String> name` (required): repeated and comma-separated values, as Spring binds them. */
export function requireQueryList(request: RouteRequest, name: string, type = 'List'): string[] {
  const values = request.query.getAll(name);
  if (values.length === 0) throw new MissingServletRequestParameterException(name, type);
  return values.flatMap((v) => v.split(','));
}

/** A request value bound to a number parameter; 400 when it is not one. */
export function toNumber(value: string, name: string): number {
  const n = Number(value);
  if (value.trim() === '' || Number.isNaN(n)) {
    throw new ResponseStatusException(httpStatusOf(400), `Failed to convert '${name}' with value '${value}'`);
  }
  return n;
}

function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const want = pattern.split('/').filter(Boolean);
  const got = path.split('/').filter(Boolean);
  if (want.length !== got.length) return undefined;
  const params: Record<string, string> = {};
  for (const [i, segment] of want.entries()) {
    const actual = got[i] ?? '';
    if (segment.startsWith('{') && segment.endsWith('}'))
      params[segment.slice(1, -1)] = decodeURIComponent(actual);
    else if (segment !== actual) return undefined;
  }
  return params;
}

function springError(status: number, path: string, message?: string): RouteResult {
  const error = httpStatusOf(status).reasonPhrase;
  return {
    status,
    body: { timestamp: new Date().toISOString(), status, error, ...(message ? { message } : {}), path },
  };
}

/** Spring's answer when no advice handled the exception. */
function defaultErrorResult(error: unknown, path: string): RouteResult {
  if (error instanceof ResponseStatusException)
    return springError(error.statusCode.value, path, error.reason);
  if (error instanceof HttpMessageNotReadableException) return springError(400, path, error.message);
  if (error instanceof MethodArgumentNotValidException) return springError(400, path, error.message);
  if (error instanceof MissingServletRequestParameterException) return springError(400, path, error.message);
  if (error instanceof HttpMediaTypeNotSupportedException) return springError(415, path, error.message);
  return springError(500, path);
}

async function readBody(request: IncomingMessage): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of request) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

export interface ServerOptions {
  routes: readonly Route[];
  onError?: ErrorHandler;
  log: Logger;
}

/** A request as any HTTP front end sees it: `url` is the path with its query string. */
export interface PlainRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: IncomingHttpHeaders;
  readonly body: string;
}

/** The answer to a `PlainRequest`; `body` is undefined for an empty response. */
export interface PlainResponse {
  readonly status: number;
  readonly headers: Readonly<Record<string, string>>;
  readonly body: string | undefined;
}

/** Creates the HTTP server; `/actuator/health` answers UP as Spring Boot Actuator did. */
export function createRouterServer(options: ServerOptions): Server {
  const { createServer } = process.getBuiltinModule('node:http');
  return createServer((req, res) => {
    void serve(options, req, res);
  });
}

async function serve(options: ServerOptions, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const response = await handleRequest(options, {
    method: req.method ?? 'GET',
    url: req.url ?? '/',
    headers: req.headers,
    body: await readBody(req),
  });
  res.writeHead(response.status, response.headers).end(response.body);
}

/** Routes one request and answers it; never rejects (errors become Spring-style error responses). */
export async function handleRequest(options: ServerOptions, req: PlainRequest): Promise<PlainResponse> {
  const url = new URL(req.url, 'http://localhost');
  const send = (result: RouteResult): PlainResponse =>
    result.body === undefined
      ? { status: result.status, headers: {}, body: undefined }
      : {
          status: result.status,
          headers: { 'content-type': 'application/json' },
          // Jackson writes a null field as `null`; a ported DTO holds undefined there, which JSON would drop.
          body: JSON.stringify(result.body, (_key, value: unknown) => (value === undefined ? null : value)),
        };
  if (req.method === 'GET' && url.pathname === '/actuator/health')
    return send({ status: 200, body: { status: 'UP' } });
  const candidates = options.routes.flatMap((route) => {
    const params = matchPath(route.path, url.pathname);
    return params === undefined ? [] : [{ route, params }];
  });
  const found = candidates.find((c) => c.route.method === req.method);
  if (found === undefined) return send(springError(candidates.length > 0 ? 405 : 404, url.pathname));
  const text = req.body;
  const request: RouteRequest = {
    method: req.method,
    path: url.pathname,
    params: found.params,
    query: url.searchParams,
    headers: req.headers,
    json() {
      const contentType = req.headers['content-type'] ?? '';
      if (!/^application\/(.+\+)?json\b/i.test(contentType))
        throw new HttpMediaTypeNotSupportedException(contentType);
      if (text.trim() === '') throw new HttpMessageNotReadableException('Required request body is missing');
      try {
        return JSON.parse(text) as unknown;
      } catch (error) {
        throw new HttpMessageNotReadableException('JSON parse error', { cause: error });
      }
    },
  };
  try {
    return send(await found.route.handle(request));
  } catch (error) {
    try {
      const handled = await options.onError?.(error);
      if (handled === undefined && !(error instanceof Error && /Exception$/.test(error.name))) {
        options.log.error('Request {} {} failed', req.method, url.pathname, error);
      }
      return send(handled ?? defaultErrorResult(error, url.pathname));
    } catch (adviceError) {
      options.log.error('Exception handler failed', adviceError);
      return send(springError(500, url.pathname));
    }
  }
}

/** Listens on 127.0.0.1:`port` (0 for any) and resolves with the port. */
export async function listen(server: Server, port: number, host = '0.0.0.0'): Promise<number> {
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => resolve());
  });
  return (server.address() as AddressInfo).port;
}
