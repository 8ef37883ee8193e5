/**
 * `npm run e2e:clinic`: the second reference estate against its own contract. Builds samples/spring-clinic (Maven,
 * skipped when the jars are current), starts its four Spring Boot services on free loopback ports against the
 * machine's Postgres, NATS and Redis, runs the clinic's contract suite (test/clinic) against them in a vitest
 * child process, and stops them (also on failure).
 *
 * Progress goes to stderr; the last stdout line is one JSON object. Exit 0 when every test passed, 1 otherwise.
 */
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  buildClinic,
  startClinicEstate,
  toClinicTarget,
  type ClinicEstate,
} from '../test/clinic/clinic-estate.ts';
import { runContract } from './e2e/contract.ts';

/** The clinic's suite, test/clinic/env-target.e2e.ts. */
const CLINIC_SUITE = { config: 'vitest.clinic.config.ts', targetVariable: 'CLINIC_TARGET' };

const log = (message: string): void => void process.stderr.write(`[e2e:clinic] ${message}\n`);

async function main(): Promise<number> {
  const started = performance.now();
  const work = await mkdtemp(join(tmpdir(), 'migrate-e2e-clinic-'));
  let estate: ClinicEstate | undefined;
  const summary: Record<string, unknown> = { estate: 'spring-clinic', services: 4 };
  let ok = false;
  try {
    let at = performance.now();
    log('building samples/spring-clinic');
    await buildClinic();
    summary['build_s'] = seconds(at);
    at = performance.now();
    estate = await startClinicEstate();
    summary['start_s'] = seconds(at);
    const result = await runContract(work, 'spring', toClinicTarget(estate.facts), CLINIC_SUITE);
    summary['passed'] = result.passed;
    summary['failed'] = result.failed;
    if (result.failures.length > 0) summary['failures'] = result.failures;
    ok = result.failed === 0 && result.passed > 0;
  } catch (error) {
    summary['error'] = error instanceof Error ? error.message.split('\n')[0] : String(error);
    log(error instanceof Error ? error.message : String(error));
  } finally {
    await estate?.stop().catch((error: unknown) => log(`stop failed: ${String(error)}`));
    await rm(work, { recursive: true, force: true });
  }
  summary['ok'] = ok;
  summary['total_s'] = seconds(started);
  process.stdout.write(`${JSON.stringify(summary)}\n`);
  return ok ? 0 : 1;
}

function seconds(since: number): number {
  return Math.round((performance.now() - since) / 100) / 10;
}

process.exitCode = await main();
