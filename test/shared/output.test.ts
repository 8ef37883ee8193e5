import { mkdtemp, readFile, readdir } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { createOutput, resolveColor } from '../../shared/output.ts';
import { writeFileAtomic } from '../../shared/fs.ts';

describe('output', () => {
  it('turns colour off for NO_COLOR, --json and non-TTY streams', () => {
    const tty = Object.assign(new PassThrough(), { isTTY: true });
    expect(resolveColor({ stdout: tty, env: {} })).toBe(true);
    expect(resolveColor({ stdout: tty, env: { NO_COLOR: '1' } })).toBe(false);
    expect(resolveColor({ stdout: tty, env: {}, json: true })).toBe(false);
    expect(resolveColor({ stdout: new PassThrough(), env: {} })).toBe(false);
  });

  it('writes --output files atomically and leaves no temp file behind', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-out-'));
    const file = join(dir, 'report.json');
    const output = createOutput({
      stdout: new PassThrough(),
      stderr: new PassThrough(),
      json: true,
      outputFile: file,
      env: {},
    });
    await output.resultJson({ schemaVersion: '1', ok: true });
    expect(JSON.parse(await readFile(file, 'utf8'))).toEqual({ schemaVersion: '1', ok: true });
    await writeFileAtomic(file, 'second');
    expect(await readFile(file, 'utf8')).toBe('second');
    expect(await readdir(dir)).toEqual(['report.json']);
  });

  it('shows progress only on an interactive terminal', () => {
    const stderr = new PassThrough();
    const chunks: string[] = [];
    stderr.on('data', (c: Buffer) => chunks.push(c.toString()));
    createOutput({ stderr, env: {} }).progress('working');
    expect(chunks).toEqual([]);
  });
});
