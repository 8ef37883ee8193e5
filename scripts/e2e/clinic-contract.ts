/** Runs the spring-clinic contract suite of test/clinic against a target, in a vitest child process, and counts the results. */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ClinicTarget } from '../../test/clinic/contract-suite.ts';
import type { SuiteResult } from './contract.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const log = (message: string): void => void process.stderr.write(`[e2e] ${message}\n`);

/** Runs test/clinic/env-target.e2e.ts against `target` and counts the results. */
export async function runClinicContract(
  work: string,
  label: string,
  target: ClinicTarget,
): Promise<SuiteResult> {
  const targetFile = join(work, `${label}.target.json`);
  const resultFile = join(work, `${label}.result.json`);
  await writeFile(targetFile, JSON.stringify(target, null, 2));
  log(`contract suite against ${label}`);
  await new Promise<void>((resolve) => {
    const child = spawn(
      process.execPath,
      [
        join(ROOT, 'node_modules/vitest/vitest.mjs'),
        'run',
        '--config',
        'vitest.clinic.config.ts',
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${resultFile}`,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', process.stderr, process.stderr],
        env: { ...process.env, CLINIC_TARGET: targetFile },
      },
    );
    child.on('exit', () => resolve());
    child.on('error', () => resolve());
  });
  try {
    const result = JSON.parse(await readFile(resultFile, 'utf8')) as {
      numPassedTests: number;
      numFailedTests: number;
      testResults: { assertionResults: { fullName: string; status: string }[] }[];
    };
    const failures = result.testResults.flatMap((file) =>
      file.assertionResults.filter((a) => a.status === 'failed').map((a) => a.fullName),
    );
    return { passed: result.numPassedTests, failed: result.numFailedTests, failures };
  } catch {
    return { passed: 0, failed: 1, failures: [`${label}: the suite did not run (see the output above)`] };
  }
}
