/** Stable ordering of everything in the Estate, so two runs on the same estate print the same bytes. */
import type { Estate } from './model.ts';

const cmp = (a: string | number | undefined, b: string | number | undefined): number =>
  a === b ? 0 : a === undefined ? -1 : b === undefined ? 1 : a < b ? -1 : 1;

interface Sited {
  file?: string;
  line?: number;
  column?: number;
}
const bySite = (a: Sited, b: Sited): number =>
  cmp(a.file, b.file) || cmp(a.line, b.line) || cmp(a.column, b.column);

export function sortEstate(estate: Estate): Estate {
  for (const s of estate.services) {
    s.endpoints.sort((a, b) => cmp(a.path, b.path) || cmp(a.method, b.method) || cmp(a.handler, b.handler));
    s.effects.sort(
      (a, b) => bySite(a.site, b.site) || cmp(a.kind, b.kind) || cmp(a.detail.summary, b.detail.summary),
    );
    s.types.sort((a, b) => cmp(a.name, b.name) || bySite(a.site, b.site));
    s.deployments.sort((a, b) => cmp(a.kind, b.kind) || cmp(a.name, b.name) || bySite(a.source, b.source));
    s.container?.env.sort((a, b) => bySite(a.source, b.source) || cmp(a.name, b.name));
  }
  estate.services.sort((a, b) => cmp(a.id, b.id) || cmp(a.root, b.root));
  estate.findings.sort((a, b) => bySite(a, b) || cmp(a.code, b.code) || cmp(a.message, b.message));
  return estate;
}
