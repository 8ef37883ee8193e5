import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS } from '../../planner/index.ts';
import { createStepRecord, evaluateStep, getHeldMs, type RolloutRecord } from '../../rollout/index.ts';

const step = DEFAULT_STEPS[2]!; // 1%: minSamples 100, hold 30m
const now = new Date('2026-12-05T10:00:00.000Z');
const side = (requests: number, errors: number) => ({
  requests,
  errors,
  errorRate: requests === 0 ? 0 : errors / requests,
  p99Ms: 10,
  firstErrorAt: undefined,
});
const metrics = (errors: number) => ({
  window: { windowMs: 60_000, wasm: side(200, errors), container: side(2000, 0) },
  shadow: { enabled: false, sampleRate: 1, compared: 0, differing: 0, diffRate: 0 },
});

describe('rollout decisions', () => {
  it('measures the hold from the last start of the step', () => {
    const records: RolloutRecord[] = [
      { v: 1, at: '2026-12-05T09:00:00.000Z', event: 'step-started', service: 's', step: '1%', index: 2 },
      { v: 1, at: '2026-12-05T09:40:00.000Z', event: 'step-started', service: 's', step: '1%', index: 2 },
    ];
    expect(getHeldMs(records, 's', 2, now)).toBe(20 * 60_000);
    expect(getHeldMs(records, 's', 3, now)).toBe(0);
  });

  it('records a pass and a breach with the checks behind them, and nothing while waiting', () => {
    const pass = createStepRecord('s', 2, step, evaluateStep(step, metrics(0), step.holdMs), now);
    expect(pass).toMatchObject({
      event: 'step-passed',
      service: 's',
      step: '1%',
      index: 2,
      at: now.toISOString(),
    });
    const breach = createStepRecord('s', 2, step, evaluateStep(step, metrics(20), 0), now);
    expect(breach).toMatchObject({ event: 'step-breached', action: 'rollback' });
    expect(breach?.event === 'step-breached' && breach.checks.find((c) => !c.ok)?.gate).toBe('errorRate');
    expect(createStepRecord('s', 2, step, evaluateStep(step, metrics(0), 0), now)).toBeUndefined();
  });
});
