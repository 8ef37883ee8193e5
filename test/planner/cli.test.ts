import { execFile } from 'node:child_process';
import { mkdtemp, readFile, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { beforeAll, describe, expect, it } from 'vitest';
import { parsePlan, type Plan } from '../../planner/index.ts';
import { renderPlanSchema } from '../../scripts/gen-schema.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';

const exec = promisify(execFile);
const SAMPLE = 'samples/spring-orders';
let dir: string;
let analysis: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-plan-cli-'));
  analysis = join(dir, 'estate.json');
  const run = await runCliCaptured(['analyze', SAMPLE, '--json', '-o', analysis]);
  expect(run.code).toBe(0);
});

const waveOf = (plan: Plan, id: string): number | null => plan.services.find((s) => s.id === id)!.wave;

describe('migrate plan', () => {
  it('checked-in plan.schema.json matches the zod model (run npm run gen:schema)', async () => {
    expect(await readFile('schema/plan.schema.json', 'utf8')).toBe(renderPlanSchema());
  });

  it('plans the sample soundly: inventory and notification before order, which calls and publishes to them', async () => {
    const out = join(dir, 'sample.yaml');
    const run = await runCliCaptured(['plan', SAMPLE, '--out', out, '--json']);
    expect(run.code).toBe(0);
    expect(run.stderr).toMatch(/not on a terminal and no --answers: writing the recommended plan/);
    const plan = JSON.parse(run.stdout) as Plan;
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(renderPlanSchema()));
    expect(validate(plan), JSON.stringify(validate.errors)).toBe(true);
    expect(parsePlan(await readFile(out, 'utf8'), out)).toEqual(plan);
    expect(waveOf(plan, 'inventory-service')).toBeLessThan(waveOf(plan, 'order-service')!);
    expect(waveOf(plan, 'notification-service')).toBeLessThan(waveOf(plan, 'order-service')!);
    const order = plan.services.find((s) => s.id === 'order-service')!;
    // Spin has no NATS: order publishes, so the recommendation avoids it
    expect(order.target).toBe('wasmcloud');
    expect(order.readiness.spin.level).toBe('blocked');
    expect(order.bindings.map((b) => `${b.capability} ${b.target}`)).toEqual([
      'http inventory-service',
      'nats nats',
      'postgres postgres',
    ]);
    expect(order.secrets.map((s) => s.ref)).toEqual([
      'secretKeyRef:orders-db-credentials/password',
      'secretKeyRef:orders-db-credentials/username',
    ]);
    expect(JSON.stringify(plan)).not.toMatch(/password=|:[^/@\s]+@/);
    expect(plan.services.find((s) => s.id === 'product-service')!.target).toBe('spin');
  });

  it('prints the waves as a table and a timeline, reusing an analysis file', async () => {
    const run = await runCliCaptured(['plan', '--analysis', analysis, '--out', join(dir, 'text.yaml')]);
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(/WAVE\s+SERVICE\s+TARGET\s+READINESS\s+EFFORT\s+STEPS\s+AFTER/);
    expect(run.stdout).toMatch(/2\s+order-service\s+wasmcloud\s+ready 91/);
    expect(run.stdout).toMatch(/wave 1 {2}0 → 1d4h\s+\|█+ +\|/);
    expect(run.stdout).toMatch(/order-service {2}\d+ pts from the analysis: 1 \+ 0.5×2 endpoints/);
    const plan = parsePlan(await readFile(join(dir, 'text.yaml'), 'utf8'), 'text.yaml');
    expect(plan.basis.analysis).toBe(analysis);
  });

  it('takes effort from a real port report and says so', async () => {
    const report = join(dir, 'port-order.json');
    const port = await runCliCaptured([
      'port',
      'order-service',
      '--estate',
      SAMPLE,
      '--out',
      join(dir, 'ported'),
      '--json',
      '-o',
      report,
    ]);
    expect(port.code).toBe(0);
    const run = await runCliCaptured([
      'plan',
      '--analysis',
      analysis,
      '--port-report',
      report,
      '--out',
      join(dir, 'pr.yaml'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    const methods = (JSON.parse(await readFile(report, 'utf8')) as { methods: number }).methods;
    expect(plan.services.find((s) => s.id === 'order-service')!.effort).toMatchObject({
      basis: 'port-report',
    });
    expect(plan.services.find((s) => s.id === 'order-service')!.effort.formula).toContain(
      `1 + ${methods} methods/10`,
    );
    expect(plan.services.find((s) => s.id === 'inventory-service')!.effort.basis).toBe('analysis');
    expect(plan.basis.portReports).toEqual(['order-service']);
  }, 60_000);

  it('applies an answers file, and stops at a located error in a bad one with exit 2 and nothing written', async () => {
    const answers = join(dir, 'answers.yaml');
    await writeFile(
      answers,
      'services:\n  order-service:\n    target: embedded\n  product-service:\n    include: false\n',
    );
    const run = await runCliCaptured([
      'plan',
      '--analysis',
      analysis,
      '--answers',
      answers,
      '--out',
      join(dir, 'a.yaml'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    expect(run.stderr).not.toMatch(/recommended plan/);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.services.find((s) => s.id === 'order-service')!.target).toBe('embedded');
    expect(plan.services.find((s) => s.id === 'product-service')).toMatchObject({
      include: false,
      wave: null,
    });

    await writeFile(answers, 'services:\n  order-service:\n    target: spin\n');
    const bad = await runCliCaptured([
      'plan',
      '--analysis',
      analysis,
      '--answers',
      answers,
      '--out',
      join(dir, 'bad.yaml'),
    ]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /MIG_CONFIG invalid answers file at services\.order-service\.target: spin is blocked for order-service/,
    );
    expect(bad.stderr).toContain(`--> ${answers}:3:13`);
    await expect(stat(join(dir, 'bad.yaml'))).rejects.toThrow(/ENOENT/);
  });

  it('does not replace an existing plan without --force', async () => {
    const out = join(dir, 'kept.yaml');
    await writeFile(out, '# my edits\n');
    const run = await runCliCaptured(['plan', '--analysis', analysis, '--out', out]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/exists; not replacing it/);
    expect(await readFile(out, 'utf8')).toBe('# my edits\n');
    const forced = await runCliCaptured(['plan', '--analysis', analysis, '--out', out, '--force', '--yes']);
    expect(forced.code).toBe(0);
    expect(await readFile(out, 'utf8')).toMatch(/^# migrate plan for spring-orders/);
  });

  it('takes flags before the estate argument (repeatable, not variadic)', async () => {
    const run = await runCliCaptured([
      'plan',
      '--target',
      'order-service=embedded',
      '--exclude',
      'product-service',
      SAMPLE,
      '--out',
      join(dir, 'flags.yaml'),
      '--json',
    ]);
    expect(run.code).toBe(0);
    const plan = JSON.parse(run.stdout) as Plan;
    expect(plan.services.map((s) => [s.id, s.include ? s.target : 'stays'])).toEqual([
      ['inventory-service', 'spin'],
      ['notification-service', 'wasmcloud'],
      ['order-service', 'embedded'],
      ['product-service', 'stays'],
    ]);
    expect(plan.basis.answers).toBe('flags');
  });

  it('--check validates a hand-edited plan at file:line:col and writes nothing', async () => {
    const out = join(dir, 'edited.yaml');
    expect((await runCliCaptured(['plan', '--analysis', analysis, '--out', out])).code).toBe(0);
    const good = await runCliCaptured(['plan', '--check', out, '--format', 'markdown']);
    expect(good.code).toBe(0);
    expect(good.stderr).toContain(`${out} is a valid plan`);
    expect(good.stdout).toMatch(/^# Migration plan: spring-orders/);
    // move order-service into wave 1, next to inventory-service, which it calls
    const text = await readFile(out, 'utf8');
    const lines = text.split('\n');
    const order = lines.findIndex((l) => l === '  - id: order-service');
    const wave = lines.findIndex((l, i) => i > order && l === '    wave: 2');
    lines[wave] = '    wave: 1';
    await writeFile(out, lines.join('\n'));
    const bad = await runCliCaptured(['plan', '--check', out]);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(
      /invalid plan at services\[\d\]\.wave: order-service \(wave 1\) must move after inventory-service \(wave 1\), which it calls/,
    );
    expect(bad.stderr).toContain(`--> ${out}:${wave + 1}:11`);
    expect(await readFile(out, 'utf8')).toBe(lines.join('\n'));
  });

  it('--format markdown is a review document', async () => {
    const run = await runCliCaptured([
      'plan',
      '--analysis',
      analysis,
      '--out',
      join(dir, 'md.yaml'),
      '--format',
      'markdown',
    ]);
    expect(run.stdout).toMatch(/^# Migration plan: spring-orders/);
    expect(run.stdout).toMatch(/\| 2 \| order-service \| wasmcloud \| ready 91 \|/);
    expect(run.stdout).toContain('| verify | 0% | 0 | 50 | 0 | 3 | 0.01 | rollback |');
  });

  it('--format html draws the service graph with waves coloured, and Chromium renders it', async () => {
    const html = join(dir, 'plan.html');
    const run = await runCliCaptured([
      'plan',
      '--analysis',
      analysis,
      '--out',
      join(dir, 'h.yaml'),
      '--format',
      'html',
      '-o',
      html,
    ]);
    expect(run.code).toBe(0);
    const text = await readFile(html, 'utf8');
    expect(text).toMatch(/^<!doctype html>/);
    expect(text).not.toMatch(/<script|<link /);
    // wave 1 boxes green, wave 2 blue, each labelled with its wave and target
    expect(text).toMatch(
      /fill="#dcfce7" stroke="#15803d"[^]*?>inventory-service<\/text><text[^>]*>wave 1 → spin</,
    );
    expect(text).toMatch(
      /fill="#dbeafe" stroke="#1d4ed8"[^]*?>order-service<\/text><text[^>]*>wave 2 → wasmcloud</,
    );
    const png = join(dir, 'plan.png');
    await exec(
      'chromium',
      [
        '--headless',
        '--no-sandbox',
        '--disable-gpu',
        `--screenshot=${png}`,
        '--window-size=1280,1000',
        `file://${html}`,
      ],
      {
        timeout: 90_000,
      },
    );
    const image = await readFile(png);
    expect(image.subarray(1, 4).toString()).toBe('PNG');
    expect([image.readUInt32BE(16), image.readUInt32BE(20)]).toEqual([1280, 1000]);
    // a blank page compresses to a few kB; the graph, tables and timeline do not
    expect(image.length).toBeGreaterThan(40_000);
  }, 120_000);
});
