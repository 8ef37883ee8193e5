import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { Backends, type Dispatch } from '../../../bridge/host/backends.ts';
import { getTransactionControl } from '../../../bridge/host/sql-sessions.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
const TABLE = `sql_sessions_${process.pid}_${Date.now().toString(36)}`;
const settings = { url: PG_URL, poolSize: 4 };

let backends: Backends;
let dispatch: Dispatch;
let db: pg.Client;
const logs: string[] = [];

type Row = { columnName: string; value: { tag: string; val?: unknown } }[];

/** Runs one statement as `instance` would through wasmcloud:postgres/query; rows as plain objects. */
async function query(
  instance: object | undefined,
  sql: string,
  text?: string,
): Promise<Record<string, unknown>[]> {
  const outcome = await dispatch(
    'sql.query',
    [sql, text === undefined ? [] : [{ tag: 'text', val: text }]],
    instance,
  );
  if (!outcome.ok) throw Object.assign(new Error(JSON.stringify(outcome.error)), { value: outcome.error });
  return (outcome.value as Row[]).map((row) =>
    Object.fromEntries(row.map((c) => [c.columnName, c.value.val])),
  );
}

const pid = async (instance: object): Promise<unknown> =>
  (await query(instance, 'SELECT pg_backend_pid() AS pid'))[0]!['pid'];
const names = async (instance: object | undefined): Promise<unknown[]> =>
  (await query(instance, `SELECT name FROM ${TABLE} ORDER BY name`)).map((row) => row['name']);
const committed = async (): Promise<string[]> =>
  (await db.query<{ name: string }>(`SELECT name FROM ${TABLE} ORDER BY name`)).rows.map((r) => r.name);
