/**
 * fastify inside a component: a component build resolves `fastify` to this file, so a service's own instance
 * (routes, plugins registered with a `prefix`, hooks, error and not-found handlers) answers the requests that reach
 * the component over wasi:http. It covers the part of fastify 5 JSON APIs use; `listen` records the instance
 * (component-app.ts) instead of opening a socket. Part of the facade copied into a transformed service.
 */
import type { HttpRequest, HttpResponse } from './component-http.ts';
import {
  compilePath,
  describeError,
  getBodyText,
  matchPath,
  parseQuery,
  setListeningApp,
  type PathPattern,
} from './component-app.ts';

/* eslint-disable @typescript-eslint/no-explicit-any -- fastify's handlers take loosely typed request/reply */
type RouteHandler = (request: FastifyRequest, reply: FastifyReply) => unknown;
type Hook = (request: FastifyRequest, reply: FastifyReply) => unknown;
type ErrorHandler = (error: any, request: FastifyRequest, reply: FastifyReply) => unknown;

interface Route {
  methods: string[];
  pattern: PathPattern;
  handler: RouteHandler;
}

export interface FastifyRequest {
  method: string;
  url: string;
  params: any;
  query: any;
  body: any;
  headers: Record<string, string>;
  log: Record<'info' | 'warn' | 'error' | 'debug', (...args: unknown[]) => void>;
  [key: string]: unknown;
}

export interface FastifyReply {
  statusCode: number;
  sent: boolean;
  code(status: number): FastifyReply;
  status(status: number): FastifyReply;
  header(name: string, value: string): FastifyReply;
  headers(values: Record<string, string>): FastifyReply;
  getHeader(name: string): string | undefined;
  type(type: string): FastifyReply;
  send(payload?: unknown): FastifyReply;
  [key: string]: unknown;
}

interface Shared {
  routes: Route[];
  hooks: Hook[];
  errorHandler: ErrorHandler | undefined;
  notFound: RouteHandler | undefined;
}

export interface FastifyInstance {
  prefix: string;
  get(path: string, ...rest: unknown[]): FastifyInstance;
  post(path: string, ...rest: unknown[]): FastifyInstance;
  put(path: string, ...rest: unknown[]): FastifyInstance;
  patch(path: string, ...rest: unknown[]): FastifyInstance;
  delete(path: string, ...rest: unknown[]): FastifyInstance;
  head(path: string, ...rest: unknown[]): FastifyInstance;
  options(path: string, ...rest: unknown[]): FastifyInstance;
  all(path: string, ...rest: unknown[]): FastifyInstance;
  route(options: { method: string | string[]; url: string; handler: RouteHandler }): FastifyInstance;
  register(plugin: unknown, options?: { prefix?: string }): FastifyInstance;
  addHook(name: string, hook: Hook): FastifyInstance;
  decorate(name: string, value: unknown): FastifyInstance;
  decorateRequest(name: string, value: unknown): FastifyInstance;
  decorateReply(name: string, value: unknown): FastifyInstance;
  setErrorHandler(handler: ErrorHandler): FastifyInstance;
  setNotFoundHandler(handler: RouteHandler): FastifyInstance;
  ready(): Promise<void>;
  close(): Promise<void>;
  listen(...args: unknown[]): Promise<string>;
  log: FastifyRequest['log'];
  /** Answers one request (the component entry calls it through component-app.ts). */
  handle: (request: HttpRequest) => Promise<HttpResponse>;
  [key: string]: unknown;
}

const ALL_METHODS = ['GET', 'POST', 'PUT', 'PATCH', 'DELETE', 'HEAD', 'OPTIONS'];
const REASONS: Record<number, string> = {
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  409: 'Conflict',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
};

const noLog = {
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
  debug: () => undefined,
};

