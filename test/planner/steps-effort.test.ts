import { describe, expect, it } from 'vitest';
import { createPlan, DEFAULT_STEPS, getAnswerChoices, parseStepList } from '../../planner/index.ts';
import { createSmallEstate } from './small-estate.ts';

describe('steps and gates', () => {
  it('defaults to verify → shadow → 1% → 10% → 50% → 100% with the gateway’s gate names', () => {
    expect(DEFAULT_STEPS.map((s) => s.name)).toEqual(['verify', 'shadow', '1%', '10%', '50%', '100%']);
    for (const step of DEFAULT_STEPS)
      expect(Object.keys(step.gates).sort()).toEqual(
        ['action', 'diffRate', 'errorRate', 'latencyP99', 'minSamples', 'windowMs'].sort(),
      );
  });

  it('parses the shorthand and says what is wrong with a bad one', () => {
    expect((parseStepList('verify, shadow, 5%, 100') as { weight: number }[]).map((s) => s.weight)).toEqual([
      0, 0, 5, 100,
    ]);
    expect(parseStepList('verify,10,5,100')).toMatch(/weights must rise: 5 after 10/);
    expect(parseStepList('verify,shadow,50')).toMatch(/last step sends 100%/);
    expect(parseStepList('verify,later,100')).toMatch(/"later" is not a step/);
    expect(parseStepList('')).toMatch(/no steps given/);
  });

  it('applies gate and hold overrides globally, then per service, then per step', () => {
    const estate = createSmallEstate([{ id: 'a' }, { id: 'b' }]);
    const plan = createPlan({
      estate,
      choices: getAnswerChoices({
        defaults: { gates: { errorRate: { maxIncrease: 0.05 } } },
        services: {
          b: {
            gates: { minSamples: 7 },
            steps: ['verify', { step: 20, holdMs: 1000, gates: { diffRate: { max: 0.2 } } }, 100],
          },
        },
      }),
    });
    const a = plan.services.find((s) => s.id === 'a')!;
    const b = plan.services.find((s) => s.id === 'b')!;
    expect(a.steps.every((s) => s.gates.errorRate.maxIncrease === 0.05)).toBe(true);
    expect(a.steps[0]!.gates.minSamples).toBe(50);
    expect(b.steps.map((s) => [s.name, s.holdMs, s.gates.minSamples, s.gates.diffRate.max])).toEqual([
      ['verify', 0, 7, 0.01],
      ['20%', 1000, 7, 0.2],
      ['100%', DEFAULT_STEPS[5]!.holdMs, 7, 0.02],
    ]);
    expect(b.steps.every((s) => s.gates.errorRate.maxIncrease === 0.05)).toBe(true);
  });
});

describe('effort', () => {
  const estate = createSmallEstate([{ id: 'svc', writes: true }]);

  it('estimates from the analysis when there is no port report, and says so', () => {
    const effort = createPlan({ estate }).services[0]!.effort;
    expect(effort).toEqual({
      basis: 'analysis',
      raw: 2.5,
      points: 3,
      formula:
        '1 + 0.5×2 endpoints + 0.5×1 I/O effects + 0.1×0 other effects + 3×0 port-needed + 8×0 blockers on wasmcloud = 2.5 → 3',
    });
  });

  it('counts methods, TODOs and dropped constructs from a port report', () => {
    const report = {
      schemaVersion: '1.0',
      service: 'svc',
      methods: 40,
      methods_todo: 2,
      todos: [{ file: 'A.java', line: 3, why: 'x' }],
      dropped: 1,
    };
    const plan = createPlan({ estate, portReports: new Map([['svc', report]]) });
    expect(plan.services[0]!.effort).toMatchObject({ basis: 'port-report', raw: 10, points: 13 });
    expect(plan.services[0]!.effort.formula).toBe(
      '1 + 40 methods/10 + 2×2 methods with TODOs + 1×1 dropped + 3×0 port-needed + 8×0 blockers on wasmcloud = 10 → 13',
    );
    expect(plan.basis.portReports).toEqual(['svc']);
  });
});
