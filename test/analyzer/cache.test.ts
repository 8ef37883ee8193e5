import { cp, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { analyzeEstate, type Estate } from '../../analyzer/index.ts';
import { walkEstate } from '../../analyzer/walk.ts';

const FIXTURE = 'test/analyzer/fixtures/mini-estate';
const SERVICE_FILE = 'shop-service/src/main/java/com/shop/ItemService.java';
const PAST = new Date('2024-01-01T00:00:00Z');

const kvKeys = (estate: Estate): string[] =>
  estate.services.flatMap((s) => s.effects.filter((e) => e.kind === 'kv').map((e) => e.site.excerpt ?? ''));

describe('analyzer disk cache', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-cache-test-'));
  const estateDir = join(dir, 'estate');
  const cacheDir = join(dir, 'cache');
  await cp(FIXTURE, estateDir, { recursive: true });
  // old mtimes, so the manifest trusts them (files changed in the run's own second are always re-read)
  for (const file of (await walkEstate(estateDir)).files) await utimes(join(estateDir, file), PAST, PAST);
  const options = { readers: [], cacheDir };
  const cold = await analyzeEstate(estateDir, options);
  afterAll(() => rm(dir, { recursive: true, force: true }));

  it('gives the same estate on a warm run as on the cold one', async () => {
    expect(await analyzeEstate(estateDir, options)).toEqual(cold);
  });

  it('re-analyses a file whose content changed', async () => {
    const path = join(estateDir, SERVICE_FILE);
    const before = await readFile(path, 'utf8');
    await writeFile(path, before.replace('"item:" + id', '"item-v2:" + id'));
    const warm = await analyzeEstate(estateDir, options);
    expect(kvKeys(warm)).not.toEqual(kvKeys(cold));
    expect(kvKeys(warm).join()).toContain('item-v2:');
    await writeFile(path, before);
    await utimes(path, PAST, PAST);
  });

  it('re-analyses a same-size edit that only moved the mtime', async () => {
    const path = join(estateDir, SERVICE_FILE);
    const before = await readFile(path, 'utf8');
    const after = before.replace('"item:" + id', '"stok:" + id');
    expect(after.length).toBe(before.length);
    await writeFile(path, after);
    await utimes(path, PAST, new Date(PAST.getTime() + 60_000));
    const warm = await analyzeEstate(estateDir, options);
    expect(kvKeys(warm).join()).toContain('stok:');
    expect(kvKeys(warm).join()).not.toContain('item:');
  });
});
