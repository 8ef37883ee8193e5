import express from 'express';
import { pool, type ProductRow } from './db.ts';

const { PRODUCTS_TABLE = 'products' } = process.env;

interface Product {
  sku: string;
  name: string;
  priceCents: number;
}

const toProduct = (row: ProductRow): Product => ({ sku: row.sku, name: row.name, priceCents: row.price_cents });

function isProduct(body: unknown): body is Product {
  const p = body as Partial<Product> | undefined;
  return (
    typeof p?.sku === 'string' &&
    /^[a-z0-9-]{1,40}$/.test(p.sku) &&
    typeof p.name === 'string' &&
    p.name !== '' &&
    Number.isInteger(p.priceCents) &&
    (p.priceCents ?? -1) >= 0
  );
}

export function createApp(): express.Express {
  const app = express();
  app.use(express.json());
  const products = express.Router();

  products.get('/', async (_req, res) => {
    const { rows } = await pool.query<ProductRow>(`SELECT sku, name, price_cents FROM ${PRODUCTS_TABLE} ORDER BY sku`);
    res.json(rows.map(toProduct));
  });

  products.get('/:sku', async (req, res) => {
    const { rows } = await pool.query<ProductRow>(
      `SELECT sku, name, price_cents FROM ${PRODUCTS_TABLE} WHERE sku = $1`,
      [req.params.sku],
    );
    const row = rows[0];
    if (row === undefined) res.status(404).json({ message: `no product ${req.params.sku}` });
    else res.json(toProduct(row));
  });

  products.post('/', async (req, res) => {
    const body: unknown = req.body;
    if (!isProduct(body)) {
      res.status(400).json({ message: 'a product needs sku (a-z, 0-9, -), name and priceCents (integer >= 0)' });
      return;
    }
    const { rowCount } = await pool.query(
      `INSERT INTO ${PRODUCTS_TABLE} (sku, name, price_cents) VALUES ($1, $2, $3) ON CONFLICT (sku) DO NOTHING`,
      [body.sku, body.name, body.priceCents],
    );
    if (rowCount === 0) {
      res.status(409).json({ message: `product ${body.sku} exists` });
      return;
    }
    res.status(201).json({ sku: body.sku, name: body.name, priceCents: body.priceCents });
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'UP' });
  });
  app.use('/api/products', products);
  return app;
}
