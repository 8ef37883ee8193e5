// `node test/setup/warm-cache.ts`: builds every test component into the suite's build cache, one at a time, and
// exits 0 whatever happens (the global setup reports a failed build). scripts/test.sh runs it beside the static
// checks, which leave a core idle: the global setup then mostly finds its components in the cache.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { COMPONENT_JOBS, getTestBuildCacheDir } from './component-jobs.ts';
import { runComponentJobs } from './run-jobs.ts';

const runDir = await mkdtemp(join(tmpdir(), 'migrate-warm-cache-'));
const started = Date.now();
const outcome = await runComponentJobs(COMPONENT_JOBS, {
  runDir,
  cacheDir: getTestBuildCacheDir(),
  concurrency: 1,
  log: (line) => void process.stderr.write(`[warm-cache] ${line}\n`),
});
await rm(runDir, { recursive: true, force: true });
const failed = Object.keys(outcome.failures).length;
process.stderr.write(
  `[warm-cache] ${COMPONENT_JOBS.length - failed} of ${COMPONENT_JOBS.length} built in ${((Date.now() - started) / 1000).toFixed(1)} s\n`,
);
