import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Gateway } from '../../../bridge/index.ts';
import { send, startUpstream, token, waitFor, type Upstream } from './helpers.ts';

const yaml = (upstream: string, weight: number, extra = ''): string => `listen: { host: 127.0.0.1, port: 0 }
admin: { host: 127.0.0.1, port: 0, token: ${token} }
routes:
  - name: order
    prefix: /api/order
    container: [${upstream}]
    wasm: [${upstream}]
    weight: ${weight}
${extra}`;

describe('gateway hot reload', () => {
  let dir: string;
  let file: string;
  let upstream: Upstream;
  let gateway: Gateway;
  let pool: Pool;
  const held: (() => void)[] = [];

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-gw-'));
    file = join(dir, 'gateway.yaml');
    upstream = await startUpstream((req, res) => {
      // A slow request waits at the upstream until the test lets it finish.
      if (req.url?.includes('slow') === true) held.push(() => res.end(`done ${req.url}`));
      else res.end(`done ${req.url}`);
    });
    await writeFile(file, yaml(upstream.url, 0));
    gateway = await Gateway.fromFile(file, { env: {} });
    await gateway.start();
    pool = new Pool(gateway.url, { connections: 4 });
  });

  afterAll(async () => {
    await pool.close();
    await gateway.stop();
    await upstream.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('applies a changed file while a request is in flight, and the request completes', async () => {
    const inFlight = send(pool, '/api/order/slow');
    await waitFor(() => (held.length > 0 ? true : undefined));
    await writeFile(
      file,
      yaml(
        upstream.url,
        20,
        `  - name: product\n    prefix: /api/product\n    container: [${upstream.url}]\n`,
      ),
    );
    const reloaded = await waitFor(() => gateway.events.recent().find((e) => e.type === 'config.reloaded'));
    expect(reloaded).toMatchObject({ trigger: 'file-change', added: ['product'] });
    for (const finish of held.splice(0)) finish();
    expect(await inFlight).toMatchObject({ status: 200, body: 'done /api/order/slow' });
    expect(gateway.getState().routes.map((r) => [r.name, r.weight])).toEqual([
      ['order', 20],
      ['product', 0],
    ]);
    expect((await send(pool, '/api/product/1')).status).toBe(200);
  });

  it('keeps the running config when the new file is broken, and says where', async () => {
    await writeFile(file, yaml(upstream.url, 20).replace('weight: 20', 'weight: lots'));
    const rejected = await waitFor(() => gateway.events.recent().find((e) => e.type === 'config.rejected'));
    expect(rejected.location).toBe(`${file}:8:13`);
    expect((await send(pool, '/api/order/1')).status).toBe(200);
    expect(gateway.getState().routes[0]!.weight).toBe(20);
  });

  it('keeps a weight set at run time unless the file changes that weight', async () => {
    await writeFile(file, yaml(upstream.url, 20));
    await waitFor(() =>
      gateway.events
        .recent()
        .filter((e) => e.type === 'config.reloaded')
        .at(1),
    );
    gateway.setWeight('order', 35, 'test');
    await writeFile(file, yaml(upstream.url, 20, '    stripPrefix: false\n'));
    await gateway.reload('SIGHUP');
    expect(gateway.getState().routes[0]!.weight).toBe(35);
  });
});