function createReply(done: (response: HttpResponse) => void): FastifyReply {
  const headers: Record<string, string> = {};
  const reply: FastifyReply = {
    statusCode: 200,
    sent: false,
    code(status) {
      reply.statusCode = status;
      return reply;
    },
    status: (status) => reply.code(status),
    header(name, value) {
      headers[name.toLowerCase()] = String(value);
      return reply;
    },
    headers(values) {
      for (const [k, v] of Object.entries(values)) reply.header(k, v);
      return reply;
    },
    getHeader: (name) => headers[name.toLowerCase()],
    type: (type) => reply.header('content-type', type),
    send(payload) {
      if (reply.sent) return reply;
      reply.sent = true;
      let body: string | Uint8Array | undefined;
      if (payload instanceof Uint8Array) body = payload;
      else if (typeof payload === 'string') {
        headers['content-type'] ??= 'text/plain; charset=utf-8';
        body = payload;
      } else if (payload !== undefined && payload !== null) {
        headers['content-type'] ??= 'application/json; charset=utf-8';
        body = JSON.stringify(payload);
      }
      const noBody = reply.statusCode === 204 || reply.statusCode === 304;
      done({ status: reply.statusCode, headers, ...(noBody || body === undefined ? {} : { body }) });
      return reply;
    },
  };
  return reply;
}

class FastifyHttpError extends Error {
  readonly statusCode: number;
  readonly code: string;
  constructor(statusCode: number, code: string, message: string) {
    super(message);
    this.statusCode = statusCode;
    this.code = code;
  }
}

function parseBody(request: HttpRequest): unknown {
  const type = (request.headers['content-type'] ?? '').toLowerCase();
  if (request.body.length === 0) {
    if (type.includes('json') && request.method !== 'GET' && request.method !== 'DELETE') {
      throw new FastifyHttpError(
        400,
        'FST_ERR_CTP_EMPTY_JSON_BODY',
        "Body cannot be empty when content-type is set to 'application/json'",
      );
    }
    return undefined;
  }
  const text = getBodyText(request);
  if (type.includes('json')) {
    try {
      return JSON.parse(text);
    } catch (error) {
      throw new FastifyHttpError(400, 'FST_ERR_CTP_INVALID_JSON_BODY', describeError(error));
    }
  }
  if (type.startsWith('text/') || type === '') return text;
  throw new FastifyHttpError(415, 'FST_ERR_CTP_INVALID_MEDIA_TYPE', `Unsupported Media Type: ${type}`);
}

function defaultError(error: unknown, reply: FastifyReply): void {
  const status = (error as { statusCode?: unknown }).statusCode;
  const code = typeof status === 'number' && status >= 400 ? status : 500;
  reply.code(code).send({
    statusCode: code,
    ...(typeof (error as { code?: unknown }).code === 'string'
      ? { code: (error as { code: string }).code }
      : {}),
    error: REASONS[code] ?? 'Error',
    message: describeError(error),
  });
}

async function answer(
  shared: Shared,
  request: HttpRequest,
  req: FastifyRequest,
  reply: FastifyReply,
): Promise<void> {
  const method = request.method === 'HEAD' ? 'GET' : request.method;
  let params: Record<string, string> | undefined;
  const route = shared.routes.find((r) => {
    if (!r.methods.includes(method)) return false;
    params = matchPath(r.pattern, request.path)?.params;
    return params !== undefined;
  });
  try {
    if (route === undefined) {
      if (shared.notFound !== undefined) {
        const result = await shared.notFound(req, reply);
        if (!reply.sent && result !== reply) reply.send(result);
      } else {
        reply.code(404).send({
          message: `Route ${request.method}:${req.url} not found`,
          error: 'Not Found',
          statusCode: 404,
        });
      }
      return;
    }
    req.params = params ?? {};
    req.body = parseBody(request);
    for (const hook of shared.hooks) {
      await hook(req, reply);
      if (reply.sent) return;
    }
    const result = await route.handler(req, reply);
    if (!reply.sent && result !== reply && result !== undefined) reply.send(result);
  } catch (error) {
    if (reply.sent) return;
    if (shared.errorHandler === undefined) return defaultError(error, reply);
    try {
      const result = await shared.errorHandler(error, req, reply);
      if (!reply.sent && result !== reply && result !== undefined) reply.send(result);
    } catch (again) {
      defaultError(again, reply);
    }
  }
}

