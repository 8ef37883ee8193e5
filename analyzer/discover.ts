/**
 * Finds services by their build files: Maven/Gradle modules that are Spring Boot applications, and Node
 * packages with a server entry: a web framework in `dependencies` (express, fastify, koa, nest, hapi), or a
 * source file that starts a `node:http` server or a `@grpc/grpc-js` server. Aggregator POMs (packaging `pom`)
 * and Node libraries (no server anywhere) are not services.
 */
import { readFile } from 'node:fs/promises';
import { basename, join, posix } from 'node:path';
import type { DiscoveredService } from './languages/types.ts';
import type { Finding } from './model.ts';

const NODE_FRAMEWORKS: [string, string][] = [
  ['@nestjs/core', 'nest'],
  ['fastify', 'fastify'],
  ['express', 'express'],
  ['koa', 'koa'],
  ['@hapi/hapi', 'hapi'],
  ['hapi', 'hapi'],
];
const NODE_SOURCE = /\.(?:[mc]?[jt]s|[jt]sx)$/;
/** How many source files of a package are read looking for a server entry before giving up. */
const MAX_ENTRY_SCAN = 400;
/** A `@grpc/grpc-js` server: services added to a `Server`. */
const GRPC_SERVER = /\.addService\s*\(/;
/** A plain `node:http` (or https/http2) server, with the module imported in the same file. */
const HTTP_SERVER = /\bcreate(?:Secure)?Server\s*\(/;
const HTTP_MODULE = /(?:from\s*|require\s*\(\s*)['"](?:node:)?(?:http|https|http2)['"]/;

export interface DiscoveryResult {
  services: DiscoveredService[];
  findings: Finding[];
}

function serviceFor(
  root: string,
  dir: string,
  language: DiscoveredService['language'],
  framework: string,
  tool: DiscoveredService['build']['tool'],
  file: string,
  estateName: string,
): DiscoveredService {
  const id = dir === '.' ? estateName : posix.basename(dir);
  return { id, name: id, language, framework, root: dir, absRoot: join(root, dir), build: { tool, file } };
}

/** Pure check of a POM: a Spring Boot app, not an aggregator. */
export function isSpringBootPom(text: string): boolean {
  if (/<packaging>\s*pom\s*<\/packaging>/.test(text)) return false;
  return /spring-boot-starter|spring-boot-maven-plugin/.test(text);
}

export function isSpringBootGradle(text: string): boolean {
  return /org\.springframework\.boot|spring-boot-starter/.test(text);
}

export function getNodeFramework(pkg: unknown): string | undefined {
  if (typeof pkg !== 'object' || pkg === null) return undefined;
  const deps = { ...((pkg as { dependencies?: Record<string, string> }).dependencies ?? {}) };
  for (const [name, framework] of NODE_FRAMEWORKS) if (name in deps) return framework;
  return undefined;
}

/** The server a source file starts, from its text: `grpc` (a gRPC server) or `node:http`; else undefined. */
export function getServerEntryKind(text: string): 'grpc' | 'node:http' | undefined {
  if (GRPC_SERVER.test(text) && /['"]@grpc\/grpc-js['"]|['"]grpc['"]/.test(text)) return 'grpc';
  if (HTTP_SERVER.test(text) && HTTP_MODULE.test(text)) return 'node:http';
  return undefined;
}

/**
 * The framework of a Node package without a web framework dependency: the server its own sources start
 * (`grpc` wins over `node:http`: a gRPC service often serves health over plain http too).
 */
async function findServerEntry(
  root: string,
  dir: string,
  files: readonly string[],
): Promise<string | undefined> {
  const prefix = dir === '.' ? '' : `${dir}/`;
  let found: string | undefined;
  let scanned = 0;
  for (const file of files) {
    if (!file.startsWith(prefix) || !NODE_SOURCE.test(file) || isExcludedSource(file.slice(prefix.length)))
      continue;
    if (++scanned > MAX_ENTRY_SCAN) break;
    const kind = getServerEntryKind(await readFile(join(root, file), 'utf8'));
    if (kind === 'grpc') return kind;
    found ??= kind;
  }
  return found;
}

/** Tests, fixtures, mocks and build output: never part of what a service does. */
export function isExcludedSource(relative: string): boolean {
  if (
    /(^|\/)(test|tests|__tests__|__mocks__|__fixtures__|fixtures|e2e|cypress|dist|build|coverage)\//.test(
      relative,
    )
  )
    return true;
  return /[.-](test|spec|e2e-spec|stories)\.[mc]?[jt]sx?$/.test(relative) || /\.d\.[mc]?ts$/.test(relative);
}

export async function discoverServices(root: string, files: readonly string[]): Promise<DiscoveryResult> {
  const services: DiscoveredService[] = [];
  const findings: Finding[] = [];
  const estateName = basename(root);
  const seen = new Set<string>();
  const packageDirs = files
    .filter((f) => posix.basename(f) === 'package.json' && !f.split('/').includes('node_modules'))
    .map((f) => posix.dirname(f));
  for (const file of files) {
    const name = posix.basename(file);
    const dir = posix.dirname(file);
    if (seen.has(dir)) continue;
    try {
      if (name === 'pom.xml') {
        if (isSpringBootPom(await readFile(join(root, file), 'utf8')))
          services.push(serviceFor(root, dir, 'java', 'spring-boot', 'maven', file, estateName));
        else continue;
      } else if (name === 'build.gradle' || name === 'build.gradle.kts') {
        if (isSpringBootGradle(await readFile(join(root, file), 'utf8')))
          services.push(serviceFor(root, dir, 'java', 'spring-boot', 'gradle', file, estateName));
        else continue;
      } else if (name === 'package.json' && !file.split('/').includes('node_modules')) {
        const framework =
          getNodeFramework(JSON.parse(await readFile(join(root, file), 'utf8'))) ??
          (await findServerEntry(root, dir, ownFiles(dir, packageDirs, files)));
        if (framework === undefined) continue;
        services.push(serviceFor(root, dir, 'typescript', framework, 'npm', file, estateName));
      } else continue;
      seen.add(dir);
    } catch (error) {
      findings.push({
        severity: 'warning',
        code: 'build-file-unreadable',
        message: `cannot read build file: ${error instanceof Error ? error.message : String(error)}`,
        file,
      });
    }
  }
  services.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : a.root < b.root ? -1 : 1));
  return { services, findings };
}

/** The files of a package directory that are not under a nested package. */
function ownFiles(dir: string, packageDirs: readonly string[], files: readonly string[]): string[] {
  const prefix = dir === '.' ? '' : `${dir}/`;
  const nested = packageDirs
    .filter((d) => d !== dir && (prefix === '' || d.startsWith(prefix)))
    .map((d) => `${d}/`);
  return files.filter((f) => f.startsWith(prefix) && !nested.some((n) => f.startsWith(n)));
}

/** The files that belong to a service: under its root, not under a nested service, not tests. */
export function getServiceFiles(
  service: DiscoveredService,
  all: readonly DiscoveredService[],
  files: readonly string[],
  extensions: readonly string[],
): string[] {
  const prefix = service.root === '.' ? '' : `${service.root}/`;
  const nested = all
    .filter((s) => s !== service && (prefix === '' || s.root.startsWith(prefix)) && s.root !== service.root)
    .map((s) => `${s.root}/`);
  return files.filter(
    (f) =>
      f.startsWith(prefix) &&
      extensions.some((e) => f.endsWith(e)) &&
      !nested.some((n) => f.startsWith(n)) &&
      !/(^|\/)src\/test\//.test(f) &&
      // Java packages may well be named `build` or `fixtures`: only Node's conventions drop whole folders there
      (service.language === 'typescript'
        ? !isExcludedSource(f.slice(prefix.length))
        : !/(^|\/)(test|__tests__)\//.test(f.slice(prefix.length))),
  );
}
