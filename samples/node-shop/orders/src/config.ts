/** Everything the service reads from its environment, in one place. */
const {
  DATABASE_URL,
  NATS_URL = '127.0.0.1:4222',
  ORDER_SUBJECT = 'shop.order-placed',
  CATALOG_URL = 'http://127.0.0.1:3001',
  CART_URL = 'http://127.0.0.1:3002',
  PORT = '3003',
} = process.env;

export const config = {
  databaseUrl: DATABASE_URL,
  natsUrl: NATS_URL,
  orderSubject: ORDER_SUBJECT,
  catalogUrl: CATALOG_URL,
  cartUrl: CART_URL,
  port: Number(PORT),
};
