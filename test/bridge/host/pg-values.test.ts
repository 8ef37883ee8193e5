import pg from 'pg';
import { describe, expect, it } from 'vitest';
import { fromPgResult, toPgParam } from '../../../bridge/host/pg-values.ts';

const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

describe('pg-value parameters', () => {
  it('turns the typed arrays jco lifts list<s32>/list<s64> into arrays Postgres receives as arrays', async () => {
    const int4 = toPgParam({ tag: 'int4-array', val: new Int32Array([3, 1, 2]) });
    const int8 = toPgParam({ tag: 'int8-array', val: new BigInt64Array([9007199254740993n]) });
    expect(int4).toEqual([3, 1, 2]);
    expect(int8).toEqual(['9007199254740993']);
    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    try {
      const result = await db.query<{ n: number; big: string }>(
        'SELECT (SELECT count(*)::int FROM unnest($1::int4[]) AS x WHERE x = ANY($1)) AS n, ($2::int8[])[1]::text AS big',
        [int4, int8],
      );
      expect(result.rows[0]).toEqual({ n: 3, big: '9007199254740993' });
    } finally {
      await db.end();
    }
  });
});

describe('pg-value results', () => {
  it('gives a DATE column as the day written (YYYY-MM-DD), not the instant node-postgres parses it to', async () => {
    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    try {
      const result = await db.query("SELECT DATE '2026-01-01' AS d, DATE '0999-12-31' AS old");
      const [d, old] = result.fields.map((f) => fromPgResult(result.rows[0][f.name], f.dataTypeID));
      expect(d).toEqual({ tag: 'text', val: '2026-01-01' });
      expect(old).toEqual({ tag: 'text', val: '0999-12-31' });
    } finally {
      await db.end();
    }
  });
});
