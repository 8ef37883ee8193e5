/** The plan as Markdown, for a pull request or a wiki page people review. */
import type { Plan } from '../plan-schema.ts';
import { formatDuration, formatStepList } from '../steps.ts';
import {
  bindingLabel,
  blockerLines,
  commonSteps,
  groupWaves,
  readinessLabel,
  STEP_HEADER,
  stepRow,
  totalPoints,
} from './common.ts';

const cell = (text: string): string => text.replace(/\|/g, '\\|').replace(/\n/g, ' ');
const row = (cells: readonly string[]): string => `| ${cells.map(cell).join(' | ')} |`;
const mdTable = (header: readonly string[], rows: readonly string[][]): string[] => [
  row(header),
  row(header.map(() => '---')),
  ...rows.map(row),
];

export function renderPlanMarkdown(plan: Plan): string {
  const waves = groupWaves(plan);
  const included = plan.services.filter((s) => s.include);
  const out: string[] = [
    `# Migration plan: ${plan.estate}`,
    '',
    `${included.length} of ${plan.services.length} services in ${waves.length} wave(s), ${totalPoints(plan)} story points. Choices: ${plan.basis.answers}.`,
    '',
    '## Waves',
    '',
    ...mdTable(
      ['wave', 'service', 'target', 'readiness', 'effort', 'steps', 'why this wave'],
      plan.services.map((s) => [
        s.wave === null ? '-' : String(s.wave),
        s.id,
        s.include ? `${s.target}${s.allowBlocked === true ? ' (override)' : ''}` : 'stays in its container',
        s.include ? readinessLabel(s) : '-',
        s.include ? `${s.effort.points} pts` : '-',
        s.include ? formatStepList(s.steps) : '-',
        s.include ? s.waveReason : s.includeReason,
      ]),
    ),
    '',
    '## Timeline',
    '',
    'Hold times when every gate passes at once; a gate waiting for samples takes longer.',
    '',
    ...mdTable(
      ['wave', 'from', 'to', 'services'],
      waves.map((w) => [
        String(w.wave),
        formatDuration(w.startMs),
        formatDuration(w.startMs + w.durationMs),
        w.services.map((s) => s.id).join(', '),
      ]),
    ),
    '',
    '## Targets',
    '',
    ...included.map((s) => `- **${s.id}** → ${s.target}: ${s.targetReason}`),
    '',
    '## Bindings',
    '',
    'Secrets are named by reference; the plan never holds their values.',
    '',
    ...included.flatMap((s) => [
      `- **${s.id}**`,
      ...s.bindings.map((b) => `  - ${bindingLabel(b)}`),
      ...s.secrets.map((x) => `  - secret \`${x.name}\` ← \`${x.ref}\` (${x.source})`),
    ]),
    '',
    '## Effort',
    '',
    ...mdTable(
      ['service', 'points', 'basis', 'formula'],
      included.map((s) => [s.id, String(s.effort.points), s.effort.basis, s.effort.formula]),
    ),
    '',
  ];
  const { steps, differing } = commonSteps(plan);
  if (steps.length > 0) {
    out.push('## Steps and gates', '', ...mdTable(STEP_HEADER, steps.map(stepRow)), '');
    for (const s of differing) out.push(`### ${s.id}`, '', ...mdTable(STEP_HEADER, s.steps.map(stepRow)), '');
  }
  const blockers = blockerLines(plan);
  if (blockers.length > 0) out.push('## Blockers', '', ...blockers.map((b) => `- ${b}`), '');
  if (plan.findings.length > 0)
    out.push(
      '## Findings',
      '',
      ...plan.findings.map(
        (f) => `- **${f.severity}** \`${f.code}\`: ${f.message}${f.at === undefined ? '' : ` (${f.at})`}`,
      ),
      '',
    );
  return `${out.join('\n').trimEnd()}\n`;
}
