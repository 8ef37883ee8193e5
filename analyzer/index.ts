/**
 * The analyzer's public door: `analyzeEstate(root, options)` reads an estate (source, build files, infra) and
 * returns the Estate model. Read-only except the optional cache dir. Problems in single files become findings;
 * only an unusable root is an error.
 */
import { createHash } from 'node:crypto';
import { readFileSync, statSync, type Stats } from 'node:fs';
import { stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCode } from '../shared/errors.ts';
import { loadDiskCache, type DiskCache } from './cache.ts';
import { discoverServices, getServiceFiles } from './discover.ts';
import { buildEdges, getContainer, getDeployments, getInfraNodes, joinServices } from './graph.ts';
import { loadInfraReaders } from './infra-readers.ts';
import { mergeInfraFacts, type InfraFacts, type InfraReader } from './infra/types.ts';
import { loadLanguagePlugins } from './languages/index.ts';
import type { DiscoveredService, LanguageAnalysis, LanguagePlugin, SourceFile } from './languages/types.ts';
import { ESTATE_SCHEMA_VERSION, type Effect, type Estate, type Finding, type Service } from './model.ts';
import { getCapabilityMap, getPlatformReadiness, getReadiness } from './readiness.ts';
import { walkEstate } from './walk.ts';
import { sortEstate } from './sort.ts';

export type { Estate, Service } from './model.ts';
export { EstateSchema, ESTATE_SCHEMA_VERSION, createEstateJsonSchema } from './model.ts';

export interface AnalyzeOptions {
  /** Also read a live Docker engine (`--docker`). */
  docker?: boolean;
  /** The engine `--docker` reads (`unix:///…`, `tcp://…`); the `DOCKER_HOST` of this process when undefined. */
  dockerHost?: string;
  /** Directory of the cache (file manifest, per-file facts, service analyses); no cache when undefined. */
  cacheDir?: string;
  /** Called with short progress messages (the CLI shows them on a TTY). */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /**
   * Parse on worker threads; by default only when the estate has enough source files to pay for starting them.
   * The result is the same either way.
   */
  workers?: boolean;
  /** Override the plug-ins (tests). */
  languages?: LanguagePlugin[];
  readers?: InfraReader[];
}

const BINARY_SAMPLE = 8000;
/** Estates with fewer source files are parsed in-process: starting workers would cost more than it saves. */
const WORKER_MIN_FILES = 200;
/** Services analyzed at once, so the worker pool always has batches queued. */
const SERVICE_CONCURRENCY = 4;

interface ReadContext {
  root: string;
  service: string;
  findings: Finding[];
  cache: DiskCache | undefined;
  /** Files modified in the same second the run started may change again unseen (coarse mtimes): not trusted. */
  trustBeforeMs: number;
}

function pushReadFinding(ctx: ReadContext, path: string, flag: 'binary' | 'not-utf8'): void {
  ctx.findings.push(
    flag === 'binary'
      ? {
          severity: 'warning',
          code: 'binary-file',
          message: 'binary content in a source file; skipped',
          file: path,
          line: 1,
          service: ctx.service,
        }
      : {
          severity: 'warning',
          code: 'not-utf8',
          message: 'file is not valid UTF-8; invalid bytes replaced',
          file: path,
          line: 1,
          service: ctx.service,
        },
  );
}

/** A source whose text is read only if a plug-in asks for it (its facts are usually cached by hash). */
function createLazySource(abs: string, path: string, hash: string): SourceFile {
  let text: string | undefined;
  return {
    path,
    hash,
    get text(): string {
      text ??= readFileSync(abs).toString('utf8');
      return text;
    },
  };
}

