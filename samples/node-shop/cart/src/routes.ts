import type { FastifyInstance } from 'fastify';
import { deleteCart, readCart, writeCart } from './store.ts';

interface CartParams {
  cartId: string;
}
interface ItemParams extends CartParams {
  sku: string;
}

/** The cart routes; the app mounts them under /api. */
export async function cartRoutes(app: FastifyInstance): Promise<void> {
  app.get<{ Params: CartParams }>('/carts/:cartId', async (request) => {
    const { cartId } = request.params;
    return { cartId, items: await readCart(cartId) };
  });

  app.put<{ Params: ItemParams; Body: { quantity?: unknown } }>(
    '/carts/:cartId/items/:sku',
    async (request, reply) => {
      const { cartId, sku } = request.params;
      const quantity = request.body?.quantity;
      if (typeof quantity !== 'number' || !Number.isInteger(quantity) || quantity < 1) {
        return reply.code(400).send({ message: 'quantity must be an integer >= 1' });
      }
      const items = (await readCart(cartId)).filter((item) => item.sku !== sku);
      items.push({ sku, quantity });
      items.sort((a, b) => a.sku.localeCompare(b.sku));
      await writeCart(cartId, items);
      return { cartId, items };
    },
  );

  app.delete<{ Params: CartParams }>('/carts/:cartId', async (request, reply) => {
    await deleteCart(request.params.cartId);
    return reply.code(204).send();
  });
}
