import { homedir } from 'node:os';
import { join } from 'node:path';

/**
 * A folder of migrate's in the user's cache (`$XDG_CACHE_HOME/migrate/<name>`, else `~/.cache/migrate/<name>`):
 * kept across checkouts and fresh clones on one machine, like Maven's `~/.m2`. Only content-addressed data goes
 * here, so a stale entry can never be read for other inputs.
 */
export function userCacheDir(name: string): string {
  return join(process.env.XDG_CACHE_HOME ?? join(homedir(), '.cache'), 'migrate', name);
}
