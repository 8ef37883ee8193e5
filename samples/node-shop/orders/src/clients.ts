import { config } from './config.ts';

export interface CartItem {
  sku: string;
  quantity: number;
}

/** The cart's items; an unknown cart is an empty one. */
export async function fetchCart(cartId: string): Promise<CartItem[]> {
  const response = await fetch(`${config.cartUrl}/api/carts/${encodeURIComponent(cartId)}`);
  if (!response.ok) throw new Error(`cart service answered ${response.status}`);
  const body = (await response.json()) as { items: CartItem[] };
  return body.items;
}

export async function clearCart(cartId: string): Promise<void> {
  const response = await fetch(`${config.cartUrl}/api/carts/${encodeURIComponent(cartId)}`, {
    method: 'DELETE',
  });
  if (!response.ok) throw new Error(`cart service answered ${response.status}`);
}

/** The product's price in cents, or undefined when the catalog does not know it. */
export async function fetchPrice(sku: string): Promise<number | undefined> {
  const response = await fetch(`${config.catalogUrl}/api/products/${encodeURIComponent(sku)}`);
  if (response.status === 404) return undefined;
  if (!response.ok) throw new Error(`catalog service answered ${response.status}`);
  const body = (await response.json()) as { priceCents: number };
  return body.priceCents;
}
