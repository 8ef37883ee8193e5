// What scripts/test.sh's background warm-up (warm-cache.ts) already built in this run, handed to the vitest global
// setup so that it does not port, codemod and build the same sample services a second time. The test command
// names one folder in MIGRATE_TEST_PREBUILT: the warm-up builds into it and leaves `outcome.json` there; the
// global setup reuses every job listed as done and runs only the rest (a failed or missing one).
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { writeFileAtomic } from '../../shared/fs.ts';
import type { JobsOutcome } from './run-jobs.ts';

/** The folder the warm-up and the global setup share, when the test command set one. */
export function getPrebuiltDir(): string | undefined {
  const dir = process.env['MIGRATE_TEST_PREBUILT'];
  return dir === undefined || dir === '' ? undefined : dir;
}

export async function writePrebuilt(dir: string, outcome: JobsOutcome): Promise<void> {
  await writeFileAtomic(join(dir, 'outcome.json'), JSON.stringify(outcome));
}

/** What the warm-up left in `dir`, or undefined when it left nothing (it failed, or was not run). */
export async function readPrebuilt(dir: string): Promise<JobsOutcome | undefined> {
  const text = await readFile(join(dir, 'outcome.json'), 'utf8').catch(() => undefined);
  return text === undefined ? undefined : (JSON.parse(text) as JobsOutcome);
}
