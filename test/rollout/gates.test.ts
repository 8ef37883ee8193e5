import { describe, expect, it } from 'vitest';
import { DEFAULT_STEPS } from '../../planner/index.ts';
import { evaluateStep, type RouteMetrics } from '../../rollout/index.ts';

const canary = DEFAULT_STEPS[3]!; // 10%: minSamples 500, errorRate +0.01, p99 ×1.5, diff 0.02, hold 1h
const shadow = DEFAULT_STEPS[1]!; // minSamples 200, diff 0.02

const side = (requests: number, errors: number, p99Ms?: number) => ({
  requests,
  errors,
  errorRate: requests === 0 ? 0 : errors / requests,
  p99Ms,
  firstErrorAt: undefined,
});
const metrics = (
  wasm: ReturnType<typeof side>,
  container: ReturnType<typeof side>,
  compared = 0,
  differing = 0,
): RouteMetrics => ({
  window: { windowMs: 60_000, wasm, container },
  shadow: {
    enabled: compared > 0,
    sampleRate: 1,
    compared,
    differing,
    diffRate: compared === 0 ? 0 : differing / compared,
  },
});

describe('step gates over gateway metrics', () => {
  it('passes a canary step with enough samples, every gate within its threshold, and the hold over', () => {
    const verdict = evaluateStep(canary, metrics(side(600, 3, 40), side(5000, 20, 35)), canary.holdMs);
    expect(verdict.decision).toBe('pass');
    expect(verdict.checks.map((c) => c.gate)).toEqual(['minSamples', 'errorRate', 'latencyP99', 'hold']);
  });

  it('waits while samples are short or the hold is not over, saying why', () => {
    const short = evaluateStep(canary, metrics(side(100, 0, 40), side(5000, 20, 35)), canary.holdMs);
    expect(short).toMatchObject({
      decision: 'wait',
      reason: '100 wasm requests in the window of 500 needed',
    });
    const early = evaluateStep(canary, metrics(side(600, 0, 40), side(5000, 20, 35)), 60_000);
    expect(early).toMatchObject({ decision: 'wait', reason: 'held 60 s of 3600 s' });
  });

  it('breaches on errors over the container baseline, with the step’s action', () => {
    const verdict = evaluateStep(canary, metrics(side(600, 30, 40), side(5000, 50, 35)), 0);
    expect(verdict).toMatchObject({ decision: 'breach', action: 'rollback' });
    expect(verdict.checks.find((c) => c.gate === 'errorRate')).toMatchObject({
      ok: false,
      value: 0.04,
      threshold: 0.01,
    });
  });

  it('breaches on p99 only above minMs', () => {
    expect(evaluateStep(canary, metrics(side(600, 0, 90), side(5000, 0, 30)), canary.holdMs).decision).toBe(
      'breach',
    );
    expect(evaluateStep(canary, metrics(side(600, 0, 4), side(5000, 0, 1)), canary.holdMs).decision).toBe(
      'pass',
    );
  });

  it('judges a shadow step by its compared pairs and breaches on the diff rate', () => {
    expect(evaluateStep(shadow, metrics(side(0, 0), side(900, 0, 20), 150, 0), shadow.holdMs)).toMatchObject({
      decision: 'wait',
      reason: '150 compared pairs of 200 needed',
    });
    const verdict = evaluateStep(shadow, metrics(side(0, 0), side(900, 0, 20), 400, 20), shadow.holdMs);
    expect(verdict).toMatchObject({ decision: 'breach' });
    expect(verdict.checks.find((c) => c.gate === 'diffRate')).toMatchObject({ value: 0.05, threshold: 0.02 });
  });
});
