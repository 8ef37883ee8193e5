import { describe, expect, it } from 'vitest';
import { CapabilityError } from '../../../codemods/facade/capabilities.ts';
import { createComponentCapabilities } from '../../../codemods/facade/component.ts';
import {
  castParameters,
  createSpinVariables,
  expandArrayParams,
  fromSpinValue,
  toPostgresAddress,
  toRedisAddress,
  toSpinParameter,
  type SpinValue,
  type WitSpinPostgres,
} from '../../../codemods/facade/component-spin.ts';
import { fromPgResult, toPgParam } from '../../../bridge/host/pg-values.ts';
import { fromSpinParameter, toSpinValue } from '../../../bridge/host/spin-postgres.ts';

/** What jco throws for a WIT `result` error. */
const witError = (tag: string, val: string): Error =>
  Object.assign(new Error('ComponentError'), { payload: { tag, val } });

/** A spin:postgres fake that records what the guest sends and answers `rows` to queries. */
function createFakeSpin(answer: { columns: string[]; rows: SpinValue[][] } = { columns: [], rows: [] }) {
  const calls: { op: string; statement: string; params: SpinValue[] }[] = [];
  const opened: string[] = [];
  const spin: WitSpinPostgres = {
    Connection: {
      open(address) {
        opened.push(address);
        return {
          query(statement, params) {
            calls.push({ op: 'query', statement, params });
            if (statement.includes('boom')) throw witError('query-failed', 'relation "boom" does not exist');
            return {
              columns: answer.columns.map((name) => ({ name, dataType: 'str' })),
              rows: answer.rows,
            };
          },
          execute(statement, params) {
            calls.push({ op: 'execute', statement, params });
            return 3n;
          },
        };
      },
    },
  };
  return { spin, calls, opened };
}

