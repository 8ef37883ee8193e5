import { describe, expect, it } from 'vitest';
import { CapabilityError } from '../../../codemods/facade/capabilities.ts';
import {
  createComponentCapabilities,
  fromPgValue,
  toPgValue,
  type WitBucket,
} from '../../../codemods/facade/component.ts';
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
    expect(statements).toEqual(['BEGIN', 'INSERT 1', 'COMMIT', 'BEGIN', 'INSERT 2', 'ROLLBACK']);
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
});