function createInstance(shared: Shared, prefix: string): FastifyInstance {
  const add = (methods: string[], path: string, rest: unknown[]): FastifyInstance => {
    const handler = (
      typeof rest[0] === 'function' ? rest[0] : (rest[1] ?? (rest[0] as { handler?: unknown })?.handler)
    ) as RouteHandler;
    const full = prefix + (path === '/' && prefix !== '' ? '' : path);
    shared.routes.push({ methods, pattern: compilePath(full === '' ? '/' : full, false), handler });
    return instance;
  };
  const instance = {
    prefix,
    log: noLog,
    route: (options: { method: string | string[]; url: string; handler: RouteHandler }) =>
      add(
        (Array.isArray(options.method) ? options.method : [options.method]).map((m) => m.toUpperCase()),
        options.url,
        [options.handler],
      ),
    all: (path: string, ...rest: unknown[]) => add(ALL_METHODS, path, rest),
    register(plugin: unknown, options: { prefix?: string } = {}) {
      const child = createInstance(shared, prefix + (options.prefix ?? ''));
      const fn = (plugin as { default?: unknown }).default ?? plugin;
      if (typeof fn === 'function') {
        const result: unknown = (fn as (i: FastifyInstance, o: unknown, done: () => void) => unknown)(
          child,
          options,
          () => undefined,
        );
        if (result instanceof Promise) result.catch(() => undefined);
      }
      return instance;
    },
    addHook(name: string, hook: Hook) {
      if (name === 'onRequest' || name === 'preHandler' || name === 'preValidation') shared.hooks.push(hook);
      return instance;
    },
    decorate(name: string, value: unknown) {
      (instance as Record<string, unknown>)[name] = value;
      return instance;
    },
    decorateRequest: () => instance,
    decorateReply: () => instance,
    setErrorHandler(handler: ErrorHandler) {
      shared.errorHandler = handler;
      return instance;
    },
    setNotFoundHandler(handler: RouteHandler) {
      shared.notFound = handler;
      return instance;
    },
    ready: () => Promise.resolve(),
    close: () => Promise.resolve(),
    handle: (request: HttpRequest) =>
      new Promise<HttpResponse>((resolve) => {
        const url = request.query === '' ? request.path : `${request.path}?${request.query}`;
        const headers: Record<string, string> = {};
        for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
        const req: FastifyRequest = {
          method: request.method,
          url,
          params: {},
          query: parseQuery(request.query),
          body: undefined,
          headers,
          log: noLog,
        };
        const reply = createReply(resolve);
        answer(shared, { ...request, headers }, req, reply).catch((error: unknown) =>
          defaultError(error, reply),
        );
      }),
    listen(...args: unknown[]) {
      setListeningApp(instance.handle);
      const callback = args.find((arg) => typeof arg === 'function') as
        ((error: null, address: string) => void) | undefined;
      callback?.(null, 'wasi:http');
      return Promise.resolve('wasi:http');
    },
  } as unknown as FastifyInstance;
  for (const method of ALL_METHODS) {
    (instance as Record<string, unknown>)[method.toLowerCase()] = (path: string, ...rest: unknown[]) =>
      add([method], path, rest);
  }
  return instance;
}

/** `Fastify(options)`: a new instance; options (logger, …) are accepted and ignored. */
export default function Fastify(_options?: unknown): FastifyInstance {
  return createInstance({ routes: [], hooks: [], errorHandler: undefined, notFound: undefined }, '');
}

export { Fastify as fastify };
