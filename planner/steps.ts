/**
 * Traffic steps and their gates: the defaults (verify → shadow → 1% → 10% → 50% → 100%), the shorthand a flag,
 * an answers file and a prompt share (`verify,shadow,1,10,50,100`), overrides, and the rules a list of steps keeps.
 */
import { z } from 'zod';
import type { Gates, Step } from './plan-schema.ts';

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;

const gates = (minSamples: number, maxIncrease: number, maxRatio: number, diffMax: number): Gates => ({
  windowMs: 60_000,
  minSamples,
  action: 'rollback',
  errorRate: { maxIncrease },
  latencyP99: { maxRatio, minMs: 5 },
  diffRate: { max: diffMax },
});

/**
 * The default steps. verify replays requests before any user reaches the component and tolerates no extra error;
 * shadow watches live traffic answered by the container; each canary step holds longer and asks for more samples
 * as more users are exposed. 100% holds a day before the container may be retired.
 */
export const DEFAULT_STEPS: readonly Step[] = [
  { name: 'verify', kind: 'verify', weight: 0, holdMs: 0, gates: gates(50, 0, 3, 0.01) },
  { name: 'shadow', kind: 'shadow', weight: 0, holdMs: 30 * MINUTE, gates: gates(200, 0.01, 2, 0.02) },
  { name: '1%', kind: 'canary', weight: 1, holdMs: 30 * MINUTE, gates: gates(100, 0.01, 1.5, 0.02) },
  { name: '10%', kind: 'canary', weight: 10, holdMs: HOUR, gates: gates(500, 0.01, 1.5, 0.02) },
  { name: '50%', kind: 'canary', weight: 50, holdMs: 2 * HOUR, gates: gates(1000, 0.005, 1.3, 0.02) },
  { name: '100%', kind: 'canary', weight: 100, holdMs: 24 * HOUR, gates: gates(1000, 0.005, 1.3, 0.02) },
];

export const DEFAULT_STEP_LIST = 'verify,shadow,1,10,50,100';

const s = {
  windowMs: z.number().int().min(1000),
  minSamples: z.number().int().min(1),
  action: z.enum(['rollback', 'freeze']),
};
/** Some gate thresholds; the rest keep their value. */
export const GatesOverrideSchema = z
  .object({
    windowMs: s.windowMs.optional(),
    minSamples: s.minSamples.optional(),
    action: s.action.optional(),
    errorRate: z
      .object({ maxIncrease: z.number().min(0).max(1) })
      .strict()
      .optional(),
    latencyP99: z
      .object({ maxRatio: z.number().min(1).optional(), minMs: z.number().min(0).optional() })
      .strict()
      .optional(),
    diffRate: z
      .object({ max: z.number().min(0).max(1) })
      .strict()
      .optional(),
  })
  .strict();
export type GatesOverride = z.infer<typeof GatesOverrideSchema>;

export function mergeGates(base: Gates, override: GatesOverride | undefined): Gates {
  if (override === undefined) return base;
  return {
    windowMs: override.windowMs ?? base.windowMs,
    minSamples: override.minSamples ?? base.minSamples,
    action: override.action ?? base.action,
    errorRate: { ...base.errorRate, ...override.errorRate },
    latencyP99: { ...base.latencyP99, ...override.latencyP99 },
    diffRate: { ...base.diffRate, ...override.diffRate },
  };
}

/**
 * One step from its token: `verify`, `shadow`, or a weight (`10` or `10%`). A weight takes the hold time and
 * gates of the default canary step at or below it. Returns a message when the token is not a step.
 */
export function createStep(token: string | number): Step | string {
  const text = String(token).trim().toLowerCase();
  if (text === 'verify' || text === 'shadow')
    return structuredClone(DEFAULT_STEPS.find((d) => d.kind === text)!);
  const match = /^(\d+(?:\.\d+)?)%?$/.exec(text);
  const weight = match === null ? Number.NaN : Number(match[1]);
  if (!(weight > 0 && weight <= 100))
    return `"${String(token)}" is not a step: use verify, shadow or a weight from 1 to 100 (e.g. 10 or 10%)`;
  const canaries = DEFAULT_STEPS.filter((d) => d.kind === 'canary');
  const like = [...canaries].reverse().find((d) => d.weight <= weight) ?? canaries[0]!;
  return { ...structuredClone(like), name: `${weight}%`, weight };
}

/** A problem in a list of steps, with the path below the list. */
export interface StepIssue {
  message: string;
  path: (string | number)[];
}

/** The rules of a step list: verify, then shadow, then rising canary weights, ending at 100%. */
export function checkSteps(steps: readonly Step[]): StepIssue[] {
  const issues: StepIssue[] = [];
  const order = { verify: 0, shadow: 1, canary: 2 } as const;
  steps.forEach((step, i) => {
    const previous = steps[i - 1];
    if (step.kind !== 'canary' && step.weight !== 0)
      issues.push({
        message: `a ${step.kind} step sends no users to the component: weight 0`,
        path: [i, 'weight'],
      });
    if (step.kind === 'canary' && step.weight === 0)
      issues.push({ message: 'a canary step needs a weight above 0', path: [i, 'weight'] });
    if (previous === undefined) return;
    if (order[step.kind] < order[previous.kind] || (step.kind !== 'canary' && step.kind === previous.kind))
      issues.push({
        message: `${step.name} cannot follow ${previous.name}: verify, then shadow, then canary weights`,
        path: [i, 'kind'],
      });
    else if (step.kind === 'canary' && previous.kind === 'canary' && step.weight <= previous.weight)
      issues.push({
        message: `weights must rise: ${step.weight} after ${previous.weight}`,
        path: [i, 'weight'],
      });
  });
  const last = steps[steps.length - 1];
  if (last !== undefined && last.weight !== 100)
    issues.push({ message: 'the last step sends 100% to the component', path: [steps.length - 1, 'weight'] });
  return issues;
}

/**
 * Parses a step list (`verify,shadow,1,10,50,100`) into steps. The one validator behind `--steps`, the answers
 * file's `steps:` shorthand and the steps prompt. Returns the steps or a message saying what is wrong.
 */
export function parseStepList(text: string | readonly (string | number)[]): Step[] | string {
  const tokens = typeof text === 'string' ? text.split(',').filter((t) => t.trim() !== '') : text;
  if (tokens.length === 0) return `no steps given: e.g. ${DEFAULT_STEP_LIST}`;
  const steps: Step[] = [];
  for (const token of tokens) {
    const step = createStep(token);
    if (typeof step === 'string') return step;
    steps.push(step);
  }
  const issue = checkSteps(steps)[0];
  return issue === undefined ? steps : `${issue.message} (in ${tokens.join(',')})`;
}

/** The shorthand of a list of steps, for prompts and text. */
export const formatStepList = (steps: readonly Step[]): string =>
  steps.map((step) => (step.kind === 'canary' ? String(step.weight) : step.kind)).join(',');

/** `1h30m`, `45m`, `0` for a hold time. */
export function formatDuration(ms: number): string {
  if (ms === 0) return '0';
  const minutes = Math.round(ms / MINUTE);
  if (minutes < 1) return `${Math.round(ms / 1000)}s`;
  const days = Math.floor(minutes / (24 * 60));
  const hours = Math.floor((minutes % (24 * 60)) / 60);
  const rest = minutes % 60;
  return `${days > 0 ? `${days}d` : ''}${hours > 0 ? `${hours}h` : ''}${rest > 0 ? `${rest}m` : ''}`;
}
