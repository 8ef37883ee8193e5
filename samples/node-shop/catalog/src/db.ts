import pg from 'pg';

const { DATABASE_URL } = process.env;

/** One pool for the service; DATABASE_URL names the database (and, in its options, the schema). */
export const pool = new pg.Pool({ connectionString: DATABASE_URL });

export interface ProductRow {
  sku: string;
  name: string;
  price_cents: number;
}
