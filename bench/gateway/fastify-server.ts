// Benchmark child: @fastify/http-proxy in front of one upstream (its fastest configuration: undici).
import proxy from '@fastify/http-proxy';
import Fastify from 'fastify';

const upstream = process.argv[2]!;
const app = Fastify({ logger: false });
await app.register(proxy, { upstream, http2: false });
const address = await app.listen({ host: '127.0.0.1', port: 0 });
process.stdout.write(`${JSON.stringify({ ready: true, url: address })}\n`);
