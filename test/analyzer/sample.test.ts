import { describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../analyzer/index.ts';
import { CAPABILITY_CATALOG } from '../../shared/catalog.ts';

describe('analyze samples/spring-orders', async () => {
  const estate = await analyzeEstate('samples/spring-orders');
  const byId = Object.fromEntries(estate.services.map((s) => [s.id, s]));

  it('finds the four services and all their endpoints', () => {
    expect(
      estate.services.flatMap((s) => s.endpoints.map((e) => `${s.id} ${e.method} ${e.path} ${e.status}`)),
    ).toEqual([
      'inventory-service GET /api/inventory 200',
      'notification-service GET /api/notification 200',
      'order-service GET /api/order 200',
      'order-service POST /api/order 201',
      'product-service GET /api/product 200',
      'product-service POST /api/product 201',
    ]);
  });

  it('finds effects of every kind the estate uses', () => {
    const kinds = new Set(estate.services.flatMap((s) => s.effects.map((e) => e.kind)));
    for (const kind of [
      'http-in',
      'http-out',
      'sql',
      'redis',
      'publish',
      'subscribe',
      'config',
      'random',
      'log',
    ])
      expect(kinds).toContain(kind);
    const order = byId['order-service']!;
    expect(
      order.effects
        .filter((e) => ['http-out', 'publish', 'random', 'sql'].includes(e.kind))
        .map((e) => [e.kind, e.detail.summary, e.via.map((v) => v.symbol).join(' > ')]),
    ).toEqual([
      [
        'http-out',
        'GET ${inventory.url}/api/inventory',
        'OrderController.placeOrder > OrderService.placeOrder > InventoryClient.checkStock',
      ],
      [
        'publish',
        'publish ${nats.subject}',
        'OrderController.placeOrder > OrderService.placeOrder > OrderEventPublisher.publish > OrderEventPublisher.store',
      ],
      [
        'publish',
        'publish ${nats.subject}',
        'OrderController.placeOrder > OrderService.placeOrder > OrderEventPublisher.publish > OrderEventPublisher.send',
      ],
      ['random', 'UUID.randomUUID', 'OrderController.placeOrder > OrderService.placeOrder'],
      ['sql', 'UPSERT t_orders', 'OrderController.placeOrder > OrderService.placeOrder'],
      ['sql', 'SELECT t_orders (id)', 'OrderController.getOrders > OrderService.getAllOrders'],
    ]);
    expect(order.effects.find((e) => e.kind === 'http-out')?.capability).toEqual({
      wasmcloud: 'wasi:http/outgoing-handler@0.2.10',
      spin: 'wasi:http/outgoing-handler@0.2.10',
      spin4: 'wasi:http/outgoing-handler@0.2.10',
      embedded: 'wasi:http/outgoing-handler@0.2.10',
    });
  });

  it('draws the edges with evidence from code and infra', () => {
    expect(estate.edges.map((e) => [e.from, e.kind, e.to])).toEqual([
      ['inventory-service', 'sql', 'postgres'],
      ['order-service', 'http', 'inventory-service'],
      ['order-service', 'message', 'notification-service'],
      ['order-service', 'sql', 'postgres'],
      ['product-service', 'kv', 'redis'],
    ]);
    const http = estate.edges.find((e) => e.kind === 'http')!;
    expect([...new Set(http.evidence.map((e) => e.from))].sort()).toEqual([
      'code',
      'compose',
      'k8s',
      'properties',
    ]);
    const message = estate.edges.find((e) => e.kind === 'message')!;
    expect(message.detail).toBe('orders.placed');
    // the order publisher's JetStream publish and its core publish (no stream), and the listener's subscription
    expect(
      message.evidence
        .filter((e) => e.from === 'code')
        .map((e) => [e.source.file.split('/')[0], e.source.line]),
    ).toEqual([
      ['order-service', 105],
      ['notification-service', expect.any(Number)],
      ['order-service', 117],
    ]);
  });

  it('scores readiness per target: NATS blocks Spin only, Redis hashes need porting on wasmCloud', () => {
    expect(
      Object.fromEntries(
        estate.services.map((s) => [
          s.id,
          [s.readiness.wasmcloud.level, s.readiness.spin.level, s.readiness.embedded.level],
        ]),
      ),
    ).toEqual({
      'inventory-service': ['ready', 'ready', 'ready'],
      'notification-service': ['ready', 'blocked', 'ready'],
      'order-service': ['ready', 'blocked', 'ready'],
      'product-service': ['port-needed', 'ready', 'ready'],
    });
    expect(byId['order-service']!.readiness.spin.blockers.map((b) => [b.kind, b.evidence[0]?.line])).toEqual([
      ['publish', 105],
    ]);
  });

  it('classes the @RedisHash repository as redis, as migrate build does: port-needed on wasmCloud only', () => {
    const product = byId['product-service']!;
    expect(
      product.effects
        .filter((e) => e.kind === 'kv' || e.kind === 'redis')
        .map((e) => [e.kind, e.detail.api, e.detail.operation, e.detail.key, e.site.line]),
    ).toEqual([
      ['redis', 'ProductRepository.save', 'set', 'product:*', 30],
      ['redis', 'ProductRepository.findAll', 'get', 'product:*', 36],
    ]);
    expect(product.effects.find((e) => e.kind === 'redis')?.capability).toEqual({
      wasmcloud: null,
      spin: 'fermyon:spin/redis@2.0.0',
      spin4: 'fermyon:spin/redis@2.0.0',
      embedded: 'fermyon:spin/redis@2.0.0',
    });
    const wasmcloud = product.readiness.wasmcloud;
    expect(wasmcloud.level).toBe('port-needed');
    expect(wasmcloud.blockers.map((b) => [b.kind, b.severity, b.evidence.map((e) => e.line)])).toEqual([
      ['redis', 'port-needed', [30, 36]],
    ]);
    // the catalog's reason and way out, word for word
    expect(CAPABILITY_CATALOG.redis.wasmcloud).toEqual({
      supported: false,
      severity: 'port-needed',
      reason: wasmcloud.blockers[0]!.reason,
      wayOut: wasmcloud.blockers[0]!.wayOut,
    });
    expect(wasmcloud.blockers[0]!.reason).toMatch(/wasi:keyvalue stores only keys and values/);
    expect([product.readiness.spin.blockers, product.readiness.embedded.blockers]).toEqual([[], []]);
  });

  it('joins each service to its compose service, Dockerfile and k8s Deployment, with secrets redacted', () => {
    expect(
      estate.services.map((s) => [
        s.id,
        s.container?.dockerfile,
        s.deployments
          .filter((d) => d.kind === 'compose' || d.kind === 'Deployment')
          .map((d) => `${d.kind}:${d.name}`),
      ]),
    ).toEqual([
      [
        'inventory-service',
        'inventory-service/Dockerfile',
        ['Deployment:inventory-service', 'compose:inventory-service'],
      ],
      [
        'notification-service',
        'notification-service/Dockerfile',
        ['Deployment:notification-service', 'compose:notification-service'],
      ],
      ['order-service', 'order-service/Dockerfile', ['Deployment:order-service', 'compose:order-service']],
      [
        'product-service',
        'product-service/Dockerfile',
        ['Deployment:product-service', 'compose:product-service'],
      ],
    ]);
    const text = JSON.stringify(estate);
    expect(text).not.toMatch(/"(DB_PASSWORD|POSTGRES_PASSWORD)","source":\{[^}]*\},"value":"(?!\*\*\*)/);
    expect(text).not.toContain('/work/');
  });

  it('orders everything stably', async () => {
    const again = await analyzeEstate('samples/spring-orders');
    expect(JSON.stringify(again)).toBe(JSON.stringify(estate));
  });
});