/** Polls pg_stat_activity until backend `pid` runs `sql` (a bound for a hung server only). */
async function waitForRunning(pid: unknown, sql: string): Promise<void> {
  const deadline = Date.now() + 60_000;
  for (;;) {
    const { rows } = await db.query<{ query: string }>(
      `SELECT query FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`,
      [pid],
    );
    if (rows[0]?.query === sql) return;
    if (Date.now() > deadline) throw new Error(`backend ${String(pid)} did not start ${sql}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}
const checkedOut = (): number => {
  const pool = backends.pool(settings);
  return pool.totalCount - pool.idleCount;
};

beforeAll(async () => {
  db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(`CREATE TABLE ${TABLE} (name text PRIMARY KEY)`);
  backends = new Backends({ log: (_level, _component, message) => void logs.push(message) });
  dispatch = backends.createDispatch({
    name: 'orders',
    capabilities: new Set(['sql']),
    allowedHosts: [],
    backends: { postgres: settings },
  });
});

afterAll(async () => {
  await backends?.close();
  await db?.query(`DROP TABLE IF EXISTS ${TABLE}`);
  await db?.end();
});

describe('SQL sessions of the embedded host', () => {
  it('runs BEGIN…COMMIT of one instance on one connection, apart from another instance', async () => {
    const a = {};
    const b = {};
    await query(a, 'BEGIN');
    await query(b, 'BEGIN');
    const pidA = await pid(a);
    await query(a, `INSERT INTO ${TABLE} VALUES ($1)`, 'a');
    await query(b, `INSERT INTO ${TABLE} VALUES ($1)`, 'b');
    expect(await pid(a)).toBe(pidA);
    expect(await pid(b)).not.toBe(pidA);
    // Each instance sees its own uncommitted row only; nobody else sees either.
    expect(await names(a)).toEqual(['a']);
    expect(await names(b)).toEqual(['b']);
    expect(await names(undefined)).toEqual([]);
    expect(checkedOut()).toBe(2);
    await query(a, 'COMMIT');
    await query(b, 'rollback;');
    expect(await committed()).toEqual(['a']);
    expect(checkedOut()).toBe(0);
    // Without a transaction an instance's statements go to the pool again.
    expect(await names(a)).toEqual(['a']);
    expect(await backends.endSqlSession(a)).toBe(false);
  });

  it('rolls back and releases a transaction left open when the invocation ends', async () => {
    const c = {};
    await query(c, 'BEGIN');
    await query(c, `INSERT INTO ${TABLE} VALUES ($1)`, 'c');
    expect(checkedOut()).toBe(1);
    expect(await backends.endSqlSession(c)).toBe(true);
    expect(await committed()).toEqual(['a']);
    expect(checkedOut()).toBe(0);
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE state LIKE 'idle in transaction%' AND query LIKE '%${TABLE}%'`,
    );
    expect(rows).toEqual([{ n: 0 }]);
  });

  it('cancels a statement still running when the invocation ends, then rolls back', async () => {
    const f = {};
    await query(f, 'BEGIN');
    await query(f, `INSERT INTO ${TABLE} VALUES ($1)`, 'f');
    const backend = await pid(f);
    const sleeping = query(f, 'SELECT pg_sleep(300)').catch((e: { value: unknown }) => e.value);
    // Ends the invocation once Postgres runs the statement (not after a guessed delay).
    await waitForRunning(backend, 'SELECT pg_sleep(300)');
    expect(await backends.endSqlSession(f)).toBe(true);
    expect(await sleeping).toMatchObject({ tag: 'invalid-query', val: expect.stringContaining('cancel') });
    // Cancelled, not run to its end: that backend runs nothing any more.
    const { rows } = await db.query(
      `SELECT count(*)::int AS n FROM pg_stat_activity WHERE pid = $1 AND state = 'active'`,
      [backend],
    );
    expect(rows).toEqual([{ n: 0 }]);
    expect(await committed()).toEqual(['a']);
    expect(checkedOut()).toBe(0);
  });

  it('keeps a failed statement inside the transaction until the guest rolls back', async () => {
    const d = {};
    await query(d, 'BEGIN');
    await query(d, `INSERT INTO ${TABLE} VALUES ($1)`, 'd');
    const duplicate = await query(d, `INSERT INTO ${TABLE} VALUES ($1)`, 'd').catch(
      (e: { value: unknown }) => e.value,
    );
    expect(duplicate).toMatchObject({ tag: 'invalid-query' });
    const aborted = await query(d, 'SELECT 1').catch((e: { value: unknown }) => e.value);
    expect(aborted).toMatchObject({ tag: 'invalid-query', val: expect.stringContaining('aborted') });
    await query(d, 'ROLLBACK');
    expect(await committed()).toEqual(['a']);
    expect(checkedOut()).toBe(0);
  });

  it('fails the rest of a transaction whose connection died, then lets the guest start again', async () => {
    const e = {};
    await query(e, 'BEGIN');
    await query(e, `INSERT INTO ${TABLE} VALUES ($1)`, 'e');
    await db.query('SELECT pg_terminate_backend($1)', [await pid(e)]);
    await expect(query(e, 'SELECT 1')).rejects.toThrow();
    await expect(query(e, 'COMMIT')).rejects.toThrow(/rolled back/);
    await query(e, 'BEGIN');
    await query(e, `INSERT INTO ${TABLE} VALUES ($1)`, 'e');
    await query(e, 'COMMIT');
    expect(await committed()).toEqual(['a', 'e']);
    expect(checkedOut()).toBe(0);
  });

  it('survives its new connection failing in the tick the pool hands it out (a server shutting down)', async () => {
    // pg-pool takes its own error listener off, emits `acquire`, then calls back: a FATAL 57P01 read in that
    // same turn (a restart right after the connection's first ReadyForQuery) found no listener and crashed
    // the host during an e2e:faults Postgres restart
    const pool = backends.pool(settings);
    pool.once('acquire', (client: pg.PoolClient) =>
      queueMicrotask(() =>
        client.emit(
          'error',
          Object.assign(new Error('terminating connection due to administrator command'), { code: '57P01' }),
        ),
      ),
    );
    const f = {};
    await query(f, 'BEGIN');
    await expect(query(f, 'SELECT 1')).rejects.toThrow(/lost/);
    await query(f, 'ROLLBACK');
    expect(checkedOut()).toBe(0);
  });

  it('refuses BEGIN from a caller that is no instance, as nothing would end its transaction', async () => {
    await expect(query(undefined, 'BEGIN')).rejects.toThrow(/calling instance/);
    expect(checkedOut()).toBe(0);
  });

  it.each([
    ['BEGIN', 'begin'],
    ['  begin isolation level serializable;', 'begin'],
    ['-- open\nSTART TRANSACTION', 'begin'],
    ['COMMIT', 'commit'],
    ['end transaction', 'commit'],
    ['ROLLBACK', 'rollback'],
    ['/* undo */ abort', 'rollback'],
    ['ROLLBACK TO SAVEPOINT s1', undefined],
    ['COMMIT AND CHAIN', undefined],
    ["COMMIT PREPARED 'x'", undefined],
    ['BEGIN; INSERT INTO t VALUES (1); COMMIT', undefined],
    ['SELECT 1', undefined],
  ])('reads %j as %s', (sql, control) => {
    expect(getTransactionControl(sql)).toBe(control);
  });
});
