/** The language plug-ins, in the order they are tried for a service. */
import type { LanguageId, LanguagePlugin } from './types.ts';
import { javaPlugin } from './java/index.ts';

/**
 * Java is built in; the TypeScript plug-in joins when its module is present and, when `needed` is given, only if
 * it lists `typescript` (loading ts-morph costs most of a second).
 */
export async function loadLanguagePlugins(needed?: ReadonlySet<LanguageId>): Promise<LanguagePlugin[]> {
  const plugins: LanguagePlugin[] = [javaPlugin];
  if (needed !== undefined && !needed.has('typescript')) return plugins;
  try {
    const mod = (await import(
      /* @vite-ignore */ new URL(
        `./typescript/index${import.meta.url.endsWith('.ts') ? '.ts' : '.js'}`,
        import.meta.url,
      ).href
    )) as Record<string, unknown>;
    const ts = Object.values(mod).find(
      (v): v is LanguagePlugin =>
        typeof v === 'object' && v !== null && (v as LanguagePlugin).id === 'typescript',
    );
    if (ts !== undefined) plugins.push(ts);
  } catch {
    // not there yet
  }
  return plugins;
}
