import { existsSync } from 'node:fs';
import { mkdtemp, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parsePlan } from '../../planner/index.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';
import { startTmux, type TmuxSession } from '../helpers/tmux.ts';

let dir: string;
let analysis: string;
let recommended: string;
let session: TmuxSession | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-plan-tty-'));
  analysis = join(dir, 'estate.json');
  expect((await runCliCaptured(['analyze', 'samples/spring-orders', '--json', '-o', analysis])).code).toBe(0);
  recommended = join(dir, 'recommended.yaml');
  expect((await runCliCaptured(['plan', '--analysis', analysis, '--out', recommended])).code).toBe(0);
});

afterEach(async () => {
  await session?.close();
  session = undefined;
});

/** `migrate plan` on a terminal; CI is unset so the run is interactive even under CI. */
async function startPlan(name: string): Promise<{ out: string; tty: TmuxSession }> {
  const out = join(dir, `${name}.yaml`);
  const command = `cd ${process.cwd()} && CI= ${process.execPath} bin/migrate.js plan --analysis ${analysis} --out ${out} > ${join(dir, `${name}.stdout`)}`;
  session = await startTmux(command, join(dir, `${name}.exit`));
  return { out, tty: session };
}

describe('migrate plan on a terminal', () => {
  it('Enter through the defaults writes the recommended plan', async () => {
    const { out, tty } = await startPlan('enter');
    const screen = await tty.waitFor(/Accept the recommended plan\? \(Y\/n\)/);
    expect(screen).toMatch(/2\s+order-service\s+wasmcloud/);
    await tty.keys('Enter');
    expect(await tty.waitForExit()).toBe(0);
    expect(parsePlan(await readFile(out, 'utf8'), out)).toEqual(
      parsePlan(await readFile(recommended, 'utf8'), recommended),
    );
  }, 180_000);

  it('changing one target writes a plan with that target and the rest as recommended', async () => {
    const { out, tty } = await startPlan('change');
    await tty.waitFor(/Accept the recommended plan\?/);
    await tty.keys('n', 'Enter');
    await tty.waitFor(/Move inventory-service to WebAssembly\?/);
    await tty.keys('Enter');
    await tty.waitFor(/❯ spin\s+ready 98\s+\(recommended\)/);
    await tty.keys('Down'); // spin4 ties with spin (Spin 4 serves what Spin 3 does) and comes next
    await tty.waitFor(/❯ spin4\s+ready 98/);
    await tty.keys('Down');
    await tty.waitFor(/❯ wasmcloud\s+ready 95/);
    await tty.keys('Enter');
    await tty.waitFor(/Steps for inventory-service/);
    await tty.keys('Enter');
    for (const id of ['notification-service', 'order-service', 'product-service']) {
      await tty.waitFor(new RegExp(`Move ${id} to WebAssembly\\?`));
      await tty.keys('Enter');
      await tty.waitFor(new RegExp(`\\? Target for ${id}`));
      await tty.keys('Enter');
      await tty.waitFor(new RegExp(`\\? Steps for ${id}`));
      await tty.keys('Enter');
    }
    expect(await tty.waitForExit()).toBe(0);
    const plan = parsePlan(await readFile(out, 'utf8'), out);
    const base = parsePlan(await readFile(recommended, 'utf8'), recommended);
    expect(plan.services.map((s) => [s.id, s.target])).toEqual([
      ['inventory-service', 'wasmcloud'],
      ['notification-service', 'wasmcloud'],
      ['order-service', 'wasmcloud'],
      ['product-service', 'spin'],
    ]);
    expect(plan.services.map((s) => s.wave)).toEqual(base.services.map((s) => s.wave));
    expect(plan.basis.answers).toBe('interactive');
  }, 180_000);

  it('a blocked target needs a second yes; Ctrl+C then exits 130 and writes nothing', async () => {
    const { out, tty } = await startPlan('cancel');
    await tty.waitFor(/Accept the recommended plan\?/);
    await tty.keys('n', 'Enter');
    await tty.waitFor(/Move inventory-service to WebAssembly\?/);
    await tty.keys('Enter');
    await tty.waitFor(/\? Target for inventory-service/);
    await tty.keys('Enter');
    await tty.waitFor(/\? Steps for inventory-service/);
    await tty.keys('Enter');
    await tty.waitFor(/Move notification-service to WebAssembly\?/);
    await tty.keys('Enter');
    await tty.waitFor(/\? Target for notification-service/);
    await tty.keys('Down', 'Down');
    await tty.waitFor(/❯ spin\s+blocked 58/);
    await tty.keys('Enter');
    await tty.waitFor(
      /spin is blocked for notification-service: Spin cannot subscribe to NATS[^]*Override and use spin anyway\? \(y\/N\)/,
    );
    await tty.keys('Enter');
    await tty.waitFor(/\? Target for notification-service\n❯ wasmcloud/);
    await tty.keys('C-c');
    expect(await tty.waitForExit()).toBe(130);
    expect(await tty.screen()).toMatch(/MIG_CANCELLED plan cancelled; nothing was written/);
    expect(existsSync(out)).toBe(false);
  }, 180_000);
});
