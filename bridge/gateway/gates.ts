import type { GateName } from './config-schema.ts';
import type { RouteState } from './route-state.ts';

/** One gate's verdict with the numbers behind it. */
export interface GateBreach {
  gate: GateName;
  value: number;
  threshold: number;
  detail: Record<string, unknown>;
}

/**
 * Checks a route's gates over its sliding window. Pure apart from reading the window: returns the breaches;
 * the gateway decides what to do. A gate with too few samples on a side it compares does not decide.
 */
export function evaluateGates(route: RouteState, now = Date.now()): GateBreach[] {
  const gates = route.config.gates;
  const wasm = route.windows.wasm.summarize(now);
  const container = route.windows.container.summarize(now);
  const breaches: GateBreach[] = [];
  const window = { windowMs: gates.windowMs, minSamples: gates.minSamples };
  if (gates.errorRate !== undefined && wasm.requests >= gates.minSamples) {
    // with too little container traffic (weight near 100) the baseline is 0 errors
    const baseline = container.requests >= gates.minSamples ? container.errorRate : 0;
    const increase = wasm.errorRate - baseline;
    if (increase > gates.errorRate.maxIncrease) {
      breaches.push({
        gate: 'errorRate',
        value: Number(increase.toFixed(4)),
        threshold: gates.errorRate.maxIncrease,
        detail: {
          ...window,
          wasm: { requests: wasm.requests, errors: wasm.errors, errorRate: wasm.errorRate },
          container: {
            requests: container.requests,
            errors: container.errors,
            errorRate: container.errorRate,
          },
          firstFailureAt: wasm.firstErrorAt,
        },
      });
    }
  }
  if (
    gates.latencyP99 !== undefined &&
    wasm.requests >= gates.minSamples &&
    container.requests >= gates.minSamples &&
    wasm.p99Ms !== undefined &&
    container.p99Ms !== undefined &&
    wasm.p99Ms >= gates.latencyP99.minMs
  ) {
    const ratio = wasm.p99Ms / Math.max(container.p99Ms, 0.001);
    if (ratio > gates.latencyP99.maxRatio) {
      breaches.push({
        gate: 'latencyP99',
        value: Number(ratio.toFixed(3)),
        threshold: gates.latencyP99.maxRatio,
        detail: { ...window, wasmP99Ms: wasm.p99Ms, containerP99Ms: container.p99Ms },
      });
    }
  }
  if (gates.diffRate !== undefined) {
    const diffs = route.tracker.window.summarize(now);
    if (diffs.total >= gates.minSamples) {
      const rate = diffs.hits / diffs.total;
      if (rate > gates.diffRate.max) {
        breaches.push({
          gate: 'diffRate',
          value: Number(rate.toFixed(4)),
          threshold: gates.diffRate.max,
          detail: { ...window, compared: diffs.total, differing: diffs.hits },
        });
      }
    }
  }
  return breaches;
}
