/** The default human report: one summary table of services, the graph outline, blockers and findings. */
import { TARGETS } from '../../shared/catalog.ts';
import type { Estate } from '../model.ts';
import { countKinds, edgeLine, formatSite, readinessCell } from './common.ts';

function table(rows: string[][]): string[] {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    r
      .map((c, i) => c.padEnd(widths[i]!))
      .join('  ')
      .trimEnd(),
  );
}

export function renderText(estate: Estate): string {
  const lines: string[] = [
    `Estate ${estate.root}: ${estate.services.length} services, ${estate.stats.files} files, ${estate.edges.length} edges, ${estate.findings.length} findings`,
    '',
  ];
  if (estate.services.length > 0) {
    const rows = [['SERVICE', 'LANG', 'ENDPOINTS', 'EFFECTS', ...TARGETS.map((t) => t.toUpperCase())]];
    for (const s of estate.services) {
      rows.push([
        s.id,
        `${s.language}/${s.framework}`,
        String(s.endpoints.length),
        countKinds(s)
          .map(([k, n]) => `${k} ${n}`)
          .join(', '),
        ...TARGETS.map((t) => readinessCell(s, t)),
      ]);
    }
    lines.push(...table(rows), '');
    lines.push('Endpoints:');
    const endpoints = estate.services.flatMap((s) =>
      s.endpoints.map((e) => [s.id, e.method, e.path, `→ ${e.status}`, e.handler]),
    );
    // one table across services, so methods, paths and statuses line up
    if (endpoints.length > 0) lines.push(...table(endpoints).map((line) => `  ${line}`));
    lines.push('');
  }
  lines.push('Graph:');
  if (estate.edges.length === 0) lines.push('  (no edges)');
  for (const edge of estate.edges) lines.push(`  ${edgeLine(edge)}`);
  const blockers = estate.services.flatMap((s) =>
    TARGETS.flatMap((t) => s.readiness[t].blockers.map((b) => ({ s, t, b }))),
  );
  if (blockers.length > 0) {
    lines.push('', 'Blockers:');
    for (const { s, t, b } of blockers)
      lines.push(
        `  ${s.id} on ${t}: ${b.kind} (${b.severity}) ${b.reason}`,
        `    at ${b.evidence.map(formatSite).join(', ')}`,
        `    way out: ${b.wayOut}`,
      );
  }
  if (estate.findings.length > 0) {
    lines.push('', 'Findings:');
    for (const f of estate.findings)
      lines.push(
        `  ${f.severity} ${f.code}${f.file === undefined ? '' : ` ${f.file}${f.line === undefined ? '' : `:${f.line}`}`}: ${f.message}`,
      );
  }
  lines.push('', 'Run with --json for every effect with its site and call chain.');
  return `${lines.join('\n')}\n`;
}
