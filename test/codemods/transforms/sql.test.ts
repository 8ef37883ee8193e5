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

const ORDER = `export class Order {
  id: number | null = null;
  orderNumber = '';
  orderLineItemsList: { id: number | null; skuCode: string; price: number; quantity: number }[] = [];
}
`;

/** Transactions: pool.connect() + BEGIN … COMMIT / ROLLBACK + release() → caps.sql.transaction. */
const transactionCases: Case[] = [
  {
    name: "rewrites the ported repository's save() transaction, keeping the pool as a type",
    others: { 'order.ts': ORDER },
    input: `import { Pool, type PoolClient } from 'pg';
import { Order } from './order.ts';

/** OrderRepository: Spring Data JPA repository of Order (table t_orders). */
export class OrderRepository {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  async existsById(id: number): Promise<boolean> {
    const result = await this.pool.query('SELECT 1 FROM t_orders WHERE id = $1', [id]);
    return result.rows.length > 0;
  }

  /** Inserts (generated id set on the entity) or updates by id, with its children, in one transaction. */
  async save(entity: Order): Promise<Order> {
    const client: PoolClient = await this.pool.connect();
    try {
      await client.query('BEGIN');
      if (entity.id == null) {
        const inserted = await client.query(\`INSERT INTO t_orders (order_number) VALUES ($1) RETURNING id\`, [
          entity.orderNumber,
        ]);
        entity.id = Number((inserted.rows[0] as Record<string, unknown>)['id']);
      } else {
        await client.query(\`UPDATE t_orders SET order_number = $2 WHERE id = $1\`, [
          entity.id,
          entity.orderNumber,
        ]);
      }
      for (const child of entity.orderLineItemsList) {
        if (child.id != null) continue;
        const inserted = await client.query(
          \`INSERT INTO t_order_line_items (sku_code, price, quantity, order_id) VALUES ($1, $2, $3, $4) RETURNING id\`,
          [child.skuCode, child.price, child.quantity, entity.id],
        );
        child.id = Number((inserted.rows[0] as Record<string, unknown>)['id']);
      }
      await client.query('COMMIT');
      return entity;
    } catch (error) {
      await client.query('ROLLBACK');
      throw error;
    } finally {
      client.release();
    }
  }
}
`,
    expected: `import type { Pool } from 'pg';
import { Order } from './order.ts';
import { caps } from './caps/capabilities.ts';

/** OrderRepository: Spring Data JPA repository of Order (table t_orders). */
export class OrderRepository {
  private readonly pool: Pool;

  constructor(pool: Pool) {
    this.pool = pool;
  }

  async existsById(id: number): Promise<boolean> {
    const result = await caps.sql.query('SELECT 1 FROM t_orders WHERE id = $1', [id]);
    return result.rows.length > 0;
  }

  /** Inserts (generated id set on the entity) or updates by id, with its children, in one transaction. */
  async save(entity: Order): Promise<Order> {
    return caps.sql.transaction(async (tx) => {
      if (entity.id == null) {
        const inserted = await tx.query(\`INSERT INTO t_orders (order_number) VALUES ($1) RETURNING id\`, [
          entity.orderNumber,
        ]);
        entity.id = Number((inserted.rows[0] as Record<string, unknown>)['id']);
      } else {
        await tx.query(\`UPDATE t_orders SET order_number = $2 WHERE id = $1\`, [
          entity.id,
          entity.orderNumber,
        ]);
      }
      for (const child of entity.orderLineItemsList) {
        if (child.id != null) continue;
        const inserted = await tx.query(
          \`INSERT INTO t_order_line_items (sku_code, price, quantity, order_id) VALUES ($1, $2, $3, $4) RETURNING id\`,
          [child.skuCode, child.price, child.quantity, entity.id],
        );
        child.id = Number((inserted.rows[0] as Record<string, unknown>)['id']);
      }
      return entity;
    });
  }
}
`,
  },
  {
    name: 'rewrites an express handler whose BEGIN precedes a try with no catch, awaiting it and keeping comments',
    input: `import express from 'express';
import pg from 'pg';

const pool = new pg.Pool({ connectionString: 'postgres://localhost/bank' });
export const app = express();

app.post('/transfers', async (req, res) => {
  const { from, to, amount } = req.body;
  const client = await pool.connect();
  // move the money in one transaction
  await client.query('BEGIN');
  try {
    await client.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    /* the credit side */
    await client.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
    await client.query('COMMIT');
  } finally {
    client.release();
  }
  res.status(204).end();
});
`,
    expected: `import express from 'express';
import { caps } from './caps/capabilities.ts';
export const app = express();

app.post('/transfers', async (req, res) => {
  const { from, to, amount } = req.body;
  // move the money in one transaction
  await caps.sql.transaction(async (tx) => {
    await tx.query('UPDATE accounts SET balance = balance - $1 WHERE id = $2', [amount, from]);
    /* the credit side */
    await tx.query('UPDATE accounts SET balance = balance + $1 WHERE id = $2', [amount, to]);
  });
  res.status(204).end();
});
`,
  },
  {
    name: 'names the callback parameter after the client when tx is taken, and keeps loops with continue',
    input: `import { Pool } from 'pg';

const pool = new Pool();
const tx = 'audit';

export async function record(items: string[]) {
  const client = await pool.connect();
  try {
    await client.query(\`BEGIN\`);
    for (const item of items) {
      if (item === '') continue;
      await client.query('INSERT INTO log (kind, item) VALUES ($1, $2)', [tx, item]);
    }
    await client.query(\`COMMIT\`);
  } catch (e) {
    await client.query(\`ROLLBACK\`);
    throw e;
  } finally {
    client.release();
  }
  return items.length;
}
`,
    expected: `import { caps } from './caps/capabilities.ts';
const tx = 'audit';

export async function record(items: string[]) {
  await caps.sql.transaction(async (client) => {
    for (const item of items) {
      if (item === '') continue;
      await client.query('INSERT INTO log (kind, item) VALUES ($1, $2)', [tx, item]);
    }
  });
  return items.length;
}
`,
  },
  {
    name: 'no change when the transaction is already migrated',
    input: `import { caps } from './caps/capabilities.ts';

export async function rename(id: number, name: string): Promise<void> {
  await caps.sql.transaction(async (tx) => {
    await tx.query('UPDATE items SET name = $2 WHERE id = $1', [id, name]);
  });
}
`,
    expected: `import { caps } from './caps/capabilities.ts';

export async function rename(id: number, name: string): Promise<void> {
  await caps.sql.transaction(async (tx) => {
    await tx.query('UPDATE items SET name = $2 WHERE id = $1', [id, name]);
  });
}
`,
  },
];

