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

/** The magnitude bound (2^bits-1) of Java's integer types; BigInteger has none. */
const INTEGER_BITS: Readonly<Record<string, number>> = {
  Long: 63,
  long: 63,
  AtomicLong: 63,
  Integer: 31,
  int: 31,
  AtomicInteger: 31,
  Short: 15,
  short: 15,
  Byte: 7,
  byte: 7,
};

/** Java's integer syntax as Spring's NumberUtils reads it: decimal, or hex with `0x`, `0X` or `#`. */
function parseJavaInteger(text: string, type: string): bigint | undefined {
  const match = /^([+-]?)(?:(0[xX]|#)([0-9a-fA-F]+)|(\d+))$/.exec(text);
  if (!match) return type === 'BigInteger' && /^[+-]?\d+$/.test(text) ? BigInt(text) : undefined;
  const magnitude = match[3] === undefined ? BigInt(match[4] ?? '') : BigInt(`0x${match[3]}`);
  const value = match[1] === '-' ? -magnitude : magnitude;
  const bits = INTEGER_BITS[type];
  if (bits === undefined) return value;
  const bound = 1n << BigInt(bits);
  return value < -bound || value >= bound ? undefined : value;
}

/** Java's decimal syntax (`Double.valueOf`, `new BigDecimal`), without hexadecimal floating point. */
function parseJavaDecimal(text: string, type: string): number | undefined {
  const floating = type === 'Double' || type === 'double' || type === 'Float' || type === 'float';
  if (floating && /^[+-]?(NaN|Infinity)$/.test(text)) return Number(text.replace(/^\+/, ''));
  const plain = floating ? text.replace(/[dDfF]$/, '') : text;
  return /^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?$/.test(plain) ? Number(plain) : undefined;
}

/**
 * A request value bound to a number parameter of Java type `type`, converted as Spring's StringToNumber converter
 * does (whitespace removed, range checked, hex for integers); a MethodArgumentTypeMismatchException (400) when it
 * does not convert: `abc`, `1.5` for a Long, a Long past its range.
 */
export function toNumber(value: string, name: string, type = 'Double'): number {
  const text = value.replace(/\s+/g, '');
  const n =
    type in INTEGER_BITS || type === 'BigInteger'
      ? parseJavaInteger(text, type)
      : parseJavaDecimal(text, type);
  if (n === undefined || text === '') throw new MethodArgumentTypeMismatchException(name, value, type);
  return Number(n);
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

/**
 * Spring Boot's default error body (BasicErrorController): timestamp, status, error and path. `message` is
 * left out, as Spring Boot leaves it out unless `server.error.include-message` is set.
 */
function springError(status: number, path: string): RouteResult {
  const error = httpStatusOf(status).reasonPhrase;
  return { status, body: { timestamp: new Date().toISOString(), status, error, path } };
}

/** Spring's answer when no advice handled the exception. */
function defaultErrorResult(error: unknown, path: string): RouteResult {
  if (error instanceof ResponseStatusException) return springError(error.statusCode.value, path);
  if (
    error instanceof HttpMessageNotReadableException ||
    error instanceof MethodArgumentNotValidException ||
    error instanceof MethodArgumentTypeMismatchException ||
    error instanceof MissingServletRequestParameterException
  )
    return springError(400, path);
  if (error instanceof HttpMediaTypeNotSupportedException) return springError(415, path);
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

/**
 * JSON.stringify's replacer for what Jackson writes differently: a null field as `null` (a ported DTO holds
 * undefined there, which JSON would drop), a Map as an object (`Map.of(...)` in the port is a Map), a Set as
 * an array.
 */
function writeAsJackson(_key: string, value: unknown): unknown {
  if (value === undefined) return null;
  if (value instanceof Map) return Object.fromEntries(value as Map<unknown, unknown>);
  if (value instanceof Set) return [...(value as Set<unknown>)];
  return value;
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
          body: JSON.stringify(result.body, writeAsJackson),
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
