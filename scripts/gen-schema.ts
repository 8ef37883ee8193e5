/** Writes schema/estate.schema.json and schema/plan.schema.json from the zod models (`npm run gen:schema`). */
import { writeFileSync } from 'node:fs';
import { createEstateJsonSchema } from '../analyzer/index.ts';
import { createPlanJsonSchema } from '../planner/index.ts';

export const ESTATE_SCHEMA_FILE = new URL('../schema/estate.schema.json', import.meta.url);
export const PLAN_SCHEMA_FILE = new URL('../schema/plan.schema.json', import.meta.url);

export function renderEstateSchema(): string {
  return `${JSON.stringify(createEstateJsonSchema(), null, 2)}\n`;
}

export function renderPlanSchema(): string {
  return `${JSON.stringify(createPlanJsonSchema(), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(ESTATE_SCHEMA_FILE, renderEstateSchema());
  writeFileSync(PLAN_SCHEMA_FILE, renderPlanSchema());
  console.log(`wrote ${ESTATE_SCHEMA_FILE.pathname} and ${PLAN_SCHEMA_FILE.pathname}`);
}
