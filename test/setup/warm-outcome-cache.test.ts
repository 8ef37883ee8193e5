// The warm-up's outcome cache: a key that follows every input file, a restored outcome whose paths point at the new
// run folder, and misses where a stale entry would be wrong.
import { execFileSync } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { ComponentJob } from './component-jobs.ts';
import type { JobsOutcome } from './run-jobs.ts';
import { restoreWarmOutcome, storeWarmOutcome, warmUpKey } from './warm-outcome-cache.ts';

const JOBS: ComponentJob[] = [{ kind: 'fixture', name: 'hello', usedBy: [] }];
let work = '';
let repo = '';

beforeAll(async () => {
  work = await mkdtemp(join(tmpdir(), 'migrate-warm-outcome-'));
  repo = join(work, 'repo');
  await mkdir(join(repo, 'codemods'), { recursive: true });
  await mkdir(join(repo, 'docs'), { recursive: true });
  await writeFile(join(repo, 'codemods/port.ts'), 'export const a = 1;\n');
  await writeFile(join(repo, 'docs/notes.md'), 'words\n');
  await writeFile(join(repo, '.gitignore'), 'target/\n');
  execFileSync('git', ['init', '-q'], { cwd: repo });
  execFileSync('git', ['add', '-A'], { cwd: repo });
  process.env['MIGRATE_TEST_WARM_CACHE'] = join(work, 'cache');
});

afterAll(async () => {
  delete process.env['MIGRATE_TEST_WARM_CACHE'];
  await rm(work, { recursive: true, force: true });
});

describe('the warm-up outcome cache', () => {
  it('keys on the files the jobs read: a source change is a new key, docs and ignored build output are not', async () => {
    const first = await warmUpKey(repo, JOBS);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    await writeFile(join(repo, 'docs/notes.md'), 'other words\n');
    await mkdir(join(repo, 'codemods/target'), { recursive: true });
    await writeFile(join(repo, 'codemods/target/out.jar'), 'bytes');
    expect(await warmUpKey(repo, JOBS)).toBe(first);
    await writeFile(join(repo, 'codemods/new.ts'), 'export const b = 2;\n'); // untracked, not ignored: an input
    const second = await warmUpKey(repo, JOBS);
    expect(second).not.toBe(first);
    await writeFile(join(repo, 'codemods/port.ts'), 'export const a = 2;\n');
    expect(await warmUpKey(repo, JOBS)).not.toBe(second);
    expect(await warmUpKey(repo, [...JOBS, { kind: 'tiny', target: 'spin', usedBy: [] }])).not.toBe(
      await warmUpKey(repo, JOBS),
    );
  });

  it('restores a stored outcome into another run folder, with its paths there', async () => {
    const runDir = join(work, 'run-a');
    await mkdir(join(runDir, 'fixtures'), { recursive: true });
    await writeFile(join(runDir, 'fixtures/hello.wasm'), 'wasm bytes');
    const outcome: JobsOutcome = {
      fixtures: {
        hello: { path: join(runDir, 'fixtures/hello.wasm'), imports: [], exports: [], hash: 'h1' },
      },
      services: {},
      failures: {},
      done: ['fixture hello'],
    };
    const key = 'a'.repeat(64);
    await storeWarmOutcome(key, runDir, outcome, ['cli1']);
    const other = join(work, 'run-b');
    await mkdir(other);
    expect(await restoreWarmOutcome(key, other, (hash) => Promise.resolve(hash !== 'cli1'))).toBeUndefined();
    const restored = await restoreWarmOutcome(key, other, () => Promise.resolve(true));
    expect(restored?.fixtures['hello']?.path).toBe(join(other, 'fixtures/hello.wasm'));
    expect(await readFile(join(other, 'fixtures/hello.wasm'), 'utf8')).toBe('wasm bytes');
    expect(await restoreWarmOutcome('b'.repeat(64), other, () => Promise.resolve(true))).toBeUndefined();
  });

  it('keeps no outcome with a failed job', async () => {
    const runDir = join(work, 'run-c');
    await mkdir(runDir);
    const key = 'c'.repeat(64);
    await storeWarmOutcome(
      key,
      runDir,
      { fixtures: {}, services: {}, failures: { x: 'broke' }, done: [] },
      [],
    );
    expect(await restoreWarmOutcome(key, join(work, 'run-d'), () => Promise.resolve(true))).toBeUndefined();
  });
});
