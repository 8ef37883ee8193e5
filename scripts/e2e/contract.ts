/** Runs the contract suite of test/contract against a target, in a vitest child process, and counts the results. */
import { spawn } from 'node:child_process';
import { readFile, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { ContractTarget } from '../../test/contract/contract-suite.ts';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
const log = (message: string): void => void process.stderr.write(`[e2e] ${message}\n`);

export interface SuiteResult {
  passed: number;
  failed: number;
  failures: string[];
}

/** Which contract suite to run: its vitest config and the variable that names the target file. */
export interface ContractSuite {
  config: string;
  targetVariable: string;
}

/** The spring-orders suite, test/contract/env-target.e2e.ts. */
export const ORDERS_SUITE: ContractSuite = {
  config: 'vitest.e2e.config.ts',
  targetVariable: 'CONTRACT_TARGET',
};

/**
 * Runs a contract suite (by default the spring-orders one, test/contract/env-target.e2e.ts) against `target` in a
 * vitest child process.
 */
export async function runContract(
  work: string,
  label: string,
  target: ContractTarget | object,
  suite: ContractSuite = ORDERS_SUITE,
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
        suite.config,
        '--reporter=default',
        '--reporter=json',
        `--outputFile.json=${resultFile}`,
      ],
      {
        cwd: ROOT,
        stdio: ['ignore', process.stderr, process.stderr],
        env: { ...process.env, [suite.targetVariable]: targetFile },
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
