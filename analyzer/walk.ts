/** Lists the files of an estate: sorted, relative, forward slashes; skips build output and symlink loops. */
import { readdir, realpath, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import type { Finding } from './model.ts';

const SKIP_DIRS = new Set([
  'node_modules',
  '.git',
  'target',
  'build',
  'dist',
  '.gradle',
  '.idea',
  '.migrate-cache',
  '.run',
  'out',
  'coverage',
  '.cache',
]);

export interface WalkResult {
  files: string[];
  findings: Finding[];
}

const toRel = (root: string, abs: string): string => relative(root, abs).split(sep).join('/');

/** Walks `root`; symlinks are followed once, a link back to a directory already on the path is a finding. */
export async function walkEstate(root: string): Promise<WalkResult> {
  const files: string[] = [];
  const findings: Finding[] = [];
  // `real` is the directory's real path: a plain (non-link) subdirectory's is its parent's plus its name, so only
  // links need `realpath`; subdirectories are read concurrently (the list is sorted at the end)
  const visit = async (dir: string, real: string, ancestors: ReadonlySet<string>): Promise<void> => {
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (error) {
      findings.push({
        severity: 'warning',
        code: 'unreadable-directory',
        message: `cannot read directory: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
        file: toRel(root, dir) || '.',
      });
      return;
    }
    entries.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    const subdirs: Promise<void>[] = [];
    for (const entry of entries) {
      const abs = join(dir, entry.name);
      if (entry.isDirectory()) {
        if (SKIP_DIRS.has(entry.name)) continue;
        const subReal = join(real, entry.name);
        subdirs.push(visit(abs, subReal, new Set([...ancestors, subReal])));
      } else if (entry.isFile()) {
        files.push(toRel(root, abs));
      } else if (entry.isSymbolicLink()) {
        let target;
        try {
          target = await realpath(abs);
        } catch {
          findings.push({
            severity: 'warning',
            code: 'broken-symlink',
            message: 'symbolic link points nowhere (or loops)',
            file: toRel(root, abs),
          });
          continue;
        }
        const info = await stat(target).catch(() => undefined);
        if (info === undefined) continue;
        if (info.isDirectory()) {
          if (ancestors.has(target)) {
            findings.push({
              severity: 'warning',
              code: 'symlink-loop',
              message: `symbolic link loops back to ${toRel(root, target) || '.'}; not followed`,
              file: toRel(root, abs),
            });
            continue;
          }
          if (SKIP_DIRS.has(entry.name)) continue;
          subdirs.push(visit(abs, target, new Set([...ancestors, target])));
        } else if (info.isFile()) files.push(toRel(root, abs));
      }
    }
    await Promise.all(subdirs);
  };
  const rootReal = await realpath(root);
  await visit(root, rootReal, new Set([rootReal]));
  files.sort();
  return { files, findings };
}
