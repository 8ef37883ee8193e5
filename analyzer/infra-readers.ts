/**
 * Loads the infra readers from `analyzer/infra/index.ts` (owned by the infra readers). Until that list exists,
 * falls back to the reader modules already present, so the join still has facts to work on.
 */
import type { InfraReader } from './infra/types.ts';

const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const FALLBACK_MODULES = ['compose', 'dockerfile', 'k8s', 'properties'];

const isReader = (v: unknown): v is InfraReader =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as InfraReader).id === 'string' &&
  typeof (v as InfraReader).read === 'function';

async function importModule(name: string): Promise<Record<string, unknown> | undefined> {
  try {
    return (await import(
      /* @vite-ignore */ new URL(`./infra/${name}${EXT}`, import.meta.url).href
    )) as Record<string, unknown>;
  } catch {
    return undefined;
  }
}

export async function loadInfraReaders(): Promise<InfraReader[]> {
  const index = await importModule('index');
  if (index !== undefined) {
    for (const value of Object.values(index))
      if (Array.isArray(value) && value.length > 0 && value.every(isReader)) return value;
    const readers = Object.values(index).filter(isReader);
    if (readers.length > 0) return readers;
  }
  const readers: InfraReader[] = [];
  for (const name of FALLBACK_MODULES) {
    const mod = await importModule(name);
    if (mod !== undefined) readers.push(...Object.values(mod).filter(isReader));
  }
  return readers;
}