/** A transaction with something caps.sql.transaction cannot express: left whole, with a note saying why. */
const wrap = (
  tryBody: string,
  catchBody = "await client.query('ROLLBACK');\n    throw error;",
  after = '',
) => `import { Pool } from 'pg';

const pool = new Pool();

export async function archive(ids: number[]) {
  const client = await pool.connect();
  try {
    ${tryBody}
  } catch (error) {
    ${catchBody}
  } finally {
    client.release();
  }${after}
}
`;
const unrewritable: { name: string; input: string; reason: string }[] = [
  {
    name: 'a catch clause that logs before rethrowing',
    input: wrap(
      "await client.query('BEGIN');\n    await client.query('DELETE FROM orders');\n    await client.query('COMMIT');",
      "await client.query('ROLLBACK');\n    console.error('archive failed', error);\n    throw error;",
    ),
    reason: 'the catch clause does more than ROLLBACK and rethrow',
  },
  {
    name: 'a BEGIN with an isolation level',
    input: wrap(
      "await client.query('BEGIN ISOLATION LEVEL SERIALIZABLE');\n    await client.query('DELETE FROM orders');\n    await client.query('COMMIT');",
    ),
    reason: 'BEGIN with options (isolation level, read only) has no equivalent',
  },
  {
    name: 'a break that leaves the transaction',
    input: `import { Pool } from 'pg';

const pool = new Pool();

export async function archive(ids: number[]) {
  for (const id of ids) {
    const client = await pool.connect();
    try {
      await client.query('BEGIN');
      if (id < 0) break;
      await client.query('DELETE FROM orders WHERE id = $1', [id]);
      await client.query('COMMIT');
    } finally {
      client.release();
    }
  }
}
`,
    reason: 'break; leaves the transaction',
  },
  {
    name: 'a return followed by code that runs only when the transaction does not return',
    input: wrap(
      "await client.query('BEGIN');\n    if (ids.length === 0) return 0;\n    await client.query('DELETE FROM orders WHERE id = ANY($1)', [ids]);\n    await client.query('COMMIT');",
      undefined,
      '\n  return ids.length;',
    ),
    reason: 'code after it would run only when it does not',
  },
  {
    name: 'the client handed to another function',
    input: wrap(
      "await client.query('BEGIN');\n    await purge(client, ids);\n    await client.query('COMMIT');",
    ).replace(
      'export async',
      'declare function purge(client: unknown, ids: number[]): Promise<void>;\n\nexport async',
    ),
    reason: 'the client is used for more than query()',
  },
  {
    name: 'a COMMIT in the middle of the body',
    input: wrap(
      "await client.query('BEGIN');\n    await client.query('DELETE FROM orders');\n    await client.query('COMMIT');\n    await client.query('VACUUM orders');",
    ),
    reason: 'COMMIT is not the last statement',
  },
];

