/**
 * The TypeScript/JavaScript language plug-in (ts-morph): express/fastify routes and the effects of pg, nats,
 * kafkajs, ioredis, fetch/undici/axios, process.env, Date, Math.random/crypto, console/pino, fs,
 * child_process, worker_threads and native addons. One in-memory ts-morph Project per service; each file is
 * parsed once and its facts cached by content hash.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { Project, ts } from 'ts-morph';
import { isExcludedSource } from '../../discover.ts';
import type { Finding } from '../../model.ts';
import { applyRedisMode } from '../redis-mode.ts';
import type { LanguagePlugin, SourceFile } from '../types.ts';
import { createEmptyFacts, extractTsFile, type TsEffect, type TsFileFacts } from './extract.ts';
import { applyProtoServices, readProtoServices } from './grpc-proto.ts';
import { linkTsService, type LocatedTsFacts } from './link.ts';
import { resolveRelative } from './modules.ts';
import { getNativeReason } from './native.ts';

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'] as const;
const SERVER_FRAMEWORKS = ['express', 'fastify', 'koa', '@nestjs/core', '@hapi/hapi', '@grpc/grpc-js'];

/** Files the plug-in skips: declarations, tests, fixtures, build output and dependencies. */
function isAnalyzable(path: string, serviceRoot: string): boolean {
  // relative to the service: a service that itself lives under `e2e/` or `test/` is still analyzed
  const relative =
    serviceRoot === '.' || !path.startsWith(`${serviceRoot}/`) ? path : path.slice(serviceRoot.length + 1);
  return !isExcludedSource(relative) && !relative.split('/').includes('node_modules');
}

/** Per file, the kinds of the names it imports from files of the service that export a known value. */
function getImportedKinds(located: readonly LocatedTsFacts[]): Map<string, Map<string, string>> {
  const paths = new Set(located.map((l) => l.path));
  const byPath = new Map(located.map((l) => [l.path, l.facts.module]));
  const exportKind = (file: string, name: string, hops: number): string | undefined => {
    const module = byPath.get(file);
    if (module === undefined || hops > 8) return undefined;
    const kind = module.exportKinds[name];
    if (kind !== undefined) return kind;
    const re = module.reexports[name];
    const reTarget = re === undefined ? undefined : resolveRelative(file, re.spec, paths);
    if (re !== undefined && reTarget !== undefined) return exportKind(reTarget, re.name, hops + 1);
    const local = module.exports[name];
    const imported = local === undefined ? undefined : module.imports[local];
    const target = imported === undefined ? undefined : resolveRelative(file, imported.spec, paths);
    return imported !== undefined && target !== undefined
      ? exportKind(target, imported.name, hops + 1)
      : undefined;
  };
  const result = new Map<string, Map<string, string>>();
  for (const { path, facts } of located) {
    const injected = new Map<string, string>();
    for (const [local, ref] of Object.entries(facts.module.imports)) {
      const target = resolveRelative(path, ref.spec, paths);
      const kind = target === undefined ? undefined : exportKind(target, ref.name, 0);
      if (kind !== undefined) injected.set(local, kind);
    }
    if (injected.size > 0) result.set(path, injected);
  }
  return result;
}

/** One `native` effect per import of a native addon package. */
function getNativeEffects(
  facts: TsFileFacts,
  roots: readonly string[],
  imported: ReadonlySet<string>,
): TsEffect[] {
  const seen = new Set<string>();
  const effects: TsEffect[] = [];
  for (const p of facts.module.packages) {
    const key = `${p.name}:${p.line}`;
    if (seen.has(key)) continue;
    seen.add(key);
    const reason = getNativeReason(p.name, roots, imported);
    if (reason !== undefined)
      effects.push({
        line: p.line,
        column: p.column,
        excerpt: p.excerpt,
        pos: 0,
        kind: 'native',
        detail: { summary: `native addon ${p.name} (${reason})`, api: 'import' },
      });
  }
  return effects;
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
    const texts = new Map<string, SourceFile>();
    let project: Project | undefined;
    const extract = (file: SourceFile, injected?: ReadonlyMap<string, string>): TsFileFacts => {
      const key = injected === undefined ? file.hash : `${file.hash}:${JSON.stringify([...injected].sort())}`;
      const cached = context.cache?.get('typescript', key) as TsFileFacts | undefined;
      if (cached !== undefined) return cached;
      project ??= createServiceProject();
      const sf = project.createSourceFile(`/${file.path}`, file.text, {
        overwrite: true,
        scriptKind: scriptKind(file.path),
      });
      let facts: TsFileFacts;
      try {
        facts = extractTsFile(sf.compilerNode, injected);
      } catch (error) {
        facts = createEmptyFacts();
        facts.errors.push({
          line: 1,
          column: 1,
          message: `cannot analyze: ${error instanceof Error ? error.message : String(error)}`,
        });
      }
      // The facts are all we keep; drop the tree so large services do not hold every AST at once.
      project.removeSourceFile(sf);
      context.cache?.set('typescript', key, facts);
      return facts;
    };
    for (const file of files) {
      context.signal?.throwIfAborted();
      if (!isAnalyzable(file.path, service.root)) continue;
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
      texts.set(file.path, file);
      located.push({ path: file.path, facts: extract(file) });
    }
    // Second pass: files that use a client, pool or router another file of the service makes.
    for (const [path, injected] of getImportedKinds(located)) {
      const file = texts.get(path);
      const at = located.findIndex((l) => l.path === path);
      if (file !== undefined && at >= 0) located[at] = { path, facts: extract(file, injected) };
    }
    for (const { path, facts } of located)
      for (const error of facts.errors)
        findings.push({
          severity: 'warning',
          code: 'ts-parse-error',
          message: `${error.message}; analysis of this file may be incomplete`,
          file: path,
          line: error.line,
          column: error.column,
          service: service.id,
        });
    const roots = [service.absRoot, context.estateRoot];
    const imported = new Set(located.flatMap((l) => l.facts.module.packages.map((p) => p.name)));
    const withNative = located.map(({ path, facts }) => ({
      path,
      facts: { ...facts, effects: [...facts.effects, ...getNativeEffects(facts, roots, imported)] },
    }));
    const linked = linkTsService(withNative);
    const { effects } = linked;
    const endpoints = linked.endpoints.some((e) => e.method === 'GRPC')
      ? applyProtoServices(linked.endpoints, readProtoServices([service.absRoot]))
      : linked.endpoints;
    const redisMode = applyRedisMode(effects);
    if (redisMode !== undefined) findings.push({ ...redisMode, service: service.id });
    return Promise.resolve({ endpoints, effects, types: [], beans: [], findings });
  },
};
