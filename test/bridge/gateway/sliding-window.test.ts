import { describe, expect, it } from 'vitest';
import { SlidingWindow } from '../../../bridge/gateway/sliding-window.ts';

describe('gate window', () => {
  it('counts requests without an answer as errors but not as latencies', () => {
    const window = new SlidingWindow(10_000);
    const now = 1_000_000;
    for (let i = 0; i < 100; i += 1) window.record(50, false, now);
    // refused connections and failovers: fast, and no answer at all
    for (let i = 0; i < 100; i += 1) window.record(0, true, now, false);
    const summary = window.summarize(now);
    expect(summary).toMatchObject({ requests: 200, errors: 100, errorRate: 0.5 });
    expect(summary.p99Ms).toBeGreaterThanOrEqual(50);
  });

  it('after a reset counts only requests that started after it, not ones queued before it (a resumed hang)', () => {
    const window = new SlidingWindow(10_000);
    const resetAt = 2_000_000;
    window.reset(resetAt);
    // sent 3 s before the reset to a process that hung, answered 1 s after it
    expect(window.record(4000, false, resetAt + 1000)).toBe(false);
    expect(window.record(0, true, resetAt + 1000, false)).toBe(true);
    for (let i = 0; i < 40; i += 1) expect(window.record(20, false, resetAt + 1000)).toBe(true);
    const summary = window.summarize(resetAt + 1000);
    expect(summary).toMatchObject({ requests: 41, errors: 1 });
    expect(summary.p99Ms).toBeLessThan(100);
  });
});
