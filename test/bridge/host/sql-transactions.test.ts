// caps.sql.transaction in a component served by the host: the facade sends BEGIN/COMMIT/ROLLBACK through
// wasmcloud:postgres/query and the host's SQL sessions keep each instance's transaction on one connection.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../bridge/host/host.ts';
import { parseHostConfig } from '../../../bridge/host/config.ts';
import { getFixtureWasm } from './helpers.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const TABLE = `sql_tx_${process.pid}_${Date.now().toString(36)}`;
const logs: string[] = [];

let dir = '';
let host: Host;
let db: pg.Client;

const text = (body: Uint8Array): string => new TextDecoder().decode(body);
const post = async (path: string, value: unknown): Promise<{ status: number; body: unknown }> => {
  const response = await host.handle('tx', {
    method: 'POST',
    path,
    body: new TextEncoder().encode(JSON.stringify(value)),
  });
  return { status: response.status, body: JSON.parse(text(response.body)) as unknown };
};
const committed = async (): Promise<string[]> =>
  (await db.query<{ name: string }>(`SELECT name FROM ${TABLE} ORDER BY name`)).rows.map((r) => r.name);
/** Connections of this test's host left inside a transaction. */
const openTransactions = async (): Promise<number> => {
  const { rows } = await db.query<{ n: number }>(
    `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND application_name = $1`,
    [TABLE],
  );
  return rows[0]!.n;
};
/** Polls until `check` holds, or a bound for what never comes (seconds at most, even on a busy machine). */
const eventually = async (check: () => Promise<boolean>): Promise<void> => {
  const deadline = Date.now() + 90_000;
  while (!(await check()) && Date.now() < deadline) await new Promise((r) => setTimeout(r, 100));
};

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-sql-tx-'));
  const path = getFixtureWasm('sql-tx');
  db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(`CREATE TABLE ${TABLE} (name text PRIMARY KEY)`);
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: { postgres: { url: `${PG_URL}?application_name=${TABLE}`, poolSize: 4 } },
      components: [
        {
          name: 'tx',
          wasm: path,
          capabilities: ['sql', 'config'],
          config: { table: TABLE },
          // What the time limit test waits for; a request that does not hang takes milliseconds.
          limits: { instances: 2, timeoutMs: 10_000, memoryMb: 128 },
        },
      ],
    }),
    'sql-tx.json',
  );
  host = await createHost({ config, logger: { log: (_level, _name, message) => void logs.push(message) } });
});

afterAll(async () => {
  await host?.close();
  await db?.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await db?.end();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

describe('SQL transactions of a component in the host', () => {
  it('commits the work of caps.sql.transaction, run on one connection', async () => {
    const { status, body } = await post('/tx', { names: ['a1', 'a2'] });
    expect(status).toBe(200);
    const pids = body as number[];
    expect(pids).toHaveLength(2);
    expect(pids[0]).toBe(pids[1]);
    expect(await committed()).toEqual(['a1', 'a2']);
  });

  it('rolls back when the work throws, and keeps two instances’ transactions apart', async () => {
    const [failed, ok] = await Promise.all([
      post('/tx', { names: ['b1', 'b2'], fail: true }),
      post('/tx', { names: ['c1', 'c2'] }),
    ]);
    expect(failed).toEqual({ status: 409, body: { error: 'failed on purpose' } });
    expect(ok.status).toBe(200);
    expect(await committed()).toEqual(['a1', 'a2', 'c1', 'c2']);
    expect(await openTransactions()).toBe(0);
  });

  it('rolls back a transaction the request left open when the response is sent', async () => {
    expect(await post('/open', { name: 'd1' })).toEqual({ status: 200, body: 'left open' });
    await eventually(async () => (await openTransactions()) === 0);
    expect(await openTransactions()).toBe(0);
    expect(await committed()).toEqual(['a1', 'a2', 'c1', 'c2']);
    expect(logs).toContain('rolled back a SQL transaction the invocation left open');
    // The instance starts clean: its next transaction commits.
    expect((await post('/tx', { names: ['d2'] })).status).toBe(200);
    expect(await committed()).toEqual(['a1', 'a2', 'c1', 'c2', 'd2']);
  });

  it('rolls back the transaction of a request stopped at its time limit', async () => {
    const stopped = await post('/hang', { name: 'e1' });
    expect(stopped.status).toBe(503);
    await eventually(async () => (await openTransactions()) === 0);
    expect(await openTransactions()).toBe(0);
    expect(await committed()).toEqual(['a1', 'a2', 'c1', 'c2', 'd2']);
    expect((await post('/tx', { names: ['e2'] })).status).toBe(200);
  });
});
