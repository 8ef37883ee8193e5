// Public door of planner/: Estate → Plan (pure), plan.yaml in and out, the reporters, and the prompts (the one
// edge file that talks to a terminal).
export {
  PlanSchema,
  PLAN_SCHEMA_VERSION,
  createPlanJsonSchema,
  type Plan,
  type PlanService,
  type PlanFinding,
  type Step,
  type Gates,
  type Binding,
  type SecretRef,
  type Effort,
} from './plan-schema.ts';
export { createPlan, type CreatePlanInput } from './create-plan.ts';
export { loadPlan, parsePlan, renderPlanYaml, PLAN_FILE_KIND } from './load-plan.ts';
export {
  createAnswersSchema,
  getAnswerChoices,
  mergeChoices,
  emptyChoices,
  type Answers,
  type PlanChoices,
  type ServiceChoice,
} from './answers.ts';
export { parseFlagChoices, type PlanFlags } from './flag-choices.ts';
export { PortReportFileSchema, type PortReport } from './effort.ts';
export { DEFAULT_STEPS, DEFAULT_STEP_LIST, parseStepList, formatStepList, formatDuration } from './steps.ts';
export { recommendTarget, checkTargetChoice, rankTargets } from './targets.ts';
export { PLAN_FORMATS, planReporters, type PlanFormat } from './reporters/index.ts';
export { renderPlanSummary, renderPlanText } from './reporters/text.ts';
export { renderPlanMarkdown } from './reporters/markdown.ts';
export { runPlanPrompts, confirmOverwrite, type PromptIo } from './prompts.ts';
