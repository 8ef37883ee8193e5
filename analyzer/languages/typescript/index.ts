/**
 * The TypeScript/JavaScript language plug-in (ts-morph): express/fastify routes and the effects of pg, nats,
 * kafkajs, ioredis, fetch/undici/axios, process.env, Date, Math.random/crypto, console/pino, fs,
 * child_process, worker_threads and native addons. One in-memory ts-morph Project per service; each file is
 * parsed once and its facts cached by content hash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import type { Finding } from '../../model.ts';
import { applyRedisMode } from '../redis-mode.ts';
import type { LanguagePlugin } from '../types.ts';
import { extractTsFile, type TsFileFacts } from './extract.ts';
import { linkTsService, type LocatedTsFacts } from './link.ts';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
const SERVER_FRAMEWORKS = ['express', 'fastify', 'koa', '@nestjs/core'];

/** Files the plug-in skips: declarations, tests, build output and dependencies. */
function isAnalyzable(path: string): boolean {
  if (/\.d\.[mc]?ts$/.test(path)) return false;
  if (/\.(test|spec)\.[mc]?[jt]sx?$/.test(path)) return false;
  return !path
    .split('/')
    .some((s) => s === 'node_modules' || s === 'dist' || s === 'build' || s === 'coverage');
}

function scriptKind(path: string): ts.ScriptKind {
  if (path.endsWith('.tsx')) return ts.ScriptKind.TSX;
  if (path.endsWith('.jsx')) return ts.ScriptKind.JSX;
  if (/\.[mc]?js$/.test(path)) return ts.ScriptKind.JS;
  return ts.ScriptKind.TS;
}

function createServiceProject(): Project {
  return new Project({
    useInMemoryFileSystem: true,
    skipLoadingLibFiles: true,
    skipFileDependencyResolution: true,
    compilerOptions: { allowJs: true, noLib: true, target: ts.ScriptTarget.ES2023 },
  });
}

function isLikelyBinary(text: string): boolean {
  return text.slice(0, 8000).includes('\u0000');
}

export const typescriptPlugin: LanguagePlugin = {
  id: 'typescript',
  extensions: EXTENSIONS,
  detect(serviceRoot) {
    const pkg = join(serviceRoot, 'package.json');
    if (!existsSync(pkg)) return false;
    try {
      const json = JSON.parse(readFileSync(pkg, 'utf8')) as Record<
        string,
        Record<string, string> | undefined
      >;
      const deps = { ...json['dependencies'], ...json['devDependencies'] };
      return SERVER_FRAMEWORKS.some((f) => f in deps);
    } catch {
      return false;
    }
  },
  analyze(service, files, context) {
    const findings: Finding[] = [];
    const located: LocatedTsFacts[] = [];
    let project: Project | undefined;
    for (const file of files) {
      context.signal?.throwIfAborted();
      if (!isAnalyzable(file.path)) continue;
      if (isLikelyBinary(file.text)) {
        findings.push({
          severity: 'warning',
          code: 'binary-source-file',
          message: 'binary content in a source file; skipped',
          file: file.path,
          line: 1,
          service: service.id,
        });
        continue;
      }
      let facts = context.cache?.get('typescript', file.hash) as TsFileFacts | undefined;
      if (facts === undefined) {
        project ??= createServiceProject();
        const sf = project.createSourceFile(`/${file.path}`, file.text, {
          overwrite: true,
          scriptKind: scriptKind(file.path),
        });
        try {
          facts = extractTsFile(sf.compilerNode);
        } catch (error) {
          facts = {
            routes: [],
            effects: [],
            functions: [],
            errors: [
              {
                line: 1,
                column: 1,
                message: `cannot analyze: ${error instanceof Error ? error.message : String(error)}`,
              },
            ],
          };
        }
        // The facts are all we keep; drop the tree so large services do not hold every AST at once.
        project.removeSourceFile(sf);
        context.cache?.set('typescript', file.hash, facts);
      }
      for (const error of facts.errors)
        findings.push({
          severity: 'warning',
          code: 'ts-parse-error',
          message: `${error.message}; analysis of this file may be incomplete`,
          file: file.path,
          line: error.line,
          column: error.column,
          service: service.id,
        });
      located.push({ path: file.path, facts });
    }
    const { endpoints, effects } = linkTsService(located);
    const redisMode = applyRedisMode(effects);
    if (redisMode !== undefined) findings.push({ ...redisMode, service: service.id });
    return Promise.resolve({ endpoints, effects, types: [], beans: [], findings });
  },
};
