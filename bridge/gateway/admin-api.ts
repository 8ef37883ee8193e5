import { timingSafeEqual } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { z } from 'zod';
import { AppError, ErrorCode, isAppError } from '../../shared/errors.ts';
import type { Gateway } from './gateway.ts';
import { renderLivePage } from './live-page.ts';
import { renderMetrics } from './render-metrics.ts';

const maxAdminBody = 64 * 1024;

const weightBody = z
  .object({
    weight: z.number().min(0).max(100),
    force: z.boolean().optional(),
    reason: z.string().optional(),
  })
  .strict();
const shadowBody = z
  .object({ enabled: z.boolean(), sampleRate: z.number().min(0).max(1).optional() })
  .strict();
const rollbackBody = z.object({ reason: z.string().optional() }).strict();
const warmBody = z.object({ requests: z.number().int().min(0).max(1000).optional() }).strict();

function send(
  res: ServerResponse,
  status: number,
  document: unknown,
  headers: Record<string, string> = {},
): void {
  const body = JSON.stringify(document);
  res.writeHead(status, {
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
    'cache-control': 'no-store',
    ...headers,
  });
  res.end(body);
}

function sendError(res: ServerResponse, status: number, code: string, message: string, hint?: string): void {
  send(
    res,
    status,
    { error: { code, message, ...(hint === undefined ? {} : { hint }) } },
    status === 401 ? { 'www-authenticate': 'Bearer' } : {},
  );
}

function statusOf(error: AppError): number {
  if (error.code === ErrorCode.notFound) return 404;
  if (error.code === ErrorCode.unsupported) return 409;
  if (error.code === ErrorCode.input || error.code === ErrorCode.usage) return 400;
  return 500;
}

function isAuthorized(req: IncomingMessage, token: string): boolean {
  const header = req.headers.authorization ?? '';
  const given = Buffer.from(header.startsWith('Bearer ') ? header.slice(7) : '');
  const expected = Buffer.from(token);
  return given.length === expected.length && timingSafeEqual(given, expected);
}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req as AsyncIterable<Buffer>) {
    size += chunk.length;
    if (size > maxAdminBody)
      throw new AppError(ErrorCode.input, `request body larger than ${maxAdminBody} bytes`);
    chunks.push(chunk);
  }
  const text = Buffer.concat(chunks).toString('utf8');
  if (text.trim() === '') return {};
  try {
    return JSON.parse(text) as unknown;
  } catch {
    throw new AppError(ErrorCode.input, 'request body is not valid JSON', {
      hint: 'send a JSON object, e.g. {"weight": 10}',
    });
  }
}

function parseBody<T>(schema: z.ZodType<T>, value: unknown): T {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const where = issue.path.length === 0 ? 'body' : issue.path.join('.');
  throw new AppError(ErrorCode.input, `invalid request ${where}: ${issue.message}`);
}

/**
 * The admin plane. `GET /` (the live page) and `GET /healthz` are open; everything else needs
 * `Authorization: Bearer <token>`. Listens on loopback only (enforced by the config schema).
 */
export function handleAdminRequest(gateway: Gateway, req: IncomingMessage, res: ServerResponse): void {
  void routeAdmin(gateway, req, res).catch((error: unknown) => {
    if (res.headersSent) {
      res.destroy();
      return;
    }
    if (isAppError(error)) sendError(res, statusOf(error), error.code, error.message, error.hint);
    else sendError(res, 500, ErrorCode.internal, error instanceof Error ? error.message : String(error));
  });
}

async function routeAdmin(gateway: Gateway, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://admin');
  const method = req.method ?? 'GET';
  if (method === 'GET' && (url.pathname === '/' || url.pathname === '/index.html')) {
    const html = renderLivePage();
    res.writeHead(200, {
      'content-type': 'text/html; charset=utf-8',
      'content-length': Buffer.byteLength(html),
    });
    res.end(html);
    return;
  }
  if (method === 'GET' && url.pathname === '/healthz') return send(res, 200, { ok: true });
  if (!isAuthorized(req, gateway.adminToken)) {
    req.resume();
    return sendError(
      res,
      401,
      'MIG_UNAUTHORIZED',
      'missing or wrong bearer token',
      'send Authorization: Bearer <token> (MIGRATE_GATEWAY_TOKEN)',
    );
  }
  if (method === 'GET' && url.pathname === '/api/state') return send(res, 200, gateway.getState());
  if (method === 'GET' && url.pathname === '/metrics') {
    const text = renderMetrics(gateway.getRoutes());
    res.writeHead(200, {
      'content-type': 'text/plain; version=0.0.4',
      'content-length': Buffer.byteLength(text),
    });
    res.end(text);
    return;
  }
  if (method === 'GET' && url.pathname === '/api/events') {
    return send(res, 200, { schemaVersion: '1', events: gateway.events.recent(200) });
  }
  if (method === 'POST' && url.pathname === '/api/reload') {
    const ok = await gateway.reload('admin');
    return ok
      ? send(res, 200, { ok: true })
      : sendError(
          res,
          400,
          ErrorCode.config,
          'the config file was rejected; the running config is kept',
          'see the config.rejected event',
        );
  }
  const match = /^\/api\/routes\/([^/]+)\/(weight|shadow|rollback|warm)$/.exec(url.pathname);
  if (match !== null) {
    if (method !== 'POST') return sendError(res, 405, 'MIG_METHOD', `use POST for ${url.pathname}`);
    const name = decodeURIComponent(match[1]!);
    const body = await readJson(req);
    if (match[2] === 'warm') {
      const input = parseBody(warmBody, body);
      const warm = await gateway.warm(name, input.requests);
      const route = gateway.getState().routes.find((r) => r.name === name);
      return send(res, 200, { schemaVersion: '1', route, warm });
    }
    if (match[2] === 'weight') {
      const input = parseBody(weightBody, body);
      gateway.setWeight(name, input.weight, 'admin', {
        ...(input.force === undefined ? {} : { force: input.force }),
        ...(input.reason === undefined ? {} : { reason: input.reason }),
      });
    } else if (match[2] === 'shadow') {
      const input = parseBody(shadowBody, body);
      gateway.setShadow(name, input.enabled, input.sampleRate);
    } else {
      const input = parseBody(rollbackBody, body);
      gateway.rollback(name, 'admin', input.reason === undefined ? {} : { reason: input.reason });
    }
    const route = gateway.getState().routes.find((r) => r.name === name);
    return send(res, 200, { schemaVersion: '1', route });
  }
  req.resume();
  sendError(
    res,
    404,
    ErrorCode.notFound,
    `no admin endpoint ${method} ${url.pathname}`,
    'see docs/gateway.md for the admin API',
  );
}
