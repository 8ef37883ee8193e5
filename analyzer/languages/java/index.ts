/**
 * The Java language plug-in: web-tree-sitter parse per file (cached by content hash; on a worker pool for large
 * estates), then service linking.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import type { Finding } from '../../model.ts';
import type { LanguagePlugin, SourceFile } from '../types.ts';
import { extractJavaFacts } from './extract.ts';
import type { JavaFileFacts } from './facts.ts';
import { linkJavaService, type LocatedFacts } from './link.ts';
import { getJavaParser } from './parser.ts';
import { createJavaPool, type JavaPool } from './pool.ts';

let pool: JavaPool | undefined;

async function extractAll(files: readonly SourceFile[], workers: boolean): Promise<JavaFileFacts[]> {
  if (files.length === 0) return [];
  if (workers) {
    pool ??= createJavaPool();
    return pool.extract(files.map((f) => f.text));
  }
  const parser = await getJavaParser();
  return files.map((f) => extractJavaFacts(parser, f.text));
}

export const javaPlugin: LanguagePlugin = {
  id: 'java',
  extensions: ['.java'],
  isolated: true,
  detect(serviceRoot) {
    return ['pom.xml', 'build.gradle', 'build.gradle.kts'].some((f) => existsSync(join(serviceRoot, f)));
  },
  async analyze(service, files, context) {
    context.signal?.throwIfAborted();
    const cached = files.map((file) => context.cache?.get('java', file.hash) as JavaFileFacts | undefined);
    const misses = files.filter((_, i) => cached[i] === undefined);
    const extracted = await extractAll(misses, context.workers === true);
    context.signal?.throwIfAborted();
    const located: LocatedFacts[] = [];
    const findings: Finding[] = [];
    let next = 0;
    files.forEach((file, i) => {
      let facts = cached[i];
      if (facts === undefined) {
        facts = extracted[next++]!;
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
    });
    const analysis = linkJavaService(located);
    analysis.findings.push(...findings);
    for (const f of analysis.findings) f.service ??= service.id;
    return analysis;
  },
  async dispose() {
    const current = pool;
    pool = undefined;
    await current?.close();
  },
};
