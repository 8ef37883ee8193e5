/** One self-contained HTML file: the service graph as inline SVG, readiness and the effects table. */
import { TARGETS } from '../../shared/catalog.ts';
import type { Estate } from '../model.ts';
import { countKinds, formatSite } from './common.ts';

const esc = (text: string): string =>
  text.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;');
const COLORS = { http: '#2563eb', message: '#9333ea', sql: '#059669', kv: '#d97706' } as const;
const LEVEL = { ready: '#16a34a', 'port-needed': '#d97706', blocked: '#dc2626' } as const;

/** How a service box is drawn; other reports (the plan) colour the same graph their own way. */
export interface GraphStyle {
  service?: (id: string) => { fill: string; stroke: string; label?: string } | undefined;
}

/** The service graph as inline SVG: services on top, infra below, edges coloured by kind. */
export function renderGraphSvg(estate: Estate, style: GraphStyle = {}): string {
  const width = 1200;
  const services = estate.services.map((s) => s.id);
  const unresolved = estate.edges.some((e) => e.to === null);
  const infra = [...estate.infra.map((n) => n.id), ...(unresolved ? ['(unresolved)'] : [])];
  const pos = new Map<string, { x: number; y: number }>();
  const place = (ids: string[], y: number): void =>
    ids.forEach((id, i) => pos.set(id, { x: ((i + 0.5) * width) / Math.max(ids.length, 1), y }));
  place(services, 90);
  place(infra, 330);
  const box = (id: string, kind: 'service' | 'infra'): string => {
    const p = pos.get(id)!;
    const custom = kind === 'service' ? style.service?.(id) : undefined;
    const fill = custom?.fill ?? (kind === 'service' ? '#eff6ff' : '#f0fdf4');
    const stroke = custom?.stroke ?? (kind === 'service' ? '#1d4ed8' : '#15803d');
    const label =
      custom?.label === undefined
        ? ''
        : `<text x="${p.x}" y="${p.y + 16}" text-anchor="middle" font-size="12" font-family="sans-serif" fill="${stroke}">${esc(custom.label)}</text>`;
    const textY = label === '' ? p.y + 5 : p.y - 2;
    return `<g><rect x="${p.x - 90}" y="${p.y - 24}" width="180" height="48" rx="10" fill="${fill}" stroke="${stroke}" stroke-width="2"/><text x="${p.x}" y="${textY}" text-anchor="middle" font-size="15" font-family="sans-serif">${esc(id)}</text>${label}</g>`;
  };
  const lines = estate.edges.map((e, i) => {
    const a = pos.get(e.from)!;
    const b = pos.get(e.to ?? '(unresolved)')!;
    const sameRow = Math.abs(a.y - b.y) < 1;
    const y1 = sameRow ? a.y - 24 : a.y + 24;
    const y2 = sameRow ? b.y - 24 : b.y - 24;
    const midY = sameRow ? a.y - 70 - (i % 3) * 8 : (y1 + y2) / 2;
    const color = COLORS[e.kind];
    const dash = e.to === null ? ' stroke-dasharray="6 4"' : '';
    return `<path d="M ${a.x} ${y1} Q ${(a.x + b.x) / 2} ${midY} ${b.x} ${y2}" fill="none" stroke="${color}" stroke-width="2"${dash} marker-end="url(#arrow-${e.kind})"/><text x="${(a.x + b.x) / 2}" y="${midY + (sameRow ? 18 : -4)}" text-anchor="middle" font-size="12" font-family="sans-serif" fill="${color}">${esc(e.kind)}: ${esc(e.detail.length > 40 ? `${e.detail.slice(0, 37)}...` : e.detail)}</text>`;
  });
  const markers = Object.entries(COLORS).map(
    ([k, c]) =>
      `<marker id="arrow-${k}" viewBox="0 0 10 10" refX="10" refY="5" markerWidth="8" markerHeight="8" orient="auto-start-reverse"><path d="M 0 0 L 10 5 L 0 10 z" fill="${c}"/></marker>`,
  );
  return `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${width} 380" width="100%" role="img" aria-label="service graph"><defs>${markers.join('')}</defs>${lines.join('')}${services.map((s) => box(s, 'service')).join('')}${infra.map((s) => box(s, 'infra')).join('')}</svg>`;
}

export function renderHtml(estate: Estate): string {
  const summary = estate.services
    .map(
      (s) =>
        `<tr><td>${esc(s.id)}</td><td>${esc(`${s.language}/${s.framework}`)}</td><td>${s.endpoints.length}</td><td>${esc(
          countKinds(s)
            .map(([k, n]) => `${k} ${n}`)
            .join(', '),
        )}</td>${TARGETS.map((t) => `<td style="color:${LEVEL[s.readiness[t].level]}">${s.readiness[t].level} ${s.readiness[t].score}</td>`).join('')}</tr>`,
    )
    .join('');
  const effects = estate.services
    .flatMap((s) =>
      s.effects.map(
        (e) =>
          `<tr><td>${esc(s.id)}</td><td>${e.kind}</td><td>${esc(e.detail.summary)}</td><td><code>${esc(formatSite(e.site))}</code><br><small><code>${esc(e.site.excerpt ?? '')}</code></small></td><td>${esc(e.via.map((v) => v.symbol).join(' → '))}</td></tr>`,
      ),
    )
    .join('');
  const blockers = estate.services
    .flatMap((s) =>
      TARGETS.flatMap((t) =>
        s.readiness[t].blockers.map(
          (b) =>
            `<li><b>${esc(s.id)}</b> on ${t}: ${b.kind} (${b.severity}) ${esc(b.reason)}. <i>Way out:</i> ${esc(b.wayOut)}</li>`,
        ),
      ),
    )
    .join('');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>migrate analyze: ${esc(estate.root)}</title>
<style>body{font-family:system-ui,sans-serif;margin:24px;color:#111}table{border-collapse:collapse;width:100%;margin:12px 0}td,th{border:1px solid #ddd;padding:4px 8px;text-align:left;vertical-align:top;font-size:13px}th{background:#f3f4f6}code{font-size:12px}h1{font-size:22px}</style></head>
<body><h1>Estate ${esc(estate.root)}</h1><p>${estate.services.length} services, ${estate.stats.files} files, ${estate.edges.length} edges, ${estate.findings.length} findings.</p>
<h2>Service graph</h2>${renderGraphSvg(estate)}
<h2>Services</h2><table><tr><th>service</th><th>language</th><th>endpoints</th><th>effects</th>${TARGETS.map((t) => `<th>${t}</th>`).join('')}</tr>${summary}</table>
${blockers === '' ? '' : `<h2>Blockers</h2><ul>${blockers}</ul>`}
<h2>Effects</h2><table><tr><th>service</th><th>kind</th><th>detail</th><th>site</th><th>via</th></tr>${effects}</table>
</body></html>
`;
}
