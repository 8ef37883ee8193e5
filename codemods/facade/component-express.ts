/**
 * express inside a component: a component build resolves `express` to this file, so a service's own app (its
 * routers mounted with prefixes, middleware, error handlers, `express.json()`) answers the requests that reach the
 * component over wasi:http. It covers the part of express 5 services use for JSON APIs; `app.listen` records the
 * app (component-app.ts) instead of opening a socket. Part of the facade copied into a transformed service.
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

/* eslint-disable @typescript-eslint/no-explicit-any -- express's handlers take loosely typed req/res */
type Next = (error?: unknown) => void;
type Handler = (...args: any[]) => unknown;

interface Layer {
  /** Upper-case, or undefined for `use` (every method). */
  method: string | undefined;
  pattern: PathPattern;
  /** `use` mounts match a prefix and hand the rest of the path on. */
  prefix: boolean;
  handle: Handler;
}

export interface Request {
  method: string;
  url: string;
  originalUrl: string;
  path: string;
  baseUrl: string;
  query: Record<string, string | string[]>;
  params: Record<string, string>;
  headers: Record<string, string>;
  body: unknown;
  rawBody: Uint8Array;
  get(name: string): string | undefined;
  header(name: string): string | undefined;
  [key: string]: unknown;
}

export interface Response {
  statusCode: number;
  headersSent: boolean;
  locals: Record<string, unknown>;
  status(code: number): Response;
  set(name: string | Record<string, string>, value?: string): Response;
  header(name: string, value: string): Response;
  setHeader(name: string, value: string | number): Response;
  get(name: string): string | undefined;
  getHeader(name: string): string | undefined;
  type(type: string): Response;
  json(body: unknown): Response;
  send(body?: unknown): Response;
  end(body?: string | Uint8Array): Response;
  sendStatus(code: number): Response;
  [key: string]: unknown;
}

/** Reason phrases: `sendStatus`'s body, and what finalhandler prints for an error in production. */
const STATUS_TEXT: Record<number, string> = {
  200: 'OK',
  201: 'Created',
  204: 'No Content',
  400: 'Bad Request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not Found',
  405: 'Method Not Allowed',
  409: 'Conflict',
  413: 'Payload Too Large',
  415: 'Unsupported Media Type',
  422: 'Unprocessable Entity',
  500: 'Internal Server Error',
  502: 'Bad Gateway',
  503: 'Service Unavailable',
  504: 'Gateway Timeout',
};

function createResponse(done: (response: HttpResponse) => void): Response {
  const headers: Record<string, string> = {};
  const res: Response = {
    statusCode: 200,
    headersSent: false,
    locals: {},
    status(code) {
      res.statusCode = code;
      return res;
    },
    set(name, value) {
      if (typeof name === 'string') headers[name.toLowerCase()] = String(value);
      else for (const [k, v] of Object.entries(name)) headers[k.toLowerCase()] = v;
      return res;
    },
    header: (name, value) => res.set(name, value),
    setHeader: (name, value) => res.set(name, String(value)),
    get: (name) => headers[name.toLowerCase()],
    getHeader: (name) => headers[name.toLowerCase()],
    type(type) {
      return res.set(
        'content-type',
        type.includes('/') ? type : type === 'json' ? 'application/json' : 'text/html',
      );
    },
    json(body) {
      headers['content-type'] ??= 'application/json; charset=utf-8';
      return res.send(JSON.stringify(body));
    },
    send(body) {
      if (body === undefined || body === null) return res.end();
      if (typeof body === 'string') {
        headers['content-type'] ??= 'text/html; charset=utf-8';
        return res.end(body);
      }
      if (body instanceof Uint8Array) {
        headers['content-type'] ??= 'application/octet-stream';
        return res.end(body);
      }
      if (typeof body === 'number' || typeof body === 'boolean' || typeof body === 'object')
        return res.json(body);
      return res.end(typeof body === 'bigint' ? body.toString() : '');
    },
    end(body) {
      if (res.headersSent) return res;
      res.headersSent = true;
      const noBody = res.statusCode === 204 || res.statusCode === 304;
      done({ status: res.statusCode, headers, ...(noBody || body === undefined ? {} : { body }) });
      return res;
    },
    sendStatus(code) {
      return res
        .status(code)
        .type('text/plain')
        .send(STATUS_TEXT[code] ?? String(code));
    },
  };
  return res;
}

