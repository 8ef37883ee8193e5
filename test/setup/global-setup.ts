// Vitest global setup: builds every component the selected test files load, once per run, before any test file
// starts, at most two at a time, through the content-hash build cache (test/setup/component-jobs.ts). Test files
// read the result with test/helpers/components.ts and compile nothing, so no test or hook waits on componentize-js.
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import { COMPONENT_JOBS, describeJob, getTestBuildCacheDir } from './component-jobs.ts';
import { getPrebuiltDir, readPrebuilt } from './prebuilt.ts';
import { getBuildConcurrency, mergeOutcomes, runComponentJobs, type JobsOutcome } from './run-jobs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    /** The built components; a failed build is in `failures`, and the tests that need it say so. */
    testComponents: JobsOutcome;
  }
}

/**
 * The test files this run selected (repository-relative), or undefined when vitest does not say: then every
 * component is built. A run of a few files builds only what those load.
 */
async function getSelectedFiles(project: TestProject): Promise<Set<string> | undefined> {
  const filters = (project.vitest as unknown as { filenamePattern?: unknown }).filenamePattern;
  if (!Array.isArray(filters) || !filters.every((filter) => typeof filter === 'string')) return undefined;
  const specs = await project.vitest.getRelevantTestSpecifications(filters);
  return new Set(specs.map((spec) => relative(project.config.root, spec.moduleId)));
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runDir = await mkdtemp(join(tmpdir(), 'migrate-test-components-'));
  const cacheDir = getTestBuildCacheDir();
  const concurrency = getBuildConcurrency();
  const selected = await getSelectedFiles(project);
  const log = (line: string): void => void process.stderr.write(`[components] ${line}\n`);
  // What the test command's warm-up built in this run is reused as it is (its folder lives until the run ends).
  const prebuiltDir = getPrebuiltDir();
  const prebuilt = prebuiltDir === undefined ? undefined : await readPrebuilt(prebuiltDir);
  if (prebuilt !== undefined)
    log(`reusing ${prebuilt.done.length} components the warm-up built (${prebuiltDir})`);
  const jobs = COMPONENT_JOBS.filter(
    (job) =>
      (selected === undefined || job.usedBy.some((file) => selected.has(file))) &&
      !prebuilt?.done.includes(describeJob(job)),
  );
  const started = Date.now();
  if (jobs.length > 0)
    log(`building ${jobs.length} test components, ${concurrency} at a time (cache ${cacheDir})`);
  const built = await runComponentJobs(jobs, { runDir, cacheDir, concurrency, log });
  if (jobs.length > 0) log(`done in ${((Date.now() - started) / 1000).toFixed(1)} s`);
  project.provide('testComponents', prebuilt === undefined ? built : mergeOutcomes(prebuilt, built));
  return async () => {
    await rm(runDir, { recursive: true, force: true });
  };
}
