import Fastify, { type FastifyInstance } from 'fastify';
import { cartRoutes } from './routes.ts';

export function createApp(): FastifyInstance {
  const app = Fastify();
  app.get('/health', async () => ({ status: 'UP' }));
  void app.register(cartRoutes, { prefix: '/api' });
  return app;
}