describe('sql transform', () => {
  it.each(cases)('$name', (c) => {
    const { first, second } = checkCase(c, [sqlTransform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });

  it.each(transactionCases)('$name', (c) => {
    const { first, second } = checkCase(c, [sqlTransform]);
    expect(first).toBe(c.expected);
    expect(second).toBe(first);
  });

  it.each(unrewritable)('leaves a transaction whole and notes it: $name', ({ input, reason }) => {
    const { output, result } = transformText(input, [sqlTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes).toEqual([
      { transform: 'sql', line: expect.any(Number), message: expect.stringContaining(reason) },
    ]);
    expect(result.files[0]?.notes[0]?.message).toContain('caps.sql.transaction');
  });

  it('leaves BEGIN/COMMIT on a pg Client and all its queries alone, with a note', () => {
    const input = `import pg from 'pg';

export async function move(client: pg.Client, id: number) {
  await client.query('BEGIN');
  await client.query('UPDATE items SET shelf = 2 WHERE id = $1', [id]);
  await client.query('COMMIT');
}
`;
    const { output, result } = transformText(input, [sqlTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes).toEqual([
      { transform: 'sql', line: 4, message: expect.stringContaining('transaction control outside') },
    ]);
  });

  it('notes a client checked out without a transaction, whose connect() and release() stay', () => {
    const input = `import { Pool } from 'pg';

const pool = new Pool();

export async function ping() {
  const client = await pool.connect();
  await client.query('SELECT 1');
  client.release();
}
`;
    const { output, result } = transformText(input, [sqlTransform]);
    expect(output).toContain("await caps.sql.query('SELECT 1');");
    expect(result.files[0]?.notes).toEqual([
      { transform: 'sql', line: 6, message: expect.stringContaining('pool.connect() is left as it is') },
    ]);
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

describe('sql: shapes left whole', () => {
  it('leaves a sql-template-strings statement object and the other queries on its pool, in every file', () => {
    const others = {
      'db.ts': `import pg from 'pg';\nexport const pool = new pg.Pool();\n`,
      'list.ts': `import { pool } from './db.ts';\nexport const list = () => pool.query('SELECT * FROM items');\n`,
    };
    const input = `import SQL from 'sql-template-strings';
import { pool } from './db.ts';

export const find = (id: string) => pool.query(SQL\`SELECT * FROM items WHERE id = \${id}\`);
`;
    const { output, result } = transformText(input, [sqlTransform], others);
    expect(output).toBe(input);
    const notes = result.files.flatMap((f) => f.notes.map((n) => `${f.path}:${n.line} ${n.message}`));
    expect(notes).toEqual([
      expect.stringMatching(
        /^src\/list\.ts:2 pool\.query\(…\) is left as it is: pool has a query at main\.ts:4/,
      ),
      expect.stringMatching(/^src\/main\.ts:4 pool\.query\(…\) takes a SQL`…` statement object/),
    ]);
  });

  it('notes a Prisma client and rewrites nothing of it', () => {
    const input = `import { PrismaClient } from '@prisma/client';

const prisma = new PrismaClient();
export const users = () => prisma.user.findMany();
`;
    const { output, result } = transformText(input, [sqlTransform]);
    expect(output).toBe(input);
    expect(result.files[0]?.notes).toEqual([
      { transform: 'sql', line: 3, message: expect.stringContaining('Prisma query engine') },
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
