import { readdirSync, lstatSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import type { InfraContext } from '../../../analyzer/infra/types.ts';

export const FIXTURES = join(import.meta.dirname, 'fixtures');

/** Lists a fixture directory the way discovery does: relative, forward slashes, sorted, symlinks not followed. */
export function listFiles(root: string): string[] {
  const out: string[] = [];
  const walk = (dir: string): void => {
    for (const name of readdirSync(dir)) {
      const path = join(dir, name);
      const st = lstatSync(path);
      if (st.isDirectory()) walk(path);
      else out.push(relative(root, path).split(sep).join('/'));
    }
  };
  walk(root);
  return out.sort();
}

export function contextFor(root: string): InfraContext {
  return { estateRoot: root, files: listFiles(root), docker: false };
}
