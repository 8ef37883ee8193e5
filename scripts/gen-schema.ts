/** Writes schema/estate.schema.json from the zod Estate model (`npm run gen:schema`). */
import { writeFileSync } from 'node:fs';
import { createEstateJsonSchema } from '../analyzer/index.ts';

export const ESTATE_SCHEMA_FILE = new URL('../schema/estate.schema.json', import.meta.url);

export function renderEstateSchema(): string {
  return `${JSON.stringify(createEstateJsonSchema(), null, 2)}\n`;
}

if (import.meta.url === `file://${process.argv[1]}`) {
  writeFileSync(ESTATE_SCHEMA_FILE, renderEstateSchema());
  console.log(`wrote ${ESTATE_SCHEMA_FILE.pathname}`);
}
