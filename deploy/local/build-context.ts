/**
 * The files of a Docker build context, as `docker build` sends them: everything under the context directory
 * except what `.dockerignore` excludes (Go filepath.Match patterns plus `**`; `!` re-includes; the last
 * matching line wins). As BuildKit does, `<Dockerfile>.dockerignore` next to the Dockerfile replaces the
 * context's .dockerignore for that build. The Dockerfile is always sent.
 */
import { readFile, readdir } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';

interface IgnoreRule {
  pattern: RegExp;
  negate: boolean;
}

function toRegExp(pattern: string): RegExp {
  let out = '';
  for (let i = 0; i < pattern.length; i += 1) {
    const ch = pattern[i]!;
    if (ch === '*') {
      if (pattern[i + 1] === '*') {
        // `**/` matches any number of directories, `**` at the end anything
        out += pattern[i + 2] === '/' ? '(?:.*/)?' : '.*';
        i += pattern[i + 2] === '/' ? 2 : 1;
      } else out += '[^/]*';
    } else if (ch === '?') out += '[^/]';
    else out += ch.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  // a pattern naming a directory also excludes what is inside it
  return new RegExp(`^${out}(?:/.*)?$`);
}

/** Parses .dockerignore text. Pure. */
export function parseDockerignore(text: string): IgnoreRule[] {
  return text
    .split(/\r?\n/)
    .map((line) => line.trim())
    .filter((line) => line !== '' && !line.startsWith('#'))
    .map((line) => {
      const negate = line.startsWith('!');
      const body = (negate ? line.slice(1) : line).trim().replace(/^\/+/, '').replace(/\/+$/, '');
      return { pattern: toRegExp(body.replace(/^\.\//, '')), negate };
    });
}

/** Whether `path` (context-relative, `/` separators) is excluded. Pure. */
export function isIgnored(path: string, rules: readonly IgnoreRule[]): boolean {
  let ignored = false;
  for (const rule of rules) if (rule.pattern.test(path)) ignored = !rule.negate;
  return ignored;
}

async function walk(dir: string, root: string, rules: IgnoreRule[], out: string[]): Promise<void> {
  for (const entry of await readdir(dir, { withFileTypes: true })) {
    const abs = join(dir, entry.name);
    const path = relative(root, abs).split(sep).join('/');
    if (entry.isDirectory()) {
      // a directory is skipped whole only when no `!` rule could bring something inside it back
      if (isIgnored(path, rules) && !rules.some((r) => r.negate)) continue;
      await walk(abs, root, rules, out);
    } else if ((entry.isFile() || entry.isSymbolicLink()) && !isIgnored(path, rules)) out.push(path);
  }
}

/** The context-relative files to send for a build of `dockerfile` (context-relative) in `context`. */
export async function listBuildContext(context: string, dockerfile: string): Promise<string[]> {
  const own = await readFile(join(context, `${dockerfile}.dockerignore`), 'utf8').catch(() => undefined);
  const text = own ?? (await readFile(join(context, '.dockerignore'), 'utf8').catch(() => ''));
  const rules = parseDockerignore(text);
  const files: string[] = [];
  await walk(context, context, rules, files);
  if (!files.includes(dockerfile)) files.push(dockerfile);
  return files.sort();
}
