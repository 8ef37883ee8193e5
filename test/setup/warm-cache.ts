// `node test/setup/warm-cache.ts`: builds every test component into the suite's build cache, one at a time in this
// process, and exits 0 whatever happens (the global setup builds again what failed, and reports a failed build). scripts/test.sh runs it beside the static
// checks, which leave a core idle. With MIGRATE_TEST_PREBUILT set (the test command sets it), it builds into that
// folder and leaves its outcome there, and the global setup reuses it instead of building again (prebuilt.ts).
import { mkdir, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { existsSync } from 'node:fs';
import { getDefaultBuildCacheDir } from '../../codemods/build/build-component.ts';
import { COMPONENT_JOBS, getTestBuildCacheDir, shareWithCli, sharedWithCli } from './component-jobs.ts';
import { getPrebuiltDir, writePrebuilt } from './prebuilt.ts';
import { runComponentJobs, type JobsOutcome } from './run-jobs.ts';
import { restoreWarmOutcome, storeWarmOutcome, warmUpKey } from './warm-outcome-cache.ts';

/** A bound for a hung build (the jobs run in this process, with no per-job limit): then keep what is done, and stop. */
const WARM_UP_LIMIT_MS = 40 * 60_000;

const prebuiltDir = getPrebuiltDir();
const runDir = prebuiltDir ?? (await mkdtemp(join(tmpdir(), 'migrate-warm-cache-')));
await mkdir(runDir, { recursive: true });
const started = Date.now();
let sofar: JobsOutcome = { fixtures: {}, services: {}, failures: {}, done: [] };
setTimeout(() => {
  process.stderr.write(
    `[warm-cache] stopped after ${WARM_UP_LIMIT_MS / 60_000} min; the global setup builds the rest\n`,
  );
  void (prebuiltDir === undefined ? Promise.resolve() : writePrebuilt(prebuiltDir, sofar)).finally(() =>
    process.exit(0),
  );
}, WARM_UP_LIMIT_MS).unref();
const cacheDir = getTestBuildCacheDir();
// the same inputs warmed up before on this machine (a fresh clone of the same sources): copy that outcome
const key =
  prebuiltDir === undefined ? undefined : await warmUpKey(join(import.meta.dirname, '../..'), COMPONENT_JOBS);
const hasCliEntry = async (hash: string): Promise<boolean> => {
  if (existsSync(join(getDefaultBuildCacheDir(), `${hash}.wasm`))) return true;
  if (!existsSync(join(cacheDir, `${hash}.wasm`))) return false;
  await shareWithCli(cacheDir, hash);
  return true;
};
const restored = key === undefined ? undefined : await restoreWarmOutcome(key, runDir, hasCliEntry);
if (restored !== undefined)
  process.stderr.write(
    `[warm-cache] the same inputs were warmed up before: copied that outcome (key ${key!.slice(0, 12)})\n`,
  );
const outcome =
  restored ??
  (await runComponentJobs(COMPONENT_JOBS, {
    runDir,
    cacheDir,
    concurrency: 1,
    inProcess: true,
    log: (line) => void process.stderr.write(`[warm-cache] ${line}\n`),
    onProgress: (current) => (sofar = current),
  }));
if (restored === undefined && key !== undefined)
  await storeWarmOutcome(key, runDir, outcome, sharedWithCli).catch((error: unknown) =>
    process.stderr.write(`[warm-cache] could not keep the outcome: ${String(error)}\n`),
  );
if (prebuiltDir === undefined) await rm(runDir, { recursive: true, force: true });
else await writePrebuilt(prebuiltDir, outcome);
const failed = Object.keys(outcome.failures).length;
process.stderr.write(
  `[warm-cache] ${COMPONENT_JOBS.length - failed} of ${COMPONENT_JOBS.length} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
