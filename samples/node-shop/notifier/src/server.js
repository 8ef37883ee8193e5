import { createServer } from 'node:http';
import { listenForOrders, notifications } from './listener.js';

const { PORT = '3004' } = process.env;

function send(res, status, body) {
  res.writeHead(status, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}

const server = createServer((req, res) => {
  const url = new URL(req.url ?? '/', 'http://localhost');
  if (req.method === 'GET' && url.pathname === '/health') return send(res, 200, { status: 'UP' });
  if (req.method === 'GET' && url.pathname === '/api/notifications') {
    const orderNumber = url.searchParams.get('orderNumber');
    const found = orderNumber === null ? notifications : notifications.filter((n) => n.orderNumber === orderNumber);
    return send(res, 200, found);
  }
  return send(res, 404, { message: `no route ${req.method} ${url.pathname}` });
});

listenForOrders();
server.listen(Number(PORT), '127.0.0.1', () => console.log(`notifier listening on ${PORT}`));
