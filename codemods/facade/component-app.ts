/**
 * The app a hand-written Node service serves, inside a component. The service's own entry still calls
 * `app.listen(…)` (express, fastify) or `server.listen(…)` (node:http); in a component build those modules are the
 * adapters next to this file, whose `listen` records the app here instead of opening a socket, and the generated
 * component entry hands every wasi:http request to it. Part of the facade copied into a transformed service.
 */
import type { HttpRequest, HttpResponse } from './component-http.ts';

/** Answers one request: the app's own routes, middleware and error handling. */
export type AppHandler = (request: HttpRequest) => Promise<HttpResponse>;

let listening: AppHandler | undefined;

/** Called by an adapter's `listen`: the last app that listens serves the component's requests. */
export function setListeningApp(handler: AppHandler): void {
  listening = handler;
}

/** The app that called `listen`; throws when the service's entry made none listen. */
export function getListeningAppOrThrow(): AppHandler {
  if (listening === undefined) {
    throw new Error(
      'the service entry ran but no app called listen(): the component has nothing to serve requests with',
    );
  }
  return listening;
}

const decoder = new TextDecoder();

/** The request body as text ('' when empty). */
export function getBodyText(request: HttpRequest): string {
  return decoder.decode(request.body);
}

/** The query string as an object: one value as a string, a repeated key as an array (Node's querystring). */
export function parseQuery(query: string): Record<string, string | string[]> {
  const out: Record<string, string | string[]> = {};
  for (const [key, value] of new URLSearchParams(query)) {
    const seen = out[key];
    out[key] = seen === undefined ? value : Array.isArray(seen) ? [...seen, value] : [seen, value];
  }
  return out;
}

/** A route path with `:name` parameters (and a trailing `*`) as a matcher. */
export interface PathPattern {
  names: string[];
  regex: RegExp;
}

/** `/carts/:cartId/items/:sku` → a regex; `prefix` matches the path and anything below it. */
export function compilePath(path: string, prefix: boolean): PathPattern {
  const names: string[] = [];
  const trimmed = path.length > 1 && path.endsWith('/') ? path.slice(0, -1) : path;
  const source = trimmed
    .split('/')
    .map((segment) => {
      if (segment === '*' || segment.startsWith('*')) {
        names.push(segment.length > 1 ? segment.slice(1) : '*');
        return '(.*)';
      }
      if (segment.startsWith(':')) {
        const optional = segment.endsWith('?');
        names.push(segment.slice(1, optional ? -1 : undefined));
        return optional ? '?([^/]*)' : '([^/]+)';
      }
      return segment.replace(/[.+?^${}()|[\]\\]/g, '\\$&');
    })
    .join('/');
  const body = source === '' || source === '/' ? '' : source;
  return { names, regex: new RegExp(prefix ? `^${body}(?=/|$)` : `^${body}/?$`, 'i') };
}

/** The parameters of `path` when it matches, with the matched part's length; undefined otherwise. */
export function matchPath(
  pattern: PathPattern,
  path: string,
): { params: Record<string, string>; length: number } | undefined {
  const match = pattern.regex.exec(path);
  if (match === null) return undefined;
  const params: Record<string, string> = {};
  pattern.names.forEach((name, i) => {
    const value = match[i + 1];
    if (value === undefined) return;
    try {
      params[name] = decodeURIComponent(value);
    } catch {
      params[name] = value;
    }
  });
  return { params, length: match[0].length };
}

/** A JSON body's text, or a readable message for an error response. */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
