/** The Java language plug-in: web-tree-sitter parse per file (cached by content hash), then service linking. */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../model.ts';
import type { LanguagePlugin } from '../types.ts';
import { extractJavaFacts } from './extract.ts';
import type { JavaFileFacts } from './facts.ts';
import { linkJavaService, type LocatedFacts } from './link.ts';
import { getJavaParser } from './parser.ts';

export const javaPlugin: LanguagePlugin = {
  id: 'java',
  extensions: ['.java'],
  detect(serviceRoot) {
    return ['pom.xml', 'build.gradle', 'build.gradle.kts'].some((f) => existsSync(join(serviceRoot, f)));
  },
  async analyze(service, files, context) {
    const parser = await getJavaParser();
    const located: LocatedFacts[] = [];
    const findings: Finding[] = [];
    for (const file of files) {
      context.signal?.throwIfAborted();
      let facts = context.cache?.get('java', file.hash) as JavaFileFacts | undefined;
      if (facts === undefined) {
        facts = extractJavaFacts(parser, file.text);
        context.cache?.set('java', file.hash, facts);
      }
      for (const error of facts.errors) {
        findings.push({
          severity: 'warning',
          code: 'java-parse-error',
          message: `syntax error near \`${error.excerpt.slice(0, 80)}\`; analysis of this file may be incomplete`,
          file: file.path,
          line: error.line,
          column: error.column,
          service: service.id,
        });
      }
      located.push({ path: file.path, facts });
    }
    const analysis = linkJavaService(located);
    analysis.findings.push(...findings);
    for (const f of analysis.findings) f.service ??= service.id;
    return analysis;
  },
};