function createRequest(request: HttpRequest): Request {
  const url = request.query === '' ? request.path : `${request.path}?${request.query}`;
  const headers: Record<string, string> = {};
  for (const [k, v] of Object.entries(request.headers)) headers[k.toLowerCase()] = v;
  const get = (name: string): string | undefined => headers[name.toLowerCase()];
  return {
    method: request.method,
    url,
    originalUrl: url,
    path: request.path,
    baseUrl: '',
    query: parseQuery(request.query),
    params: {},
    headers,
    body: undefined,
    rawBody: request.body,
    get,
    header: get,
  };
}

export interface Router {
  (req: Request, res: Response, next: Next): void;
  use(...args: unknown[]): Router;
  all(path: string, ...handlers: Handler[]): Router;
  get(path: string, ...handlers: Handler[]): Router;
  post(path: string, ...handlers: Handler[]): Router;
  put(path: string, ...handlers: Handler[]): Router;
  patch(path: string, ...handlers: Handler[]): Router;
  delete(path: string, ...handlers: Handler[]): Router;
  head(path: string, ...handlers: Handler[]): Router;
  options(path: string, ...handlers: Handler[]): Router;
  route(path: string): Record<string, (...handlers: Handler[]) => unknown>;
}

export interface Express extends Router {
  listen(...args: unknown[]): { close(callback?: () => void): void };
  set(name: string, value: unknown): Express;
  enable(name: string): Express;
  disable(name: string): Express;
  /** Answers one request (the component entry calls it through component-app.ts). */
  handle: (request: HttpRequest) => Promise<HttpResponse>;
}

/** Runs a handler; a thrown error or a rejected promise goes to `next`, as in express 5. */
function invoke(handle: Handler, args: unknown[], next: Next): void {
  try {
    const result = handle(...args);
    if (result instanceof Promise) result.catch((error: unknown) => next(error ?? new Error('rejected')));
  } catch (error) {
    next(error);
  }
}

const METHODS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'] as const;

export function Router(): Router {
  const layers: Layer[] = [];
  const dispatch = (req: Request, res: Response, done: Next): void => {
    const path = req.path === '' ? '/' : req.path;
    let index = 0;
    const next: Next = (error) => {
      if (error === 'router' || error === 'route') return done();
      const layer = layers[index];
      index += 1;
      if (layer === undefined) return done(error);
      if (
        layer.method !== undefined &&
        layer.method !== req.method &&
        !(layer.method === 'GET' && req.method === 'HEAD')
      ) {
        return next(error);
      }
      const match = matchPath(layer.pattern, path);
      if (match === undefined) return next(error);
      const isErrorHandler = layer.handle.length === 4;
      if ((error !== undefined) !== isErrorHandler) return next(error);
      req.params = { ...req.params, ...match.params };
      if (!layer.prefix) {
        invoke(layer.handle, error === undefined ? [req, res, next] : [error, req, res, next], next);
        return;
      }
      // A mount: the layer sees the rest of the path, and the path is put back when it calls next.
      const saved = { path: req.path, url: req.url, baseUrl: req.baseUrl };
      const rest = path.slice(match.length) || '/';
      req.baseUrl = saved.baseUrl + path.slice(0, match.length);
      req.path = rest;
      req.url = rest + (req.url.includes('?') ? req.url.slice(req.url.indexOf('?')) : '');
      const restore: Next = (e) => {
        Object.assign(req, saved);
        next(e);
      };
      invoke(layer.handle, error === undefined ? [req, res, restore] : [error, req, res, restore], restore);
    };
    next();
  };
  const router = dispatch as Router;
  const add = (method: string | undefined, path: string, handlers: Handler[], prefix: boolean): void => {
    for (const handle of handlers.flat(Infinity)) {
      layers.push({ method, pattern: compilePath(path, prefix), prefix, handle });
    }
  };
  router.use = (...args: unknown[]) => {
    const path = typeof args[0] === 'string' ? (args.shift() as string) : '/';
    add(undefined, path, args as Handler[], true);
    return router;
  };
  router.all = (path, ...handlers) => {
    add(undefined, path, handlers, false);
    return router;
  };
  for (const method of METHODS) {
    router[method] = (path: string, ...handlers: Handler[]) => {
      add(method.toUpperCase(), path, handlers, false);
      return router;
    };
  }
  router.route = (path) => {
    const route: Record<string, (...handlers: Handler[]) => unknown> = {};
    for (const method of METHODS) {
      route[method] = (...handlers) => {
        add(method.toUpperCase(), path, handlers, false);
        return route;
      };
    }
    return route;
  };
  return router;
}

