/* eslint-disable @typescript-eslint/only-throw-error -- jco turns a thrown `{ payload }` into a WIT `err`; an Error would trap the guest */
/**
 * `spin:postgres/postgres@3.0.0` served by the host: components built with `--target spin` run here against the
 * host's Postgres backend, through the same `sql.*` calls (and per-instance sessions) as `wasmcloud:postgres`.
 * The address the guest opens is not dialled: like Spin's `allowed_outbound_hosts`, the host decides where SQL
 * goes (the `sql` grant's backend). Parameters become `pg-value`s, results `db-value`s; an empty result has no
 * column list (the host's SQL call returns columns only with rows).
 */
import { errValue } from './guest-http.ts';
import { fromHashable, toHashable, type PgValue } from './pg-values.ts';
import { afterCall, type Eventually, type GuestCall } from './guest-imports.ts';
import type { CallOutcome } from './sync-call.ts';

/** A `db-value` or `parameter-value` as jco represents a variant. */
interface SpinValue {
  tag: string;
  val?: unknown;
}

const pad = (n: number, width = 2): string => String(n).padStart(width, '0');

/** A `parameter-value` → the `pg-value` the host's SQL backend takes. */
export function fromSpinParameter(value: SpinValue): PgValue {
  const { tag, val } = value;
  switch (tag) {
    case 'db-null':
      return { tag: 'null' };
    case 'boolean':
      return { tag: 'bool', val };
    case 'int8':
    case 'int16':
      return { tag: 'int2', val };
    case 'int32':
      return { tag: 'int4', val };
    case 'int64':
      return { tag: 'int8', val };
    case 'floating32':
    case 'floating64':
      return { tag: 'float8', val: toHashable(val as number) };
    case 'binary':
      return { tag: 'bytea', val };
    case 'date': {
      const [y, m, d] = val as [number, number, number];
      return { tag: 'text', val: `${pad(y, 4)}-${pad(m)}-${pad(d)}` };
    }
    case 'time': {
      const [h, min, s, ns] = val as [number, number, number, number];
      return { tag: 'text', val: `${pad(h)}:${pad(min)}:${pad(s)}.${pad(ns, 9)}` };
    }
    case 'datetime': {
      const [y, m, d, h, min, s, ns] = val as [number, number, number, number, number, number, number];
      return {
        tag: 'text',
        val: `${pad(y, 4)}-${pad(m)}-${pad(d)} ${pad(h)}:${pad(min)}:${pad(s)}.${pad(ns, 9)}`,
      };
    }
    case 'timestamp':
      return { tag: 'text', val: new Date(Number(val) * 1000).toISOString() };
    default:
      return { tag: 'text', val: String(val) };
  }
}

/** A result `pg-value` → a `db-value` and its column's `db-data-type`. */
export function toSpinValue(value: PgValue): { value: SpinValue; dataType: string } {
  const { tag, val } = value;
  switch (tag) {
    case 'null':
      return { value: { tag: 'db-null' }, dataType: 'other' };
    case 'bool':
      return { value: { tag: 'boolean', val }, dataType: 'boolean' };
    case 'int2':
      return { value: { tag: 'int16', val }, dataType: 'int16' };
    case 'int4':
      return { value: { tag: 'int32', val }, dataType: 'int32' };
    case 'int8':
      return { value: { tag: 'int64', val }, dataType: 'int64' };
    case 'float8':
      return { value: { tag: 'floating64', val: fromHashable(val) }, dataType: 'floating64' };
    case 'bytea':
      return { value: { tag: 'binary', val }, dataType: 'binary' };
    default:
      return { value: { tag: 'str', val: String(val) }, dataType: 'str' };
  }
}

/** The SQL backend's error value → spin:postgres `error`. */
function toSpinError(error: unknown): SpinValue {
  const { tag, val } = (error ?? {}) as { tag?: string; val?: unknown };
  const inner = (tag === 'query-error' ? val : error) as { tag?: string; val?: unknown } | undefined;
  const text = typeof inner?.val === 'string' ? inner.val : String(inner?.tag ?? 'failed');
  return inner?.tag === 'invalid-params'
    ? { tag: 'bad-parameter', val: text }
    : { tag: 'query-failed', val: text };
}

function unwrap(outcome: CallOutcome): unknown {
  if (outcome.ok) return outcome.value;
  throw errValue(toSpinError(outcome.error));
}

/** The `spin:postgres/postgres` import object: `{ Connection }`. */
export function createSpinPostgres(call: GuestCall): Record<string, unknown> {
  class Connection {
    static open(_address: string): Connection {
      return new Connection();
    }
    query(statement: string, params: SpinValue[]): Eventually<unknown> {
      return afterCall(call('sql.query', [statement, params.map(fromSpinParameter)]), (outcome) =>
        toSpinRowSet(unwrap(outcome) as { columnName: string; value: PgValue }[][]),
      );
    }
    execute(statement: string, params: SpinValue[]): Eventually<bigint> {
      return afterCall(call('sql.prepare', [statement]), (prepared) =>
        afterCall(
          call('sql.exec', [unwrap(prepared) as string, params.map(fromSpinParameter)]),
          (outcome) => unwrap(outcome) as bigint,
        ),
      );
    }
  }
  return { Connection };
}

/** The SQL backend's rows → a spin:postgres `row-set`. */
function toSpinRowSet(rows: { columnName: string; value: PgValue }[][]): unknown {
  const converted = rows.map((row) => row.map((entry) => toSpinValue(entry.value)));
  const first = rows[0] ?? [];
  return {
    columns: first.map((entry, i) => ({ name: entry.columnName, dataType: converted[0]![i]!.dataType })),
    rows: converted.map((row) => row.map((entry) => entry.value)),
  };
}
