/**
 * The analyzer's public door: `analyzeEstate(root, options)` reads an estate (source, build files, infra) and
 * returns the Estate model. Read-only except the optional cache dir. Problems in single files become findings;
 * only an unusable root is an error.
 */
import { createHash } from 'node:crypto';
import { readFile, stat } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { AppError, ErrorCode } from '../shared/errors.ts';
import { loadDiskCache, type DiskCache } from './cache.ts';
import { discoverServices, getServiceFiles } from './discover.ts';
import { buildEdges, getContainer, getDeployments, getInfraNodes, joinServices } from './graph.ts';
import { loadInfraReaders } from './infra-readers.ts';
import { mergeInfraFacts, type InfraFacts, type InfraReader } from './infra/types.ts';
import { loadLanguagePlugins } from './languages/index.ts';
import type { LanguageAnalysis, LanguagePlugin, SourceFile } from './languages/types.ts';
import { ESTATE_SCHEMA_VERSION, type Effect, type Estate, type Finding, type Service } from './model.ts';
import { getCapabilityMap, getReadiness } from './readiness.ts';
import { walkEstate } from './walk.ts';
import { sortEstate } from './sort.ts';

export type { Estate } from './model.ts';
export { EstateSchema, ESTATE_SCHEMA_VERSION, createEstateJsonSchema } from './model.ts';

export interface AnalyzeOptions {
  /** Also read a live Docker engine (`--docker`). */
  docker?: boolean;
  /** Directory of the per-file content-hash cache; no cache when undefined. */
  cacheDir?: string;
  /** Called with short progress messages (the CLI shows them on a TTY). */
  onProgress?: (message: string) => void;
  signal?: AbortSignal;
  /** Override the plug-ins (tests). */
  languages?: LanguagePlugin[];
  readers?: InfraReader[];
}

const BINARY_SAMPLE = 8000;
const READ_BATCH = 64;

async function readSource(
  root: string,
  path: string,
  findings: Finding[],
  service: string,
): Promise<SourceFile | undefined> {
  let bytes: Buffer;
  try {
    bytes = await readFile(join(root, path));
  } catch (error) {
    findings.push({
      severity: 'warning',
      code: 'unreadable-file',
      message: `cannot read file: ${(error as NodeJS.ErrnoException).code ?? String(error)}`,
      file: path,
      service,
    });
    return undefined;
  }
  if (bytes.subarray(0, BINARY_SAMPLE).includes(0)) {
    findings.push({
      severity: 'warning',
      code: 'binary-file',
      message: 'binary content in a source file; skipped',
      file: path,
      line: 1,
      service,
    });
    return undefined;
  }
  const text = bytes.toString('utf8');
  if (text.includes('\uFFFD') && !bytes.includes(Buffer.from('\uFFFD'))) {
    findings.push({
      severity: 'warning',
      code: 'not-utf8',
      message: 'file is not valid UTF-8; invalid bytes replaced',
      file: path,
      line: 1,
      service,
    });
  }
  return { path, text, hash: createHash('sha1').update(bytes).digest('hex') };
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
        'no service found: no Spring Boot pom.xml/build.gradle and no package.json with express, fastify, koa or nest',
      file: '.',
    });
  }
  const [plugins, readers] = await Promise.all([
    options.languages ?? loadLanguagePlugins(),
    options.readers ?? loadInfraReaders(),
  ]);
  const infraPromise = readInfra(readers, root, walk.files, options);
  // Awaited after the language pass; mark it handled now so an early rejection (an unreachable Docker engine)
  // reaches the caller as an AppError instead of crashing the process as an unhandled rejection.
  infraPromise.catch(() => undefined);
  const cache: DiskCache | undefined =
    options.cacheDir === undefined ? undefined : await loadDiskCache(resolve(options.cacheDir));

  const analyses = new Map<string, { analysis: LanguageAnalysis; files: number }>();
  let done = 0;
  for (const service of discovery.services) {
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
      continue;
    }
    progress(`analyzing ${service.id} (${++done}/${discovery.services.length})`);
    const paths = getServiceFiles(service, discovery.services, walk.files, plugin.extensions);
    const sources: SourceFile[] = [];
    // reads in parallel batches: file I/O, not parsing, dominates a warm run
    for (let i = 0; i < paths.length; i += READ_BATCH) {
      const batch = await Promise.all(
        paths.slice(i, i + READ_BATCH).map((path) => readSource(root, path, findings, service.id)),
      );
      for (const source of batch) if (source !== undefined) sources.push(source);
    }
    const analysis = await plugin.analyze(service, sources, {
      estateRoot: root,
      ...(cache === undefined ? {} : { cache }),
      ...(options.signal === undefined ? {} : { signal: options.signal }),
    });
    analyses.set(service.id, { analysis, files: sources.length });
  }
  await cache?.save();
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
      readiness: getReadiness(analysis.effects),
    };
  });
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
export { createOpenApi } from './openapi.ts';
