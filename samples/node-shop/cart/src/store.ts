import { Redis } from 'ioredis';

const { REDIS_URL = 'redis://127.0.0.1:6379' } = process.env;
const redis = new Redis(REDIS_URL);

export interface CartItem {
  sku: string;
  quantity: number;
}

const keyOf = (cartId: string): string => `cart:${cartId}`;

export async function readCart(cartId: string): Promise<CartItem[]> {
  const text = await redis.get(keyOf(cartId));
  return text === null ? [] : (JSON.parse(text) as CartItem[]);
}

export async function writeCart(cartId: string, items: CartItem[]): Promise<void> {
  await redis.set(keyOf(cartId), JSON.stringify(items));
}

export async function deleteCart(cartId: string): Promise<void> {
  await redis.del(keyOf(cartId));
}
