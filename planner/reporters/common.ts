/** What the plan reporters share: waves grouped, the timeline, and the steps table. */
import type { Plan, PlanService, Step } from '../plan-schema.ts';
import { formatDuration } from '../steps.ts';

export interface WaveGroup {
  wave: number;
  services: PlanService[];
  /** Offset from the start, in milliseconds, when every hold passes at once. */
  startMs: number;
  /** The wave's longest sum of hold times. */
  durationMs: number;
}

const holdOf = (service: PlanService): number => service.steps.reduce((sum, step) => sum + step.holdMs, 0);

export function groupWaves(plan: Plan): WaveGroup[] {
  const waves = [...new Set(plan.services.flatMap((s) => (s.wave === null ? [] : [s.wave])))].sort(
    (a, b) => a - b,
  );
  let startMs = 0;
  return waves.map((wave) => {
    const services = plan.services.filter((s) => s.wave === wave);
    const durationMs = Math.max(0, ...services.map(holdOf));
    const group = { wave, services, startMs, durationMs };
    startMs += durationMs;
    return group;
  });
}

export const totalPoints = (plan: Plan): number =>
  plan.services.filter((s) => s.include).reduce((sum, s) => sum + s.effort.points, 0);

export const stepsKey = (steps: readonly Step[]): string => JSON.stringify(steps);

/** The steps most services share (shown once), and the services whose steps differ. */
export function commonSteps(plan: Plan): { steps: Step[]; differing: PlanService[] } {
  const included = plan.services.filter((s) => s.include);
  const counts = new Map<string, number>();
  for (const s of included) counts.set(stepsKey(s.steps), (counts.get(stepsKey(s.steps)) ?? 0) + 1);
  const top = [...counts].sort((a, b) => b[1] - a[1])[0]?.[0];
  const owner = included.find((s) => stepsKey(s.steps) === top);
  return { steps: owner?.steps ?? [], differing: included.filter((s) => stepsKey(s.steps) !== top) };
}

export const STEP_HEADER = [
  'STEP',
  'WEIGHT',
  'HOLD',
  'MIN SAMPLES',
  'ERROR RATE +',
  'P99 ×',
  'DIFF RATE',
  'ON BREACH',
];

export const stepRow = (step: Step): string[] => [
  step.name,
  `${step.weight}%`,
  formatDuration(step.holdMs),
  String(step.gates.minSamples),
  String(step.gates.errorRate.maxIncrease),
  String(step.gates.latencyP99.maxRatio),
  String(step.gates.diffRate.max),
  step.gates.action,
];

export const readinessLabel = (service: PlanService): string =>
  `${service.readiness[service.target].level} ${service.readiness[service.target].score}`;

export const bindingLabel = (b: PlanService['bindings'][number]): string =>
  `${b.capability} → ${b.target ?? '(unresolved)'}${b.address === undefined ? '' : ` (${b.address})`}  ${b.detail}`;

export const blockerLines = (plan: Plan): string[] =>
  plan.services.flatMap((s) =>
    (['wasmcloud', 'spin', 'spin4', 'embedded'] as const).flatMap((t) =>
      s.readiness[t].blockers.map(
        (b) =>
          `${s.id} on ${t}${t === s.target ? ' (chosen)' : ''}: ${b.kind} (${b.severity}) ${b.reason}; way out: ${b.wayOut}${b.at.length > 0 ? ` [${b.at[0]}]` : ''}`,
      ),
    ),
  );
