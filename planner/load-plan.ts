/**
 * plan.yaml in and out. `loadPlan(path)` is what `migrate rollout` and `migrate up --plan` read: a hand-edited
 * plan is held to the schema and the plan's rules, with errors at file:line:col.
 */
import { Document, isMap, isPair, isScalar, isSeq, visit } from 'yaml';
import { parseConfigText, readConfigText, type ConfigKind } from '../shared/config-file.ts';
import { PlanSchema, type Plan } from './plan-schema.ts';

export const PLAN_FILE_KIND: ConfigKind = { label: 'plan', docs: 'docs/plan.md' };

/** Parses plan text (YAML or JSON). Pure; `file` names the source in errors. */
export function parsePlan(text: string, file: string): Plan {
  return parseConfigText(text, file, PlanSchema, PLAN_FILE_KIND);
}

/** Reads and validates a plan file. */
export async function loadPlan(path: string): Promise<Plan> {
  return parsePlan(await readConfigText(path, PLAN_FILE_KIND), path);
}

const READINESS_KEYS = new Set(['wasmcloud', 'spin', 'spin4', 'embedded']);

/** plan.yaml text: a short header, then the plan (reads back with `parsePlan` to an equal plan). */
export function renderPlanYaml(plan: Plan): string {
  const header = [
    `# migrate plan for ${plan.estate} (schema: schema/plan.schema.json, fields: docs/plan.md).`,
    '# Edit freely: `migrate rollout` and `migrate up --plan` check the file again before using it.',
    "# Hold times and gate windows are in milliseconds; gates use the gateway's names.",
  ];
  const doc = new Document(plan);
  // Small maps on one line (gates, readiness without blockers) keep the file readable at a glance.
  visit(doc, {
    Pair(_, pair) {
      if (!isPair(pair) || !isScalar(pair.key) || !isMap(pair.value)) return;
      const key = String(pair.key.value);
      const blockers = pair.value.get('blockers', true);
      if (key === 'gates' || (READINESS_KEYS.has(key) && isSeq(blockers) && blockers.items.length === 0))
        pair.value.flow = true;
    },
  });
  return `${header.join('\n')}\n${doc.toString({ lineWidth: 0 })}`;
}
