import { connect } from 'node:net';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parseGatewayConfig, type Gateway } from '../../../bridge/index.ts';
import { AppError } from '../../../shared/errors.ts';
import { admin, send, startGateway, startUpstream, testConfig, type Upstream } from './helpers.ts';

function configError(text: string): AppError {
  try {
    parseGatewayConfig(text, 'gateway.yaml');
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected a config error');
}

describe('gateway config errors', () => {
  it('points at the line and column of a YAML syntax error', () => {
    const error = configError('routes:\n  - name: order\n    prefix: [/api\n');
    expect(error.code).toBe('MIG_CONFIG');
    expect(error.location).toMatchObject({ file: 'gateway.yaml', line: 4 });
  });

  it('points at the offending field of a schema error, with the line', () => {
    const text = [
      'routes:',
      '  - name: order',
      '    prefix: /api/order',
      '    container: [http://127.0.0.1:18081]',
      '    weight: 150',
    ].join('\n');
    const error = configError(text);
    expect(error.message).toBe(
      'invalid gateway config at routes[0].weight: Too big: expected number to be <=100',
    );
    expect(error.location).toEqual({ file: 'gateway.yaml', line: 5, column: 13, excerpt: '    weight: 150' });
  });

  it('rejects an admin API that is not on loopback and an unknown field', () => {
    expect(configError('admin: {host: 0.0.0.0}\nroutes: []').message).toMatch(/admin\.host/);
    expect(
      configError('routes:\n  - name: a\n    prefix: /a\n    container: [http://127.0.0.1:1]\n    wieght: 1')
        .message,
    ).toMatch(/wieght/);
  });
});

describe('gateway under bad input', () => {
  let upstream: Upstream;
  let slow: Upstream;
  let gateway: Gateway;
  let pool: Pool;

  beforeAll(async () => {
    upstream = await startUpstream((req, res, body) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ received: body.length }));
    });
    // Never answers (until closed): slower than any timeout, however busy the machine.
    slow = await startUpstream(() => undefined);
    gateway = await startGateway(
      testConfig({
        limits: { maxBodyBytes: 1024 },
        // What the 408 and 504 tests wait for; far above what a request that does not stall takes on a busy machine.
        timeouts: { clientRequestMs: 3000, headersMs: 3000 },
        routes: [
          { name: 'order', prefix: '/api/order', container: [upstream.url], wasm: [upstream.url] },
          { name: 'slow', prefix: '/slow', container: [slow.url] },
        ],
      }),
    );
    pool = new Pool(gateway.url, { connections: 4 });
  });

  afterAll(async () => {
    await pool.close();
    await gateway.stop();
    await upstream.close();
    await slow.close();
  });

  it('streams a body under the limit and answers 413 for one over it, declared or chunked', async () => {
    const ok = await send(pool, '/api/order', { method: 'POST', body: 'x'.repeat(1000) });
    expect(JSON.parse(ok.body)).toEqual({ received: 1000 });
    const declared = await fetch(`${gateway.url}/api/order`, { method: 'POST', body: 'x'.repeat(5000) });
    expect(declared.status).toBe(413);
    expect(((await declared.json()) as { error: { code: string } }).error.code).toBe('MIG_BODY_TOO_LARGE');
    const chunked = await fetch(`${gateway.url}/api/order`, {
      method: 'POST',
      body: new ReadableStream({
        start(controller) {
          for (let i = 0; i < 10; i += 1) controller.enqueue(new Uint8Array(500));
          controller.close();
        },
      }),
      duplex: 'half',
    });
    expect(chunked.status).toBe(413);
    expect((await send(pool, '/api/order')).status).toBe(200);
  });

  it('answers 408 to a client that stalls while sending, and keeps serving others', async () => {
    const port = new URL(gateway.url).port;
    const reply = await new Promise<string>((resolve) => {
      const socket = connect(Number(port), '127.0.0.1', () => {
        socket.write('POST /api/order HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\nabc');
      });
      let text = '';
      socket.on('data', (d: Buffer) => (text += d.toString()));
      socket.on('close', () => resolve(text));
      socket.on('error', () => resolve(text));
    });
    expect(reply).toMatch(/^HTTP\/1\.1 408/);
    expect((await send(pool, '/api/order')).status).toBe(200);
  });

  it('answers 504 when the upstream is too slow, and keeps serving', async () => {
    const late = await send(pool, '/slow');
    expect(late.status).toBe(504);
    expect(JSON.parse(late.body).error.code).toBe('MIG_UPSTREAM_TIMEOUT');
    expect((await send(pool, '/api/order')).status).toBe(200);
  });

  it('refuses a wrong or missing token and bad admin requests with clear JSON errors', async () => {
    expect((await admin(gateway, 'GET', '/api/state', undefined, 'wrong-token')).status).toBe(401);
    const missing = await admin(gateway, 'GET', '/api/state', undefined, '');
    expect(missing.status).toBe(401);
    expect(missing.json.error.code).toBe('MIG_UNAUTHORIZED');
    const badJson = await admin(gateway, 'POST', '/api/routes/order/weight', '{weight:');
    expect(badJson).toMatchObject({ status: 400, json: { error: { code: 'MIG_INPUT' } } });
    const tooHigh = await admin(gateway, 'POST', '/api/routes/order/weight', { weight: 150 });
    expect(tooHigh.status).toBe(400);
    expect(tooHigh.json.error.message).toMatch(/weight/);
    const unknownRoute = await admin(gateway, 'POST', '/api/routes/nope/weight', { weight: 1 });
    expect(unknownRoute).toMatchObject({ status: 404, json: { error: { code: 'MIG_NOT_FOUND' } } });
    const noWasm = await admin(gateway, 'POST', '/api/routes/slow/weight', { weight: 1 });
    expect(noWasm.status).toBe(409);
    expect((await admin(gateway, 'GET', '/api/routes/order/weight')).status).toBe(405);
    expect((await admin(gateway, 'DELETE', '/nothing')).status).toBe(404);
    expect((await admin(gateway, 'GET', '/healthz', undefined, '')).status).toBe(200);
    expect((await send(pool, '/api/order')).status).toBe(200);
  });

  it('rejects an override without the required token', async () => {
    const guarded = await startGateway(
      testConfig({
        override: { token: 'qa-secret-1' },
        routes: [{ name: 'order', prefix: '/api/order', container: [upstream.url], wasm: [upstream.url] }],
      }),
    );
    const p = new Pool(guarded.url);
    try {
      expect((await send(p, '/api/order', { headers: { 'x-migrate-side': 'wasm' } })).status).toBe(403);
      const ok = await send(p, '/api/order', { headers: { 'x-migrate-side': 'wasm:qa-secret-1' } });
      expect(ok).toMatchObject({ status: 200, side: 'wasm' });
    } finally {
      await p.close();
      await guarded.stop();
    }
  });
});
