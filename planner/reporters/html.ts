/** One self-contained HTML page of the plan: the analyzer's service graph with the waves coloured, and the tables. */
import { renderGraphSvg, type Estate } from '../../analyzer/index.ts';
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

const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');

/** Wave colours (fill, stroke), cycling past six waves. */
const WAVE_COLORS = [
  ['#dcfce7', '#15803d'],
  ['#dbeafe', '#1d4ed8'],
  ['#fef3c7', '#b45309'],
  ['#f3e8ff', '#7e22ce'],
  ['#ffe4e6', '#be123c'],
  ['#cffafe', '#0e7490'],
] as const;
const STAYS = ['#f3f4f6', '#6b7280'] as const;

const waveColor = (wave: number | null): readonly [string, string] =>
  wave === null ? STAYS : WAVE_COLORS[(wave - 1) % WAVE_COLORS.length]!;

const htmlTable = (header: readonly string[], rows: readonly string[][]): string =>
  `<table><tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>${rows.map((r) => `<tr>${r.map((c) => `<td>${esc(c)}</td>`).join('')}</tr>`).join('')}</table>`;

export function renderPlanHtml(plan: Plan, estate: Estate): string {
  const waves = groupWaves(plan);
  const byId = new Map(plan.services.map((s) => [s.id, s]));
  const graph = renderGraphSvg(estate, {
    service: (id) => {
      const s = byId.get(id);
      if (s === undefined) return undefined;
      const [fill, stroke] = waveColor(s.wave);
      return { fill, stroke, label: s.wave === null ? 'stays in container' : `wave ${s.wave} → ${s.target}` };
    },
  });
  const legend = [
    ...waves.map((w) => {
      const [fill, stroke] = waveColor(w.wave);
      return `<span class="chip" style="background:${fill};border-color:${stroke}">wave ${w.wave}</span>`;
    }),
    ...(plan.services.some((s) => !s.include)
      ? [
          `<span class="chip" style="background:${STAYS[0]};border-color:${STAYS[1]}">stays in its container</span>`,
        ]
      : []),
  ].join(' ');
  const end = waves.reduce((max, w) => Math.max(max, w.startMs + w.durationMs), 0) || 1;
  const timeline = waves
    .map((w) => {
      const [fill, stroke] = waveColor(w.wave);
      const left = (w.startMs / end) * 100;
      const width = Math.max(1, (w.durationMs / end) * 100);
      return `<div class="lane"><span class="lane-label">wave ${w.wave}</span><div class="track"><div class="bar" style="left:${left}%;width:${width}%;background:${fill};border-color:${stroke}">${esc(`${formatDuration(w.startMs)} → ${formatDuration(w.startMs + w.durationMs)}: ${w.services.map((s) => s.id).join(', ')}`)}</div></div></div>`;
    })
    .join('');
  const included = plan.services.filter((s) => s.include);
  const { steps, differing } = commonSteps(plan);
  const blockers = blockerLines(plan);
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>migrate plan: ${esc(plan.estate)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;width:100%;margin:12px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}th{background:#f3f4f6}h1{font-size:22px}.chip{display:inline-block;border:2px solid;border-radius:8px;padding:2px 10px;margin-right:6px;font-size:13px}.lane{display:flex;align-items:center;margin:6px 0}.lane-label{width:70px;font-size:13px}.track{position:relative;flex:1;height:28px;background:#fafafa;border:1px solid #eee}.bar{position:absolute;top:2px;bottom:2px;border:2px solid;border-radius:6px;font-size:12px;padding:2px 6px;overflow:hidden;white-space:nowrap;box-sizing:border-box}</style></head>
<body><h1>Migration plan: ${esc(plan.estate)}</h1><p>${included.length} of ${plan.services.length} services in ${waves.length} wave(s), ${totalPoints(plan)} story points. Choices: ${esc(plan.basis.answers)}.</p>
<h2>Service graph by wave</h2><p>${legend}</p>${graph}
<h2>Waves</h2>${htmlTable(
    ['wave', 'service', 'target', 'readiness', 'effort', 'steps', 'why'],
    plan.services.map((s) => [
      s.wave === null ? '-' : String(s.wave),
      s.id,
      s.include ? `${s.target}${s.allowBlocked === true ? ' (override)' : ''}` : 'stays in its container',
      s.include ? readinessLabel(s) : '-',
      s.include ? `${s.effort.points} pts` : '-',
      s.include ? formatStepList(s.steps) : '-',
      s.include ? `${s.waveReason}. Target: ${s.targetReason}` : s.includeReason,
    ]),
  )}
<h2>Timeline</h2><p>Hold times when every gate passes at once; a gate waiting for samples takes longer.</p>${timeline}
<h2>Bindings</h2><p>Secrets are named by reference; the plan never holds their values.</p>${htmlTable(
    ['service', 'binding or secret'],
    included.flatMap((s) => [
      ...s.bindings.map((b) => [s.id, bindingLabel(b)]),
      ...s.secrets.map((x) => [s.id, `secret ${x.name} ← ${x.ref} (${x.source})`]),
    ]),
  )}
<h2>Effort</h2>${htmlTable(
    ['service', 'points', 'basis', 'formula'],
    included.map((s) => [s.id, String(s.effort.points), s.effort.basis, s.effort.formula]),
  )}
${steps.length === 0 ? '' : `<h2>Steps and gates</h2>${htmlTable(STEP_HEADER, steps.map(stepRow))}${differing.map((s) => `<h3>${esc(s.id)}</h3>${htmlTable(STEP_HEADER, s.steps.map(stepRow))}`).join('')}`}
${blockers.length === 0 ? '' : `<h2>Blockers</h2><ul>${blockers.map((b) => `<li>${esc(b)}</li>`).join('')}</ul>`}
${plan.findings.length === 0 ? '' : `<h2>Findings</h2><ul>${plan.findings.map((f) => `<li><b>${f.severity}</b> ${esc(f.code)}: ${esc(f.message)}${f.at === undefined ? '' : ` <code>${esc(f.at)}</code>`}</li>`).join('')}</ul>`}
</body></html>
`;
}
