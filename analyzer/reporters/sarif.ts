/** SARIF 2.1.0: effects (note), blockers (error/warning) and findings as results with physical locations. */
import { EFFECT_KINDS, TARGETS } from '../../shared/catalog.ts';
import type { Estate, SourceRef } from '../model.ts';

const location = (site: { file: string; line: number; column?: number | undefined }) => ({
  physicalLocation: {
    artifactLocation: { uri: site.file, uriBaseId: 'ESTATE_ROOT' },
    region: { startLine: site.line, ...(site.column === undefined ? {} : { startColumn: site.column }) },
  },
});

export function renderSarif(estate: Estate, version = '0.0.0'): string {
  const rules = [
    ...EFFECT_KINDS.map((k) => ({ id: `effect/${k}`, shortDescription: { text: `side effect: ${k}` } })),
    ...EFFECT_KINDS.map((k) => ({
      id: `blocker/${k}`,
      shortDescription: { text: `Wasm readiness blocker: ${k}` },
    })),
    { id: 'finding', shortDescription: { text: 'problem reading the estate' } },
  ];
  const results: unknown[] = [];
  for (const s of estate.services) {
    for (const e of s.effects) {
      results.push({
        ruleId: `effect/${e.kind}`,
        level: 'note',
        message: {
          text: `${s.id}: ${e.kind} ${e.detail.summary}${e.via.length > 0 ? ` (via ${e.via.map((v) => v.symbol).join(' → ')})` : ''}`,
        },
        locations: [location(e.site)],
      });
    }
    for (const t of TARGETS) {
      for (const b of s.readiness[t].blockers) {
        results.push({
          ruleId: `blocker/${b.kind}`,
          level: b.severity === 'blocker' ? 'error' : 'warning',
          message: { text: `${s.id} on ${t}: ${b.reason}. Way out: ${b.wayOut}` },
          locations: b.evidence.map((x: SourceRef) => location(x)),
        });
      }
    }
  }
  for (const f of estate.findings) {
    results.push({
      ruleId: 'finding',
      level: f.severity === 'error' ? 'error' : f.severity === 'warning' ? 'warning' : 'note',
      message: { text: `${f.code}: ${f.message}` },
      ...(f.file === undefined
        ? {}
        : {
            locations: [
              location({
                file: f.file,
                line: f.line ?? 1,
                ...(f.column === undefined ? {} : { column: f.column }),
              }),
            ],
          }),
    });
  }
  const log = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: { driver: { name: 'migrate', version, rules } },
        originalUriBaseIds: { ESTATE_ROOT: { description: { text: `the estate root (${estate.root})` } } },
        results,
      },
    ],
  };
  return `${JSON.stringify(log, null, 2)}\n`;
}
