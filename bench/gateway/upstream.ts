// Benchmark upstream: two tiny JSON servers (the "container" and "wasm" sides) in one process.
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';

const body = JSON.stringify({ id: 42, name: 'iphone_13', price: 1200, inStock: true, tags: ['a', 'b', 'c'] });
const ports: number[] = [];
for (const side of ['container', 'wasm']) {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(200, { 'content-type': 'application/json', 'content-length': body.length, 'x-side': side });
    res.end(body);
  });
  server.keepAliveTimeout = 60_000;
  await new Promise<void>((done) => server.listen(0, '127.0.0.1', done));
  ports.push((server.address() as AddressInfo).port);
}
process.stdout.write(`${JSON.stringify({ ready: true, ports })}\n`);
