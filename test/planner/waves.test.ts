import { describe, expect, it } from 'vitest';
import { createPlan, planReporters } from '../../planner/index.ts';
import { createSmallEstate } from './small-estate.ts';

const wavesOf = (plan: ReturnType<typeof createPlan>): Record<string, number | null> =>
  Object.fromEntries(plan.services.map((s) => [s.id, s.wave]));

describe('waves', () => {
  it('moves a service only after the services it calls: a chain a → b → c gives c, b, a', () => {
    const estate = createSmallEstate(
      [{ id: 'a' }, { id: 'b' }, { id: 'c' }],
      [
        ['a', 'b'],
        ['b', 'c'],
      ],
    );
    const plan = createPlan({ estate });
    expect(wavesOf(plan)).toEqual({ c: 1, b: 2, a: 3 });
    expect(plan.services.find((s) => s.id === 'a')!.waveReason).toMatch(/moves after b \(wave 2, calls it\)/);
    expect(plan.findings).toEqual([]);
  });

  it('puts read-only leaves in the first wave and writing leaves after them', () => {
    const estate = createSmallEstate([{ id: 'reader' }, { id: 'writer', writes: true }]);
    const plan = createPlan({ estate });
    expect(wavesOf(plan)).toEqual({ reader: 1, writer: 2 });
    expect(plan.services.find((s) => s.id === 'writer')!.waveReason).toMatch(/writes \(INSERT t_writer/);
  });

  it('starts at wave 1 when no service is read-only', () => {
    const estate = createSmallEstate(
      [
        { id: 'w1', writes: true },
        { id: 'w2', writes: true },
      ],
      [['w1', 'w2']],
    );
    expect(wavesOf(createPlan({ estate }))).toEqual({ w2: 1, w1: 2 });
  });

  it('treats a message edge (publisher → subscriber) like a call: the subscriber moves first', () => {
    const estate = createSmallEstate(
      [{ id: 'publisher', writes: true }, { id: 'subscriber' }],
      [['publisher', 'subscriber', 'message']],
    );
    const plan = createPlan({ estate });
    expect(wavesOf(plan)).toEqual({ subscriber: 1, publisher: 2 });
    expect(plan.services.find((s) => s.id === 'publisher')!.dependsOn).toEqual([
      { service: 'subscriber', kind: 'message', detail: 'subject.subscriber' },
    ]);
  });

  it('gives the members of a cycle one wave and names the cycle in a finding', () => {
    const estate = createSmallEstate(
      [{ id: 'leaf' }, { id: 'x' }, { id: 'y' }, { id: 'top' }],
      [
        ['x', 'y'],
        ['y', 'x'],
        ['x', 'leaf'],
        ['top', 'y'],
      ],
    );
    const plan = createPlan({ estate });
    expect(wavesOf(plan)).toEqual({ leaf: 1, x: 2, y: 2, top: 3 });
    expect(plan.findings).toEqual([
      expect.objectContaining({
        code: 'cycle',
        services: ['x', 'y'],
        message: expect.stringMatching(/x → y → x/),
      }),
    ]);
    expect(plan.services.find((s) => s.id === 'y')!.cycle).toEqual(['x']);
  });

  it('does not hold a service back for a callee that stays in its container', () => {
    const estate = createSmallEstate([{ id: 'a' }, { id: 'legacy' }], [['a', 'legacy']]);
    const plan = createPlan({ estate, choices: { defaults: {}, services: { legacy: { include: false } } } });
    expect(wavesOf(plan)).toEqual({ a: 1, legacy: null });
    expect(plan.services.find((s) => s.id === 'a')!.waveReason).toMatch(/legacy stays in its container/);
  });

  it('reports a call the analysis could not resolve', () => {
    const estate = createSmallEstate([{ id: 'a' }], [['a', null]]);
    const plan = createPlan({ estate });
    expect(plan.findings).toEqual([
      expect.objectContaining({ code: 'unresolved-call', services: ['a'], at: 'a/Client.java:12' }),
    ]);
  });
});

describe('plan reports', () => {
  it('render when no service moves, and mark callees that stay', () => {
    const estate = createSmallEstate([{ id: 'a' }, { id: 'b' }], [['a', 'b']]);
    const none = createPlan({
      estate,
      choices: { defaults: {}, services: { a: { include: false }, b: { include: false } } },
    });
    expect(planReporters.text(none, estate)).toMatch(
      /0 of 2 services in 0 wave\(s\)[^]*\(no service moves\)/,
    );
    expect(planReporters.markdown(none, estate)).toMatch(/^# Migration plan: small/);
    expect(planReporters.html(none, estate)).toMatch(/stays in container/);
    const some = createPlan({ estate, choices: { defaults: {}, services: { b: { include: false } } } });
    expect(planReporters.text(some, estate)).toMatch(
      /1\s+a\s+wasmcloud\s+ready 90\s+\d+ pts\s+\S+\s+b \(stays\)/,
    );
  });
});
