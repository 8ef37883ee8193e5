/** Reporters: pure `(estate) => string`, one per format. */
import type { Estate } from '../model.ts';
import { renderHtml } from './html.ts';
import { renderJson } from './json.ts';
import { renderMarkdown } from './markdown.ts';
import { renderSarif } from './sarif.ts';
import { renderText } from './text.ts';

export const REPORT_FORMATS = ['text', 'json', 'markdown', 'html', 'sarif'] as const;
export type ReportFormat = (typeof REPORT_FORMATS)[number];

export const reporters: Readonly<Record<ReportFormat, (estate: Estate) => string>> = {
  text: renderText,
  json: renderJson,
  markdown: renderMarkdown,
  html: renderHtml,
  sarif: (estate) => renderSarif(estate),
};
