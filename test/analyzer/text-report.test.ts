import { describe, expect, it } from 'vitest';
import { analyzeEstate, reporters } from '../../analyzer/index.ts';

describe('text report', () => {
  it('aligns the endpoint columns across services', async () => {
    const estate = await analyzeEstate('samples/spring-orders', { readers: [] });
    const text = reporters.text(estate);
    const section = text.slice(text.indexOf('Endpoints:\n'), text.indexOf('\n\nGraph:'));
    expect(section.split('\n')).toEqual([
      'Endpoints:',
      '  inventory-service     GET   /api/inventory     → 200  InventoryController.isInStock',
      '  notification-service  GET   /api/notification  → 200  NotificationController.getNotifications',
      '  order-service         GET   /api/order         → 200  OrderController.getOrders',
      '  order-service         POST  /api/order         → 201  OrderController.placeOrder',
      '  product-service       GET   /api/product       → 200  ProductController.getAllProducts',
      '  product-service       POST  /api/product       → 201  ProductController.createProduct',
    ]);
  });
});
