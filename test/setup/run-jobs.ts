// Runs component build jobs, each in its own process (build-job.ts), at most `concurrency` at a time: used by the
// vitest global setup and by warm-cache.ts (which scripts/test.sh runs beside the static checks).
import { execFile } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import {
  describeJob,
  readJobResult,
  runComponentJob,
  type ComponentJob,
  type JobResult,
  type TestComponents,
} from './component-jobs.ts';

const BUILD_JOB = join(import.meta.dirname, 'build-job.ts');
/** A bound for a hung build, far above what one build takes (10-30 s quiet, several minutes on a busy machine). */
const JOB_LIMIT_MS = 30 * 60_000;

/** At most two builds at once (MIGRATE_TEST_BUILD_JOBS overrides): one per core of the machines we run on. */
export function getBuildConcurrency(): number {
  const asked = Number(process.env['MIGRATE_TEST_BUILD_JOBS']);
  return Number.isInteger(asked) && asked > 0 ? asked : Math.min(2, availableParallelism());
}

function runJob(job: ComponentJob, runDir: string, cacheDir: string, resultFile: string): Promise<void> {
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

export interface JobsOutcome extends TestComponents {
  /** Jobs that failed, by describeJob name, with what the build printed. */
  failures: Record<string, string>;
  /** describeJob names of the jobs that succeeded (a job with no result, such as `tiny`, too). */
  done: string[];
}

/** `base` with the results of `more` added (a job done in `more` is no longer a failure). */
export function mergeOutcomes(base: JobsOutcome, more: JobsOutcome): JobsOutcome {
  const failures = { ...base.failures };
  for (const name of more.done) delete failures[name];
  return {
    fixtures: { ...base.fixtures, ...more.fixtures },
    services: { ...base.services, ...more.services },
    failures: { ...failures, ...more.failures },
    done: [...base.done, ...more.done],
  };
}

/**
 * Runs `jobs`, writing under `runDir` and building through `cacheDir`; `log` gets one line per job. Each job runs in
 * a process of its own (builds block their process), unless `inProcess`: one at a time in this process, which then
 * loads the compilers once and ports each sample service once for all its targets (the warm-up's way: most of
 * its jobs are cache hits, where a process per job spent more time starting than building).
 */
export async function runComponentJobs(
  jobs: readonly ComponentJob[],
  options: {
    runDir: string;
    cacheDir: string;
    concurrency: number;
    log: (line: string) => void;
    inProcess?: boolean;
    /** Called after each job with the outcome so far (the warm-up keeps it, should it be stopped). */
    onProgress?: (outcome: JobsOutcome) => void;
  },
): Promise<JobsOutcome> {
  const outcome: JobsOutcome = { fixtures: {}, services: {}, failures: {}, done: [] };
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < jobs.length) {
      const index = next++;
      const job = jobs[index]!;
      const name = describeJob(job);
      const started = Date.now();
      const resultFile = join(options.runDir, `result-${index}.json`);
      try {
        let result: JobResult | undefined;
        if (options.inProcess === true) {
          result = await runComponentJob(job, options.runDir, options.cacheDir);
        } else {
          await runJob(job, options.runDir, options.cacheDir, resultFile);
          result = await readJobResult(resultFile);
        }
        if (result?.kind === 'fixture') outcome.fixtures[result.name] = result.built;
        else if (result?.kind === 'service') outcome.services[result.key] = result.built;
        outcome.done.push(name);
        options.log(`${name}: ${((Date.now() - started) / 1000).toFixed(1)} s`);
      } catch (error) {
        outcome.failures[name] = error instanceof Error ? error.message : String(error);
        options.log(`${name} FAILED: ${outcome.failures[name]}`);
      }
      options.onProgress?.(outcome);
    }
  };
  await Promise.all(Array.from({ length: options.inProcess === true ? 1 : options.concurrency }, worker));
  return outcome;
}
