import { describe, expect, it } from 'vitest';
import { createPlan, getAnswerChoices, parseFlagChoices, recommendTarget } from '../../planner/index.ts';
import { isAppError } from '../../shared/errors.ts';
import { createSmallEstate } from './small-estate.ts';

const blockedOnSpin = createSmallEstate([
  { id: 'pub', readiness: { spin: ['blocked', 50], wasmcloud: ['ready', 90], embedded: ['ready', 90] } },
]);

describe('targets', () => {
  it('recommends the best readiness, then the higher score, then wasmcloud over spin over embedded', () => {
    const estate = createSmallEstate([
      {
        id: 'a',
        readiness: { wasmcloud: ['port-needed', 99], spin: ['ready', 70], embedded: ['ready', 70] },
      },
      { id: 'b', readiness: { wasmcloud: ['ready', 80], spin: ['ready', 80], embedded: ['ready', 95] } },
      { id: 'c', readiness: { wasmcloud: ['ready', 80], spin: ['ready', 80], embedded: ['ready', 80] } },
    ]);
    expect(estate.services.map((s) => recommendTarget(s).target)).toEqual(['spin', 'embedded', 'wasmcloud']);
    expect(recommendTarget(estate.services[0]!).reason).toMatch(/wasmcloud port-needed 99/);
  });

  it('leaves a service blocked on every target in its container, with the blockers as the reason', () => {
    const estate = createSmallEstate([
      {
        id: 'stuck',
        readiness: { wasmcloud: ['blocked', 40], spin: ['blocked', 30], embedded: ['blocked', 35] },
      },
    ]);
    const plan = createPlan({ estate });
    expect(plan.services[0]).toMatchObject({ include: false, wave: null, target: 'wasmcloud' });
    expect(plan.services[0]!.includeReason).toMatch(/blocked on every target.*way out: use another target/);
  });

  it('refuses a blocked target without the override, naming the blocker and its way out', () => {
    let error: unknown;
    try {
      createPlan({ estate: blockedOnSpin, choices: { defaults: {}, services: { pub: { target: 'spin' } } } });
    } catch (e) {
      error = e;
    }
    expect(isAppError(error)).toBe(true);
    expect((error as Error).message).toMatch(
      /spin is blocked for pub: pub cannot publish here \(way out: use another target\)/,
    );
    expect(() => parseFlagChoices(blockedOnSpin, { target: ['pub=spin'] })).toThrow(
      /spin is blocked for pub/,
    );
  });

  it('takes a blocked target with the override, marks it and warns', () => {
    const choices = parseFlagChoices(blockedOnSpin, { target: ['pub=spin'], allowBlocked: ['pub'] });
    const plan = createPlan({ estate: blockedOnSpin, choices });
    expect(plan.services[0]).toMatchObject({ target: 'spin', allowBlocked: true, include: true });
    expect(plan.services[0]!.targetReason).toMatch(
      /chosen over the recommended wasmcloud \(blocked: explicit override\)/,
    );
    expect(plan.findings).toEqual([
      expect.objectContaining({
        severity: 'warning',
        code: 'blocked-override',
        services: ['pub'],
        at: 'pub/Main.java:7',
      }),
    ]);
    // blockers on the chosen target count in the effort
    expect(plan.services[0]!.effort.formula).toMatch(/8×1 blockers on spin/);
  });

  it('the answers file and the flags give the same plan for the same choice', () => {
    const fromFlags = createPlan({
      estate: blockedOnSpin,
      choices: parseFlagChoices(blockedOnSpin, { target: ['pub=embedded'], steps: 'verify,5,100' }),
    });
    const fromAnswers = createPlan({
      estate: blockedOnSpin,
      choices: getAnswerChoices({
        defaults: { steps: 'verify,5,100' },
        services: { pub: { target: 'embedded' } },
      }),
    });
    expect(fromAnswers.services).toEqual(fromFlags.services);
    expect(fromFlags.services[0]!.steps.map((s) => s.name)).toEqual(['verify', '5%', '100%']);
  });

  it('rejects unknown services and malformed pairs in flags', () => {
    expect(() => parseFlagChoices(blockedOnSpin, { exclude: ['nope'] })).toThrow(/--exclude names nope/);
    expect(() => parseFlagChoices(blockedOnSpin, { target: ['pub'] })).toThrow(/use service=target/);
    expect(() => parseFlagChoices(blockedOnSpin, { target: ['pub=lambda'] })).toThrow(
      /unknown target "lambda"/,
    );
    expect(() => parseFlagChoices(blockedOnSpin, { steps: 'shadow,verify,100' })).toThrow(
      /--steps: verify cannot follow shadow/,
    );
  });
});
