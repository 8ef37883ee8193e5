import { createHash } from 'node:crypto';
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { typescriptPlugin } from '../../../../analyzer/languages/typescript/index.ts';
import type { DiscoveredService, SourceFile } from '../../../../analyzer/languages/types.ts';
import type { LanguageAnalysis } from '../../../../analyzer/languages/types.ts';

const estate = join(import.meta.dirname, 'fixtures');
const root = join(estate, 'shop');
const service: DiscoveredService = {
  id: 'shop',
  name: 'shop',
  language: 'typescript',
  framework: 'express',
  root: 'shop',
  absRoot: root,
  build: { tool: 'npm', file: 'shop/package.json' },
};

function sources(): SourceFile[] {
  return readdirSync(join(root, 'src'))
    .sort()
    .map((name) => {
      const text = readFileSync(join(root, 'src', name), 'utf8');
      return { path: `shop/src/${name}`, text, hash: createHash('sha1').update(text).digest('hex') };
    });
}

async function analyze(): Promise<LanguageAnalysis> {
  return typescriptPlugin.analyze(service, sources(), { estateRoot: estate });
}

const brief = (a: LanguageAnalysis): string[] =>
  a.effects.map(
    (e) => `${e.site.file.replace('shop/src/', '')}:${e.site.line} ${e.kind} ${e.detail.summary}`,
  );

describe('typescript plug-in', () => {
  it('detects Node services by their server framework dependency', () => {
    expect(typescriptPlugin.detect(root)).toBe(true);
    expect(typescriptPlugin.detect(estate)).toBe(false);
  });

  it('finds express routes with method, path, handler and location', async () => {
    const a = await analyze();
    expect(
      a.endpoints.map((e) => [
        e.method,
        e.path,
        e.handler,
        e.site.file,
        e.site.line,
        e.parameters.map((p) => p.name),
      ]),
    ).toEqual([
      ['GET', '/orders/:id', 'GET /orders/:id', 'shop/src/app.ts', 13, ['id']],
      ['POST', '/orders', 'placeOrder', 'shop/src/app.ts', 19, []],
    ]);
  });

  it('finds every effect kind from real calls only, with file:line and details', async () => {
    expect(brief(await analyze())).toEqual([
      'app.ts:7 config env DATABASE_URL',
      'app.ts:8 config env NATS_URL',
      'app.ts:14 sql SELECT orders',
      'app.ts:15 log console.log',
      'app.ts:21 subscribe subscribe orders.cancelled',
      'misc.js:4 native native addon ./build/Release/native.node',
      'misc.js:7 fs fs.readFileSync',
      'misc.js:8 process child_process.execSync',
      'misc.js:9 thread new Worker',
      'misc.js:10 clock new Date()',
      'misc.js:11 random Math.random',
      'orders.ts:12 config env STOCK_URL',
      'orders.ts:15 random crypto.randomUUID',
      'orders.ts:17 kv set order:${id}',
      'orders.ts:18 publish publish orders.placed',
      'orders.ts:19 log logger.info',
      'orders.ts:20 clock Date.now',
      'orders.ts:24 http-out POST ${process.env.STOCK_URL}/api/stock/${id}',
      'orders.ts:24 config env STOCK_URL',
      'orders.ts:25 http-out GET /api/stock',
      'orders.ts:26 secret env API_TOKEN',
    ]);
  });

  it('records effect details: table, subject, key, url', async () => {
    const a = await analyze();
    const find = (kind: string) => a.effects.find((e) => e.kind === kind)?.detail;
    expect(find('sql')).toMatchObject({ api: 'pg.query', operation: 'select', table: 'orders' });
    expect(find('publish')).toMatchObject({ subject: 'orders.placed', api: 'kafkajs.send' });
    expect(find('kv')).toMatchObject({ operation: 'set', key: 'order:${id}' });
    expect(find('http-out')).toMatchObject({
      operation: 'POST',
      url: '${process.env.STOCK_URL}/api/stock/${id}',
    });
  });

  it('gives the call chain from the route to the effect', async () => {
    const a = await analyze();
    const fetchEffect = a.effects.find((e) => e.detail.api === 'fetch');
    expect(fetchEffect?.via.map((s) => s.symbol)).toEqual(['placeOrder', 'reserve']);
    const sql = a.effects.find((e) => e.kind === 'sql');
    expect(sql?.via).toEqual([{ symbol: 'GET /orders/:id', file: 'shop/src/app.ts', line: 13 }]);
    const housekeeping = a.effects.find((e) => e.kind === 'fs');
    expect(housekeeping?.via).toEqual([]);
  });

  it('reports an unparsable file with file:line and goes on', async () => {
    const a = await analyze();
    expect(a.findings.map((f) => [f.code, f.file, f.line])).toEqual([
      ['ts-parse-error', 'shop/src/broken.ts', 2],
    ]);
    expect(a.endpoints).toHaveLength(2);
  });

  it('uses the per-file cache: a warm run returns the same result without re-parsing', async () => {
    const store = new Map<string, unknown>();
    let sets = 0;
    const cache = {
      get: (_p: string, h: string) => store.get(h),
      set: (_p: string, h: string, v: unknown) => {
        sets += 1;
        store.set(h, structuredClone(v));
      },
    };
    const cold = await typescriptPlugin.analyze(service, sources(), { estateRoot: estate, cache });
    const setsAfterCold = sets;
    const warm = await typescriptPlugin.analyze(service, sources(), { estateRoot: estate, cache });
    expect(sets).toBe(setsAfterCold);
    expect(warm).toEqual(cold);
  });
});