const HTML_ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * The page express's final handler (the finalhandler package) answers an unmatched route or an unhandled error
 * with, byte for byte, so `migrate verify` sees the same answer from the component as from the service in Node.
 * An error shows its status's reason phrase, as finalhandler does under NODE_ENV=production (the images set it):
 * the stack trace it shows otherwise names files that differ between the two anyway.
 */
export function finalHandlerPage(message: string): string {
  const body = message
    .replace(/[&<>"']/g, (c) => HTML_ESCAPES[c] ?? c)
    .replaceAll('\n', '<br>')
    .replaceAll('  ', ' &nbsp;');
  return `<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n<title>Error</title>\n</head>\n<body>\n<pre>${body}</pre>\n</body>\n</html>\n`;
}

function createApp(): Express {
  const router = Router();
  const app = router as Express;
  app.set = () => app;
  app.enable = () => app;
  app.disable = () => app;
  app.handle = (request) =>
    new Promise<HttpResponse>((resolve) => {
      const req = createRequest(request);
      const res = createResponse(resolve);
      router(req, res, (error) => {
        if (res.headersSent) return;
        if (error === undefined) {
          const pathname = req.originalUrl.split('?')[0] ?? req.path;
          res
            .status(404)
            .type('text/html')
            .send(finalHandlerPage(`Cannot ${req.method} ${pathname}`));
          return;
        }
        const given =
          (error as { status?: unknown; statusCode?: unknown }).status ??
          (error as { statusCode?: unknown }).statusCode;
        const status = typeof given === 'number' && given >= 400 && given <= 599 ? given : 500;
        res
          .status(status)
          .type('text/html')
          .send(finalHandlerPage(STATUS_TEXT[status] ?? describeError(error)));
      });
    });
  app.listen = (...args: unknown[]) => {
    setListeningApp(app.handle);
    const callback = args.find((arg) => typeof arg === 'function') as (() => void) | undefined;
    callback?.();
    return { close: (done?: () => void) => done?.() };
  };
  return app;
}

class HttpError extends Error {
  readonly status: number;
  constructor(status: number, message: string) {
    super(message);
    this.status = status;
  }
}

/** `express.json()`: parses a JSON body (by content type) into `req.body`; bad JSON is a 400. */
function json(): Handler {
  return (req: Request, _res: Response, next: Next) => {
    const type = req.headers['content-type'] ?? '';
    if (!/[/+]json\b/.test(type) || req.rawBody.length === 0) return next();
    try {
      req.body = JSON.parse(getBodyText({ body: req.rawBody } as HttpRequest));
      next();
    } catch (error) {
      next(new HttpError(400, describeError(error)));
    }
  };
}

/** `express.urlencoded()`: a form body into `req.body`. */
function urlencoded(): Handler {
  return (req: Request, _res: Response, next: Next) => {
    if ((req.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
      req.body = parseQuery(getBodyText({ body: req.rawBody } as HttpRequest));
    }
    next();
  };
}

const express = Object.assign(createApp, { Router, json, urlencoded });

export default express;
export { json, urlencoded };
