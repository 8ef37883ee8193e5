/** Reporters of a verify result: pure `(result) => string`, one per format. */
import type { FieldDifference } from './json-pointer.ts';
import type { Mismatch, Observation, VerifyResult } from './model.ts';

export const VERIFY_FORMATS = ['text', 'json', 'html'] as const;
export type VerifyFormat = (typeof VERIFY_FORMATS)[number];

const MAX_VALUE = 160;

function short(value: unknown): string {
  const text = value === undefined ? '(absent)' : JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

function answer(o: Observation): string {
  if (o.status === 0) return `no answer (${o.error ?? 'failed'})`;
  return `${o.status} ${o.contentType || '(no content type)'} ${short(o.body)}`;
}

function differenceLine(d: FieldDifference): string {
  return `${d.pointer || '/'}: legacy ${short(d.legacy)}, component ${short(d.component)}`;
}

function requestLine(m: Mismatch): string {
  const body = m.request.body ?? (m.request.bodyBase64 === undefined ? '' : '(binary body)');
  return `${m.request.method} ${m.request.path}${body === '' ? '' : ` ${short(body)}`}`;
}

/** Text for people: a summary, then each unexplained mismatch with the request, both answers and the fields. */
export function renderText(result: VerifyResult): string {
  const lines: string[] = [];
  const verdict = result.passed ? 'EQUIVALENT' : result.requests === 0 ? 'NOTHING VERIFIED' : 'DIFFERENT';
  lines.push(`verify ${result.service}: ${verdict}`);
  lines.push(`  legacy    ${result.legacy}`);
  lines.push(`  component ${result.component}`);
  lines.push(
    `  ${result.requests} requests, ${result.matched} equal, ${result.mismatches.length} with unexplained differences; ` +
      `${result.explainedDifferences} differences explained by noise (learned from ${result.noiseSource === 'twin' ? 'a twin legacy instance' : 'a second legacy call'})`,
  );
  for (const m of result.mismatches) {
    lines.push(
      '',
      `MISMATCH ${m.request.id} ${m.request.description} [${m.request.kind}, ${m.request.origin}]`,
    );
    lines.push(`  request   ${requestLine(m)}`);
    lines.push(`  legacy    ${answer(m.legacy)}`);
    lines.push(`  component ${answer(m.component)}`);
    for (const d of m.differences) lines.push(`  differs   ${differenceLine(d)}`);
  }
  const learned = result.noise.filter((n) => n.explained > 0);
  if (learned.length > 0) {
    lines.push('', 'noise (explained differences per field):');
    for (const n of learned)
      lines.push(
        `  ${n.explained}\t${n.source === 'ignored' || n.source === 'unordered' ? n.source : n.operation} ${n.pattern}`,
      );
  }
  if (result.notes.length > 0) lines.push('', 'notes:', ...result.notes.map((n) => `  ${n}`));
  return `${lines.join('\n')}\n`;
}

/** One versioned JSON document. */
export function renderJson(result: VerifyResult): string {
  return `${JSON.stringify(result, null, 2)}\n`;
}

function escapeHtml(text: string): string {
  return text
    .replaceAll('&', '&amp;')
    .replaceAll('<', '&lt;')
    .replaceAll('>', '&gt;')
    .replaceAll('"', '&quot;');
}

/** A self-contained HTML page. */
export function renderHtml(result: VerifyResult): string {
  const e = escapeHtml;
  const rows = result.mismatches
    .map(
      (m) => `<section><h2>${e(m.request.id)} ${e(m.request.description)}</h2>
<p><code>${e(requestLine(m))}</code> <small>${e(m.request.kind)}, ${e(m.request.origin)}</small></p>
<table><tr><th>legacy</th><td><code>${e(answer(m.legacy))}</code></td></tr>
<tr><th>component</th><td><code>${e(answer(m.component))}</code></td></tr></table>
<table><tr><th>field (JSON pointer)</th><th>legacy</th><th>component</th></tr>
${m.differences.map((d) => `<tr><td><code>${e(d.pointer || '/')}</code></td><td><code>${e(short(d.legacy))}</code></td><td><code>${e(short(d.component))}</code></td></tr>`).join('\n')}
</table></section>`,
    )
    .join('\n');
  const noise = result.noise
    .filter((n) => n.explained > 0)
    .map(
      (n) =>
        `<tr><td>${e(n.source === 'ignored' || n.source === 'unordered' ? n.source : n.operation)}</td><td><code>${e(n.pattern)}</code></td><td>${n.explained}</td></tr>`,
    )
    .join('\n');
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>verify ${e(result.service)}</title>
<style>body{font:14px system-ui,sans-serif;margin:2em;max-width:70em}table{border-collapse:collapse;margin:.5em 0}td,th{border:1px solid #ccc;padding:.2em .5em;text-align:left;vertical-align:top}code{white-space:pre-wrap;word-break:break-all}.ok{color:#060}.bad{color:#a00}</style>
</head><body>
<h1>verify ${e(result.service)}: <span class="${result.passed ? 'ok' : 'bad'}">${result.passed ? 'equivalent' : 'different'}</span></h1>
<p>legacy <code>${e(result.legacy)}</code>, component <code>${e(result.component)}</code>. ${result.requests} requests, ${result.matched} equal, ${result.mismatches.length} with unexplained differences, ${result.explainedDifferences} differences explained by noise (${result.noiseSource}).</p>
${rows}
<h2>Noise</h2><table><tr><th>operation</th><th>field</th><th>explained</th></tr>
${noise}
</table>
${result.notes.length === 0 ? '' : `<h2>Notes</h2><ul>${result.notes.map((n) => `<li>${e(n)}</li>`).join('')}</ul>`}
</body></html>
`;
}

export const verifyReporters: Record<VerifyFormat, (result: VerifyResult) => string> = {
  text: renderText,
  json: renderJson,
  html: renderHtml,
};
