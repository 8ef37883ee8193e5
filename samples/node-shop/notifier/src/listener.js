import { connect, JSONCodec } from 'nats';

const { NATS_URL = '127.0.0.1:4222', ORDER_SUBJECT = 'shop.order-placed' } = process.env;

/** Order numbers this service has been told about, oldest first. */
export const notifications = [];

const nc = await connect({ servers: NATS_URL });
const codec = JSONCodec();

export function listenForOrders() {
  nc.subscribe(ORDER_SUBJECT, {
    callback: (error, message) => {
      if (error) return;
      const event = codec.decode(message.data);
      notifications.push({ orderNumber: event.orderNumber, totalCents: event.totalCents });
      console.log(`notified of order ${event.orderNumber}`);
    },
  });
}
