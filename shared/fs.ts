import { mkdir, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join, basename } from 'node:path';
import { randomBytes } from 'node:crypto';
import { ErrorCode, wrapError } from './errors.ts';

/**
 * Writes a file so that readers see either the old or the new content, never half of it:
 * write a temp file in the same directory, then rename over the target.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const dir = dirname(path);
  const tmp = join(dir, `.${basename(path)}.${randomBytes(6).toString('hex')}.tmp`);
  try {
    await mkdir(dir, { recursive: true });
    await writeFile(tmp, content);
    await rename(tmp, path);
  } catch (error) {
    await rm(tmp, { force: true });
    throw wrapError(
      ErrorCode.io,
      `cannot write ${path}`,
      error,
      'check that the directory exists and is writable',
    );
  }
}
