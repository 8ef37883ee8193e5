import { randomBytes } from 'node:crypto';
import { lstat, mkdir, readlink, rename, rm, writeFile } from 'node:fs/promises';
import { basename, dirname, join, resolve } from 'node:path';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { writeFilesAtomic } from '../../shared/fs.ts';

/** The file every ported project has; its presence says `migrate port` owns the folder's generated files. */
export const PORT_MARKER = 'port-report.json';

async function exists(path: string): Promise<boolean> {
  return lstat(path).then(
    () => true,
    () => false,
  );
}

/**
 * Follows `path` through symlinks to the folder it really is (or would be, for a dangling link), so that a
 * symlinked `src` is swapped where it points and the link itself stays. Anything but a folder is an error.
 */
async function resolveDirectory(path: string): Promise<string> {
  let current = path;
  for (let hops = 0; hops <= 40; hops++) {
    const stats = await lstat(current).catch(() => undefined);
    if (stats === undefined) return current;
    if (stats.isSymbolicLink()) {
      current = resolve(dirname(current), await readlink(current));
      continue;
    }
    if (stats.isDirectory()) return current;
    throw new AppError(ErrorCode.io, `${path} exists and is not a folder`, {
      hint: 'move it away or pick another --out; port writes a src/ folder there',
    });
  }
  throw new AppError(ErrorCode.io, `${path} is a symlink loop`, { hint: 'point it at a real folder' });
}

/**
 * Refuses to write into a folder port did not create when that would replace something there: an existing
 * `src/` or any file of the project, without the marker a previous port left.
 */
async function assertOwned(out: string, files: ReadonlyMap<string, string>): Promise<void> {
  if (await exists(join(out, PORT_MARKER))) return;
  const clashes = ['src', ...[...files.keys()].filter((p) => !p.startsWith('src/'))];
  const taken: string[] = [];
  for (const path of clashes) if (await exists(join(out, path))) taken.push(path);
  if (taken.length > 0) {
    throw new AppError(
      ErrorCode.usage,
      `${out} already has ${taken.join(', ')} and was not written by migrate port (no ${PORT_MARKER})`,
      { hint: 'pick a new or empty --out folder; port replaces src/ whole and would lose what is there' },
    );
  }
}

/**
 * Writes a ported project so that a failure never leaves it half-written and nothing outside what port owns is
 * replaced: `src/` is built in a staging folder next to the real `src` (a symlinked src is followed and stays a
 * link) and swapped in by rename; the other files are written all-or-nothing with the never-destroy rule of
 * writeFilesAtomic (a symlinked package.json keeps its link).
 */
export async function writeProject(out: string, files: ReadonlyMap<string, string>): Promise<void> {
  await mkdir(out, { recursive: true });
  await assertOwned(out, files);
  const src = await resolveDirectory(join(out, 'src'));
  const tag = `${process.pid}-${randomBytes(4).toString('hex')}`;
  const staging = join(dirname(src), `.${basename(src)}.migrate-${tag}`);
  const old = join(dirname(src), `.${basename(src)}.old-${tag}`);
  try {
    for (const [path, text] of files) {
      if (!path.startsWith('src/')) continue;
      const file = join(staging, path.slice('src/'.length));
      await mkdir(dirname(file), { recursive: true });
      await writeFile(file, text);
    }
    await mkdir(staging, { recursive: true });
    await writeFilesAtomic(
      [...files]
        .filter(([path]) => !path.startsWith('src/'))
        .map(([path, content]) => ({ path: join(out, path), content })),
    );
    const hadSrc = await exists(src);
    if (hadSrc) await rename(src, old);
    try {
      await mkdir(dirname(src), { recursive: true });
      await rename(staging, src);
    } catch (error) {
      if (hadSrc) await rename(old, src).catch(() => undefined);
      throw error;
    }
    await rm(old, { recursive: true, force: true });
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    throw wrapError(
      ErrorCode.io,
      `cannot write the ported project to ${out}`,
      error,
      'check that the folder is writable',
    );
  }
}
