import { spawn } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import type { createAdminClient } from '../../bridge/index.ts';
import {
  appendRecord,
  createRolloutReport,
  getPlanHash,
  readStateFile,
  runRollout,
  type RolloutRecord,
} from '../../rollout/index.ts';
import type { AppError } from '../../shared/errors.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';
import { token } from '../bridge/gateway/helpers.ts';
import { startTestRoutes, testStep, writeTestPlan } from './rollout-helpers.ts';

const statePathOf = (planPath: string): string => join(planPath, '..', 'plan.rollout.ndjson');
const evidence = {
  requests: 12,
  matched: 12,
  mismatches: 0,
  explainedDifferences: 2,
  noise: ['GET /x /id'],
  notes: [],
};

describe('migrate rollout against a real gateway', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  const setup = (betaWasmStatus = 200) => startTestRoutes(cleanup, betaWasmStatus);

  const weightOf = async (client: ReturnType<typeof createAdminClient>, route: string): Promise<number> =>
    (await client.getState()).routes.find((r) => r.name === route)!.weight;

  it('moves a service through verify, shadow and weights to 100% when every gate passes', async () => {
    const { client } = await setup();
    const { plan, path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep('verify'), testStep('shadow'), testStep(50), testStep(100)] },
    ]);
    const outcome = await runRollout({
      plan,
      statePath: statePathOf(path),
      gateway: client,
      verify: () => Promise.resolve(evidence),
      pollMs: 50,
    });
    expect(outcome.status).toBe('completed');
    expect(await weightOf(client, 'alpha')).toBe(100);
    const { records } = await readStateFile(statePathOf(path));
    expect(records.filter((r) => r.event === 'step-passed').map((r) => (r as { step: string }).step)).toEqual(
      ['verify', 'shadow', '50%', '100%'],
    );
    const report = createRolloutReport(plan, records);
    expect(report.services[0]).toMatchObject({
      service: 'alpha-service',
      status: 'completed',
      verify: evidence,
    });
    const fifty = report.services[0]!.steps.find((s) => s.name === '50%')!;
    expect(fifty.checks.find((c) => c.gate === 'errorRate')).toMatchObject({ ok: true, value: 0 });
  });

  it('fails the verify step with what to give when no legacy and component URLs are configured', async () => {
    const { client } = await setup();
    const { plan, path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep('verify'), testStep(100)] },
    ]);
    const error = (await runRollout({
      plan,
      statePath: statePathOf(path),
      gateway: client,
      verify: () => Promise.resolve(undefined),
    }).catch((e: unknown) => e)) as AppError;
    expect(error.code).toBe('MIG_CONFIG');
    expect(error.hint).toContain('--legacy alpha-service=<url>');
    const { records } = await readStateFile(statePathOf(path));
    expect(records.some((r) => r.event === 'step-passed')).toBe(false);
  });

  it('rolls a breaching service back to 0 and exits 1, leaving the other service at 100%', async () => {
    const { client, gateway } = await setup(500);
    const { path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep(50), testStep(100)] },
      { id: 'beta-service', steps: [testStep(50), testStep(100)] },
    ]);
    const run = await runCliCaptured(
      ['rollout', path, '--admin', gateway.adminUrl, '--poll-ms', '50', '--json'],
      {
        MIGRATE_GATEWAY_TOKEN: token,
      },
    );
    expect(run.code).toBe(1);
    expect(await weightOf(client, 'beta')).toBe(0);
    expect(await weightOf(client, 'alpha')).toBe(100);
    expect(run.stderr).toContain('beta-service breached a gate at 50%');
    const report = JSON.parse(run.stdout) as {
      schemaVersion: string;
      services: {
        service: string;
        status: string;
        steps: {
          decision: string;
          checks: { gate: string; ok: boolean; value: number; threshold: number }[];
        }[];
      }[];
    };
    expect(report.schemaVersion).toBe('1');
    const beta = report.services.find((s) => s.service === 'beta-service')!;
    expect(beta.status).toBe('rolled-back');
    const breach = beta.steps[0]!.checks.find((c) => c.gate === 'errorRate')!;
    expect(breach).toMatchObject({ ok: false, threshold: 0.05 });
    expect(breach.value).toBeGreaterThan(0.05);
    expect(report.services.find((s) => s.service === 'alpha-service')!.status).toBe('completed');
    // NDJSON progress on stderr (not a TTY)
    expect(
      run.stderr
        .split('\n')
        .some((l) => l.startsWith('{') && (JSON.parse(l) as { type: string }).type === 'step-breached'),
    ).toBe(true);
  });

  it('resumes after kill -9 mid-hold without repeating completed steps', { timeout: 180_000 }, async () => {
    const { client, gateway } = await setup();
    const { path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep('shadow'), testStep(50, 2000), testStep(100)] },
    ]);
    const statePath = statePathOf(path);
    const env = { ...process.env, MIGRATE_GATEWAY_TOKEN: token, NO_COLOR: '1' };
    const child = spawn(
      process.execPath,
      ['bin/migrate.js', 'rollout', path, '--admin', gateway.adminUrl, '--poll-ms', '50'],
      {
        env,
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    const exited = new Promise<void>((done) => child.on('exit', () => done()));
    cleanup.push(async () => {
      child.kill('SIGKILL');
      await exited;
    });
    let childErr = '';
    child.stderr.on('data', (c: Buffer) => (childErr += c.toString()));
    const poll = async (): Promise<void> => {
      // bounded: 3000 looks 20 ms apart; the condition, not the time, is what the test waits for
      for (let i = 0; i < 3000; i++) {
        const lines = (await readFile(statePath, 'utf8').catch(() => ''))
          .split('\n')
          .filter((l) => l.endsWith('}'));
        const records = lines.map((l) => JSON.parse(l) as RolloutRecord);
        if (records.some((r) => r.event === 'step-started' && r.index === 1)) return;
        await new Promise((d) => setTimeout(d, 20));
      }
      throw new Error(`the 50% step never started: ${childErr}`);
    };
    await poll();
    child.kill('SIGKILL');
    await exited;
    const before = (await readStateFile(statePath)).records;
    expect(before.some((r) => r.event === 'step-passed' && r.index === 0)).toBe(true);
    const run = await runCliCaptured(
      ['rollout', path, '--resume', '--admin', gateway.adminUrl, '--poll-ms', '50'],
      { MIGRATE_GATEWAY_TOKEN: token },
    );
    expect(run.stderr).not.toContain('Error:');
    expect(run.code).toBe(0);
    expect(await weightOf(client, 'alpha')).toBe(100);
    const { records } = await readStateFile(statePath);
    const count = (event: string, index: number): number =>
      records.filter((r) => r.event === event && 'index' in r && r.index === index).length;
    expect(count('step-started', 0)).toBe(1);
    expect(count('step-passed', 0)).toBe(1);
    expect(count('step-passed', 1)).toBe(1);
    expect(count('step-passed', 2)).toBe(1);
    expect(records.filter((r) => r.event === 'rollout-started')).toHaveLength(1);
    expect(records.at(-1)?.event).toBe('service-completed');
    // a second run without --resume refuses, with the way on
    const again = await runCliCaptured(['rollout', path, '--admin', gateway.adminUrl], {
      MIGRATE_GATEWAY_TOKEN: token,
    });
    expect(again.code).toBe(2);
    expect(again.stderr).toContain('--resume');
  });

  it('abort sets an in-progress service back to 0 and records it; status and --dry-run show it', async () => {
    const { client, gateway } = await setup();
    const { plan, path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep('shadow'), testStep(50), testStep(100)] },
      { id: 'beta-service', steps: [testStep(50), testStep(100)] },
    ]);
    const statePath = statePathOf(path);
    const at = new Date().toISOString();
    await appendRecord(statePath, { v: 1, at, event: 'rollout-started', planHash: getPlanHash(plan) });
    await appendRecord(statePath, {
      v: 1,
      at,
      event: 'step-started',
      service: 'alpha-service',
      step: 'shadow',
      index: 0,
    });
    await appendRecord(statePath, {
      v: 1,
      at,
      event: 'step-passed',
      service: 'alpha-service',
      step: 'shadow',
      index: 0,
      checks: [],
    });
    await appendRecord(statePath, {
      v: 1,
      at,
      event: 'step-started',
      service: 'alpha-service',
      step: '50%',
      index: 1,
    });
    await client.setWeight('alpha', 50);

    const dry = await runCliCaptured(['rollout', path, '--dry-run']);
    expect(dry.code).toBe(0);
    expect(dry.stdout).toContain('50%: weight 50%');
    expect(dry.stdout).not.toContain('shadow: weight 0');

    const abort = await runCliCaptured(['rollout', 'abort', path, '--admin', gateway.adminUrl, '--json'], {
      MIGRATE_GATEWAY_TOKEN: token,
    });
    expect(abort.code).toBe(0);
    expect(JSON.parse(abort.stdout)).toMatchObject({ aborted: ['alpha-service'] });
    expect(await weightOf(client, 'alpha')).toBe(0);
    const { records } = await readStateFile(statePath);
    expect(records.at(-1)).toMatchObject({ event: 'service-aborted', service: 'alpha-service' });

    const status = await runCliCaptured(['rollout', 'status', path]);
    expect(status.code).toBe(0);
    expect(status.stdout).toContain('alpha-service (wave 1): aborted');
    expect(status.stdout).toContain('beta-service (wave 1): pending');
    const resumed = await runCliCaptured(
      ['rollout', path, '--resume', '--only', 'alpha-service', '--admin', gateway.adminUrl],
      {
        MIGRATE_GATEWAY_TOKEN: token,
      },
    );
    expect(resumed.code).toBe(2);
    expect(resumed.stderr).toContain('alpha-service stopped (aborted)');
  });
});
