/**
 * From a gate verdict to the record the rollout appends (pure): a passed step, a breach with its action, or
 * nothing while the step waits. And how long a step has been held, from its `step-started` record.
 */
import type { Step } from '../planner/index.ts';
import type { StepVerdict } from './gates.ts';
import { ROLLOUT_RECORD_VERSION, type RolloutRecord } from './records.ts';

export function createStepRecord(
  service: string,
  index: number,
  step: Step,
  verdict: StepVerdict,
  now: Date,
): RolloutRecord | undefined {
  const ref = { v: ROLLOUT_RECORD_VERSION, at: now.toISOString(), service, step: step.name, index } as const;
  if (verdict.decision === 'pass') return { ...ref, event: 'step-passed', checks: verdict.checks };
  if (verdict.decision === 'breach')
    return { ...ref, event: 'step-breached', action: verdict.action, checks: verdict.checks };
  return undefined;
}

/** Milliseconds since the last `step-started` of this step; 0 when it has not started. */
export function getHeldMs(
  records: readonly RolloutRecord[],
  service: string,
  index: number,
  now: Date,
): number {
  const started = records.findLast(
    (r) => r.event === 'step-started' && r.service === service && r.index === index,
  );
  return started === undefined ? 0 : Math.max(0, now.getTime() - Date.parse(started.at));
}
