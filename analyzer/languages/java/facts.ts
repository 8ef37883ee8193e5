/**
 * Per-file facts the Java extractor produces: plain JSON, so they can be cached by content hash and rebuilt
 * into a service's call graph without parsing again.
 */

export interface JavaSite {
  line: number;
  column: number;
  excerpt: string;
}

export interface JavaAnnotation {
  /** Simple name without `@`. */
  name: string;
  /** `value` for the single unnamed argument; string literals unquoted, other values as written. */
  args: Record<string, string>;
}

export interface JavaParam {
  name: string;
  type: string;
  annotations: JavaAnnotation[];
}

export interface JavaCall {
  /** Receiver type (simple name) when known: field, parameter, local, `this`, or a class for static calls. */
  receiverType: string | undefined;
  /** Receiver as written (`restClient`, `this.store`, `Runtime.getRuntime()`), empty for unqualified calls. */
  receiver: string;
  name: string;
  /** Arguments resolved to expressions: literals unquoted, `${key}` for @Value-bound names, `{name}` otherwise. */
  args: string[];
  /** Names of the calls chained on this one (`get().uri().retrieve()` → `['uri', 'retrieve']`). */
  chain: string[];
  /** First string literal inside a chained `.uri(…)`/`.path(…)`, for HTTP paths. */
  chainPath?: string;
  /** The first argument of a chained `.uri(…)` resolved like `args` (`${records.url}/owners/{id}`), unless a lambda. */
  chainUri?: string;
  /** The string literal the first chained call starts with (`getenv().getOrDefault("K", …)` → `K`). */
  chainKey?: string;
  site: JavaSite;
}

export interface JavaNew {
  type: string;
  site: JavaSite;
}

export interface JavaMethod {
  /** `<init>` for constructors. */
  name: string;
  line: number;
  annotations: JavaAnnotation[];
  modifiers: string[];
  params: JavaParam[];
  returnType: string;
  calls: JavaCall[];
  news: JavaNew[];
  /** `this::onMessage` method references: the referenced method becomes an entry (a callback). */
  methodRefs: string[];
  /** `ResponseEntity.status(HttpStatus.CREATED)`, `.created(` → status hints found in the body. */
  statusHint?: number;
  site: JavaSite;
}

export interface JavaField {
  name: string;
  type: string;
  annotations: JavaAnnotation[];
  modifiers: string[];
  /**
   * `${key}` when bound by @Value directly or through a constructor parameter; for a static field, its string
   * literal initializer, or `${ENV:default}` when the environment sets it (initializer or static block).
   */
  value?: string;
  site: JavaSite;
}

export interface JavaClass {
  name: string;
  kind: 'class' | 'interface' | 'record' | 'enum';
  annotations: JavaAnnotation[];
  /** extends/implements as written, generics kept: `JpaRepository<Inventory, Long>`. */
  superTypes: string[];
  fields: JavaField[];
  methods: JavaMethod[];
  recordComponents: JavaParam[];
  enumConstants: string[];
  /** `baseUrl(…)` argument found in the class (WebClient/RestClient builders). */
  baseUrl?: string;
  site: JavaSite;
}

export interface JavaFileFacts {
  packageName: string;
  imports: string[];
  classes: JavaClass[];
  /** Syntax errors (tree-sitter ERROR/MISSING nodes). */
  errors: JavaSite[];
}
