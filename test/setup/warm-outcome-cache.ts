// The warm-up's whole outcome (ported services, built components, their build results), kept per input in the
// user's cache: a fresh clone of the same sources on the same machine (CI's clean clone, a second checkout) copies
// it instead of porting, type-checking and bundling the sample services again, which costs about 50 s of CPU on two
// quiet cores and minutes on a busy machine even when every component is a build-cache hit. The key is the SHA-256
// of every file the jobs can read (the tool's sources, the sample estate, the test fixtures, the lock file), the
// job list and the Node version, so an entry is never read for other inputs; any change to those files is a miss,
// and the warm-up then runs its jobs as before.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync } from 'node:fs';
import { cp, mkdir, mkdtemp, readdir, readFile, rename, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { userCacheDir } from '../../shared/cache-dir.ts';
import type { ComponentJob } from './component-jobs.ts';
import type { JobsOutcome } from './run-jobs.ts';

/** What the jobs read, repository-relative: a folder (ending in /) or a file. */
const INPUTS = [
  'analyzer/',
  'bridge/',
  'cli/',
  'codemods/',
  'deploy/',
  'planner/',
  'rollout/',
  'runtimes/',
  'schema/',
  'shared/',
  'verify/',
  'samples/spring-orders/',
  'test/setup/',
  'test/helpers/',
  'test/bridge/host/',
  'test/codemods/build/tiny-service.ts',
  'package.json',
  'package-lock.json',
  'tsconfig.json',
];
/** Entries kept (the newest): each is the ported services and every component of one set of inputs. */
const KEEP = 2;
/** Stands for the run folder in a stored outcome's paths. */
const RUN_DIR = '$RUN_DIR$';

export function getWarmOutcomeCacheDir(): string {
  return process.env['MIGRATE_TEST_WARM_CACHE'] ?? userCacheDir('test-warm-up');
}

/**
 * The key of the warm-up's inputs in `repo`: the files git tracks or would track (ignored build output such as
 * the sample's target/ is not an input), or undefined when git cannot list them (then nothing is cached).
 */
export async function warmUpKey(repo: string, jobs: readonly ComponentJob[]): Promise<string | undefined> {
  const listed = await promisify(execFile)(
    'git',
    ['ls-files', '-z', '--cached', '--others', '--exclude-standard'],
    { cwd: repo, maxBuffer: 64 * 1024 * 1024 },
  ).catch(() => undefined);
  if (listed === undefined) return undefined;
  const files = [...new Set(listed.stdout.split('\0'))]
    .filter(
      (file) =>
        file !== '' &&
        INPUTS.some((input) => file === input || (input.endsWith('/') && file.startsWith(input))),
    )
    .sort();
  const hash = createHash('sha256')
    .update(JSON.stringify({ jobs, node: process.version }))
    .update('\0');
  for (const file of files) {
    // a tracked file deleted in the work tree is an input too: its absence
    const content = await readFile(join(repo, file)).catch(() => undefined);
    hash
      .update(file)
      .update('\0')
      .update(content === undefined ? '-' : `${content.length}:`);
    if (content !== undefined) hash.update(content);
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * Copies the stored outcome for `key` into `runDir` and returns it with its paths there, or undefined on a miss.
 * A stored outcome whose components the CLI's build cache no longer holds (`cliHashes`, checked by `hasCliEntry`)
 * is a miss too: tests build those through the CLI and expect a cache hit.
 */
export async function restoreWarmOutcome(
  key: string,
  runDir: string,
  hasCliEntry: (hash: string) => Promise<boolean>,
): Promise<JobsOutcome | undefined> {
  const entry = join(getWarmOutcomeCacheDir(), key);
  const stored = await readFile(join(entry, 'outcome.json'), 'utf8').catch(() => undefined);
  if (stored === undefined) return undefined;
  const { outcome, cliHashes } = JSON.parse(stored) as { outcome: string; cliHashes: string[] };
  for (const hash of cliHashes) if (!(await hasCliEntry(hash))) return undefined;
  await cp(join(entry, 'run'), runDir, { recursive: true });
  return JSON.parse(
    outcome.replaceAll(JSON.stringify(RUN_DIR).slice(1, -1), JSON.stringify(runDir).slice(1, -1)),
  ) as JobsOutcome;
}

/**
 * Stores a complete outcome (no failed job) built in `runDir` under `key`: a copy into a fresh folder, renamed into
 * place, so a stopped or concurrent store never leaves half an entry. Keeps the newest entries only.
 */
export async function storeWarmOutcome(
  key: string,
  runDir: string,
  outcome: JobsOutcome,
  cliHashes: readonly string[],
): Promise<void> {
  if (Object.keys(outcome.failures).length > 0) return;
  const root = getWarmOutcomeCacheDir();
  const entry = join(root, key);
  if (existsSync(entry)) return;
  await mkdir(root, { recursive: true });
  const staging = await mkdtemp(join(root, `.${key.slice(0, 12)}-`));
  try {
    await cp(runDir, join(staging, 'run'), { recursive: true });
    const text = JSON.stringify(outcome).replaceAll(
      JSON.stringify(runDir).slice(1, -1),
      JSON.stringify(RUN_DIR).slice(1, -1),
    );
    await writeFile(join(staging, 'outcome.json'), JSON.stringify({ outcome: text, cliHashes }));
    await rename(staging, entry);
  } catch (error) {
    await rm(staging, { recursive: true, force: true });
    if (!existsSync(entry)) throw error;
  }
  await prune(root);
}

/** Removes all but the KEEP newest entries. */
async function prune(root: string): Promise<void> {
  const entries = (await readdir(root)).filter((name) => /^[0-9a-f]{64}$/.test(name));
  const dated = await Promise.all(
    entries.map(async (name) => ({ name, time: (await stat(join(root, name))).mtimeMs })),
  );
  dated.sort((a, b) => b.time - a.time);
  for (const { name } of dated.slice(KEEP)) await rm(join(root, name), { recursive: true, force: true });
}
