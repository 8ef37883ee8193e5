/**
 * Where a rollout stands, from the plan and the decision log. Pure. A step that was started but not decided
 * runs again (steps are idempotent); a passed step is never repeated; a breach stops that service until someone
 * decides. A wave starts only when every service of the earlier waves has completed.
 */
import { createHash } from 'node:crypto';
import type { Plan } from '../planner/index.ts';
import type { RolloutRecord } from './records.ts';

export type ServiceStatus = 'pending' | 'in-progress' | 'completed' | 'rolled-back' | 'frozen' | 'aborted';

export interface ServiceProgress {
  service: string;
  wave: number;
  status: ServiceStatus;
  /** Index of the step to run next (or the step that breached); equals the number of steps when completed. */
  nextStep: number;
  /** The last record about this service. */
  last?: RolloutRecord;
}

export interface RolloutProgress {
  /** The plan hash the log was started with differs from this plan's. */
  planChanged: boolean;
  services: ServiceProgress[];
  /** The wave now moving; undefined when every service has completed. */
  wave: number | undefined;
  /** Steps that may run now: the next step of each pending or in-progress service of the current wave. */
  next: { service: string; step: number }[];
  /** Services that stopped on a breach (rolled back or frozen) or an abort, and need a decision. */
  stopped: ServiceProgress[];
  /** Records about services the plan does not include. */
  unknownServices: string[];
  done: boolean;
}

/** A stable hash of the plan, so a resume can tell the plan changed under it. */
export function getPlanHash(plan: Plan): string {
  const stable = (value: unknown): unknown =>
    Array.isArray(value)
      ? value.map(stable)
      : value !== null && typeof value === 'object'
        ? Object.fromEntries(
            Object.keys(value)
              .sort()
              .map((k) => [k, stable((value as Record<string, unknown>)[k])]),
          )
        : value;
  return createHash('sha256')
    .update(JSON.stringify(stable(plan)))
    .digest('hex');
}

export function getRolloutProgress(plan: Plan, records: readonly RolloutRecord[]): RolloutProgress {
  const included = plan.services.filter((s) => s.include && s.wave !== null);
  const progress = new Map<string, ServiceProgress>(
    included.map((s) => [s.id, { service: s.id, wave: s.wave!, status: 'pending', nextStep: 0 }]),
  );
  const unknown = new Set<string>();
  let planHash: string | undefined;
  for (const record of records) {
    if (record.event === 'rollout-started') {
      planHash = record.planHash;
      continue;
    }
    const entry = progress.get(record.service);
    if (entry === undefined) {
      unknown.add(record.service);
      continue;
    }
    entry.last = record;
    const steps = included.find((s) => s.id === record.service)!.steps.length;
    switch (record.event) {
      case 'step-started':
        entry.status = 'in-progress';
        entry.nextStep = record.index;
        break;
      case 'step-passed':
        entry.nextStep = record.index + 1;
        entry.status = entry.nextStep >= steps ? 'completed' : 'in-progress';
        break;
      case 'step-breached':
        entry.status = record.action === 'rollback' ? 'rolled-back' : 'frozen';
        entry.nextStep = record.index;
        break;
      case 'service-completed':
        entry.status = 'completed';
        entry.nextStep = steps;
        break;
      case 'service-aborted':
        entry.status = 'aborted';
        break;
    }
  }
  const services = [...progress.values()].sort((a, b) => a.wave - b.wave || (a.service < b.service ? -1 : 1));
  const wave = services.find((s) => s.status !== 'completed')?.wave;
  const next = services
    .filter((s) => s.wave === wave && (s.status === 'pending' || s.status === 'in-progress'))
    .map((s) => ({ service: s.service, step: s.nextStep }));
  return {
    planChanged: planHash !== undefined && planHash !== getPlanHash(plan),
    services,
    wave,
    next,
    stopped: services.filter(
      (s) => s.status === 'rolled-back' || s.status === 'frozen' || s.status === 'aborted',
    ),
    unknownServices: [...unknown].sort(),
    done: wave === undefined,
  };
}
