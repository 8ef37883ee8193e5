import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../bridge/index.ts';
import { send, startGateway, startUpstream, testConfig, type Upstream } from './helpers.ts';

describe('the answer the gateway passes on', () => {
  let upstream: Upstream;
  let gateway: Gateway;
  let pool: Pool;

  beforeAll(async () => {
    upstream = await startUpstream((_req, res) => {
      res.writeHead(200, {
        'content-type': 'text/plain',
        'proxy-connection': 'keep-alive',
        'x-kept': 'yes',
        'set-cookie': ['a=1; Path=/', 'b=2; Path=/'],
        'keep-alive': 'timeout=99',
        upgrade: 'h2c',
      });
      res.end('ok');
    });
    gateway = await startGateway(
      testConfig({ routes: [{ name: 'order', prefix: '/api/order', container: [upstream.url] }] }),
    );
    pool = new Pool(gateway.url, { connections: 1 });
  });

  afterAll(async () => {
    await pool.close();
    await gateway.stop(100);
    await upstream.close();
  });

  it('drops the upstream connection headers, keeps the others and names the side, on every answer', async () => {
    for (let i = 0; i < 3; i += 1) {
      const answer = await send(pool, '/api/order');
      expect(answer).toMatchObject({ status: 200, side: 'container', body: 'ok' });
      expect(answer.headers['proxy-connection']).toBeUndefined();
      // the gateway's own keep-alive with its client, never the upstream's
      expect(String(answer.headers['keep-alive'])).not.toContain('99');
      expect(answer.headers.upgrade).toBeUndefined();
      expect(answer.headers['x-kept']).toBe('yes');
      expect(answer.headers['set-cookie']).toEqual(['a=1; Path=/', 'b=2; Path=/']);
    }
  });
});
