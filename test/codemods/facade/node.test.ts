import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import pg from 'pg';
import { connect, type NatsConnection } from 'nats';
import { Redis } from 'ioredis';
import {
  CapabilityError,
  bindCapabilities,
  caps,
  type LogLevel,
} from '../../../codemods/facade/capabilities.ts';
import { connectNodeCapabilities, createNodeCapabilities } from '../../../codemods/facade/node.ts';

const DATABASE_URL = 'postgres://postgres@127.0.0.1:5432/test';
const suffix = `${process.pid}_${Date.now()}`;

describe('Node binding of the capability facade', () => {
  let pool: pg.Pool;
  let nc: NatsConnection;
  let redis: Redis;
  const logs: [LogLevel, string][] = [];

  beforeAll(async () => {
    pool = new pg.Pool({ connectionString: DATABASE_URL });
    nc = await connect({ servers: '127.0.0.1:4222' });
    redis = new Redis('redis://127.0.0.1:6379');
    // Real clients satisfy the binding's structural client types.
    bindCapabilities(
      createNodeCapabilities({
        sql: pool,
        nats: nc,
        redis,
        env: { GREETING: 'hello' },
        writeLog: (level, line) => logs.push([level, line]),
      }),
    );
  });

  afterAll(async () => {
    await pool.query(`DROP TABLE IF EXISTS facade_${suffix}, tx_${suffix}`);
    await Promise.all([pool.end(), nc.drain(), redis.quit()]);
  });

  it('runs SQL with $1 parameters and returns rows', async () => {
    await caps.sql.query(`CREATE TABLE facade_${suffix} (id int primary key, name text)`);
    const inserted = await caps.sql.query(`INSERT INTO facade_${suffix} VALUES ($1, $2)`, [1, 'ada']);
    expect(inserted.rowCount).toBe(1);
    const { rows } = await caps.sql.query<{ id: number; name: string }>(
      `SELECT id, name FROM facade_${suffix} WHERE id = $1`,
      [1],
    );
    expect(rows).toEqual([{ id: 1, name: 'ada' }]);
  });

  it('commits a transaction on one connection when the work resolves', async () => {
    await caps.sql.query(`CREATE TABLE tx_${suffix} (id int primary key)`);
    const pids = await caps.sql.transaction(async (tx) => {
      const first = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      await tx.query(`INSERT INTO tx_${suffix} VALUES ($1)`, [1]);
      // Not committed yet: another connection does not see the row.
      const outside = await pool.query(`SELECT count(*)::int AS n FROM tx_${suffix}`);
      expect(outside.rows).toEqual([{ n: 0 }]);
      const second = await tx.query<{ pid: number }>('SELECT pg_backend_pid() AS pid');
      return [first.rows[0]!.pid, second.rows[0]!.pid];
    });
    expect(new Set(pids).size).toBe(1);
    const { rows } = await pool.query(`SELECT id FROM tx_${suffix}`);
    expect(rows).toEqual([{ id: 1 }]);
  });

  it('rolls back and rethrows the error of the work when it rejects, and returns the client', async () => {
    const failure = new Error('no stock');
    const outcome = await caps.sql
      .transaction(async (tx) => {
        await tx.query(`INSERT INTO tx_${suffix} VALUES ($1)`, [2]);
        throw failure;
      })
      .catch((e: unknown) => e);
    expect(outcome).toBe(failure);
    const { rows } = await pool.query(`SELECT id FROM tx_${suffix} ORDER BY id`);
    expect(rows).toEqual([{ id: 1 }]);
    const sqlError = await caps.sql
      .transaction((tx) => tx.query(`INSERT INTO tx_${suffix} VALUES ($1)`, [1]))
      .catch((e: unknown) => e);
    expect(sqlError).toMatchObject({ kind: 'sql', reason: expect.stringContaining('duplicate key') });
    expect(pool.totalCount - pool.idleCount).toBe(0);
  });

  it('turns a SQL error into a CapabilityError naming the capability', async () => {
    const failure = await caps.sql.query('SELECT * FROM no_such_table_here').catch((e: unknown) => e);
    expect(failure).toBeInstanceOf(CapabilityError);
    expect(failure).toMatchObject({ kind: 'sql', reason: expect.stringContaining('no_such_table_here') });
  });

  it('delivers a published message to a subscribed handler', async () => {
    const subject = `facade.${suffix}`;
    const received = new Promise<unknown>((resolve) => {
      caps.messaging.subscribe(subject, (message) => resolve(message.json()));
    });
    await nc.flush();
    caps.messaging.publish(subject, JSON.stringify({ orderNumber: 'o-1' }));
    expect(await received).toEqual({ orderNumber: 'o-1' });
  });

  it('stores, reads, lists and deletes keys in a bucket', async () => {
    const bucket = caps.kv.bucket(`facade-${suffix}`);
    await bucket.set('a', 'one');
    expect(await bucket.get('a')).toBe('one');
    expect(await bucket.exists('a')).toBe(true);
    // listKeys is paginated (SCAN): a page may hold none of the bucket's keys while Redis holds many others
    const listed: string[] = [];
    let cursor: string | undefined;
    do {
      const page = await bucket.listKeys(cursor);
      listed.push(...page.keys);
      cursor = page.cursor;
    } while (cursor !== undefined);
    expect(listed).toEqual(['a']);
    await bucket.delete('a');
    expect(await bucket.get('a')).toBeNull();
    expect(await bucket.exists('a')).toBe(false);
  });

  it('runs Redis hashes, sets, atomic groups and raw commands on caps.redis, keys as given', async () => {
    const key = `facade-${suffix}:1`;
    const set = `facade-${suffix}`;
    try {
      await caps.redis.atomic([
        ['del', key],
        ['hset', key, { _class: 'Product', name: 'ada', price: 1.5 }],
        ['sadd', set, '1'],
      ]);
      expect(await redis.hgetall(key)).toEqual({ _class: 'Product', name: 'ada', price: '1.5' });
      expect(await caps.redis.hgetall(key)).toEqual({ _class: 'Product', name: 'ada', price: '1.5' });
      expect(await caps.redis.hgetall(`${key}-absent`)).toEqual({});
      // every hash in one EVAL, in the order asked, {} for a key without one (as ioredis's hgetall answers)
      expect(await caps.redis.hgetallMany([`${key}-absent`, key, key])).toEqual([
        {},
        { _class: 'Product', name: 'ada', price: '1.5' },
        { _class: 'Product', name: 'ada', price: '1.5' },
      ]);
      expect(await caps.redis.hgetallMany([])).toEqual([]);
      expect(await caps.redis.hget(key, 'name')).toBe('ada');
      expect(await caps.redis.smembers(set)).toEqual(['1']);
      expect(await caps.redis.scard(set)).toBe(1);
      expect(await caps.redis.exists(key, `${key}-absent`)).toBe(1);
      // ioredis gives status replies as bytes, so Node (like migrate's host) answers them as binary.
      expect(await caps.redis.execute('TYPE', key)).toEqual([
        { tag: 'binary', val: new TextEncoder().encode('hash') },
      ]);
      const wrongType = await caps.redis.incr(key).catch((e: unknown) => e);
      expect(wrongType).toMatchObject({ kind: 'redis', reason: expect.stringContaining('WRONGTYPE') });
      await caps.redis.atomic([
        ['del', key],
        ['srem', set, '1'],
      ]);
      expect(await redis.exists(key, set)).toBe(0);
    } finally {
      await redis.del(key, set);
    }
  });

  it('reads config, time, randomness and writes logs', () => {
    expect(caps.config.get('GREETING')).toBe('hello');
    expect(caps.config.get('MISSING')).toBeUndefined();
    expect(caps.config.getAll()).toEqual({ GREETING: 'hello' });
    const before = Date.now();
    expect(caps.clock.nowMs()).toBeGreaterThanOrEqual(before);
    expect(caps.clock.now().seconds).toBeGreaterThan(0n);
    expect(caps.random.uuid()).toMatch(
      /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
    );
    expect(caps.random.bytes(16)).toHaveLength(16);
    const f = caps.random.float();
    expect(f >= 0 && f < 1).toBe(true);
    caps.log.info('order placed', { id: 1 });
    caps.log.log('warn', 'orders', 'low stock');
    expect(logs).toEqual([
      ['info', 'order placed {"id":1}'],
      ['warn', '[orders] low stock'],
    ]);
  });

  it('fails with a CapabilityError when a backend is not configured', async () => {
    bindCapabilities(createNodeCapabilities({ env: {} }));
    await expect(caps.kv.get('x')).rejects.toBeInstanceOf(CapabilityError);
    expect(() => caps.messaging.publish('x', 'y')).toThrow(CapabilityError);
  });

  it('connects the clients named by DATABASE_URL, NATS_URL and REDIS_URL', async () => {
    const connection = await connectNodeCapabilities({
      env: { DATABASE_URL, NATS_URL: '127.0.0.1:4222', REDIS_URL: 'redis://127.0.0.1:6379' },
    });
    try {
      const { rows } = await connection.binding.sql.query<{ one: number }>('SELECT 1 AS one');
      expect(rows).toEqual([{ one: 1 }]);
      expect(await connection.binding.kv.exists(`absent-${suffix}`)).toBe(false);
    } finally {
      await connection.close();
    }
  });
});
