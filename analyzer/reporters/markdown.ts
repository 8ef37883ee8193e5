/** Markdown: summary, per service endpoints/effects/readiness, the graph and findings. */
import { TARGETS } from '../../shared/catalog.ts';
import type { Estate } from '../model.ts';
import { countKinds, edgeLine, formatSite, readinessCell } from './common.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');

export function renderMarkdown(estate: Estate): string {
  const out: string[] = [
    `# Estate \`${estate.root}\``,
    '',
    `${estate.services.length} services, ${estate.stats.files} files, ${estate.edges.length} edges, ${estate.findings.length} findings.`,
    '',
  ];
  out.push(
    `| service | language | endpoints | effects | ${TARGETS.join(' | ')} |`,
    `| --- | --- | --- | --- | ${TARGETS.map(() => '---').join(' | ')} |`,
  );
  for (const s of estate.services)
    out.push(
      `| ${s.id} | ${s.language}/${s.framework} | ${s.endpoints.length} | ${countKinds(s)
        .map(([k, n]) => `${k} ${n}`)
        .join(', ')} | ${TARGETS.map((t) => readinessCell(s, t)).join(' | ')} |`,
    );
  out.push('', '## Graph', '');
  for (const e of estate.edges)
    out.push(
      `- \`${cell(edgeLine(e))}\` (${e.evidence.map((x) => `${x.from} ${formatSite(x.source)}`).join('; ')})`,
    );
  for (const s of estate.services) {
    out.push(
      '',
      `## ${s.id}`,
      '',
      `Root \`${s.root}\`, ${s.build.tool} (\`${s.build.file}\`), ${s.files} files.`,
      '',
      '### Endpoints',
      '',
      '| method | path | status | handler |',
      '| --- | --- | --- | --- |',
    );
    for (const e of s.endpoints)
      out.push(`| ${e.method} | \`${e.path}\` | ${e.status} | ${cell(e.handler)} |`);
    out.push('', '### Effects', '', '| kind | detail | site | via |', '| --- | --- | --- | --- |');
    for (const e of s.effects)
      out.push(
        `| ${e.kind} | ${cell(e.detail.summary)} | \`${formatSite(e.site)}\` | ${cell(e.via.map((v) => v.symbol).join(' → '))} |`,
      );
    out.push('', '### Readiness', '');
    for (const t of TARGETS) {
      const r = s.readiness[t];
      out.push(`- **${t}**: ${r.level}, score ${r.score}`);
      for (const b of r.blockers)
        out.push(
          `  - ${b.kind} (${b.severity}): ${b.reason}. Way out: ${b.wayOut}. At ${b.evidence.map((x) => `\`${formatSite(x)}\``).join(', ')}`,
        );
    }
  }
  if (estate.findings.length > 0) {
    out.push('', '## Findings', '');
    for (const f of estate.findings)
      out.push(
        `- ${f.severity} \`${f.code}\`${f.file === undefined ? '' : ` \`${f.file}${f.line === undefined ? '' : `:${f.line}`}\``}: ${cell(f.message)}`,
      );
  }
  return `${out.join('\n')}\n`;
}
