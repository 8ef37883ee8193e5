import { describe, expect, it } from 'vitest';
import { createPlan } from '../../planner/index.ts';
import { getPlanHash, getRolloutProgress, type RolloutRecord } from '../../rollout/index.ts';
import { createSmallEstate } from '../planner/small-estate.ts';

// leaf (wave 1) ← api (wave 2), each with the six default steps
const plan = createPlan({ estate: createSmallEstate([{ id: 'leaf' }, { id: 'api' }], [['api', 'leaf']]) });
const at = '2026-12-05T09:00:00.000Z';
const startedAt: RolloutRecord = { v: 1, at, event: 'rollout-started', planHash: getPlanHash(plan) };
const step = (event: 'step-started' | 'step-passed', service: string, index: number): RolloutRecord =>
  event === 'step-started'
    ? { v: 1, at, event, service, step: String(index), index }
    : { v: 1, at, event, service, step: String(index), index, checks: [] };

describe('rollout progress', () => {
  it('starts with the first step of every wave-1 service', () => {
    const progress = getRolloutProgress(plan, []);
    expect(progress).toMatchObject({
      wave: 1,
      next: [{ service: 'leaf', step: 0 }],
      done: false,
      planChanged: false,
    });
  });

  it('resumes after the last passed step, and reruns a step that started but was not decided', () => {
    const records = [
      startedAt,
      step('step-started', 'leaf', 0),
      step('step-passed', 'leaf', 0),
      step('step-started', 'leaf', 1),
    ];
    expect(getRolloutProgress(plan, records).next).toEqual([{ service: 'leaf', step: 1 }]);
    expect(getRolloutProgress(plan, [...records, step('step-passed', 'leaf', 1)]).next).toEqual([
      { service: 'leaf', step: 2 },
    ]);
  });

  it('opens the next wave only when the earlier one has completed', () => {
    const leafDone = [0, 1, 2, 3, 4, 5].flatMap((i) => [
      step('step-started', 'leaf', i),
      step('step-passed', 'leaf', i),
    ]);
    expect(getRolloutProgress(plan, leafDone.slice(0, -1)).wave).toBe(1);
    const progress = getRolloutProgress(plan, [startedAt, ...leafDone]);
    expect(progress.wave).toBe(2);
    expect(progress.next).toEqual([{ service: 'api', step: 0 }]);
    expect(progress.services.find((s) => s.service === 'leaf')).toMatchObject({
      status: 'completed',
      nextStep: 6,
    });
  });

  it('stops a service on a breach until someone decides, and says which', () => {
    const progress = getRolloutProgress(plan, [
      step('step-started', 'leaf', 0),
      step('step-passed', 'leaf', 0),
      step('step-started', 'leaf', 1),
      {
        v: 1,
        at,
        event: 'step-breached',
        service: 'leaf',
        step: '1',
        index: 1,
        action: 'rollback',
        checks: [],
      },
    ]);
    expect(progress.next).toEqual([]);
    expect(progress.stopped).toMatchObject([{ service: 'leaf', status: 'rolled-back', nextStep: 1 }]);
    expect(progress.done).toBe(false);
  });

  it('notices a changed plan and records about services it does not include', () => {
    const progress = getRolloutProgress(plan, [
      { ...startedAt, planHash: 'another' },
      step('step-started', 'gone', 0),
    ]);
    expect(progress.planChanged).toBe(true);
    expect(progress.unknownServices).toEqual(['gone']);
  });
});
