import { describe, expect, it } from 'vitest';
import { sqlTransform } from '../../../codemods/transforms/sql.ts';
import { checkCase, transformText, type Case } from './harness.ts';

const cases: Case[] = [
  {
    name: 'rewrites Pool.query with $1 params and drops the now-unused pool and import',
    input: `import { Pool } from 'pg';

const pool = new Pool({ connectionString: process.env.DATABASE_URL });

export async function findOrder(id: string) {
  // one row or none
  const { rows } = await pool.query<{ id: string }>('SELECT id FROM orders WHERE id = $1', [id]);
  return rows[0];
}
`,
    expected: `import { caps } from './caps/capabilities.ts';

export async function findOrder(id: string) {
  // one row or none
  const { rows } = await caps.sql.query<{ id: string }>('SELECT id FROM orders WHERE id = $1', [id]);
  return rows[0];
}
`,
  },
  {
    name: 'follows a pool exported by another module and a class property typed Pool, dropping the unused import',
    others: { 'db.ts': `import pg from 'pg';\nexport const pool = new pg.Pool();\n` },
    input: `import type { Pool } from 'pg';
import { pool } from './db.ts';

export class Orders {
  private readonly db: Pool;
  constructor(db: Pool) {
    this.db = db;
  }
  count() {
    return this.db.query('SELECT count(*) FROM orders');
  }
}

export const all = () => pool.query("SELECT * FROM orders");
`,
    expected: `import type { Pool } from 'pg';
import { caps } from './caps/capabilities.ts';

export class Orders {
  private readonly db: Pool;
  constructor(db: Pool) {
    this.db = db;
  }
  count() {
    return caps.sql.query('SELECT count(*) FROM orders');
  }
}

export const all = () => caps.sql.query("SELECT * FROM orders");
`,
  },
  {
    name: 'leaves a query method of a non-pg object alone',
    input: `const repo = { query: (sql: string) => sql };
repo.query('SELECT 1');
`,
    expected: `const repo = { query: (sql: string) => sql };
repo.query('SELECT 1');
`,
  },
  {
    name: 'no change when already migrated',
    input: `import { caps } from './caps/capabilities.ts';

export const all = () => caps.sql.query('SELECT * FROM orders');
`,
    expected: `import { caps } from './caps/capabilities.ts';

export const all = () => caps.sql.query('SELECT * FROM orders');
`,
  },
];

describe('sql transform', () => {
  it.each(cases)('$name', (c) => {
    const { first, second } = checkCase(c, [sqlTransform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });

  it('notes a query with a config object instead of rewriting it', () => {
    const input = `import { Pool } from 'pg';\nconst pool = new Pool();\npool.query({ text: 'SELECT 1' });\n`;
    const { output, result } = transformText(input, [sqlTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes).toEqual([
      { transform: 'sql', line: 3, message: expect.stringContaining('config object') },
    ]);
  });
});

describe('sql: pg imports left as types', () => {
  it('makes a pg import used only as types `import type`, so a bundle does not load pg', () => {
    const input = `import { Pool, type PoolClient } from 'pg';

export class Repo {
  constructor(private readonly pool: Pool) {}
  async find(id: number) {
    const client: PoolClient = await this.pool.connect();
    await client.query('SELECT 1 WHERE $1 = 1', [id]);
    client.release();
  }
}
`;
    const { output } = transformText(input, [sqlTransform]);
    expect(output).toContain("import type { Pool, PoolClient } from 'pg';");
    expect(output).toContain("caps.sql.query('SELECT 1 WHERE $1 = 1', [id])");
  });

  it('keeps a pg import that is still used as a value', () => {
    const input = `import { Pool } from 'pg';

const pool = new Pool();
export const query = (text: string) => pool.query(text);
export const other = new Pool();
`;
    const { output } = transformText(input, [sqlTransform]);
    expect(output).toContain("import { Pool } from 'pg';");
  });
});
