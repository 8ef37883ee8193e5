/**
 * `node:http` servers inside a component: a component build resolves `node:http` (and `http`) to this file, so a
 * plain `createServer((req, res) => …)` handler answers the requests that reach the component over wasi:http.
 * `server.listen` records the handler (component-app.ts) instead of opening a socket. Part of the facade copied into
 * a transformed service.
 */
import type { HttpRequest, HttpResponse } from './component-http.ts';
import { describeError, setListeningApp } from './component-app.ts';

type Listener = (...args: any[]) => void; // eslint-disable-line @typescript-eslint/no-explicit-any

/** The part of `http.IncomingMessage` handlers read: method, url, headers and the body as events or chunks. */
export class IncomingMessage {
  readonly method: string;
  readonly url: string;
  readonly headers: Record<string, string>;
  readonly #body: Uint8Array;
  readonly #listeners = new Map<string, Listener[]>();
  #flowing = false;

  constructor(request: HttpRequest) {
    this.method = request.method;
    this.url = request.query === '' ? request.path : `${request.path}?${request.query}`;
    this.headers = {};
    for (const [k, v] of Object.entries(request.headers)) this.headers[k.toLowerCase()] = v;
    this.#body = request.body;
  }

  on(event: string, listener: Listener): this {
    this.#listeners.set(event, [...(this.#listeners.get(event) ?? []), listener]);
    if ((event === 'data' || event === 'end') && !this.#flowing) {
      this.#flowing = true;
      // Emitted after the handler has attached its listeners, as a socket's data would be.
      void Promise.resolve().then(() => {
        if (this.#body.length > 0) for (const l of this.#listeners.get('data') ?? []) l(this.#body);
        for (const l of this.#listeners.get('end') ?? []) l();
      });
    }
    return this;
  }

  once(event: string, listener: Listener): this {
    return this.on(event, listener);
  }

  setEncoding(): this {
    return this;
  }

  [Symbol.asyncIterator](): AsyncIterator<Uint8Array> {
    const chunks = this.#body.length > 0 ? [this.#body] : [];
    return {
      next: () => {
        const value = chunks.shift();
        return Promise.resolve(
          value === undefined ? { done: true, value: undefined } : { done: false, value },
        );
      },
    };
  }
}

const encoder = new TextEncoder();

/** The part of `http.ServerResponse` handlers write: status, headers, chunks and `end`. */
export class ServerResponse {
  statusCode = 200;
  headersSent = false;
  writableEnded = false;
  readonly #headers: Record<string, string> = {};
  readonly #chunks: Uint8Array[] = [];
  readonly #done: (response: HttpResponse) => void;

  constructor(done: (response: HttpResponse) => void) {
    this.#done = done;
  }

  setHeader(name: string, value: string | number | readonly string[]): this {
    this.#headers[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : String(value);
    return this;
  }

  getHeader(name: string): string | undefined {
    return this.#headers[name.toLowerCase()];
  }

  removeHeader(name: string): void {
    delete this.#headers[name.toLowerCase()];
  }

  writeHead(
    status: number,
    reason?: string | Record<string, string>,
    headers?: Record<string, string>,
  ): this {
    this.statusCode = status;
    const values = typeof reason === 'object' ? reason : headers;
    for (const [k, v] of Object.entries(values ?? {})) this.setHeader(k, v);
    this.headersSent = true;
    return this;
  }

  write(chunk: string | Uint8Array): boolean {
    this.#chunks.push(typeof chunk === 'string' ? encoder.encode(chunk) : chunk);
    return true;
  }

  end(chunk?: string | Uint8Array | (() => void)): this {
    if (this.writableEnded) return this;
    if (chunk !== undefined && typeof chunk !== 'function') this.write(chunk);
    this.writableEnded = true;
    this.headersSent = true;
    const size = this.#chunks.reduce((n, c) => n + c.length, 0);
    const body = new Uint8Array(size);
    let offset = 0;
    for (const c of this.#chunks) {
      body.set(c, offset);
      offset += c.length;
    }
    this.#done({ status: this.statusCode, headers: this.#headers, body });
    if (typeof chunk === 'function') chunk();
    return this;
  }
}

export interface Server {
  listen(...args: unknown[]): Server;
  close(callback?: () => void): Server;
  on(event: string, listener: Listener): Server;
  once(event: string, listener: Listener): Server;
  address(): { address: string; port: number; family: string };
}

export function createServer(...args: unknown[]): Server {
  const handler = args.find((arg) => typeof arg === 'function') as Listener | undefined;
  const handle = (request: HttpRequest): Promise<HttpResponse> =>
    new Promise<HttpResponse>((resolve) => {
      const res = new ServerResponse(resolve);
      try {
        handler?.(new IncomingMessage(request), res);
      } catch (error) {
        if (!res.writableEnded)
          res.writeHead(500, { 'content-type': 'text/plain' }).end(describeError(error));
      }
    });
  const server: Server = {
    listen(...listenArgs) {
      setListeningApp(handle);
      const callback = listenArgs.find((arg) => typeof arg === 'function') as (() => void) | undefined;
      callback?.();
      return server;
    },
    close(callback) {
      callback?.();
      return server;
    },
    on: () => server,
    once: () => server,
    address: () => ({ address: '127.0.0.1', port: 0, family: 'IPv4' }),
  };
  return server;
}

export const STATUS_CODES: Record<number, string> = {
  200: 'OK',
  404: 'Not Found',
  500: 'Internal Server Error',
};

export default { createServer, IncomingMessage, ServerResponse, STATUS_CODES };