function readSource(ctx: ReadContext, path: string): SourceFile | undefined {
  const abs = join(ctx.root, path);
  let bytes: Buffer;
  let info: Stats | undefined;
  try {
    if (ctx.cache !== undefined) {
      // sync: thousands of tiny stats cost more as thread-pool round trips than they take
      info = statSync(abs);
      const known = ctx.cache.getFile(abs);
      if (known !== undefined && known.size === info.size && known.mtimeMs === info.mtimeMs) {
        if (known.flag !== undefined) pushReadFinding(ctx, path, known.flag);
        return known.flag === 'binary' ? undefined : createLazySource(abs, path, known.hash);
      }
    }
    // sync: small files, and the promise API's open/fstat/read/close round trips cost several times more
    bytes = readFileSync(abs);
  } catch (error) {
    ctx.findings.push({
      severity: 'warning',
      code: 'unreadable-file',
      message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      file: path,
      service: ctx.service,
    });
    return undefined;
  }
  const hash = createHash('sha1').update(bytes).digest('hex');
  let flag: 'binary' | 'not-utf8' | undefined;
  let text = '';
  if (bytes.subarray(0, BINARY_SAMPLE).includes(0)) flag = 'binary';
  else {
    text = bytes.toString('utf8');
    if (text.includes('\uFFFD') && !bytes.includes(Buffer.from('\uFFFD'))) flag = 'not-utf8';
  }
  if (flag !== undefined) pushReadFinding(ctx, path, flag);
  // the size must match what was hashed, else the file changed between stat and read
  if (info !== undefined && info.size === bytes.length && info.mtimeMs < ctx.trustBeforeMs)
    ctx.cache!.setFile(abs, {
      size: info.size,
      mtimeMs: info.mtimeMs,
      hash,
      ...(flag === undefined ? {} : { flag }),
    });
  return flag === 'binary' ? undefined : { path, text, hash };
}

function readSources(ctx: ReadContext, paths: readonly string[]): SourceFile[] {
  const sources: SourceFile[] = [];
  for (const path of paths) {
    const source = readSource(ctx, path);
    if (source !== undefined) sources.push(source);
  }
  return sources;
}

/** Key of a whole service analysis: the plug-in, the service, and every file's path and content hash. */
function getAnalysisKey(
  plugin: LanguagePlugin,
  service: DiscoveredService,
  sources: readonly SourceFile[],
): string {
  const hash = createHash('sha1').update(`${plugin.id}\0${JSON.stringify(service)}\0`);
  for (const source of sources) hash.update(`${source.path}\0${source.hash}\0`);
  return hash.digest('hex');
}

/** Runs `fn` over `items` with at most `limit` in flight. */
async function runLimited<T>(
  items: readonly T[],
  limit: number,
  fn: (item: T) => Promise<void>,
): Promise<void> {
  let next = 0;
  const lane = async (): Promise<void> => {
    while (next < items.length) await fn(items[next++]!);
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, lane));
}

async function readInfra(
  readers: readonly InfraReader[],
  root: string,
  files: readonly string[],
  options: AnalyzeOptions,
): Promise<InfraFacts> {
  const parts = await Promise.all(
    readers.map(async (reader) => {
      try {
        return await reader.read({
          estateRoot: root,
          files,
          docker: options.docker === true,
          ...(options.dockerHost === undefined ? {} : { dockerHost: options.dockerHost }),
          ...(options.signal === undefined ? {} : { signal: options.signal }),
        });
      } catch (error) {
        if (error instanceof AppError && reader.id === 'docker-live') throw error;
        const finding: Finding = {
          severity: 'error',
          code: 'infra-reader-failed',
          message: `${reader.id} reader failed: ${error instanceof Error ? error.message : String(error)}`,
        };
        return { findings: [finding] };
      }
    }),
  );
  return mergeInfraFacts(parts);
}

async function checkRoot(root: string): Promise<void> {
  const info = await stat(root).catch(() => undefined);
  if (info === undefined)
    throw new AppError(ErrorCode.notFound, `estate directory not found: ${root}`, {
      hint: 'pass the directory that holds your services, e.g. `migrate analyze samples/spring-orders`',
    });
  if (!info.isDirectory())
    throw new AppError(ErrorCode.input, `not a directory: ${root}`, {
      hint: 'pass the estate root directory, not a file',
    });
}

