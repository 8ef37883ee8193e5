/**
 * Gate evaluation for one step over the gateway's metrics for the service's route (the admin API's route
 * snapshot: the sliding window per side and the shadow comparisons). Pure. The answer is `pass` (every gate
 * holds, enough samples, and the hold time is over), `wait` (nothing breached, but too few samples or the hold
 * is not over), or `breach` (with the step's action); every check says what it measured.
 */
import type { RouteSnapshot } from '../bridge/index.ts';
import type { Step } from '../planner/index.ts';
import type { GateCheck } from './records.ts';

/** What the evaluation reads from a route snapshot. */
export type RouteMetrics = Pick<RouteSnapshot, 'window' | 'shadow'>;

export type StepVerdict =
  | { decision: 'pass'; checks: GateCheck[] }
  | { decision: 'wait'; checks: GateCheck[]; reason: string }
  | { decision: 'breach'; checks: GateCheck[]; action: Step['gates']['action'] };

const round = (value: number): number => Number(value.toFixed(4));

/**
 * Evaluates a step. `heldMs` is how long the step has run at its weight. canary steps judge live wasm traffic
 * against the container's; verify and shadow steps judge the compared pairs (diff rate) and whatever errors the
 * wasm side answered to the copies.
 */
export function evaluateStep(step: Step, metrics: RouteMetrics, heldMs: number): StepVerdict {
  const { gates } = step;
  const { wasm, container } = metrics.window;
  const checks: GateCheck[] = [];
  const live = step.kind === 'canary';
  const samples = live ? wasm.requests : metrics.shadow.compared;
  const enough = samples >= gates.minSamples;
  checks.push({
    gate: 'minSamples',
    ok: enough,
    value: samples,
    threshold: gates.minSamples,
    detail: `${samples} ${live ? 'wasm requests in the window' : 'compared pairs'} of ${gates.minSamples} needed`,
  });
  if (wasm.requests >= gates.minSamples) {
    // with too little container traffic (weight near 100) the baseline is 0 errors, as in the gateway
    const baseline = container.requests >= gates.minSamples ? container.errorRate : 0;
    const increase = round(wasm.errorRate - baseline);
    checks.push({
      gate: 'errorRate',
      ok: increase <= gates.errorRate.maxIncrease,
      value: increase,
      threshold: gates.errorRate.maxIncrease,
      detail: `wasm ${wasm.errors}/${wasm.requests} errors vs container ${container.errors}/${container.requests}`,
    });
  }
  if (
    wasm.requests >= gates.minSamples &&
    container.requests >= gates.minSamples &&
    wasm.p99Ms !== undefined &&
    container.p99Ms !== undefined
  ) {
    const ratio = round(wasm.p99Ms / Math.max(container.p99Ms, 0.001));
    const counts = wasm.p99Ms >= gates.latencyP99.minMs;
    checks.push({
      gate: 'latencyP99',
      ok: !counts || ratio <= gates.latencyP99.maxRatio,
      value: ratio,
      threshold: gates.latencyP99.maxRatio,
      detail: `wasm p99 ${wasm.p99Ms} ms vs container ${container.p99Ms} ms${counts ? '' : ` (below ${gates.latencyP99.minMs} ms: not judged)`}`,
    });
  }
  if (metrics.shadow.compared >= gates.minSamples) {
    const rate = round(metrics.shadow.differing / metrics.shadow.compared);
    checks.push({
      gate: 'diffRate',
      ok: rate <= gates.diffRate.max,
      value: rate,
      threshold: gates.diffRate.max,
      detail: `${metrics.shadow.differing} of ${metrics.shadow.compared} compared responses differ`,
    });
  }
  checks.push({
    gate: 'hold',
    ok: heldMs >= step.holdMs,
    value: heldMs,
    threshold: step.holdMs,
    detail: `held ${Math.round(heldMs / 1000)} s of ${Math.round(step.holdMs / 1000)} s`,
  });
  if (checks.some((c) => !c.ok && c.gate !== 'minSamples' && c.gate !== 'hold'))
    return { decision: 'breach', checks, action: gates.action };
  const waiting = checks.filter((c) => !c.ok);
  if (waiting.length > 0)
    return { decision: 'wait', checks, reason: waiting.map((c) => c.detail).join('; ') };
  return { decision: 'pass', checks };
}
