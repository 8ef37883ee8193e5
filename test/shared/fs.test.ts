import { execFileSync, spawn } from 'node:child_process';
import { createReadStream } from 'node:fs';
import {
  chmod,
  lstat,
  mkdir,
  mkdtemp,
  readFile,
  readdir,
  readlink,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { beforeEach, describe, expect, it } from 'vitest';
import { resolveWriteTarget, writeFileAtomic, writeFilesAtomic } from '../../shared/fs.ts';
import { createOutput } from '../../shared/output.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';

let dir: string;
beforeEach(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-fs-'));
});

function readAll(path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    createReadStream(path)
      .on('data', (c) => chunks.push(c as Buffer))
      .on('end', () => resolve(Buffer.concat(chunks).toString()))
      .on('error', reject);
  });
}

describe('writeFileAtomic', () => {
  it('replaces a regular file and keeps its mode', async () => {
    const file = join(dir, 'report.json');
    await writeFile(file, 'old');
    await chmod(file, 0o640);
    await writeFileAtomic(file, 'new');
    expect(await readFile(file, 'utf8')).toBe('new');
    expect((await stat(file)).mode & 0o7777).toBe(0o640);
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('creates a new file and its folder', async () => {
    await writeFileAtomic(join(dir, 'a/b/c.txt'), 'x');
    expect(await readFile(join(dir, 'a/b/c.txt'), 'utf8')).toBe('x');
  });

  it('follows a symlink: the target is replaced, the link stays a link', async () => {
    const real = join(dir, 'real.json');
    const link = join(dir, 'link.json');
    await writeFile(real, 'old');
    await chmod(real, 0o600);
    await symlink('real.json', link);
    await writeFileAtomic(link, 'new');
    expect((await lstat(link)).isSymbolicLink()).toBe(true);
    expect(await readlink(link)).toBe('real.json');
    expect(await readFile(real, 'utf8')).toBe('new');
    expect((await stat(real)).mode & 0o7777).toBe(0o600);
  });

  it('creates the target of a dangling symlink (through a chain of links)', async () => {
    await mkdir(join(dir, 'out'));
    await symlink('out/target.txt', join(dir, 'middle'));
    await symlink(join(dir, 'middle'), join(dir, 'link'));
    await writeFileAtomic(join(dir, 'link'), 'made');
    expect(await readFile(join(dir, 'out/target.txt'), 'utf8')).toBe('made');
    expect((await lstat(join(dir, 'link'))).isSymbolicLink()).toBe(true);
    expect((await lstat(join(dir, 'middle'))).isSymbolicLink()).toBe(true);
  });

  it('writes into a FIFO in place and leaves it a FIFO', async () => {
    const fifo = join(dir, 'pipe');
    execFileSync('mkfifo', [fifo]);
    const read = readAll(fifo);
    await writeFileAtomic(fifo, 'through the pipe\n');
    expect(await read).toBe('through the pipe\n');
    expect((await lstat(fifo)).isFIFO()).toBe(true);
    expect(await readdir(dir)).toEqual(['pipe']);
  });

  it('writes to /dev/null in place: it stays a character device', async () => {
    // asserted before writing, so a regression fails here instead of replacing the machine's /dev/null
    expect(await resolveWriteTarget('/dev/null')).toEqual({ kind: 'stream', path: '/dev/null' });
    await writeFileAtomic('/dev/null', 'discarded');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('writes to a Unix socket by connecting to it', async () => {
    const path = join(dir, 'sock');
    const received = new Promise<string>((resolve) => {
      const server = createServer((socket) => {
        const chunks: Buffer[] = [];
        socket.on('data', (c: Buffer) => chunks.push(c));
        socket.on('end', () => {
          server.close();
          resolve(Buffer.concat(chunks).toString());
        });
      });
      server.listen(path);
    });
    await expect
      .poll(() =>
        lstat(path).then(
          (s) => s.isSocket(),
          () => false,
        ),
      )
      .toBe(true);
    await writeFileAtomic(path, 'hello socket');
    expect(await received).toBe('hello socket');
  });

  it('refuses a directory with a clear error and changes nothing', async () => {
    await mkdir(join(dir, 'folder'));
    await symlink('folder', join(dir, 'to-folder'));
    await expect(writeFileAtomic(join(dir, 'folder'), 'x')).rejects.toMatchObject({
      code: 'MIG_IO',
      message: expect.stringContaining('is a directory'),
    });
    await expect(writeFileAtomic(join(dir, 'to-folder'), 'x')).rejects.toMatchObject({ code: 'MIG_IO' });
    expect((await readdir(dir)).sort()).toEqual(['folder', 'to-folder']);
    expect(await readdir(join(dir, 'folder'))).toEqual([]);
  });

  it('reports a symlink loop as an error', async () => {
    await symlink('b', join(dir, 'a'));
    await symlink('a', join(dir, 'b'));
    await expect(writeFileAtomic(join(dir, 'a'), 'x')).rejects.toMatchObject({
      code: 'MIG_IO',
      message: expect.stringContaining('symbolic links'),
    });
  });
});

describe('writeFilesAtomic', () => {
  it('writes nothing when one target is a directory', async () => {
    await writeFile(join(dir, 'a.ts'), 'old a');
    await mkdir(join(dir, 'b.ts'));
    await expect(
      writeFilesAtomic([
        { path: join(dir, 'a.ts'), content: 'new a' },
        { path: join(dir, 'b.ts'), content: 'new b' },
      ]),
    ).rejects.toMatchObject({ code: 'MIG_IO' });
    expect(await readFile(join(dir, 'a.ts'), 'utf8')).toBe('old a');
    expect((await readdir(dir)).sort()).toEqual(['a.ts', 'b.ts']);
  });

  it('keeps symlinked files links and rewrites what they point at', async () => {
    await mkdir(join(dir, 'shared'));
    await writeFile(join(dir, 'shared/x.ts'), 'old');
    await symlink('shared/x.ts', join(dir, 'x.ts'));
    await writeFilesAtomic([{ path: join(dir, 'x.ts'), content: 'new' }]);
    expect((await lstat(join(dir, 'x.ts'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(dir, 'shared/x.ts'), 'utf8')).toBe('new');
  });
});

describe('--output', () => {
  it('`-` writes to stdout', async () => {
    const stdout = new PassThrough();
    const chunks: Buffer[] = [];
    stdout.on('data', (c: Buffer) => chunks.push(c));
    const output = createOutput({ stdout, stderr: new PassThrough(), json: true, outputFile: '-', env: {} });
    await output.resultJson({ schemaVersion: '1', ok: true });
    expect(JSON.parse(Buffer.concat(chunks).toString())).toEqual({ schemaVersion: '1', ok: true });
    expect(await readdir(process.cwd())).not.toContain('-');
  });

  it('migrate analyze --json -o /dev/null leaves /dev/null a character device', async () => {
    expect((await resolveWriteTarget('/dev/null')).kind).toBe('stream');
    const run = await runCliCaptured([
      'analyze',
      'test/analyzer/fixtures/mini-estate',
      '--json',
      '-o',
      '/dev/null',
    ]);
    expect(run.code, run.stderr).toBe(0);
    expect(run.stdout).toBe('');
    expect((await lstat('/dev/null')).isCharacterDevice()).toBe(true);
  });

  it('migrate analyze -o <symlink> writes the linked file, relative to the command cwd', async () => {
    await writeFile(join(dir, 'real.json'), '{}');
    await symlink('real.json', join(dir, 'report.json'));
    const estate = join(process.cwd(), 'test/analyzer/fixtures/mini-estate');
    const run = await runCliCaptured(['analyze', estate, '--json', '-o', 'report.json'], {}, dir);
    expect(run.code, run.stderr).toBe(0);
    expect((await lstat(join(dir, 'report.json'))).isSymbolicLink()).toBe(true);
    expect(JSON.parse(await readFile(join(dir, 'real.json'), 'utf8'))).toHaveProperty('schemaVersion');
  });

  it('migrate analyze -o /dev/fd/3 writes into the pipe behind the /proc magic link (like -o >(jq .))', async () => {
    const child = spawn(
      process.execPath,
      ['bin/migrate.js', 'analyze', 'test/analyzer/fixtures/mini-estate', '--json', '-o', '/dev/fd/3'],
      {
        stdio: ['ignore', 'pipe', 'pipe', 'pipe'],
      },
    );
    const chunks: Buffer[] = [];
    (child.stdio[3] as NodeJS.ReadableStream).on('data', (c: Buffer) => chunks.push(c));
    const stderr: Buffer[] = [];
    child.stderr?.on('data', (c: Buffer) => stderr.push(c));
    const code = await new Promise<number | null>((resolve) => child.on('close', resolve));
    expect(code, Buffer.concat(stderr).toString()).toBe(0);
    expect(JSON.parse(Buffer.concat(chunks).toString())).toHaveProperty('schemaVersion');
  }, 120_000);

  it('migrate analyze -o <dir> is a clear error', async () => {
    const estate = join(process.cwd(), 'test/analyzer/fixtures/mini-estate');
    const run = await runCliCaptured(['analyze', estate, '--json', '-o', dir]);
    expect(run.code).toBe(2);
    expect(run.stderr).toContain('is a directory');
  });
});
