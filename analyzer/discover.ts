/**
 * Finds services by their build files: Maven/Gradle modules that are Spring Boot applications, and Node
 * packages with express, fastify, koa or nest. Aggregator POMs (packaging `pom`) are not services.
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
];

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

export async function discoverServices(root: string, files: readonly string[]): Promise<DiscoveryResult> {
  const services: DiscoveredService[] = [];
  const findings: Finding[] = [];
  const estateName = basename(root);
  const seen = new Set<string>();
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
        const framework = getNodeFramework(JSON.parse(await readFile(join(root, file), 'utf8')));
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
      !/(^|\/)(test|__tests__)\//.test(f.slice(prefix.length)),
  );
}
