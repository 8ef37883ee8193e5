import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/run-cli.ts';
import { startTmux, type TmuxSession } from '../helpers/tmux.ts';
import { token } from '../bridge/gateway/helpers.ts';
import { startTestRoutes, testStep, writeTestPlan } from './rollout-helpers.ts';

describe('migrate rollout progress', () => {
  const cleanup: (() => Promise<void>)[] = [];
  let session: TmuxSession | undefined;
  afterEach(async () => {
    await session?.close();
    session = undefined;
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  it('writes one NDJSON event per line on stderr when stderr is not a terminal', async () => {
    const { gateway } = await startTestRoutes(cleanup);
    const { path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep('shadow'), testStep(100)] },
    ]);
    const run = await runCliCaptured(['rollout', path, '--admin', gateway.adminUrl, '--poll-ms', '50'], {
      MIGRATE_GATEWAY_TOKEN: token,
    });
    expect(run.code).toBe(0);
    const events = run.stderr
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line) as { type: string; service: string; step?: string; time: string });
    expect(events.filter((e) => e.type !== 'step-waiting').map((e) => [e.type, e.step])).toEqual([
      ['step-started', 'shadow'],
      ['step-passed', 'shadow'],
      ['step-started', '100%'],
      ['step-passed', '100%'],
      ['service-completed', undefined],
    ]);
    expect(events.every((e) => e.service === 'alpha-service' && !Number.isNaN(Date.parse(e.time)))).toBe(
      true,
    );
    expect(run.stdout).toContain('alpha-service (wave 1): completed');
  });

  it('shows a live task list on a terminal: the holding step, the service done, the breach', async () => {
    const { gateway } = await startTestRoutes(cleanup, 500);
    const { path } = await writeTestPlan([
      { id: 'alpha-service', steps: [testStep(50, 3000), testStep(100)] },
      { id: 'beta-service', steps: [testStep(50), testStep(100)] },
    ]);
    const dir = join(path, '..');
    session = await startTmux(
      `cd ${process.cwd()} && CI= MIGRATE_GATEWAY_TOKEN=${token} ${process.execPath} bin/migrate.js rollout ${path} --admin ${gateway.adminUrl} --poll-ms 50 > ${join(dir, 'stdout')}`,
      join(dir, 'exit'),
    );
    // alpha holds its 50% step (3 s) while the list shows the step and what it waits for
    await session.waitFor(
      /alpha-service: 50% \(route alpha\)\n\s*› .*(held \d+ s of 3 s|wasm requests in the window)/,
    );
    expect(await session.waitForExit()).toBe(1);
    const screen = await session.screen();
    expect(screen).toMatch(/✔ alpha-service: at 100%/);
    expect(screen).toMatch(/✖ beta-service: 50% BREACHED \(errorRate [\d.]+ over 0\.05\)/);
    expect(screen).toContain('beta-service breached a gate at 50%: rolled back to 0%');
    const report = await readFile(join(dir, 'stdout'), 'utf8');
    expect(report).toContain('beta-service (wave 1): rolled-back');
    expect(screen).not.toContain('{"time"');
  }, 120_000);
});
