import { describe, expect, it } from 'vitest';
import { planListRequests, planRequests } from '../../verify/index.ts';
import { addResponseValues, addSeedValues, type ValuePool } from '../../verify/seed-values.ts';

const document = {
  openapi: '3.1.0',
  paths: {
    '/api/item': {
      get: { operationId: 'list' },
      post: {
        requestBody: {
          content: { 'application/json': { schema: { $ref: '#/components/schemas/ItemRequest' } } },
        },
      },
    },
    '/api/item/{id}': {
      get: { parameters: [{ name: 'id', in: 'path', required: true, schema: { type: 'integer' } }] },
    },
    '/api/stock': {
      get: {
        parameters: [
          {
            name: 'skuCode',
            in: 'query',
            required: true,
            schema: { type: 'array', items: { type: 'string' } },
          },
        ],
      },
    },
  },
  components: {
    schemas: {
      ItemRequest: {
        type: 'object',
        properties: {
          skuCode: { type: 'string' },
          amount: { type: 'integer', example: 3 },
          note: { type: 'string' },
        },
        required: ['skuCode', 'amount'],
      },
    },
  },
};

describe('request generation from OpenAPI', () => {
  it('reads seed values from INSERT statements by normalised column name', () => {
    const pool: ValuePool = new Map();
    addSeedValues(
      pool,
      "-- seed\nINSERT INTO t_stock (sku_code, qty) VALUES ('a''1', 1), ('b', NULL) ON CONFLICT (sku_code) DO NOTHING;\n" +
        "insert into t_stock (sku_code) values ('c');",
    );
    expect(pool.get('skucode')).toEqual(["a'1", 'b', 'c']);
    expect(pool.get('qty')).toEqual([1]);
  });

  it('lists first, then every operation with valid values, variants and the invalid cases', () => {
    const pool: ValuePool = new Map();
    addSeedValues(pool, "INSERT INTO s (sku_code) VALUES ('a'), ('b');");
    addResponseValues(pool, [{ id: 42, name: 'x' }]);
    expect(planListRequests(document).map((r) => `${r.method} ${r.path}`)).toEqual(['GET /api/item']);
    const planned = planRequests(document, pool).map((r) => [
      r.kind,
      r.method,
      r.path,
      r.headers['content-type'] ?? '',
      r.body ?? '',
    ]);
    expect(planned).toEqual([
      ['valid', 'POST', '/api/item', 'application/json', '{"skuCode":"a","amount":3,"note":"verify-note"}'],
      ['variant', 'POST', '/api/item', 'application/json', '{"skuCode":"b","amount":3,"note":"verify-note"}'],
      [
        'variant',
        'POST',
        '/api/item',
        'application/json',
        '{"skuCode":"verify-unknown","amount":3,"note":"verify-note"}',
      ],
      [
        'malformed-json',
        'POST',
        '/api/item',
        'application/json',
        '{"skuCode":"a","amount":3,"note":"verify-note",',
      ],
      [
        'wrong-content-type',
        'POST',
        '/api/item',
        'text/plain',
        '{"skuCode":"a","amount":3,"note":"verify-note"}',
      ],
      ['missing-field', 'POST', '/api/item', 'application/json', '{}'],
      ['missing-field', 'POST', '/api/item', 'application/json', '{"amount":3,"note":"verify-note"}'],
      ['missing-field', 'POST', '/api/item', 'application/json', '{"skuCode":"a","note":"verify-note"}'],
      ['wrong-method', 'DELETE', '/api/item', '', ''],
      ['unknown-path', 'GET', '/api/item/verify-unknown', '', ''],
      ['valid', 'GET', '/api/item/42', '', ''],
      ['unknown-id', 'GET', '/api/item/987654321', '', ''],
      ['wrong-method', 'DELETE', '/api/item/42', '', ''],
      ['unknown-path', 'GET', '/api/item/42/verify-unknown', '', ''],
      ['valid', 'GET', '/api/stock?skuCode=a&skuCode=b', '', ''],
      ['variant', 'GET', '/api/stock?skuCode=b', '', ''],
      ['variant', 'GET', '/api/stock?skuCode=verify-unknown', '', ''],
      ['missing-parameter', 'GET', '/api/stock', '', ''],
      ['wrong-method', 'DELETE', '/api/stock', '', ''],
      ['unknown-path', 'GET', '/api/stock/verify-unknown', '', ''],
      ['read-back', 'GET', '/api/item', '', ''],
    ]);
  });
});
