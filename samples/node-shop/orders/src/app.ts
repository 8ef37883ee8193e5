import express, { type NextFunction, type Request, type Response } from 'express';
import { clearCart, fetchCart, fetchPrice } from './clients.ts';
import { pool, type OrderRow } from './db.ts';
import { publishOrderPlaced } from './events.ts';

const ORDERS = 'orders';

export function createApp(): express.Express {
  const app = express();
  app.use(express.json());
  const orders = express.Router();

  orders.post('/', async (req, res) => {
    const { cartId } = (req.body ?? {}) as { cartId?: unknown };
    if (typeof cartId !== 'string' || cartId === '') {
      res.status(400).json({ message: 'cartId is required' });
      return;
    }
    const cart = await fetchCart(cartId);
    if (cart.length === 0) {
      res.status(409).json({ message: `cart ${cartId} is empty` });
      return;
    }
    const items = [];
    for (const item of cart) {
      const priceCents = await fetchPrice(item.sku);
      if (priceCents === undefined) {
        res.status(422).json({ message: `unknown product ${item.sku}` });
        return;
      }
      items.push({ ...item, priceCents });
    }
    const totalCents = items.reduce((sum, item) => sum + item.priceCents * item.quantity, 0);
    const orderNumber = crypto.randomUUID();
    await pool.query(
      `INSERT INTO ${ORDERS} (order_number, cart_id, total_cents, items) VALUES ($1, $2, $3, $4)`,
      [orderNumber, cartId, totalCents, JSON.stringify(items)],
    );
    publishOrderPlaced({ orderNumber, totalCents });
    await clearCart(cartId);
    console.info(`order ${orderNumber} placed for cart ${cartId}`);
    res.status(201).json({ orderNumber, cartId, totalCents, items });
  });

  orders.get('/:orderNumber', async (req, res) => {
    const { rows } = await pool.query<OrderRow>(
      `SELECT order_number, cart_id, total_cents, items FROM ${ORDERS} WHERE order_number = $1`,
      [req.params.orderNumber],
    );
    const row = rows[0];
    if (row === undefined) {
      res.status(404).json({ message: `no order ${req.params.orderNumber}` });
      return;
    }
    res.json({ orderNumber: row.order_number, cartId: row.cart_id, totalCents: row.total_cents, items: row.items });
  });

  app.get('/health', (_req, res) => {
    res.json({ status: 'UP' });
  });
  app.use('/api/orders', orders);
  app.use((error: Error, _req: Request, res: Response, _next: NextFunction) => {
    console.error(error.message);
    res.status(502).json({ message: error.message });
  });
  return app;
}
