/**
 * The analyzer's disk cache, as JSON (measured: as fast to load as `v8.deserialize` here and 2-3× faster to write
 * than `v8.serialize` for these many small objects):
 * - a manifest keyed by path (size, mtimeMs, content hash), so a warm run does not read unchanged files;
 * - per-plug-in per-file facts keyed by content hash, so renames and moves still hit;
 * - whole service analyses keyed by the service and its files' hashes, for plug-ins whose analysis depends on
 *   nothing else (`LanguagePlugin.isolated`).
 * Each store is loaded on first use and written once (atomically) when something changed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { writeFileAtomic } from '../shared/fs.ts';
import type { FileCache, LanguageAnalysis, LanguageId } from './languages/types.ts';

/**
 * Bump when the per-file facts or the manifest change shape, or when a plug-in's analysis of the same files
 * changes (whole analyses are cached too).
 */
const CACHE_VERSION = 10;

/** What the last run saw of one file. */
export interface ManifestEntry {
  size: number;
  mtimeMs: number;
  /** sha1 hex of the content. */
  hash: string;
  /** Read problem found then, reported again without reading. */
  flag?: 'binary' | 'not-utf8';
}

export interface DiskCache extends FileCache {
  /** By absolute path. */
  getFile(path: string): ManifestEntry | undefined;
  setFile(path: string, entry: ManifestEntry): void;
  getAnalysis(key: string): LanguageAnalysis | undefined;
  setAnalysis(key: string, analysis: LanguageAnalysis): void;
  /** Serializes synchronously (later changes to cached objects are not saved), then writes. */
  save(): Promise<void>;
}

interface Store<T> {
  entries: Map<string, T> | undefined;
  dirty: boolean;
}

function parseEntries(text: string): Map<string, unknown> {
  const data: unknown = JSON.parse(text);
  return new Map<string, unknown>(typeof data === 'object' && data !== null ? Object.entries(data) : []);
}

export function loadDiskCache(dir: string): DiskCache {
  const stores = new Map<string, Store<unknown>>();
  const file = (name: string): string => join(dir, `${name}-v${CACHE_VERSION}.json`);
  const open = <T>(name: string): Map<string, T> => {
    let store = stores.get(name);
    if (store === undefined) {
      store = { entries: undefined, dirty: false };
      stores.set(name, store);
    }
    if (store.entries === undefined) {
      try {
        store.entries = parseEntries(readFileSync(file(name), 'utf8'));
      } catch {
        store.entries = new Map();
      }
    }
    return store.entries as Map<string, T>;
  };
  const put = (name: string, key: string, value: unknown): void => {
    open(name).set(key, value);
    stores.get(name)!.dirty = true;
  };
  // what this run used; the rest is dropped on save so the stores do not grow forever (a cache dir shared by
  // two estates then only costs re-reads, never wrong results: keys are absolute paths and content hashes)
  const seen = new Set<string>();
  const usedAnalyses = new Set<string>();
  return {
    get: (plugin: LanguageId, hash: string) => open(plugin).get(hash),
    set: (plugin: LanguageId, hash: string, value: unknown) => put(plugin, hash, value),
    getFile(path) {
      seen.add(path);
      return open<ManifestEntry>('manifest').get(path);
    },
    setFile(path, entry) {
      seen.add(path);
      put('manifest', path, entry);
    },
    getAnalysis(key) {
      usedAnalyses.add(key);
      return open<LanguageAnalysis>('analyses').get(key);
    },
    setAnalysis(key, analysis) {
      usedAnalyses.add(key);
      put('analyses', key, analysis);
    },
    async save() {
      for (const [name, used] of [
        ['manifest', seen],
        ['analyses', usedAnalyses],
      ] as const) {
        const store = stores.get(name);
        if (store?.entries === undefined) continue;
        for (const key of store.entries.keys())
          if (!used.has(key)) {
            store.entries.delete(key);
            store.dirty = true;
          }
      }
      // serialized now, before the caller goes on to enrich the same objects; written in parallel
      const writes: Promise<void>[] = [];
      for (const [name, store] of stores)
        if (store.dirty && store.entries !== undefined) {
          writes.push(writeFileAtomic(file(name), JSON.stringify(Object.fromEntries(store.entries))));
          store.dirty = false;
        }
      await Promise.all(writes);
    },
  };
}
