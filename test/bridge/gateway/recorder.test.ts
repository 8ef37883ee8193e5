import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Pool } from 'undici';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Gateway } from '../../../bridge/index.ts';
import { decodeBody, parseTrafficRecords } from '../../../shared/traffic-record.ts';
import { echo, send, startGateway, startUpstream, testConfig, type Upstream } from './helpers.ts';

/** Polls the file until it holds `count` records (bounded, generous). */
async function readRecords(file: string, count: number): Promise<ReturnType<typeof parseTrafficRecords>> {
  for (let attempt = 0; ; attempt += 1) {
    const records = parseTrafficRecords(await readFile(file, 'utf8').catch(() => ''), file);
    if (records.length >= count || attempt > 200) return records;
    await new Promise((done) => setTimeout(done, 50));
  }
}

describe('gateway traffic recorder', () => {
  let container: Upstream;
  let wasm: Upstream;
  let gateway: Gateway;
  let pool: Pool;
  let dir: string;
  let file: string;

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-recorder-'));
    file = join(dir, 'traffic.ndjson');
    container = await startUpstream(echo('container'));
    wasm = await startUpstream(echo('wasm'));
    gateway = await startGateway(
      testConfig({
        record: { path: file, sampleRate: 1, maxBodyBytes: 1024 },
        routes: [
          {
            name: 'catalog',
            prefix: '/api/items',
            container: [container.url],
            wasm: [wasm.url],
            shadow: { enabled: true, allowNonIdempotent: true },
          },
          { name: 'plain', prefix: '/api/plain', container: [container.url] },
        ],
      }),
    );
    pool = new Pool(gateway.url, { connections: 2 });
  });

  afterAll(async () => {
    await pool.close();
    await gateway.stop();
    await container.close();
    await wasm.close();
    await rm(dir, { recursive: true, force: true });
  });

  it('writes shadowed exchanges as replayable records, without credentials, with the answer seen', async () => {
    await send(pool, '/api/items/7?view=full', {
      headers: { authorization: 'Bearer secret-token', 'x-trace': 't1' },
    });
    await send(pool, '/api/items', {
      method: 'POST',
      body: '{"name":"pen"}',
      headers: { 'content-type': 'application/json', cookie: 'session=abc' },
    });
    await send(pool, '/api/items', {
      method: 'POST',
      body: 'x'.repeat(2048),
      headers: { 'content-type': 'text/plain' },
    });
    await send(pool, '/api/plain/1');
    const records = await readRecords(file, 2);
    expect(records.map((r) => `${r.method} ${r.path}`)).toEqual([
      'GET /api/items/7?view=full',
      'POST /api/items',
    ]);
    expect(records[0]).toMatchObject({
      v: 1,
      route: 'catalog',
      headers: { 'x-trace': 't1' },
      response: { status: 200 },
    });
    expect(records[0]!.headers['authorization']).toBeUndefined();
    expect(records[1]!.headers['cookie']).toBeUndefined();
    expect(decodeBody(records[1]!).toString()).toBe('{"name":"pen"}');
    expect(JSON.parse(decodeBody(records[1]!.response!).toString())).toMatchObject({ side: 'container' });
  });
});
