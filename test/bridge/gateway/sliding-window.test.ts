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
});
