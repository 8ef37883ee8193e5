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
  MethodArgumentTypeMismatchException,
  MissingServletRequestParameterException,
  ResponseStatusException,
  httpStatusOf,
} from './spring-web.ts';
import type { Logger } from './logger.ts';

export interface RouteRequest {
  readonly method: string;
  readonly path: string;
  /** HttpServletRequest's `getRequestURI()`: the path as sent, without the query. */
  readonly requestURI: string;
  /** HttpServletRequest's `getQueryString()`: null when the URL has none. */
  readonly queryString: string | null;
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
  /** A Spring path pattern: `{id}`, `{id:\\d+}`, `*`, `**`, `{*rest}`. */
  readonly path: string;
  /** The mapping's `params` conditions; a route with conditions comes before one without. */
  readonly params?: readonly string[];
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
    throw new MethodArgumentTypeMismatchException(name, value);
  }
  return n;
}

/** One segment of a Spring path pattern; `{name:regex}` keeps its regular expression. */
type Segment =
  | { kind: 'literal'; text: string }
  | { kind: 'var'; name: string; regex: RegExp | undefined }
  | { kind: 'star' }
  | { kind: 'rest'; name: string | undefined };

const segmentCache = new Map<string, Segment[]>();

/** Spring's PathPattern syntax: `*` one segment, `**` and `{*name}` the rest, `{name}` and `{name:regex}`. */
function parsePattern(pattern: string): Segment[] {
  const cached = segmentCache.get(pattern);
  if (cached) return cached;
  const segments = pattern
    .split('/')
    .filter(Boolean)
    .map((text): Segment => {
      if (text === '*') return { kind: 'star' };
      if (text === '**') return { kind: 'rest', name: undefined };
      const variable = /^\{(\*)?([A-Za-z_$][\w$]*)(?::(.+))?\}$/.exec(text);
      if (variable?.[1] === '*') return { kind: 'rest', name: variable[2] };
      if (variable) {
        const regex = variable[3] === undefined ? undefined : new RegExp(`^(?:${variable[3]})$`);
        return { kind: 'var', name: variable[2] ?? '', regex };
      }
      return { kind: 'literal', text };
    });
  segmentCache.set(pattern, segments);
  return segments;
}

function matchSegments(
  want: readonly Segment[],
  got: readonly string[],
  params: Record<string, string>,
): boolean {
  const [head, ...tail] = want;
  if (head === undefined) return got.length === 0;
  if (head.kind === 'rest') {
    // `**` may match zero or more segments, also before other segments (Spring allows it only at the end,
    // where this is the same thing).
    for (let take = got.length; take >= 0; take--) {
      if (!matchSegments(tail, got.slice(take), params)) continue;
      if (head.name !== undefined)
        params[head.name] = '/' + got.slice(0, take).map(decodeURIComponent).join('/');
      return true;
    }
    return false;
  }
  const actual = got[0];
  if (actual === undefined) return false;
  if (head.kind === 'literal' && head.text !== actual) return false;
  if (head.kind === 'var') {
    const value = decodeURIComponent(actual);
    if (head.regex && !head.regex.test(value)) return false;
    params[head.name] = value;
  }
  return matchSegments(tail, got.slice(1), params);
}

/** The path variables when `path` matches the Spring path pattern, else undefined. */
export function matchPath(pattern: string, path: string): Record<string, string> | undefined {
  const params: Record<string, string> = {};
  return matchSegments(parsePattern(pattern), path.split('/').filter(Boolean), params) ? params : undefined;
}

/**
 * Spring's order among patterns that match one path: a catch-all (`**`) last, then fewer variables and
 * wildcards first (`/owners/new` before `/owners/{id}`), then the longer pattern.
 */
function comparePatterns(a: string, b: string): number {
  const weigh = (p: string): [number, number, number] => {
    const segments = parsePattern(p);
    const rest = segments.filter((s) => s.kind === 'rest').length;
    const vars = segments.filter((s) => s.kind === 'var').length;
    const stars = segments.filter((s) => s.kind === 'star').length;
    return [rest, vars + stars, -p.length];
  };
  const [x, y] = [weigh(a), weigh(b)];
  return x[0] - y[0] || x[1] - y[1] || x[2] - y[2];
}

/** `params = "name"`, `"!name"`, `"name=value"`, `"name!=value"`: the request's query must satisfy each. */
function matchesParams(conditions: readonly string[] | undefined, query: URLSearchParams): boolean {
  return (conditions ?? []).every((c) => {
    const [, not, name = '', op, value] = /^(!?)([^!=]+)(?:(!?=)(.*))?$/.exec(c.trim()) ?? [];
    if (op === undefined) return not === '!' ? !query.has(name) : query.has(name);
    return op === '=' ? query.get(name) === value : query.get(name) !== value;
  });
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
          // It writes a Map (`Map.of(…)`) as an object and a Set as an array; JSON alone would write `{}`.
          body: JSON.stringify(result.body, (_key, value: unknown) =>
            value === undefined
              ? null
              : value instanceof Map
                ? Object.fromEntries(value as Map<PropertyKey, unknown>)
                : value instanceof Set
                  ? [...(value as Set<unknown>)]
                  : value,
          ),
        };
  if (req.method === 'GET' && url.pathname === '/actuator/health')
    return send({ status: 200, body: { status: 'UP' } });
  const candidates = options.routes
    .flatMap((route) => {
      const params = matchPath(route.path, url.pathname);
      return params === undefined ? [] : [{ route, params }];
    })
    .sort(
      (a, b) =>
        comparePatterns(a.route.path, b.route.path) ||
        (b.route.params?.length ?? 0) - (a.route.params?.length ?? 0),
    );
  const found = candidates.find(
    (c) => c.route.method === req.method && matchesParams(c.route.params, url.searchParams),
  );
  if (found === undefined) {
    // Spring: a path and method that match but whose `params` conditions do not is a 400, not a 404
    const status = candidates.some((c) => c.route.method === req.method)
      ? 400
      : candidates.length > 0
        ? 405
        : 404;
    return send(springError(status, url.pathname));
  }
  const text = req.body;
  const request: RouteRequest = {
    method: req.method,
    path: url.pathname,
    requestURI: url.pathname,
    queryString: url.search === '' ? null : url.search.slice(1),
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
