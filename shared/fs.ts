import {
  chmod,
  chown,
  lstat,
  mkdir,
  readlink,
  realpath,
  rename,
  rm,
  stat,
  writeFile,
} from 'node:fs/promises';
import { createWriteStream } from 'node:fs';
import { createConnection } from 'node:net';
import { dirname, join, basename, resolve } from 'node:path';
import { randomBytes } from 'node:crypto';
import { AppError, ErrorCode, wrapError } from './errors.ts';

/**
 * What a path we are asked to write really is, after following symlinks:
 * - `new`: nothing there yet (also the target of a dangling link): created atomically;
 * - `file`: a regular file: replaced atomically, keeping its mode (and owner when we may);
 * - `stream`: a character/block device or a FIFO: written to in place, never replaced;
 * - `socket`: a Unix socket: connected to and written to.
 * A directory is never a write target.
 */
export type WriteTarget =
  | { readonly kind: 'new'; readonly path: string }
  | {
      readonly kind: 'file';
      readonly path: string;
      readonly mode: number;
      readonly uid: number;
      readonly gid: number;
    }
  | { readonly kind: 'stream'; readonly path: string }
  | { readonly kind: 'socket'; readonly path: string }
  | { readonly kind: 'fd'; readonly path: string; readonly fd: number };

/** `/dev/stdout`, `/dev/fd/3`, `/proc/self/fd/3`: a descriptor this process already has, written to as it is. */
function getInheritedFd(path: string): number | undefined {
  const absolute = resolve(path);
  if (absolute === '/dev/stdout') return 1;
  if (absolute === '/dev/stderr') return 2;
  const match = /^\/(?:dev\/fd|proc\/self\/fd)\/(\d+)$/.exec(absolute);
  return match === null ? undefined : Number(match[1]);
}

/** Linux gives up after 40 links too (ELOOP). */
const MAX_LINKS = 40;

/**
 * Follows `path` through symlinks (a dangling one ends at the path it names) and says what is there.
 * Throws a MIG_IO AppError for a directory or a symlink loop.
 */
export async function resolveWriteTarget(path: string): Promise<WriteTarget> {
  // a shell's `-o >(jq .)` or `-o /dev/stdout >> log`: replacing what the descriptor points at would be wrong
  const fd = getInheritedFd(path);
  if (fd !== undefined) return { kind: 'fd', path, fd };
  let stats;
  try {
    // stat follows every link the kernel does, /proc "magic" links included (`-o >(jq .)` is /dev/fd/63 → pipe:[…])
    stats = await stat(path);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return { kind: 'new', path: await followDangling(path) };
    if (code === 'ELOOP') throw symlinkLoop(path);
    throw wrapError(ErrorCode.io, `cannot write ${path}`, error, 'check that the directory is readable');
  }
  if (stats.isDirectory()) {
    throw new AppError(ErrorCode.io, `cannot write ${path}: it is a directory`, {
      hint: 'give a file path (e.g. report.json), not a folder',
    });
  }
  if (stats.isFile()) {
    return {
      kind: 'file',
      path: await realpath(path),
      mode: stats.mode & 0o7777,
      uid: stats.uid,
      gid: stats.gid,
    };
  }
  if (stats.isSocket()) return { kind: 'socket', path };
  return { kind: 'stream', path }; // character/block device, FIFO: opened through the path as given
}

function symlinkLoop(path: string): AppError {
  return new AppError(ErrorCode.io, `cannot write ${path}: too many levels of symbolic links`, {
    hint: 'the path is a symlink loop; point it at a real file',
  });
}

/** The path a chain of links ends at when its last target does not exist (or `path` itself). */
async function followDangling(path: string): Promise<string> {
  let current = resolve(path);
  for (let hops = 0; hops <= MAX_LINKS; hops++) {
    const stats = await lstat(current).catch(() => undefined);
    if (stats === undefined || !stats.isSymbolicLink()) return current;
    current = resolve(dirname(current), await readlink(current));
  }
  throw symlinkLoop(path);
}

function tempPathFor(target: string): string {
  return join(dirname(target), `.${basename(target)}.${randomBytes(6).toString('hex')}.tmp`);
}

