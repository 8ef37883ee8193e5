/**
 * The orders handler the benchmark runs three ways. Pure logic over two ports, so the component and the
 * plain Node server run exactly the same code.
 */
export interface OrdersPorts {
  /** Returns rows as plain objects. */
  query(sql: string, params: (string | number)[]): Record<string, unknown>[];
  publish(subject: string, body: string): void;
}

export interface OrdersResponse {
  status: number;
  body: string;
}

export function handleOrder(ports: OrdersPorts, body: string, table: string): OrdersResponse {
  let order: { sku?: unknown; qty?: unknown };
  try {
    order = JSON.parse(body) as { sku?: unknown; qty?: unknown };
  } catch {
    return { status: 400, body: '{"error":"invalid JSON"}' };
  }
  if (typeof order.sku !== 'string' || typeof order.qty !== 'number')
    return { status: 400, body: '{"error":"sku and qty required"}' };
  const stock = ports.query(`SELECT stock FROM ${table}_products WHERE sku = $1`, [order.sku]);
  if (stock.length === 0) return { status: 404, body: '{"error":"unknown sku"}' };
  const inserted = ports.query(`INSERT INTO ${table}_orders (sku, qty) VALUES ($1, $2) RETURNING id`, [
    order.sku,
    order.qty,
  ]);
  const id = Number(inserted[0]?.id);
  ports.publish(`${table}.placed`, JSON.stringify({ id, sku: order.sku, qty: order.qty }));
  return { status: 201, body: JSON.stringify({ id, sku: order.sku, qty: order.qty }) };
}