export async function analyzeEstate(rootArg: string, options: AnalyzeOptions = {}): Promise<Estate> {
  const root = resolve(rootArg);
  await checkRoot(root);
  const progress = options.onProgress ?? (() => undefined);
  const findings: Finding[] = [];
  progress('listing files');
  const walk = await walkEstate(root);
  findings.push(...walk.findings);
  if (walk.files.length === 0)
    findings.push({
      severity: 'info',
      code: 'empty-estate',
      message: 'the directory has no files',
      file: '.',
    });
  const discovery = await discoverServices(root, walk.files);
  findings.push(...discovery.findings);
  if (discovery.services.length === 0 && walk.files.length > 0) {
    findings.push({
      severity: 'info',
      code: 'no-services',
      message:
        'no service found: no Spring Boot pom.xml/build.gradle and no Node package with a server (express, fastify, koa, nest, hapi, a node:http or @grpc/grpc-js server)',
      file: '.',
    });
  }
  const [plugins, readers] = await Promise.all([
    options.languages ?? loadLanguagePlugins(new Set(discovery.services.map((svc) => svc.language))),
    options.readers ?? loadInfraReaders(),
  ]);
  const infraPromise = readInfra(readers, root, walk.files, options);
  // awaited after the services; until then a failure (Docker unreachable) must not count as unhandled
  void infraPromise.catch(() => undefined);
  const cache: DiskCache | undefined =
    options.cacheDir === undefined ? undefined : loadDiskCache(resolve(options.cacheDir));
  const trustBeforeMs = Math.floor(Date.now() / 1000) * 1000;
  const sourceCount = walk.files.filter((f) =>
    plugins.some((p) => p.extensions.some((e) => f.endsWith(e))),
  ).length;
  const workers = options.workers ?? sourceCount >= WORKER_MIN_FILES;

  const analyses = new Map<string, { analysis: LanguageAnalysis; files: number }>();
  let done = 0;
  const analyzeService = async (service: DiscoveredService): Promise<void> => {
    options.signal?.throwIfAborted();
    const plugin = plugins.find((p) => p.id === service.language);
    if (plugin === undefined) {
      findings.push({
        severity: 'info',
        code: 'language-unsupported',
        message: `no ${service.language} analyzer available`,
        file: service.build.file,
        service: service.id,
      });
      return;
    }
    const paths = getServiceFiles(service, discovery.services, walk.files, plugin.extensions);
    const sources = readSources({ root, service: service.id, findings, cache, trustBeforeMs }, paths);
    const key =
      cache !== undefined && plugin.isolated === true ? getAnalysisKey(plugin, service, sources) : undefined;
    let analysis = key === undefined ? undefined : cache!.getAnalysis(key);
    if (analysis === undefined) {
      analysis = await plugin.analyze(service, sources, {
        estateRoot: root,
        workers,
        ...(cache === undefined ? {} : { cache }),
        ...(options.signal === undefined ? {} : { signal: options.signal }),
      });
      if (key !== undefined) cache!.setAnalysis(key, analysis);
    }
    analyses.set(service.id, { analysis, files: sources.length });
    progress(`analyzed ${service.id} (${++done}/${discovery.services.length})`);
  };
  try {
    await runLimited(discovery.services, SERVICE_CONCURRENCY, analyzeService);
  } finally {
    for (const plugin of plugins) await plugin.dispose?.();
  }
  // written while the infrastructure is read and the graph built; awaited before returning
  const saving = cache?.save();
  void saving?.catch(() => undefined);
  progress('reading infrastructure');
  const infra = await infraPromise;
  findings.push(...infra.findings);

  const analyzed = discovery.services.filter((s) => analyses.has(s.id));
  const joined = joinServices(analyzed, infra);
  const infraNodes = getInfraNodes(joined, infra);
  const inputs = joined.map((j) => ({ joined: j, effects: analyses.get(j.service.id)!.analysis.effects }));
  const edges = buildEdges(inputs, infraNodes, infra);
  const services: Service[] = joined.map((j) => {
    const { analysis, files } = analyses.get(j.service.id)!;
    findings.push(...analysis.findings);
    const effects: Effect[] = analysis.effects.map((e) => ({ ...e, capability: getCapabilityMap(e.kind) }));
    const container = getContainer(j);
    return {
      id: j.service.id,
      name: j.service.name,
      language: j.service.language,
      framework: j.service.framework,
      root: j.service.root,
      build: j.service.build,
      files,
      ...(container === undefined ? {} : { container }),
      deployments: getDeployments(j, infra),
      endpoints: analysis.endpoints,
      effects,
      types: analysis.types,
      readiness: analysis.platform === undefined ? getReadiness(analysis.effects) : getPlatformReadiness(),
      ...(analysis.platform === undefined ? {} : { platform: analysis.platform }),
    };
  });
  await saving;
  progress('done');
  return sortEstate({
    schemaVersion: ESTATE_SCHEMA_VERSION,
    root: basename(root),
    services,
    infra: infraNodes,
    edges,
    findings,
    stats: { files: walk.files.length, servicesFound: discovery.services.length },
  });
}
export { reporters, REPORT_FORMATS, type ReportFormat } from './reporters/index.ts';
export { renderGraphSvg, type GraphStyle } from './reporters/html.ts';
export { createOpenApi } from './openapi.ts';
// Readers `migrate up` reuses to run what the analysis found (compose services, Spring configuration).
export { readComposeFile, type ComposeFacts, type ComposeService } from './infra/compose.ts';
export { parseSpringConfig } from './infra/properties.ts';
