import { mkdir, mkdtemp, readFile, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { appendRecord, readStateFile, type RolloutRecord } from '../../rollout/index.ts';
import type { AppError } from '../../shared/errors.ts';

const started = (service: string, index: number): RolloutRecord => ({
  v: 1,
  at: '2026-12-05T09:00:00.000Z',
  event: 'step-started',
  service,
  step: index === 0 ? 'verify' : `${index}%`,
  index,
});

describe('rollout state file', () => {
  it('appends one NDJSON line per record and reads them back in order', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-rollout-'));
    const path = join(dir, 'rollout.ndjson');
    expect(await readStateFile(path)).toEqual({ records: [] });
    const records = [started('a', 0), started('a', 1), started('b', 0)];
    for (const r of records) await appendRecord(path, r);
    expect((await readFile(path, 'utf8')).split('\n')).toHaveLength(4);
    expect(await readStateFile(path)).toEqual({ records });
  });

  it('cuts off a torn last line (a crash mid-append) so the next append starts on a clean line', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-rollout-'));
    const path = join(dir, 'rollout.ndjson');
    await appendRecord(path, started('a', 0));
    const torn = JSON.stringify(started('a', 1)).slice(0, 30);
    await writeFile(path, `${await readFile(path, 'utf8')}${torn}`);
    expect(await readStateFile(path)).toEqual({ records: [started('a', 0)], repairedTail: torn });
    await appendRecord(path, started('a', 1));
    expect((await readStateFile(path)).records).toEqual([started('a', 0), started('a', 1)]);
  });

  it('refuses a damaged line in the middle, at file:line, without changing the file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-rollout-'));
    const path = join(dir, 'rollout.ndjson');
    const text = `${JSON.stringify(started('a', 0))}\n{"v":1,"event":"step-passed"}\n${JSON.stringify(started('a', 1))}\n`;
    await writeFile(path, text);
    const error = (await readStateFile(path).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('MIG_CONFIG');
    expect(error.location).toMatchObject({ file: path, line: 2, excerpt: '{"v":1,"event":"step-passed"}' });
    expect(await readFile(path, 'utf8')).toBe(text);
  });

  it('refuses to append to something that is not a regular file', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-rollout-'));
    await mkdir(join(dir, 'state'));
    await expect(appendRecord(join(dir, 'state'), started('a', 0))).rejects.toThrow(/not a regular file/);
  });
});
