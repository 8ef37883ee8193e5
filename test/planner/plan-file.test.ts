import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { describe, expect, it } from 'vitest';
import { createAnswersSchema, createPlan, loadPlan, parsePlan, renderPlanYaml } from '../../planner/index.ts';
import { parseConfigText } from '../../shared/config-file.ts';
import { formatLocation, type AppError } from '../../shared/errors.ts';
import { createSmallEstate } from './small-estate.ts';

const estate = createSmallEstate(
  [{ id: 'api', writes: true }, { id: 'stock' }, { id: 'mail', readiness: { spin: ['blocked', 40] } }],
  [
    ['api', 'stock'],
    ['api', 'mail', 'message'],
  ],
);
const text = renderPlanYaml(createPlan({ estate }));

/** The plan text with one value replaced (through the YAML document, so the rest keeps its lines). */
function edit(path: (string | number)[], value: unknown): string {
  const doc = parseDocument(text);
  doc.setIn(path, value);
  return doc.toString({ lineWidth: 0 });
}

function errorOf(run: () => unknown): AppError {
  try {
    run();
  } catch (error) {
    return error as AppError;
  }
  throw new Error('expected an error');
}

/** 1-based line of the first line matching `re` in `source`. */
const lineOf = (source: string, re: RegExp): number => source.split('\n').findIndex((l) => re.test(l)) + 1;

describe('plan.yaml', () => {
  it('reads back to the plan it was written from', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-plan-'));
    await writeFile(join(dir, 'plan.yaml'), text);
    expect(await loadPlan(join(dir, 'plan.yaml'))).toEqual(createPlan({ estate }));
  });

  it('locates a YAML syntax error at file:line:col', () => {
    const broken = text.replace('estate: small', 'estate: [small');
    const error = errorOf(() => parsePlan(broken, 'plan.yaml'));
    expect(error.code).toBe('MIG_CONFIG');
    expect(error.message).toMatch(/invalid YAML in plan/);
    expect(error.location?.file).toBe('plan.yaml');
    expect(error.location?.line).toBeGreaterThanOrEqual(lineOf(broken, /^estate: \[small/));
  });

  it('locates a value of the wrong type at its line and column', () => {
    const source = edit(['services', 0, 'steps', 1, 'holdMs'], 'half an hour');
    const error = errorOf(() => parsePlan(source, 'plan.yaml'));
    expect(error.message).toMatch(/services\[0\]\.steps\[1\]\.holdMs/);
    expect(error.location?.excerpt).toMatch(/holdMs: half an hour/);
    expect(formatLocation(error.location!)).toBe(
      `plan.yaml:${lineOf(source, /holdMs: half an hour/)}:${source.split('\n')[lineOf(source, /holdMs: half an hour/) - 1]!.indexOf('half') + 1}`,
    );
  });

  it('refuses a wave that moves a service before what it calls, pointing at that wave', () => {
    // api (wave 2) calls stock (wave 1): putting api in wave 1 breaks the rule
    const apiIndex = createPlan({ estate }).services.findIndex((s) => s.id === 'api');
    const source = edit(['services', apiIndex, 'wave'], 1);
    const error = errorOf(() => parsePlan(source, 'plan.yaml'));
    expect(error.message).toMatch(
      /api \(wave 1\) must move after mail \(wave 1\), which it sends messages to/,
    );
    const apiLine = lineOf(source, /- id: api/);
    expect(error.location!.line).toBeGreaterThan(apiLine);
    expect(error.location!.excerpt).toMatch(/wave: 1/);
  });

  it('refuses a blocked target without allowBlocked, and accepts it with the override', () => {
    const mailIndex = createPlan({ estate }).services.findIndex((s) => s.id === 'mail');
    const source = edit(['services', mailIndex, 'target'], 'spin');
    const error = errorOf(() => parsePlan(source, 'plan.yaml'));
    expect(error.message).toMatch(/spin is blocked for mail.*set allowBlocked: true/);
    expect(error.location!.excerpt).toMatch(/target: spin/);
    const doc = parseDocument(source);
    doc.setIn(['services', mailIndex, 'allowBlocked'], true);
    expect(parsePlan(doc.toString(), 'plan.yaml').services[mailIndex]!.target).toBe('spin');
  });

  it('refuses a secret value written into the plan (secrets are references only)', () => {
    const doc = parseDocument(text);
    doc.setIn(
      ['services', 0, 'secrets'],
      [{ name: 'DB_PASSWORD', ref: 'env:DB_PASSWORD', source: 'x:1', value: 'hunter2' }],
    );
    const error = errorOf(() => parsePlan(doc.toString(), 'plan.yaml'));
    expect(error.message).toMatch(/services\[0\]\.secrets\[0\].*Unrecognized key.*value/);
  });

  it('refuses steps that go down, pointing at the step', () => {
    const source = edit(['services', 0, 'steps', 3, 'weight'], 0.5);
    const error = errorOf(() => parsePlan(source, 'plan.yaml'));
    expect(error.message).toMatch(/steps\[3\]\.weight: weights must rise: 0.5 after 1/);
    expect(error.location!.excerpt).toMatch(/weight: 0.5/);
  });
});

describe('answers file', () => {
  const schema = createAnswersSchema(estate);
  const parse = (source: string) =>
    parseConfigText(source, 'answers.yaml', schema, { label: 'answers file', docs: 'docs/plan.md' });

  it('accepts targets, steps and gates per service and globally', () => {
    const answers = parse(
      'defaults:\n  steps: verify,shadow,25,100\n  gates: { action: freeze }\nservices:\n  mail:\n    target: embedded\n    steps: [verify, { step: 10, holdMs: 60000 }, 100]\n',
    );
    expect(answers.services?.['mail']?.target).toBe('embedded');
  });

  it('locates an unknown service, a blocked target and bad steps', () => {
    const unknown = errorOf(() => parse('services:\n  mailer:\n    include: false\n'));
    expect(unknown.message).toMatch(/no service mailer in the analysis \(services: api, stock, mail\)/);
    expect(unknown.location).toMatchObject({ file: 'answers.yaml', line: 3 }); // the service's block

    const blocked = errorOf(() => parse('services:\n  api:\n    include: true\n  mail:\n    target: spin\n'));
    expect(blocked.message).toMatch(
      /services\.mail\.target: spin is blocked for mail: mail cannot publish here/,
    );
    expect(blocked.location).toMatchObject({ line: 5, column: 13 });

    const steps = errorOf(() => parse('defaults:\n  steps: verify,50,10,100\n'));
    expect(steps.message).toMatch(/defaults\.steps: weights must rise: 10 after 50/);
    expect(steps.location).toMatchObject({ line: 2, column: 10 });

    const typo = errorOf(() => parse('services:\n  api:\n    targt: spin\n'));
    expect(typo.message).toMatch(/Unrecognized key.*targt/);
    expect(typo.location).toMatchObject({ line: 3, excerpt: '    targt: spin' });
  });
});
