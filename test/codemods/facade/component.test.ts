import { Redis } from 'ioredis';
import { describe, expect, it } from 'vitest';
import { CapabilityError, type RedisResult } from '../../../codemods/facade/capabilities.ts';
import { createComponentCapabilities, type WitBucket } from '../../../codemods/facade/component.ts';
import { fromPgValue, toPgValue } from '../../../codemods/facade/component-postgres.ts';
import type { WitRedisConnection, WitRedisParameter } from '../../../codemods/facade/redis.ts';
import { fromPgResult, toPgParam } from '../../../bridge/host/pg-values.ts';

/** What jco throws for a WIT `result` error. */
const witError = (tag: string, val: string): Error =>
  Object.assign(new Error('ComponentError'), { payload: { tag, val } });

describe('component facade binding', () => {
  it('sends parameters the host turns back into the same node-postgres values', () => {
    expect(toPgParam(toPgValue('a'))).toBe('a');
    expect(toPgParam(toPgValue(42))).toBe(42);
    expect(toPgParam(toPgValue(2 ** 40))).toBe(String(2 ** 40));
    expect(toPgParam(toPgValue(1.25))).toBe(1.25);
    expect(toPgParam(toPgValue(true))).toBe(true);
    expect(toPgParam(toPgValue(null))).toBeNull();
    expect(toPgParam(toPgValue(['x', 'y']))).toEqual(['x', 'y']);
    expect(toPgParam(toPgValue([1, 2]))).toEqual([1, 2]);
    expect(toPgParam(toPgValue({ a: 1 }))).toBe('{"a":1}');
  });

  it('reads result values as node-postgres gives them', () => {
    expect(fromPgValue(fromPgResult('9007199254740993', 20))).toBe('9007199254740993'); // int8
    expect(fromPgValue(fromPgResult(7, 23))).toBe(7);
    expect(fromPgValue(fromPgResult(0.5, 701))).toBe(0.5);
    expect(fromPgValue(fromPgResult('12.50', 1700))).toBe('12.50');
    expect(fromPgValue(fromPgResult({ a: [1] }, 3802))).toEqual({ a: [1] });
    expect(fromPgValue(fromPgResult(null, 25))).toBeNull();
  });

  it('returns rows as objects from settled promises, and WIT errors as CapabilityError', async () => {
    const binding = createComponentCapabilities({
      sql: {
        query: (sql) => {
          if (sql === 'bad') throw witError('invalid-query', 'syntax error');
          return [[{ columnName: 'id', value: { tag: 'int4', val: 1 } }]];
        },
      },
    });
    await expect(binding.sql.query('SELECT 1')).resolves.toEqual({ rows: [{ id: 1 }], rowCount: 1 });
    const failed = binding.sql.query('bad');
    await expect(failed).rejects.toBeInstanceOf(CapabilityError);
    await expect(failed).rejects.toMatchObject({ kind: 'sql', reason: 'invalid-query: syntax error' });
    await expect(binding.kv.get('k')).rejects.toMatchObject({ kind: 'kv' });
    expect(binding.config.get('missing')).toBeUndefined();
  });

  it('counts the rows an INSERT, UPDATE or DELETE changed through RETURNING 1, as the WIT query gives no count', async () => {
    const sent: string[] = [];
    // Postgres returns one row per changed row: the fake changes one row unless the insert hits a conflict.
    const binding = createComponentCapabilities({
      sql: {
        query: (sql) => {
          sent.push(sql);
          if (sql.startsWith('SELECT')) return [[{ columnName: 'n', value: { tag: 'int4', val: 1 } }]];
          if (sql.includes('conflict')) return [];
          return sql.includes('RETURNING 1')
            ? [[{ columnName: '?column?', value: { tag: 'int4', val: 1 } }]]
            : [];
        },
      },
    });
    expect(await binding.sql.query('INSERT INTO t VALUES ($1) ON CONFLICT DO NOTHING;', ['new'])).toEqual({
      rows: [],
      rowCount: 1,
    });
    expect((await binding.sql.query('insert into t values (1) -- conflict')).rowCount).toBe(0);
    expect((await binding.sql.query('UPDATE t SET a = 1')).rowCount).toBe(1);
    expect((await binding.sql.query('DELETE FROM t RETURNING id')).rowCount).toBe(0);
    expect(await binding.sql.query('SELECT 1')).toEqual({ rows: [{ n: 1 }], rowCount: 1 });
    expect(sent).toEqual([
      'INSERT INTO t VALUES ($1) ON CONFLICT DO NOTHING\nRETURNING 1',
      'insert into t values (1) -- conflict\nRETURNING 1',
      'UPDATE t SET a = 1\nRETURNING 1',
      'DELETE FROM t RETURNING id',
      'SELECT 1',
    ]);
  });

  it('sends BEGIN, the work and COMMIT as statements, or ROLLBACK and the error when the work fails', async () => {
    const statements: string[] = [];
    const binding = createComponentCapabilities({
      sql: { query: (sql) => (statements.push(sql), []) },
    });
    await expect(binding.sql.transaction(async (tx) => (await tx.query('INSERT 1')).rowCount)).resolves.toBe(
      0,
    );
    const failure = new Error('no stock');
    await expect(
      binding.sql.transaction(async (tx) => {
        await tx.query('INSERT 2');
        throw failure;
      }),
    ).rejects.toBe(failure);
    expect(statements).toEqual([
      'BEGIN',
      'INSERT 1\nRETURNING 1',
      'COMMIT',
      'BEGIN',
      'INSERT 2\nRETURNING 1',
      'ROLLBACK',
    ]);
  });

  it('runs two transactions of one instance one after the other, as it has one session', async () => {
    const statements: string[] = [];
    const binding = createComponentCapabilities({
      sql: { query: (sql) => (statements.push(sql), []) },
    });
    const work = (name: string) => async (tx: { query: (sql: string) => Promise<unknown> }) => {
      await tx.query(`${name} 1`);
      await new Promise((resolve) => setTimeout(resolve, 5));
      await tx.query(`${name} 2`);
    };
    await Promise.all([binding.sql.transaction(work('a')), binding.sql.transaction(work('b'))]);
    expect(statements).toEqual(['BEGIN', 'a 1', 'a 2', 'COMMIT', 'BEGIN', 'b 1', 'b 2', 'COMMIT']);
  });

  it('reads and writes kv buckets as text', async () => {
    const store = new Map<string, Uint8Array>();
    const bucket: WitBucket = {
      get: (key) => store.get(key),
      set: (key, value) => void store.set(key, value),
      delete: (key) => void store.delete(key),
      exists: (key) => store.has(key),
      listKeys: () => ({ keys: [...store.keys()] }),
    };
    const opened: string[] = [];
    const binding = createComponentCapabilities({
      kv: { open: (name) => (opened.push(name), bucket) },
    });
    await binding.kv.set('colour', 'blue');
    expect(await binding.kv.get('colour')).toBe('blue');
    expect(await binding.kv.get('none')).toBeNull();
    expect(await binding.kv.bucket('cache').exists('colour')).toBe(true);
    expect(opened).toEqual(['default', 'cache']);
  });

  it('opens fermyon:spin/redis at the configured address and sends hashes, counts and atomic groups as execute', async () => {
    const executed: [string, WitRedisParameter[]][] = [];
    const replies: Record<string, RedisResult[]> = {
      HGETALL: [
        { tag: 'binary', val: new TextEncoder().encode('name') },
        { tag: 'binary', val: new TextEncoder().encode('ada') },
      ],
      SCARD: [{ tag: 'int64', val: 2n }],
      EVAL: [{ tag: 'int64', val: 3n }],
    };
    const connection = {
      smembers: () => ['1', '2'],
      execute: (command: string, args: WitRedisParameter[]) => {
        executed.push([command, args]);
        if (command === 'HSET') throw witError('type-error', 'WRONGTYPE');
        return replies[command] ?? [];
      },
    } as unknown as WitRedisConnection;
    const addresses: string[] = [];
    const binding = createComponentCapabilities({
      redis: { Connection: { open: (address) => (addresses.push(address), connection) } },
      config: {
        get: (key) => (key === 'redis_address' ? 'redis://cache:6379' : undefined),
        getAll: () => [],
      },
    });
    expect(await binding.redis.hgetall('product:1')).toEqual({ name: 'ada' });
    expect(await binding.redis.scard('product')).toBe(2);
    expect(await binding.redis.smembers('product')).toEqual(['1', '2']);
    await expect(binding.redis.hset('k', { a: 1 })).rejects.toMatchObject({
      kind: 'redis',
      reason: 'type-error: WRONGTYPE',
    });
    await binding.redis.atomic([
      ['del', 'product:1'],
      ['hset', 'product:1', { _class: 'Product', id: '1', price: 19.99 }],
      ['sadd', 'product', '1'],
    ]);
    expect(addresses).toEqual(['redis://cache:6379']);
    const text = (p: WitRedisParameter): string =>
      p.tag === 'int64' ? String(p.val) : new TextDecoder().decode(p.val);
    expect(
      executed.map(([command, args]) => [command, ...args.slice(command === 'EVAL' ? 1 : 0).map(text)]),
    ).toEqual([
      ['HGETALL', 'product:1'],
      ['SCARD', 'product'],
      ['HSET', 'k', 'a', '1'],
      // EVAL <script> 3 keys… then per command: name, argument count, arguments.
      [
        'EVAL',
        '3',
        'product:1',
        'product:1',
        'product',
        'del',
        '0',
        'hset',
        '6',
        '_class',
        'Product',
        'id',
        '1',
        'price',
        '19.99',
        'sadd',
        '1',
        '1',
      ],
    ]);

    // The same EVAL against the real Redis writes the Spring Data Redis layout.
    const redis = new Redis('redis://127.0.0.1:6379');
    const prefix = `component-test-${process.pid}-`;
    try {
      const [, evalArgs] = executed[3]!;
      const params = evalArgs.map((p, i) => {
        const value = text(p);
        return i >= 2 && i < 5 ? prefix + value : value; // the three keys
      });
      await redis.set(`${prefix}product:1`, 'stale');
      expect(await redis.callBuffer('EVAL', ...params)).toBe(3);
      expect(await redis.hgetall(`${prefix}product:1`)).toEqual({
        _class: 'Product',
        id: '1',
        price: '19.99',
      });
      expect(await redis.smembers(`${prefix}product`)).toEqual(['1']);
    } finally {
      await redis.del(`${prefix}product:1`, `${prefix}product`);
      redis.disconnect();
    }
  });
});
