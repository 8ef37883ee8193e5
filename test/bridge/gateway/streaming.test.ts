import { request } from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../bridge/index.ts';
import { startGateway, startUpstream, testConfig, waitFor, type Upstream } from './helpers.ts';

describe('gateway streaming', () => {
  let upstream: Upstream;
  let gateway: Gateway;
  let upstreamClosedEarly = false;

  beforeAll(async () => {
    upstream = await startUpstream((req, res) => {
      const chunks = req.url === '/endless' ? 10_000 : 80;
      res.writeHead(200, { 'content-type': 'application/octet-stream' });
      let sent = 0;
      res.on('close', () => {
        if (sent < chunks) upstreamClosedEarly = true;
      });
      const push = (): void => {
        while (sent < chunks && !res.destroyed) {
          sent += 1;
          if (sent === chunks) return void res.end(Buffer.alloc(64 * 1024, sent % 256));
          if (!res.write(Buffer.alloc(64 * 1024, sent % 256))) return void res.once('drain', push);
        }
      };
      push();
    });
    gateway = await startGateway(
      testConfig({ routes: [{ name: 'blob', prefix: '/', container: [upstream.url] }] }),
    );
  });

  afterAll(async () => {
    await gateway.stop();
    await upstream.close();
  });

  it('streams a 5 MB answer through unchanged', async () => {
    const response = await fetch(`${gateway.url}/blob`);
    const body = Buffer.from(await response.arrayBuffer());
    expect(body.length).toBe(80 * 64 * 1024);
    expect(body[0]).toBe(1);
    expect(body.at(-1)).toBe(80);
  });

  it('stops reading the upstream when the client goes away', async () => {
    await new Promise<void>((resolve) => {
      const req = request(`${gateway.url}/endless`, (res) => {
        res.once('data', () => {
          req.destroy();
          resolve();
        });
      });
      req.end();
    });
    await waitFor(() => (upstreamClosedEarly ? true : undefined));
    expect(upstreamClosedEarly).toBe(true);
  });
});
