/** The plan for a terminal: the waves as a table, a timeline, bindings, effort, steps, blockers, findings. */
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

function table(rows: string[][], indent = ''): string[] {
  if (rows.length === 0) return [];
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => (r[i] ?? '').length)));
  return rows.map((r) =>
    `${indent}${r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')}`.trimEnd(),
  );
}

const BAR_WIDTH = 40;

/** The header, the waves table and the timeline: what a person sees before accepting a plan. */
export function renderPlanSummary(plan: Plan): string {
  const waves = groupWaves(plan);
  const included = plan.services.filter((s) => s.include);
  const excluded = plan.services.filter((s) => !s.include);
  const out: string[] = [
    `Plan for ${plan.estate}: ${included.length} of ${plan.services.length} services in ${waves.length} wave(s), ${totalPoints(plan)} story points`,
    `basis: analysis ${plan.basis.analysis}; effort from ${plan.basis.portReports.length > 0 ? `port reports (${plan.basis.portReports.join(', ')}), others estimated from the analysis` : 'the analysis (no port report given)'}; choices: ${plan.basis.answers}`,
    '',
  ];
  const rows = [['WAVE', 'SERVICE', 'TARGET', 'READINESS', 'EFFORT', 'STEPS', 'AFTER']];
  for (const s of [...included, ...excluded])
    rows.push([
      s.wave === null ? '-' : String(s.wave),
      s.id,
      s.include ? `${s.target}${s.allowBlocked === true ? ' (override)' : ''}` : 'stays',
      s.include ? readinessLabel(s) : '-',
      s.include ? `${s.effort.points} pts` : '-',
      s.include ? formatStepList(s.steps) : '-',
      s.dependsOn
        .map((d) => `${d.service}${included.some((i) => i.id === d.service) ? '' : ' (stays)'}`)
        .join(', ') || '-',
    ]);
  out.push(...table(rows), '');

  const end = waves.reduce((max, w) => Math.max(max, w.startMs + w.durationMs), 0);
  out.push('Timeline (hold times when every gate passes at once; a gate waiting for samples takes longer):');
  const scale = (ms: number): number => (end === 0 ? 0 : Math.round((ms / end) * BAR_WIDTH));
  if (waves.length === 0) out.push('  (no service moves)');
  out.push(
    ...table(
      waves.map((w) => {
        const from = scale(w.startMs);
        const to = Math.max(from + 1, scale(w.startMs + w.durationMs));
        const bar = `${' '.repeat(from)}${'█'.repeat(to - from)}`.padEnd(BAR_WIDTH);
        return [
          `wave ${w.wave}`,
          `${formatDuration(w.startMs)} → ${formatDuration(w.startMs + w.durationMs)}`,
          `|${bar}|`,
          w.services.map((s) => s.id).join(', '),
        ];
      }),
      '  ',
    ),
  );
  return `${out.join('\n').trimEnd()}\n`;
}

export function renderPlanText(plan: Plan): string {
  const included = plan.services.filter((s) => s.include);
  const out: string[] = [renderPlanSummary(plan)];
  out.push('Why:');
  for (const s of plan.services) {
    out.push(`  ${s.id}`);
    if (s.include) {
      out.push(`    wave ${s.wave}: ${s.waveReason}`);
      out.push(`    target ${s.target}: ${s.targetReason}`);
    } else out.push(`    not moved: ${s.includeReason}`);
  }
  out.push('');

  out.push('Bindings (secrets by reference only):');
  for (const s of included) {
    const lines = [
      ...s.bindings.map(bindingLabel),
      ...s.secrets.map((x) => `secret ${x.name} ← ${x.ref}  [${x.source}]`),
    ];
    out.push(`  ${s.id}${lines.length === 0 ? '  (none)' : ''}`, ...lines.map((l) => `    ${l}`));
  }
  out.push('');

  out.push('Effort (story points):');
  for (const s of included)
    out.push(`  ${s.id}  ${s.effort.points} pts from the ${s.effort.basis}: ${s.effort.formula}`);
  out.push('');

  const { steps, differing } = commonSteps(plan);
  if (steps.length > 0) {
    out.push(`Steps and gates${differing.length > 0 ? ' (most services)' : ''}:`);
    out.push(...table([STEP_HEADER, ...steps.map(stepRow)], '  '));
    for (const s of differing)
      out.push(`  ${s.id}:`, ...table([STEP_HEADER, ...s.steps.map(stepRow)], '    '));
    out.push('');
  }

  const blockers = blockerLines(plan);
  if (blockers.length > 0) out.push('Blockers:', ...blockers.map((b) => `  ${b}`), '');
  if (plan.findings.length > 0)
    out.push(
      'Findings:',
      ...plan.findings.map(
        (f) => `  ${f.severity} ${f.code}: ${f.message}${f.at === undefined ? '' : ` [${f.at}]`}`,
      ),
      '',
    );
  return `${out.join('\n').trimEnd()}\n`;
}
