// Vitest global setup: builds every component the suite loads once per run, before any test file starts, at most
// two at a time (MIGRATE_TEST_BUILD_JOBS), through the content-hash build cache. Test files read the result with
// test/helpers/components.ts and do no compilation of their own, so no test or hook waits on componentize-js.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import type { TestProject } from 'vitest/node';
import {
  COMPONENT_JOBS,
  describeJob,
  getTestBuildCacheDir,
  readJobResult,
  type ComponentJob,
  type TestComponents,
} from './component-jobs.ts';

declare module 'vitest' {
  export interface ProvidedContext {
    testComponents: TestComponents & {
      /** Jobs that failed, by describeJob name, with what the build printed: the tests that need one say so. */
      failures: Record<string, string>;
    };
  }
}

const BUILD_JOB = join(import.meta.dirname, 'build-job.ts');
/** A bound for a hung build, far above the 10-30 s (a few minutes on a busy machine) one build takes. */
const JOB_LIMIT_MS = 20 * 60_000;

function getConcurrency(): number {
  const asked = Number(process.env['MIGRATE_TEST_BUILD_JOBS']);
  return Number.isInteger(asked) && asked > 0 ? asked : Math.min(2, availableParallelism());
}

function runJob(job: ComponentJob, runDir: string, cacheDir: string, index: number): Promise<void> {
  const resultFile = join(runDir, `result-${index}.json`);
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [BUILD_JOB, JSON.stringify(job), runDir, cacheDir, resultFile],
      { timeout: JOB_LIMIT_MS, maxBuffer: 64 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error === null) resolve();
        else reject(new Error(`${error.message.split('\n')[0]}\n${stderr.slice(-4000)}`));
      },
    );
  });
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
  const components: TestComponents = { fixtures: {}, services: {} };
  const failures: Record<string, string> = {};
  const started = Date.now();
  const concurrency = getConcurrency();
  const selected = await getSelectedFiles(project);
  const jobs = COMPONENT_JOBS.filter(
    (job) => selected === undefined || job.usedBy.some((file) => selected.has(file)),
  );
  if (jobs.length > 0)
    process.stderr.write(
      `[components] building ${jobs.length} test components, ${concurrency} at a time (cache ${cacheDir})\n`,
    );
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      const name = describeJob(job);
      const jobStarted = Date.now();
      try {
        await runJob(job, runDir, cacheDir, index);
        const result = await readJobResult(join(runDir, `result-${index}.json`));
        if (result?.kind === 'fixture') components.fixtures[result.name] = result.built;
        else if (result?.kind === 'service') components.services[result.key] = result.built;
        process.stderr.write(`[components] ${name}: ${((Date.now() - jobStarted) / 1000).toFixed(1)} s\n`);
      } catch (error) {
        failures[name] = error instanceof Error ? error.message : String(error);
        process.stderr.write(`[components] ${name} FAILED: ${failures[name]}\n`);
      }
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
  if (jobs.length > 0)
    process.stderr.write(`[components] done in ${((Date.now() - started) / 1000).toFixed(1)} s\n`);
  project.provide('testComponents', { ...components, failures });
  return async () => {
    await rm(runDir, { recursive: true, force: true });
  };
}
