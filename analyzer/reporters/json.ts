/** The versioned JSON document (`schemaVersion` first). */
import type { Estate } from '../model.ts';

export function renderJson(estate: Estate): string {
  return `${JSON.stringify(estate, null, 2)}\n`;
}
