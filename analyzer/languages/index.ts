/** The language plug-ins, in the order they are tried for a service. */
import type { LanguagePlugin } from './types.ts';
import { javaPlugin } from './java/index.ts';

/** Java is built in; the TypeScript plug-in joins when its module is present. */
export async function loadLanguagePlugins(): Promise<LanguagePlugin[]> {
  const plugins: LanguagePlugin[] = [javaPlugin];
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
