/** Loads the infra readers from `analyzer/infra/index.ts` (owned by the infra readers), if present. */
import type { InfraReader } from './infra/types.ts';

const isReader = (v: unknown): v is InfraReader =>
  typeof v === 'object' &&
  v !== null &&
  typeof (v as InfraReader).id === 'string' &&
  typeof (v as InfraReader).read === 'function';

export async function loadInfraReaders(): Promise<InfraReader[]> {
  try {
    const mod = (await import(`./infra/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`)) as Record<string, unknown>;
    for (const value of Object.values(mod)) if (Array.isArray(value) && value.every(isReader)) return value;
    return Object.values(mod).filter(isReader);
  } catch {
    return [];
  }
}
