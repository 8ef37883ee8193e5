import { once } from 'node:events';
import type { AddressInfo } from 'node:net';
import realExpress from 'express';
import { describe, expect, it } from 'vitest';
import { getListeningAppOrThrow } from '../../../codemods/facade/component-app.ts';
import express, { type Request, type Response } from '../../../codemods/facade/component-express.ts';
import Fastify, {
  type FastifyInstance,
  type FastifyReply,
  type FastifyRequest,
} from '../../../codemods/facade/component-fastify.ts';
import { createServer } from '../../../codemods/facade/component-node-http.ts';
import type { HttpRequest } from '../../../codemods/facade/component-http.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

function request(method: string, url: string, body?: unknown): HttpRequest {
  const q = url.indexOf('?');
  return {
    method,
    path: q === -1 ? url : url.slice(0, q),
    query: q === -1 ? '' : url.slice(q + 1),
    headers: body === undefined ? {} : { 'content-type': 'application/json' },
    body: body === undefined ? new Uint8Array() : encoder.encode(JSON.stringify(body)),
  };
}

async function call(method: string, url: string, body?: unknown): Promise<{ status: number; body: string }> {
  const response = await getListeningAppOrThrow()(request(method, url, body));
  const text =
    typeof response.body === 'string' ? response.body : decoder.decode(response.body ?? new Uint8Array());
  return { status: response.status, body: text };
}

describe('server adapters a component serves a hand-written app through', () => {
  it('express: a router mounted with a prefix, params, query, json bodies, error middleware and 404', async () => {
    const app = express();
    app.use(express.json());
    const items = express.Router();
    items.get('/:id', (req: Request, res: Response) =>
      res.json({ id: req.params.id, q: req.query.q, base: req.baseUrl }),
    );
    items.post('/', (req: Request, res: Response) => res.status(201).json(req.body));
    items.get('/boom/now', () => Promise.reject(new Error('boom')));
    app.use('/api/items', items);
    app.use(
      (error: Error, _req: unknown, res: { status(n: number): { json(b: unknown): void } }, _next: unknown) =>
        res.status(502).json({ message: error.message }),
    );
    app.listen(3000);
    expect(await call('GET', '/api/items/a%20b?q=1')).toEqual({
      status: 200,
      body: '{"id":"a b","q":"1","base":"/api/items"}',
    });
    expect(await call('POST', '/api/items', { n: 1 })).toEqual({ status: 201, body: '{"n":1}' });
    expect(await call('GET', '/api/items/boom/now')).toEqual({ status: 502, body: '{"message":"boom"}' });
    expect((await call('GET', '/elsewhere')).status).toBe(404);
  });

  it('express: an unmatched route and an unhandled error answer the page real express answers, byte for byte', async () => {
    const handlers = (app: { get: (path: string, handler: () => never) => unknown }) =>
      app.get('/boom', () => {
        throw Object.assign(new Error('no <stock>'), { status: 409 });
      });
    const previous = process.env.NODE_ENV;
    process.env.NODE_ENV = 'production'; // express reads it when the app is made, as the images set it
    const real = realExpress();
    handlers(real);
    const server = real.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    try {
      const fromNode = async (path: string) => {
        const response = await fetch(`http://127.0.0.1:${port}${path}`);
        return { status: response.status, body: await response.text() };
      };
      const app = express();
      handlers(app);
      app.listen(0);
      for (const path of ['/nowhere/a%20b?x=<1>', '/boom'])
        expect(await call('GET', path)).toEqual(await fromNode(path));
    } finally {
      process.env.NODE_ENV = previous;
      server.close();
    }
  });

  it('fastify: a plugin registered with a prefix, returned values, reply.code and the JSON 404', async () => {
    const app = Fastify();
    void app.register(
      (child: FastifyInstance) => {
        child.get('/carts/:id', (req: FastifyRequest) => ({ id: (req.params as { id: string }).id }));
        child.delete('/carts/:id', (_req: FastifyRequest, reply: FastifyReply) => reply.code(204).send());
      },
      { prefix: '/api' },
    );
    await app.listen({ port: 3000 });
    expect(await call('GET', '/api/carts/7')).toEqual({ status: 200, body: '{"id":"7"}' });
    expect(await call('DELETE', '/api/carts/7')).toEqual({ status: 204, body: '' });
    expect(await call('GET', '/carts/7')).toEqual({
      status: 404,
      body: '{"message":"Route GET:/carts/7 not found","error":"Not Found","statusCode":404}',
    });
  });

  it('node:http: a createServer handler reading the body as events', async () => {
    createServer(
      (
        req: { on(e: string, l: (c?: Uint8Array) => void): void; url: string },
        res: {
          writeHead(s: number, h: Record<string, string>): void;
          end(b: string): void;
        },
      ) => {
        let body = '';
        req.on('data', (chunk) => (body += decoder.decode(chunk)));
        req.on('end', () => {
          res.writeHead(200, { 'content-type': 'text/plain' });
          res.end(`${req.url} ${body}`);
        });
      },
    ).listen(3000);
    expect(await call('POST', '/echo?x=1', 'hi')).toEqual({ status: 200, body: '/echo?x=1 "hi"' });
  });
});
