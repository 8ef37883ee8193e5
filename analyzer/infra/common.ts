/**
 * Helpers shared by the infra readers: problem records, secret redaction, estate-relative paths and safe reads.
 * Readers never throw on bad input; they record a problem and go on.
 */
import { readFile, stat } from 'node:fs/promises';
import { relative, sep } from 'node:path';
import type { Finding } from '../model.ts';

/** A problem a reader met in one file (a report finding that always has file and line). */
export type InfraProblem = Finding & { file: string; line: number };

/** Estate-relative path with `/` separators, for reports. */
export function toEstatePath(root: string, path: string): string {
  const rel = relative(root, path);
  return (rel === '' ? '.' : rel).split(sep).join('/');
}

/** Larger files are not configuration or source a reader should hold in memory. */
const MAX_TEXT_BYTES = 64 * 1024 * 1024;

/**
 * Reads a text file; on failure records a problem and returns undefined. Binary files, files that are not
 * regular (devices, FIFOs, sockets) and files over 64 MiB are refused.
 */
export async function readTextOrProblem(
  absPath: string,
  relPath: string,
  problems: InfraProblem[],
): Promise<string | undefined> {
  try {
    // A device, FIFO or socket (`env_file: ../../../dev/zero`, `/dev/stdin`) would never end or block: refused.
    const info = await stat(absPath);
    if (!info.isFile()) {
      problems.push({
        code: 'file-unreadable',
        file: relPath,
        line: 1,
        message: info.isDirectory()
          ? 'is a directory'
          : 'not a regular file (device, FIFO or socket), not read',
        severity: 'error',
      });
      return undefined;
    }
    if (info.size > MAX_TEXT_BYTES) {
      problems.push({
        code: 'file-unreadable',
        file: relPath,
        line: 1,
        message: `${Math.round(info.size / 1024 / 1024)} MiB is too large for a config or source file, not read`,
        severity: 'warning',
      });
      return undefined;
    }
    const buffer = await readFile(absPath);
    if (buffer.subarray(0, 8000).includes(0)) {
      problems.push({
        code: 'binary-file',
        file: relPath,
        line: 1,
        message: 'binary file, not read',
        severity: 'warning',
      });
      return undefined;
    }
    return buffer.toString('utf8');
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code ?? 'error';
    const reason =
      code === 'ENOENT'
        ? 'file does not exist'
        : code === 'ELOOP'
          ? 'symlink loop'
          : code === 'EISDIR'
            ? 'is a directory'
            : `cannot read (${code})`;
    problems.push({
      code: code === 'ELOOP' ? 'symlink-loop' : 'file-unreadable',
      file: relPath,
      line: 1,
      message: reason,
      severity: 'error',
    });
    return undefined;
  }
}

/** Stable order for problems: file, line, column, message. */
export function compareProblems(a: InfraProblem, b: InfraProblem): number {
  return (
    compareText(a.file, b.file) ||
    a.line - b.line ||
    (a.column ?? 0) - (b.column ?? 0) ||
    compareText(a.message, b.message)
  );
}

/** Locale-independent string comparison, so output order does not depend on the machine. */
export function compareText(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** `${NAME}`, `${NAME:default}` (Spring) and `${NAME:-default}` (compose/shell) placeholders in a value. */
export interface Placeholder {
  name: string;
  default?: string;
}

export function parsePlaceholders(value: string): Placeholder[] {
  const out: Placeholder[] = [];
  const re = /\$\{([^}:]+?)(?::-?([^}]*))?\}/g;
  for (const match of value.matchAll(re)) {
    const name = (match[1] ?? '').trim();
    const fallback = match[2];
    out.push(fallback === undefined ? { name } : { name, default: fallback });
  }
  return out;
}

const OUTPUT_DIRS = new Set(['node_modules', 'target', 'build', 'dist', '.git', '.gradle', '.idea', 'out']);

/** True for files inside build output or dependency folders (`target/classes/application.properties`). */
export function isBuildOutput(path: string): boolean {
  return path.split('/').some((segment) => OUTPUT_DIRS.has(segment));
}

/** The last path segment. */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}
