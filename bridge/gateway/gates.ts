import type { GateName } from './config-schema.ts';
import type { RouteState } from './route-state.ts';

/** One gate's verdict with the numbers behind it. */
export interface GateBreach {
  gate: GateName;
  value: number;
  threshold: number;
  detail: Record<string, unknown>;
}

const round = (n: number): number => Number(n.toFixed(4));
const round2 = (b: { lower: number; upper: number }) => ({ lower: round(b.lower), upper: round(b.upper) });

/**
 * The Wilson score interval of a rate of `hits` in `total` at `z` standard deviations: where the true rate
 * plausibly lies given so few samples (2 of 31 is anything from 1.8 % to 20.7 % at z = 1.96). Without samples
 * it is [0, 1]; with z = 0 it is the observed rate itself.
 */
export function resolveWilsonInterval(
  hits: number,
  total: number,
  z: number,
): { lower: number; upper: number } {
  if (total === 0) return { lower: 0, upper: 1 };
  const p = hits / total;
  const z2 = z * z;
  const centre = (p + z2 / (2 * total)) / (1 + z2 / total);
  const half = (z / (1 + z2 / total)) * Math.sqrt((p * (1 - p)) / total + z2 / (4 * total * total));
  return { lower: Math.max(0, centre - half), upper: Math.min(1, centre + half) };
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
    const z = gates.errorRate.z;
    const wasmBounds = resolveWilsonInterval(wasm.errors, wasm.requests, z);
    // the container's interval however few its requests (wide when few: 0 of 7 may be anything up to 35 %);
    // without any container traffic (weight 100) there is no baseline, and wasm is judged against 0 errors
    const containerBounds =
      container.requests > 0
        ? resolveWilsonInterval(container.errors, container.requests, z)
        : { lower: 0, upper: 0 };
    // a difference beyond chance: wasm's lowest plausible rate above the container's highest plausible one
    const increase = wasmBounds.lower - containerBounds.upper;
    if (increase > gates.errorRate.maxIncrease) {
      breaches.push({
        gate: 'errorRate',
        value: round(increase),
        threshold: gates.errorRate.maxIncrease,
        detail: {
          ...window,
          z,
          wasm: {
            requests: wasm.requests,
            errors: wasm.errors,
            errorRate: wasm.errorRate,
            ...round2(wasmBounds),
          },
          container: {
            requests: container.requests,
            errors: container.errors,
            errorRate: container.errorRate,
            ...round2(containerBounds),
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
    // in a small window the p99 is its slowest answer: one pause would decide, so it takes several
    const limitMs = Math.max(container.p99Ms * gates.latencyP99.maxRatio, gates.latencyP99.minMs);
    const slow = route.windows.wasm.countSlowerThan(limitMs, now);
    if (ratio > gates.latencyP99.maxRatio && slow >= gates.latencyP99.minSlow) {
      breaches.push({
        gate: 'latencyP99',
        value: Number(ratio.toFixed(3)),
        threshold: gates.latencyP99.maxRatio,
        detail: { ...window, wasmP99Ms: wasm.p99Ms, containerP99Ms: container.p99Ms, slowAnswers: slow },
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
