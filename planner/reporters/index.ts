/** Plan reporters: pure `(plan, estate) => string`, one per format. */
import type { Estate } from '../../analyzer/index.ts';
import type { Plan } from '../plan-schema.ts';
import { renderPlanHtml } from './html.ts';
import { renderPlanMarkdown } from './markdown.ts';
import { renderPlanText } from './text.ts';

export const PLAN_FORMATS = ['text', 'markdown', 'html'] as const;
export type PlanFormat = (typeof PLAN_FORMATS)[number];

export const planReporters: Readonly<Record<PlanFormat, (plan: Plan, estate: Estate) => string>> = {
  text: (plan) => renderPlanText(plan),
  markdown: (plan) => renderPlanMarkdown(plan),
  html: renderPlanHtml,
};
