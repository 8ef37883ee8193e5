/** Table contents of one schema before and after a request, and what changed (adapter over pg, plus a pure diff). */
import pg from 'pg';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import type { TableDelta } from '../model.ts';

/** Tables larger than this are not compared (a note says so). */
const MAX_ROWS = 5000;

export interface TableSnapshot {
  /** Primary-key columns; every column when the table has none. */
  key: string[];
  rows: Map<string, Record<string, unknown>>;
}

export type SchemaSnapshot = Map<string, TableSnapshot>;

const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;

/** Reads every table of one schema (rows as JSON, so numerics and dates compare as text). */
export class RowsReader {
  readonly #pool: pg.Pool;
  readonly #schema: string;
  readonly notes: string[] = [];

  constructor(url: string, schema: string) {
    this.#pool = new pg.Pool({ connectionString: url, max: 1 });
    this.#schema = schema;
  }

  async snapshot(): Promise<SchemaSnapshot> {
    const out: SchemaSnapshot = new Map();
    try {
      const tables = await this.#pool.query<{ table_name: string }>(
        `SELECT table_name FROM information_schema.tables WHERE table_schema = $1 AND table_type = 'BASE TABLE' ORDER BY table_name`,
        [this.#schema],
      );
      for (const { table_name: table } of tables.rows) {
        const keys = await this.#pool.query<{ column_name: string }>(
          `SELECT a.attname AS column_name FROM pg_index i
             JOIN pg_attribute a ON a.attrelid = i.indrelid AND a.attnum = ANY(i.indkey)
            WHERE i.indrelid = ($1 || '.' || $2)::regclass AND i.indisprimary ORDER BY a.attname`,
          [quote(this.#schema), quote(table)],
        );
        const name = `${quote(this.#schema)}.${quote(table)}`;
        const result = await this.#pool.query<{ row: Record<string, unknown> }>(
          `SELECT to_jsonb(t) AS row FROM ${name} t LIMIT ${MAX_ROWS + 1}`,
        );
        if (result.rows.length > MAX_ROWS) {
          const note = `table ${this.#schema}.${table} has more than ${MAX_ROWS} rows: its rows are not compared`;
          if (!this.notes.includes(note)) this.notes.push(note);
          continue;
        }
        const key = keys.rows.map((k) => k.column_name);
        const rows = new Map<string, Record<string, unknown>>();
        for (const { row } of result.rows) rows.set(rowKey(row, key), row);
        out.set(table, { key, rows });
      }
    } catch (error) {
      throw wrapError(
        ErrorCode.backend,
        `cannot read the tables of schema ${this.#schema}`,
        error,
        'check DB_URL and DB_SCHEMA of the side (--legacy-env / --component-env)',
      );
    }
    return out;
  }

  async close(): Promise<void> {
    await this.#pool.end();
  }
}

function rowKey(row: Record<string, unknown>, key: readonly string[]): string {
  const columns = key.length > 0 ? key : Object.keys(row).sort();
  return JSON.stringify(columns.map((c) => row[c] ?? null));
}

function byKey(key: readonly string[]) {
  return (a: Record<string, unknown>, b: Record<string, unknown>): number => {
    const ka = rowKey(a, key);
    const kb = rowKey(b, key);
    return ka < kb ? -1 : ka > kb ? 1 : 0;
  };
}

/** Rows inserted, deleted and updated between two snapshots; only tables that changed. Pure. */
export function diffSnapshots(before: SchemaSnapshot, after: SchemaSnapshot): Record<string, TableDelta> {
  const out: Record<string, TableDelta> = {};
  for (const [table, now] of after) {
    const then: TableSnapshot = before.get(table) ?? {
      key: now.key,
      rows: new Map<string, Record<string, unknown>>(),
    };
    const delta: TableDelta = { inserted: [], deleted: [], updated: [] };
    for (const [key, row] of now.rows) {
      const old = then.rows.get(key);
      if (old === undefined) delta.inserted.push(row);
      else if (JSON.stringify(old) !== JSON.stringify(row)) delta.updated.push({ before: old, after: row });
    }
    for (const [key, row] of then.rows) if (!now.rows.has(key)) delta.deleted.push(row);
    if (delta.inserted.length + delta.deleted.length + delta.updated.length === 0) continue;
    const order = byKey(now.key);
    delta.inserted.sort(order);
    delta.deleted.sort(order);
    delta.updated.sort((a, b) => order(a.after, b.after));
    out[table] = delta;
  }
  return out;
}

/** Creates the schema when missing and runs the seed SQL files in it, in order. */
export async function seedSchema(
  url: string,
  schema: string,
  files: readonly { path: string; sql: string }[],
): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`CREATE SCHEMA IF NOT EXISTS ${quote(schema)}`);
    await client.query(`SET search_path TO ${quote(schema)}`);
    for (const file of files) {
      try {
        await client.query(file.sql);
      } catch (error) {
        throw new AppError(
          ErrorCode.input,
          `seed file ${file.path} failed in schema ${schema}: ${(error as Error).message}`,
          {
            cause: error,
            hint: "fix the SQL file (it runs with search_path set to the side's DB_SCHEMA)",
          },
        );
      }
    }
  } catch (error) {
    throw wrapError(
      ErrorCode.backend,
      `cannot seed schema ${schema}`,
      error,
      'check DB_URL of the side and that Postgres runs',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

/** Drops a schema verify made itself. */
export async function dropSchema(url: string, schema: string): Promise<void> {
  const client = new pg.Client({ connectionString: url });
  try {
    await client.connect();
    await client.query(`DROP SCHEMA IF EXISTS ${quote(schema)} CASCADE`);
  } finally {
    await client.end().catch(() => undefined);
  }
}
