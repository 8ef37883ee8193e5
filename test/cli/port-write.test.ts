import { lstat, mkdir, mkdtemp, readFile, readdir, readlink, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { writeProject } from '../../cli/commands/port-write.ts';

const FILES = new Map([
  ['src/main.ts', 'export const main = 2;\n'],
  ['src/deep/x.ts', 'export const x = 2;\n'],
  ['package.json', '{"name":"p2"}\n'],
  ['port-report.json', '{}\n'],
]);

let work: string;
beforeEach(async () => {
  work = await mkdtemp(join(tmpdir(), 'migrate-port-write-'));
});

describe('writeProject', () => {
  it('swaps the folder a symlinked src points at and keeps the link', async () => {
    const out = join(work, 'out');
    await mkdir(join(work, 'elsewhere/src'), { recursive: true });
    await writeFile(join(work, 'elsewhere/src/old.ts'), 'old');
    await mkdir(out);
    await writeFile(join(out, 'port-report.json'), '{}\n');
    await symlink('../elsewhere/src', join(out, 'src'));
    await writeProject(out, FILES);
    expect((await lstat(join(out, 'src'))).isSymbolicLink()).toBe(true);
    expect(await readlink(join(out, 'src'))).toBe('../elsewhere/src');
    expect((await readdir(join(work, 'elsewhere/src'))).sort()).toEqual(['deep', 'main.ts']);
    expect(await readdir(join(work, 'elsewhere'))).toEqual(['src']);
    expect((await readdir(out)).sort()).toEqual(['package.json', 'port-report.json', 'src']);
  });

  it('keeps a symlinked package.json a link', async () => {
    const out = join(work, 'out');
    await mkdir(out);
    await writeFile(join(out, 'port-report.json'), '{}\n');
    await writeFile(join(work, 'shared-package.json'), '{"name":"p1"}\n');
    await symlink('../shared-package.json', join(out, 'package.json'));
    await writeProject(out, FILES);
    expect((await lstat(join(out, 'package.json'))).isSymbolicLink()).toBe(true);
    expect(await readFile(join(work, 'shared-package.json'), 'utf8')).toBe('{"name":"p2"}\n');
  });

  it('refuses a folder port did not write that has a src/ or a package.json, and changes nothing', async () => {
    const out = join(work, 'user-project');
    await mkdir(join(out, 'src'), { recursive: true });
    await writeFile(join(out, 'src/mine.ts'), 'mine');
    await expect(writeProject(out, FILES)).rejects.toMatchObject({
      code: 'MIG_USAGE',
      message: expect.stringContaining('was not written by migrate port'),
    });
    expect(await readdir(join(out, 'src'))).toEqual(['mine.ts']);
    expect(await readdir(out)).toEqual(['src']);
  });

  it('writes into a new or unrelated empty folder', async () => {
    const out = join(work, 'fresh');
    await mkdir(out);
    await writeFile(join(out, 'README.md'), 'notes');
    await writeProject(out, FILES);
    expect(await readFile(join(out, 'src/deep/x.ts'), 'utf8')).toBe('export const x = 2;\n');
    expect(await readFile(join(out, 'README.md'), 'utf8')).toBe('notes');
    expect((await readdir(work)).sort()).toEqual(['fresh']);
  });

  it('reports a src that is a file as an error', async () => {
    const out = join(work, 'out');
    await mkdir(out);
    await writeFile(join(out, 'port-report.json'), '{}\n');
    await writeFile(join(out, 'src'), 'a file');
    await expect(writeProject(out, FILES)).rejects.toMatchObject({ code: 'MIG_IO' });
    expect(await readFile(join(out, 'src'), 'utf8')).toBe('a file');
  });
});
