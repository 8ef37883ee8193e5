import { describe, expect, it } from 'vitest';
import { analyzeEstate } from '../../analyzer/index.ts';

const FIXTURE = 'test/analyzer/fixtures/mini-estate';

describe('Java plug-in on a tiny Spring service', async () => {
  const estate = await analyzeEstate(FIXTURE, { readers: [] });
  const service = estate.services[0]!;

  it('finds the service by its Spring Boot pom', () => {
    expect(estate.services.map((s) => [s.id, s.language, s.framework, s.root, s.build])).toEqual([
      [
        'shop-service',
        'java',
        'spring-boot',
        'shop-service',
        { tool: 'maven', file: 'shop-service/pom.xml' },
      ],
    ]);
  });

  it('reads endpoints with class and method mappings, parameters and status', () => {
    expect(
      service.endpoints.map((e) => ({
        method: e.method,
        path: e.path,
        status: e.status,
        params: e.parameters,
        req: e.requestType,
        res: e.responseType,
      })),
    ).toEqual([
      {
        method: 'POST',
        path: '/api/items',
        status: 201,
        params: [{ name: 'item', in: 'body', type: 'ItemDto', required: true }],
        req: 'ItemDto',
        res: 'ItemDto',
      },
      {
        method: 'GET',
        path: '/api/items/{id}',
        status: 200,
        params: [
          { name: 'id', in: 'path', type: 'Long', required: true },
          { name: 'currency', in: 'query', type: 'String', required: false },
        ],
        req: undefined,
        res: 'ItemDto',
      },
    ]);
  });

  it('reports every effect from code with its chain through DI, and none from comments or strings', () => {
    const rows = service.effects.map((e) => [
      e.kind,
      e.detail.summary,
      `${e.site.file.split('/').pop()}:${e.site.line}`,
      e.via.map((v) => v.symbol).join(' > '),
    ]);
    expect(rows).toEqual([
      ['subscribe', 'subscribe items.created', 'Events.java:16', 'Events.onCreated'],
      ['publish', 'publish items.audited', 'Events.java:17', 'Events.onCreated'],
      ['config', 'System.getenv HOME_DIR', 'Events.java:18', 'Events.onCreated'],
      ['native', 'native Events.checksum', 'Events.java:21', 'Events.checksum'],
      ['http-in', 'GET /api/items/{id}', 'ItemController.java:17', 'ItemController.get'],
      ['http-in', 'POST /api/items', 'ItemController.java:23', 'ItemController.create'],
      ['config', '@Value shop.pricing-url', 'ItemService.java:22', ''],
      ['log', 'log.info', 'ItemService.java:27', 'ItemController.get > ItemService.find'],
      ['kv', 'get', 'ItemService.java:28', 'ItemController.get > ItemService.find'],
      [
        'http-out',
        'GET ${shop.pricing-url}/price/{id}',
        'ItemService.java:29',
        'ItemController.get > ItemService.find',
      ],
      ['sql', 'SELECT t_items (sku_code)', 'ItemService.java:30', 'ItemController.get > ItemService.find'],
      ['sql', 'UPSERT t_items', 'ItemService.java:34', 'ItemController.create > ItemService.create'],
      ['random', 'UUID.randomUUID', 'ItemService.java:34', 'ItemController.create > ItemService.create'],
      ['clock', 'Instant.now', 'ItemService.java:34', 'ItemController.create > ItemService.create'],
      [
        'thread',
        '@Async method',
        'ItemService.java:40',
        'ItemController.create > ItemService.create > ItemService.audit',
      ],
      [
        'process',
        'new ProcessBuilder',
        'ItemService.java:41',
        'ItemController.create > ItemService.create > ItemService.audit',
      ],
    ]);
    expect(service.effects.find((e) => e.kind === 'sql')?.site).toMatchObject({
      column: 16,
      excerpt: expect.stringContaining('findBySkuCodeIn'),
    });
  });

  it('reads JPA entities with columns and relations, and records', () => {
    expect(
      service.types.map((t) => [t.name, t.kind, t.table, t.fields.map((f) => f.column ?? f.relation)]),
    ).toEqual([
      ['Item', 'entity', 't_items', ['id', 'sku_code', 'created_at', 'ManyToOne Category']],
      ['ItemDto', 'record', undefined, [undefined, undefined, undefined]],
    ]);
  });

  it('scores readiness from the catalog: threads, processes and JNI block every target', () => {
    expect(service.readiness.wasmcloud.level).toBe('blocked');
    expect(service.readiness.wasmcloud.blockers.map((b) => b.kind)).toEqual(['native', 'process', 'thread']);
    expect(service.readiness.spin.blockers.map((b) => b.kind)).toEqual([
      'native',
      'process',
      'publish',
      'subscribe',
      'thread',
    ]);
    expect(service.readiness.wasmcloud.blockers[0]!.wayOut).toMatch(/pure Java/);
  });

  it('reports ends it cannot resolve as unresolved, never guessed', () => {
    expect(estate.edges.map((e) => [e.kind, e.to, e.toKind])).toEqual([
      ['http', null, 'unresolved'],
      ['kv', null, 'unresolved'],
      ['message', null, 'unresolved'],
      ['sql', null, 'unresolved'],
    ]);
  });

  it('never lets a secret through', () => {
    expect(JSON.stringify(estate)).not.toContain('hunter2');
  });
});
