import { describe, expect, it } from 'vitest';
import { classifyExchanges } from '../../verify/compare.ts';
import type { ExchangeRecord, Observation, VerifyRequest } from '../../verify/index.ts';
import { diffValues, generalise, matchesPattern } from '../../verify/json-pointer.ts';

const request = (operation = 'POST /api/order'): VerifyRequest => ({
  id: 'gen-1',
  kind: 'valid',
  description: operation,
  method: operation.split(' ')[0]!,
  path: operation.split(' ')[1]!,
  headers: {},
  operation,
  origin: 'openapi',
});

const answer = (body: unknown, status = 201): Observation => ({
  status,
  contentType: 'application/json',
  body,
});

describe('json pointers', () => {
  it('names every differing leaf, with escaped keys and array indices', () => {
    expect(diffValues({ a: { 'x/y': 1 }, l: [1, 2] }, { a: { 'x/y': 2 }, l: [1] })).toEqual([
      { pointer: '/a/x~1y', legacy: 1, component: 2 },
      { pointer: '/l/1', legacy: 2, component: undefined },
    ]);
  });

  it('generalises array indices to * and matches patterns on ancestors', () => {
    expect(generalise('/body/items/3/id', { body: { items: [{}, {}, {}, { id: 1 }] } })).toBe(
      '/body/items/*/id',
    );
    expect(matchesPattern('/body/items/2/id', '/body/items/*/id')).toBe(true);
    expect(matchesPattern('/body/items/2/id/x', '/body/items')).toBe(true);
    expect(matchesPattern('/body/items/2/name', '/body/items/*/id')).toBe(false);
    expect(matchesPattern('/keys/0/added/_class', '/keys/*/added/*')).toBe(true);
    expect(matchesPattern('/keys/0/added/_class', '/keys/*/added/*', 'index')).toBe(false);
    expect(matchesPattern('/keys/1/added/0', '/keys/*/added/*', 'index')).toBe(true);
  });
});

describe('classifyExchanges', () => {
  it('explains a field that differs between two legacy answers, and names the one that does not', () => {
    const exchanges: ExchangeRecord[] = [
      {
        request: request(),
        legacy: answer({ id: 'a1', price: 10, createdAt: 't1' }),
        noise: answer({ id: 'a2', price: 10, createdAt: 't2' }),
        component: answer({ id: 'c1', price: 10.5, createdAt: 't3' }),
      },
    ];
    const result = classifyExchanges(exchanges, []);
    expect(result.mismatches).toHaveLength(1);
    expect(result.mismatches[0]!.differences).toEqual([
      { pointer: '/body/price', legacy: 10, component: 10.5 },
    ]);
    expect(result.mismatches[0]!.explained.sort()).toEqual(['/body/createdAt', '/body/id']);
    expect(result.explainedDifferences).toBe(2);
    expect(result.noise.map((n) => [n.pattern, n.explained])).toEqual([
      ['/body/createdAt', 1],
      ['/body/id', 1],
    ]);
  });

  it('applies noise learned on one request of an operation to the others, and --ignore pointers everywhere', () => {
    const exchanges: ExchangeRecord[] = [
      {
        request: request('GET /api/order'),
        legacy: answer([{ id: 1, at: 'x' }], 200),
        noise: answer([{ id: 1, at: 'y' }], 200),
        component: answer([{ id: 1, at: 'z' }], 200),
      },
      {
        request: { ...request('GET /api/order'), id: 'gen-2' },
        legacy: answer(
          [
            { id: 1, at: 'x' },
            { id: 2, at: 'x', tag: 'a' },
          ],
          200,
        ),
        noise: undefined,
        component: answer(
          [
            { id: 1, at: 'p' },
            { id: 2, at: 'q', tag: 'b' },
          ],
          200,
        ),
      },
    ];
    expect(
      classifyExchanges(exchanges, []).mismatches.map((m) => m.differences.map((d) => d.pointer)),
    ).toEqual([['/body/1/tag']]);
    const ignored = classifyExchanges(exchanges, ['/body/*/tag']);
    expect(ignored.mismatches).toEqual([]);
    expect(ignored.noise.find((n) => n.source === 'ignored')).toMatchObject({
      pattern: '/body/*/tag',
      explained: 1,
    });
  });

  it('never explains a status difference the legacy side did not show itself', () => {
    const result = classifyExchanges(
      [{ request: request(), legacy: answer({}, 201), noise: answer({}, 201), component: answer({}, 400) }],
      [],
    );
    expect(result.mismatches[0]!.differences).toEqual([{ pointer: '/status', legacy: 201, component: 400 }]);
  });

  describe('--unordered arrays', () => {
    // two products written on each side (generated ids paired by the answers to the writes), then listed back
    // from a Redis set: the component lists them in the other order
    const writes = (n: number): ExchangeRecord => ({
      request: request('POST /api/product'),
      legacy: answer({ id: `legacy-id-${n}`, name: `p${n}` }),
      noise: answer({ id: `twin-id-${n}`, name: `p${n}` }),
      component: answer({ id: `component-id-${n}`, name: `p${n}` }),
    });
    const list = (component: unknown[]): ExchangeRecord => ({
      request: request('GET /api/product'),
      legacy: answer(
        [
          { id: 'legacy-id-1', name: 'p1' },
          { id: 'legacy-id-2', name: 'p2' },
        ],
        200,
      ),
      noise: undefined,
      component: answer(component, 200),
    });
    const swapped = [
      { id: 'component-id-2', name: 'p2' },
      { id: 'component-id-1', name: 'p1' },
    ];

    it('is a mismatch when the order is not declared free', () => {
      const result = classifyExchanges([writes(1), writes(2), list(swapped)], []);
      expect(result.mismatches.map((m) => m.differences.map((d) => d.pointer))).toEqual([
        // the ids too: legacy's first id is paired with the component's first, which is now second
        ['/body/0/id', '/body/0/name', '/body/1/id', '/body/1/name'],
      ]);
    });

    it('compares the array as a collection, and counts the reordering as explained', () => {
      const result = classifyExchanges([writes(1), writes(2), list(swapped)], [], ['/body']);
      expect(result.mismatches).toEqual([]);
      expect(result.noise).toContainEqual({
        operation: '*',
        pattern: '/body',
        source: 'unordered',
        explained: 1,
      });
    });

    it('still names an item whose content differs, and an extra item', () => {
      const changed = [swapped[0]!, { id: 'component-id-1', name: 'p1-renamed' }];
      expect(
        classifyExchanges([writes(1), writes(2), list(changed)], [], ['/body']).mismatches.map((m) =>
          m.differences.map((d) => [d.pointer, d.legacy, d.component]),
        ),
      ).toEqual([[['/body/0/name', 'p1', 'p1-renamed']]]);
      const extra = [...swapped, { id: 'component-id-3', name: 'p3' }];
      expect(
        classifyExchanges([writes(1), writes(2), list(extra)], [], ['/body']).mismatches[0]!.differences.map(
          (d) => d.pointer,
        ),
      ).toContain('/body/2');
    });
  });
});
