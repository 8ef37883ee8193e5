/**
 * The language plug-in interface. A plug-in turns the source files of one service into endpoints, effects, data
 * types and beans; the core adds capabilities, readiness, edges and ordering. Adding a language is adding a
 * folder under `analyzer/languages/` and one entry in `analyzer/languages/index.ts`.
 */
import type { Endpoint, Finding, PlatformRole, RawEffect, TypeDecl } from '../model.ts';

export type LanguageId = 'java' | 'typescript';

/** A service found by its build file (see `analyzer/discover.ts`). */
export interface DiscoveredService {
  /** Stable id: the module directory name (`order-service`). */
  id: string;
  name: string;
  language: LanguageId;
  /** `spring-boot`, `express`, `fastify`, `koa`, `nest`. */
  framework: string;
  /** Module directory relative to the estate root ('.' for a single-module estate). */
  root: string;
  /** Absolute path of the module directory. */
  absRoot: string;
  build: { tool: 'maven' | 'gradle' | 'npm'; file: string };
}

/** One source file, already read and checked to be text. */
export interface SourceFile {
  /** Path relative to the estate root, forward slashes. */
  path: string;
  /** A getter that reads the file on first use when the cache already knew its hash. */
  text: string;
  /** Content hash (sha1 hex) for the per-file cache. */
  hash: string;
}

/** A Spring bean / DI unit or a Node module, as the call graph sees it. */
export interface BeanInfo {
  /** Simple class name (`OrderService`). */
  name: string;
  kind: 'controller' | 'service' | 'component' | 'repository' | 'configuration' | 'listener' | 'module';
  /** Interfaces/superclasses it implements or extends (simple names). */
  implements: string[];
  /** Field name → bean type it is injected with (constructor, `@Autowired`, Lombok final fields). */
  injects: Record<string, string>;
  file: string;
  line: number;
}

export interface LanguageAnalysis {
  endpoints: Endpoint[];
  /** Effects with their call chains (`via`); the core adds `capability`. */
  effects: RawEffect[];
  types: TypeDecl[];
  beans: BeanInfo[];
  findings: Finding[];
  /** Set when the service is platform infrastructure (a Eureka, Config or Admin server), not an application. */
  platform?: PlatformRole;
}

/** A per-file cache keyed by content hash; plug-ins store whatever per-file result they can rebuild from. */
export interface FileCache {
  get(plugin: LanguageId, hash: string): unknown;
  set(plugin: LanguageId, hash: string, value: unknown): void;
}

export interface LanguageContext {
  /** Absolute path of the estate root. */
  estateRoot: string;
  cache?: FileCache;
  signal?: AbortSignal;
  /** Parse on worker threads (the core decides by estate size; output is the same either way). */
  workers?: boolean;
}

export interface LanguagePlugin {
  id: LanguageId;
  /** File name endings this plug-in reads (`.java`; `.ts`, `.js`…). */
  extensions: readonly string[];
  /**
   * True when `analyze` depends only on the service and its files' content, so the core may cache whole
   * analyses by those.
   */
  isolated?: boolean;
  /** Releases what `analyze` kept between calls (worker threads); called once at the end of a run. */
  dispose?(): Promise<void>;
  /** True when the directory holds a service in this language (build file check only, no parsing). */
  detect(serviceRoot: string): boolean;
  analyze(
    service: DiscoveredService,
    files: readonly SourceFile[],
    context: LanguageContext,
  ): Promise<LanguageAnalysis>;
}
