/**
 * Part of `npm run build`: copies into dist/ the files migrate reads at run time rather than imports — the
 * TypeScript templates the port and the codemod write into a service (they must stay TypeScript) and the vendored
 * WIT packages, the runtimes' host worlds and the Wasmtime link script. tsc compiles the rest. Idempotent (each run copies the same files over).
 */
import { cp, readdir } from 'node:fs/promises';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('..', import.meta.url));

/** Folders (relative to the root) and which of their files are assets. */
const ASSETS: readonly { dir: string; keep: (file: string) => boolean }[] = [
  { dir: 'codemods/port/java/runtime', keep: (file) => file.endsWith('.ts') },
  { dir: 'codemods/facade', keep: (file) => file.endsWith('.ts') },
  { dir: 'codemods/transforms/shims', keep: (file) => file.endsWith('.ts') },
  { dir: 'codemods/wit/packages', keep: () => true },
  // The link check: the runtimes' host worlds and the Wasmtime script it runs.
  { dir: 'runtimes', keep: (file) => file.endsWith('.wit') },
  { dir: 'codemods/build', keep: (file) => file.endsWith('.py') },
  { dir: 'deploy/kubernetes/schemas', keep: (file) => file.endsWith('.yaml') },
];

let copied = 0;
for (const { dir, keep } of ASSETS) {
  const entries = await readdir(join(ROOT, dir), { recursive: true, withFileTypes: true });
  for (const entry of entries) {
    if (!entry.isFile() || !keep(entry.name)) continue;
    const from = join(entry.parentPath, entry.name);
    await cp(from, join(ROOT, 'dist', relative(ROOT, from)));
    copied += 1;
  }
}
process.stdout.write(`copied ${copied} template and WIT files into dist/\n`);
