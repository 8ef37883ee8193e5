import { execFile } from 'node:child_process';
import { readFile, rm } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { getFreePort } from '../contract/spring-estate.ts';
import type { ClinicTarget } from './contract-suite.ts';

/** The facts `samples/spring-clinic/scripts/estate.sh start` writes to `estate.json`. */
export interface ClinicFacts {
  runId: string;
  services: Record<'records' | 'visit' | 'billing' | 'reminder', { url: string; pid: number; log: string }>;
  postgres: { connectionString: string; schema: string };
  nats: { url: string; subject: string };
  redis: { url: string; db: number };
}

/** A running clinic estate and the way to stop it. */
export interface ClinicEstate {
  facts: ClinicFacts;
  stop: () => Promise<void>;
}

export const CLINIC_ROOT = fileURLToPath(new URL('../../samples/spring-clinic/', import.meta.url));

/** A bound for a hang while four JVMs start on a busy machine, not an expectation (about a minute when quiet). */
export const CLINIC_START_SECONDS = 600;

function runScript(script: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile(
      'bash',
      [`${CLINIC_ROOT}scripts/${script}`, ...args],
      { cwd: CLINIC_ROOT, env: { ...process.env, ...env }, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error)
          reject(
            new Error(`${script} ${args.join(' ')} failed (${error.message.split('\n')[0]}):\n${stderr}`),
          );
        else resolve();
      },
    );
  });
}

/** Builds the clinic's jars when their sources changed (Maven, cached in ~/.m2). */
export function buildClinic(): Promise<void> {
  return runScript('build.sh', [], {}, 600_000);
}

/**
 * Starts the four clinic services on free ports (or the given ones) in a run directory of their own, so that a
 * developer's `scripts/estate.sh start` and this run do not meet. The jars must have been built.
 */
export async function startClinicEstate(
  options: {
    ports?: readonly [number, number, number, number];
    runDir?: string;
    recordsProfile?: string;
  } = {},
): Promise<ClinicEstate> {
  const runDir = options.runDir ?? `${CLINIC_ROOT}.run/contract-${process.pid}`;
  const [records, visit, billing, reminder] =
    options.ports ?? (await Promise.all([getFreePort(), getFreePort(), getFreePort(), getFreePort()]));
  const env: NodeJS.ProcessEnv = {
    ESTATE_RUN_DIR: runDir,
    ESTATE_START_TIMEOUT: String(CLINIC_START_SECONDS),
    RECORDS_PORT: String(records),
    VISIT_PORT: String(visit),
    BILLING_PORT: String(billing),
    REMINDER_PORT: String(reminder),
    RECORDS_PROFILE: options.recordsProfile ?? '',
  };
  const stop = async (): Promise<void> => {
    await runScript('estate.sh', ['stop'], env, 60_000);
    // Logs are only worth keeping when something failed, and then estate.sh has already printed their tails.
    await rm(runDir, { recursive: true, force: true });
  };
  await runScript('estate.sh', ['start'], env, (CLINIC_START_SECONDS + 60) * 1000);
  const facts = JSON.parse(await readFile(`${runDir}/estate.json`, 'utf8')) as ClinicFacts;
  return { facts, stop };
}

/** The contract target for a running clinic estate. */
export function toClinicTarget(facts: ClinicFacts, name = 'spring'): ClinicTarget {
  return {
    name,
    recordsUrl: facts.services.records.url,
    visitUrl: facts.services.visit.url,
    billingUrl: facts.services.billing.url,
    reminderUrl: facts.services.reminder.url,
    pg: facts.postgres,
    redis: facts.redis,
  };
}
