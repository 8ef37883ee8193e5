import pg from 'pg';
import { config } from './config.ts';

export const pool = new pg.Pool({ connectionString: config.databaseUrl });

export interface OrderRow {
  order_number: string;
  cart_id: string;
  total_cents: number;
  items: { sku: string; quantity: number; priceCents: number }[];
}
