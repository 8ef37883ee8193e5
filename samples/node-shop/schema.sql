-- The tables catalog and orders write to, created in the schema named by the run (search_path).
CREATE TABLE IF NOT EXISTS products (
  sku text PRIMARY KEY,
  name text NOT NULL,
  price_cents integer NOT NULL
);
CREATE TABLE IF NOT EXISTS orders (
  order_number text PRIMARY KEY,
  cart_id text NOT NULL,
  total_cents integer NOT NULL,
  items jsonb NOT NULL
);
INSERT INTO products (sku, name, price_cents) VALUES
  ('kettle', 'Kettle', 2999),
  ('teapot', 'Teapot', 1850),
  ('mug', 'Mug', 650)
ON CONFLICT (sku) DO NOTHING;