describe('component binding over spin:postgres@3.0.0', () => {
  it('spreads an array parameter over one placeholder per item and renumbers the rest', () => {
    expect(
      expandArrayParams("SELECT * FROM t WHERE sku = ANY($1) AND n > $2 AND s <> '$1'", [['a', 'b'], 5]),
    ).toEqual({
      sql: "SELECT * FROM t WHERE sku = ANY(ARRAY[$1, $2]) AND n > $3 AND s <> '$1'",
      params: ['a', 'b', 5],
    });
    expect(expandArrayParams('SELECT 1 WHERE x = ANY($1) -- $1\n', [[]])).toEqual({
      sql: "SELECT 1 WHERE x = ANY('{}') -- $1\n",
      params: [],
    });
    expect(expandArrayParams('SELECT $1', ['a'])).toEqual({ sql: 'SELECT $1', params: ['a'] });
  });

  it('casts numeric and date-time placeholders to the type sent, as tokio-postgres checks types exactly', () => {
    const values = [1, 2 ** 40, 0.5, new Date(0), 'a', true].map(toSpinParameter);
    expect(
      castParameters(
        "UPDATE t SET a = $1, b = $2, c = $3, d = $4 WHERE e = $5 AND f = $6 AND g <> '$1'",
        values,
      ),
    ).toBe(
      "UPDATE t SET a = $1::int4, b = $2::int8, c = $3::float8, d = $4::timestamp WHERE e = $5 AND f = $6 AND g <> '$1'",
    );
    expect(castParameters('SELECT 1', [])).toBe('SELECT 1');
  });

  it('sends parameters the host (and Postgres) read as node-postgres values', () => {
    const through = (value: Parameters<typeof toSpinParameter>[0]): unknown =>
      toPgParam(fromSpinParameter(toSpinParameter(value)));
    expect(toSpinParameter('a')).toEqual({ tag: 'str', val: 'a' });
    expect(toSpinParameter(42)).toEqual({ tag: 'int32', val: 42 });
    expect(toSpinParameter(2 ** 40)).toEqual({ tag: 'int64', val: 2n ** 40n });
    expect(toSpinParameter(1.25)).toEqual({ tag: 'floating64', val: 1.25 });
    expect(toSpinParameter(null)).toEqual({ tag: 'db-null' });
    expect(toSpinParameter(new Date(Date.UTC(2026, 10, 21, 4, 5, 6, 7)))).toEqual({
      tag: 'datetime',
      val: [2026, 11, 21, 4, 5, 6, 7_000_000],
    });
    expect(through('a')).toBe('a');
    expect(through(42)).toBe(42);
    expect(through(2 ** 40)).toBe(String(2 ** 40));
    expect(through(1.25)).toBe(1.25);
    expect(through(true)).toBe(true);
    expect(through(null)).toBeNull();
    expect(through({ a: 1 })).toBe('{"a":1}');
  });

  it('reads db-values as node-postgres gives them', () => {
    expect(fromSpinValue({ tag: 'int64', val: 9007199254740993n })).toBe('9007199254740993');
    expect(fromSpinValue({ tag: 'int32', val: 7 })).toBe(7);
    expect(fromSpinValue({ tag: 'floating64', val: 0.5 })).toBe(0.5);
    expect(fromSpinValue({ tag: 'str', val: 'x' })).toBe('x');
    expect(fromSpinValue({ tag: 'boolean', val: true })).toBe(true);
    expect(fromSpinValue({ tag: 'db-null' })).toBeNull();
    expect(fromSpinValue({ tag: 'date', val: [2026, 11, 21] })).toEqual(new Date(Date.UTC(2026, 10, 21)));
    expect(fromSpinValue({ tag: 'time', val: [4, 5, 6, 500_000_000] })).toBe('04:05:06.5');
    expect(fromSpinValue({ tag: 'datetime', val: [2026, 11, 21, 4, 5, 6, 7_000_000] })).toEqual(
      new Date(Date.UTC(2026, 10, 21, 4, 5, 6, 7)),
    );
    expect(fromSpinValue({ tag: 'timestamp', val: 1_700_000_000n })).toEqual(new Date(1_700_000_000_000));
    // What the host serves (node-postgres value → pg-value → db-value) reads back the same way.
    const back = (value: unknown, oid: number): unknown =>
      fromSpinValue(toSpinValue(fromPgResult(value, oid)).value);
    expect(back('9007199254740993', 20)).toBe('9007199254740993');
    expect(back(7, 23)).toBe(7);
    expect(back(0.5, 701)).toBe(0.5);
    expect(back('12.50', 1700)).toBe('12.50');
    expect(back(null, 25)).toBeNull();
  });

  it('opens one connection at the ported datasource, queries rows and executes the rest', async () => {
    const { spin, calls, opened } = createFakeSpin({
      columns: ['id', 'sku_code'],
      rows: [
        [
          { tag: 'int64', val: 1n },
          { tag: 'str', val: 'iphone_13' },
        ],
      ],
    });
    const caps = createComponentCapabilities(
      { spinPostgres: spin },
      { sqlAddress: () => 'postgres://postgres@127.0.0.1:5432/test' },
    );
    const found = await caps.sql.query('SELECT id, sku_code FROM t WHERE sku_code = ANY($1)', [
      ['iphone_13'],
    ]);
    expect(found).toEqual({ rows: [{ id: '1', sku_code: 'iphone_13' }], rowCount: 1 });
    expect(await caps.sql.query('UPDATE t SET n = $1', [2])).toEqual({ rows: [], rowCount: 3 });
    await caps.sql.transaction(async (tx) => tx.query('INSERT INTO t (n) VALUES ($1) RETURNING id', [1]));
    expect(opened).toEqual(['postgres://postgres@127.0.0.1:5432/test']);
    expect(calls.map((c) => `${c.op} ${c.statement}`)).toEqual([
      'query SELECT id, sku_code FROM t WHERE sku_code = ANY(ARRAY[$1])',
      'execute UPDATE t SET n = $1::int4',
      'execute BEGIN',
      'query INSERT INTO t (n) VALUES ($1::int4) RETURNING id',
      'execute COMMIT',
    ]);
    const error = await caps.sql.query('SELECT * FROM boom').catch((e: unknown) => e);
    expect(error).toBeInstanceOf(CapabilityError);
    expect((error as Error).message).toContain('query-failed: relation "boom" does not exist');
  });

  it('opens at the Spin variable db_url when it is set, and fails clearly with no address at all', async () => {
    const { spin, opened } = createFakeSpin();
    const variables = {
      get: (key: string) => (key === 'db_url' ? 'host=db user=app' : undefined),
      getAll: () => [],
    };
    const caps = createComponentCapabilities(
      { spinPostgres: spin, variables },
      { sqlAddress: () => 'unused' },
    );
    await caps.sql.query('SELECT 1');
    expect(opened).toEqual(['host=db user=app']);
    const bare = createComponentCapabilities({ spinPostgres: createFakeSpin().spin });
    await expect(bare.sql.query('SELECT 1')).rejects.toThrow(/set the Spin variable db_url/);
  });

  it('builds a Postgres URL from spring.datasource.*, with currentSchema as the search_path', () => {
    expect(
      toPostgresAddress({
        'spring.datasource.url': 'jdbc:postgresql://db.internal:6543/orders?currentSchema=inventory',
        'spring.datasource.username': 'app',
        'spring.datasource.password': 'p@ss',
      }),
    ).toBe('postgres://app:p%40ss@db.internal:6543/orders?options=-c%20search_path%3Dinventory');
    expect(toPostgresAddress({ 'spring.datasource.url': 'jdbc:postgresql://127.0.0.1/test' })).toBe(
      'postgres://127.0.0.1:5432/test',
    );
  });

  it('opens Spin Redis at redis_address, else at the ported spring.data.redis', () => {
    expect(
      toRedisAddress({
        'spring.data.redis.host': 'cache',
        'spring.data.redis.port': '6380',
        'spring.data.redis.password': 's3cret',
        'spring.data.redis.database': '2',
      }),
    ).toBe('redis://:s3cret@cache:6380/2');
    expect(toRedisAddress({ 'spring.data.redis.host': '127.0.0.1', 'spring.data.redis.password': '' })).toBe(
      'redis://127.0.0.1:6379',
    );
  });

  it('reads config from Spin variables under their lower-case names', () => {
    const asked: string[] = [];
    const variables = createSpinVariables({
      get: (key) => (asked.push(key), key === 'log_level' ? 'debug' : undefined),
      getAll: () => [['log_level', 'debug']],
    });
    const caps = createComponentCapabilities({ variables });
    expect(caps.config.get('LOG_LEVEL')).toBe('debug');
    expect(caps.config.get('spring.datasource.url')).toBeUndefined();
    expect(caps.config.get('9lives')).toBeUndefined();
    expect(asked).toEqual(['log_level', 'spring_datasource_url']);
    expect(caps.config.getAll()).toEqual({ log_level: 'debug' });
  });

  it('logs lines to wasi:cli/stdout when wasi:logging is absent', () => {
    const written: string[] = [];
    const stream = {
      blockingWriteAndFlush: (bytes: Uint8Array) => written.push(new TextDecoder().decode(bytes)),
    };
    const caps = createComponentCapabilities({ stdout: { getStdout: () => stream } });
    caps.log.log('info', 'inventory-service', 'Started');
    caps.log.log('warn', '', 'x'.repeat(5000));
    expect(written[0]).toBe('INFO inventory-service: Started\n');
    expect(written.slice(1).join('')).toBe(`WARN ${'x'.repeat(5000)}\n`);
    expect(written.slice(1).map((chunk) => chunk.length)).toEqual([4096, 5006 - 4096]);
  });
});
