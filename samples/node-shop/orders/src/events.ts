import { connect, JSONCodec } from 'nats';
import { config } from './config.ts';

export interface OrderPlaced {
  orderNumber: string;
  totalCents: number;
}

const nc = await connect({ servers: config.natsUrl });
const codec = JSONCodec<OrderPlaced>();

export function publishOrderPlaced(event: OrderPlaced): void {
  nc.publish(config.orderSubject, codec.encode(event));
}
