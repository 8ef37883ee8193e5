/**
 * The per-file content-hash cache: one JSON file per plug-in under the cache dir, loaded once and written once
 * (atomically) when something changed. Keyed by sha1 of the file content, so renames and moves still hit.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/fs.ts';
import type { FileCache, LanguageId } from './languages/types.ts';

/** Bump when the per-file facts change shape. */
const CACHE_VERSION = 3;

export interface DiskCache extends FileCache {
  save(): Promise<void>;
}

export async function loadDiskCache(dir: string): Promise<DiskCache> {
  const stores = new Map<LanguageId, { entries: Record<string, unknown>; dirty: boolean }>();
  const file = (plugin: LanguageId): string => join(dir, `${plugin}-v${CACHE_VERSION}.json`);
  for (const plugin of ['java', 'typescript'] as const) {
    try {
      stores.set(plugin, {
        entries: JSON.parse(await readFile(file(plugin), 'utf8')) as Record<string, unknown>,
        dirty: false,
      });
    } catch {
      stores.set(plugin, { entries: {}, dirty: false });
    }
  }
  return {
    get: (plugin, hash) => stores.get(plugin)?.entries[hash],
    set(plugin, hash, value) {
      const store = stores.get(plugin)!;
      store.entries[hash] = value;
      store.dirty = true;
    },
    async save() {
      for (const [plugin, store] of stores)
        if (store.dirty) await writeFileAtomic(file(plugin), JSON.stringify(store.entries));
    },
  };
}