/** Writes `content` to a temp file next to `target` with the target's mode (and owner, when root). */
async function stage(
  target: WriteTarget & { kind: 'new' | 'file' },
  content: string | Uint8Array,
): Promise<string> {
  const tmp = tempPathFor(target.path);
  await mkdir(dirname(target.path), { recursive: true });
  await writeFile(tmp, content, { flag: 'wx' });
  if (target.kind === 'file') {
    await chmod(tmp, target.mode);
    if (process.getuid?.() === 0) await chown(tmp, target.uid, target.gid).catch(() => undefined);
  }
  return tmp;
}

function writeSocket(path: string, content: string | Uint8Array): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const socket = createConnection({ path });
    socket.once('error', reject);
    socket.end(content, () => resolvePromise());
  });
}

function writeFd(fd: number, content: string | Uint8Array): Promise<void> {
  return new Promise((resolvePromise, reject) => {
    const stream = createWriteStream('', { fd, autoClose: false });
    stream.once('error', reject);
    stream.end(content, () => resolvePromise());
  });
}

/** Writes in place: devices, FIFOs (blocks until a reader opens it), sockets and descriptors are never replaced. */
async function writeInPlace(
  target: WriteTarget & { kind: 'stream' | 'socket' | 'fd' },
  content: string | Uint8Array,
): Promise<void> {
  if (target.kind === 'socket') await writeSocket(target.path, content);
  else if (target.kind === 'fd') await writeFd(target.fd, content);
  else await writeFile(target.path, content);
}

/**
 * Writes a file so that nothing a user owns is destroyed and readers see either the old or the new content:
 * a regular file (or a new path) is replaced atomically through a temp file renamed over it, keeping its
 * mode; a symlink is followed (its target is replaced, the link stays a link; a dangling link creates its
 * target); a device, FIFO or socket is written to in place; a directory is an error.
 */
export async function writeFileAtomic(path: string, content: string | Uint8Array): Promise<void> {
  const target = await resolveWriteTarget(path);
  let tmp: string | undefined;
  try {
    if (target.kind === 'stream' || target.kind === 'socket' || target.kind === 'fd')
      return await writeInPlace(target, content);
    tmp = await stage(target, content);
    await rename(tmp, target.path);
  } catch (error) {
    if (tmp !== undefined) await rm(tmp, { force: true });
    throw wrapError(
      ErrorCode.io,
      `cannot write ${path}`,
      error,
      'check that the directory exists and is writable',
    );
  }
}

/** One file of a set written by {@link writeFilesAtomic}. */
export interface FileWrite {
  readonly path: string;
  readonly content: string | Uint8Array;
}

/**
 * Writes every file or none, under the same rules as {@link writeFileAtomic}: all targets are resolved and all
 * contents staged next to their (real) targets first; only then is each renamed over its target. A failure
 * before that removes the temp files and changes nothing.
 */
export async function writeFilesAtomic(writes: readonly FileWrite[], hint?: string): Promise<void> {
  const staged: { tmp: string; target: string }[] = [];
  const inPlace: {
    target: WriteTarget & { kind: 'stream' | 'socket' | 'fd' };
    content: string | Uint8Array;
  }[] = [];
  try {
    for (const write of writes) {
      const target = await resolveWriteTarget(write.path);
      if (target.kind === 'stream' || target.kind === 'socket' || target.kind === 'fd')
        inPlace.push({ target, content: write.content });
      else staged.push({ tmp: await stage(target, write.content), target: target.path });
    }
  } catch (error) {
    await Promise.all(staged.map((s) => rm(s.tmp, { force: true })));
    throw wrapError(
      ErrorCode.io,
      'cannot write the files',
      error,
      hint ?? 'check that the directory is writable; nothing was changed',
    );
  }
  for (const [index, { tmp, target }] of staged.entries()) {
    try {
      await rename(tmp, target);
    } catch (error) {
      await Promise.all(staged.slice(index).map((s) => rm(s.tmp, { force: true })));
      throw wrapError(ErrorCode.io, `cannot replace ${target}`, error, 'check permissions, then run again');
    }
  }
  for (const { target, content } of inPlace) {
    try {
      await writeInPlace(target, content);
    } catch (error) {
      throw wrapError(
        ErrorCode.io,
        `cannot write ${target.path}`,
        error,
        'check permissions, then run again',
      );
    }
  }
}
