/**
 * Choices that change the recommended plan, and the three ways to give them: an answers file (YAML, validated
 * with located errors), flags, and the prompts. All three go through the same validators (`parseStepList`,
 * `checkTargetChoice`), so a value a prompt refuses is refused by the flag and the file too.
 */
import { z } from 'zod';
import type { Estate } from '../analyzer/index.ts';
import { TARGETS, type Target } from '../shared/catalog.ts';
import type { Step } from './plan-schema.ts';
import { GatesOverrideSchema, mergeGates, parseStepList, type GatesOverride } from './steps.ts';
import { checkTargetChoice, recommendTarget } from './targets.ts';

/** What the user changed for one service; anything unset keeps the recommendation. */
export interface ServiceChoice {
  include?: boolean;
  target?: Target;
  allowBlocked?: boolean;
  steps?: Step[];
  gates?: GatesOverride;
}

export interface PlanChoices {
  defaults: { steps?: Step[]; gates?: GatesOverride };
  services: Record<string, ServiceChoice>;
}

export const emptyChoices = (): PlanChoices => ({ defaults: {}, services: {} });

const stepToken = z.union([z.string(), z.number()]);
const StepsInputSchema = z.union([
  z.string().describe('shorthand, e.g. `verify,shadow,1,10,50,100`'),
  z.array(
    z.union([
      stepToken,
      z
        .object({
          step: stepToken.describe('`verify`, `shadow` or a weight'),
          holdMs: z.number().int().min(0).optional(),
          gates: GatesOverrideSchema.optional(),
        })
        .strict(),
    ]),
  ),
]);
type StepsInput = z.infer<typeof StepsInputSchema>;

/** Steps from a shorthand or a list whose items may override a step's hold time and gates. */
export function resolveStepsInput(
  input: StepsInput,
): Step[] | { message: string; path: (string | number)[] } {
  if (typeof input === 'string') {
    const steps = parseStepList(input);
    return typeof steps === 'string' ? { message: steps, path: [] } : steps;
  }
  const tokens = input.map((item) => (typeof item === 'object' ? item.step : item));
  const steps = parseStepList(tokens);
  if (typeof steps === 'string') return { message: steps, path: [] };
  input.forEach((item, i) => {
    if (typeof item !== 'object') return;
    const step = steps[i]!;
    if (item.holdMs !== undefined) step.holdMs = item.holdMs;
    step.gates = mergeGates(step.gates, item.gates);
  });
  return steps;
}

const ServiceAnswerSchema = z
  .object({
    include: z.boolean().optional(),
    target: z.enum(TARGETS).optional(),
    allowBlocked: z.boolean().optional().describe('choose a blocked target anyway (an explicit override)'),
    steps: StepsInputSchema.optional(),
    gates: GatesOverrideSchema.optional().describe('thresholds applied to every step of this service'),
  })
  .strict();

const AnswersShape = z
  .object({
    schemaVersion: z.union([z.literal('1'), z.literal(1)]).optional(),
    defaults: z
      .object({
        steps: StepsInputSchema.optional(),
        gates: GatesOverrideSchema.optional().describe('thresholds applied to every step of every service'),
      })
      .strict()
      .optional(),
    services: z.record(z.string(), ServiceAnswerSchema).optional(),
  })
  .strict();

/** The answers file schema for one estate: service ids and target choices are checked against its analysis. */
export function createAnswersSchema(estate: Estate) {
  return AnswersShape.superRefine((answers, ctx) => {
    if (answers.defaults?.steps !== undefined) {
      const steps = resolveStepsInput(answers.defaults.steps);
      if (!Array.isArray(steps))
        ctx.addIssue({ code: 'custom', message: steps.message, path: ['defaults', 'steps'] });
    }
    for (const [id, answer] of Object.entries(answers.services ?? {})) {
      const service = estate.services.find((s) => s.id === id);
      if (service === undefined) {
        ctx.addIssue({
          code: 'custom',
          message: `no service ${id} in the analysis (services: ${estate.services.map((s) => s.id).join(', ')})`,
          path: ['services', id],
        });
        continue;
      }
      if (answer.include !== false) {
        const target = answer.target ?? recommendTarget(service).target;
        const problem = checkTargetChoice(service, target, answer.allowBlocked === true);
        // the recommendation alone never forces an override: only a target or include the user wrote does
        if (problem !== undefined && (answer.target !== undefined || answer.include === true))
          ctx.addIssue({
            code: 'custom',
            message: problem,
            path: ['services', id, answer.target === undefined ? 'include' : 'target'],
          });
      }
      if (answer.steps !== undefined) {
        const steps = resolveStepsInput(answer.steps);
        if (!Array.isArray(steps))
          ctx.addIssue({ code: 'custom', message: steps.message, path: ['services', id, 'steps'] });
      }
    }
  });
}
export type Answers = z.infer<typeof AnswersShape>;

/** Answers (already validated by `createAnswersSchema`) as choices. */
export function getAnswerChoices(answers: Answers): PlanChoices {
  const choices = emptyChoices();
  const steps = (input: StepsInput | undefined): Step[] | undefined => {
    if (input === undefined) return undefined;
    const resolved = resolveStepsInput(input);
    return Array.isArray(resolved) ? resolved : undefined;
  };
  const defaultSteps = steps(answers.defaults?.steps);
  if (defaultSteps !== undefined) choices.defaults.steps = defaultSteps;
  if (answers.defaults?.gates !== undefined) choices.defaults.gates = answers.defaults.gates;
  for (const [id, answer] of Object.entries(answers.services ?? {})) {
    const choice: ServiceChoice = {};
    if (answer.include !== undefined) choice.include = answer.include;
    if (answer.target !== undefined) choice.target = answer.target;
    if (answer.allowBlocked !== undefined) choice.allowBlocked = answer.allowBlocked;
    const own = steps(answer.steps);
    if (own !== undefined) choice.steps = own;
    if (answer.gates !== undefined) choice.gates = answer.gates;
    choices.services[id] = choice;
  }
  return choices;
}

/** Later choices win, field by field. */
export function mergeChoices(base: PlanChoices, over: PlanChoices): PlanChoices {
  const services: Record<string, ServiceChoice> = { ...base.services };
  for (const [id, choice] of Object.entries(over.services)) services[id] = { ...services[id], ...choice };
  return { defaults: { ...base.defaults, ...over.defaults }, services };
}
