/**
 * Service-level linking of Java file facts: Spring beans and DI, repositories, endpoints, data types, the call
 * graph from endpoints and listeners, and every effect with its chain (`via`).
 */
import type {
  CallStep,
  Endpoint,
  Finding,
  Parameter,
  PlatformRole,
  RawEffect,
  TypeDecl,
} from '../../model.ts';
import type { BeanInfo, LanguageAnalysis } from '../types.ts';
import { applyRedisMode } from '../redis-mode.ts';
import {
  getCallEffect,
  getConfigEffect,
  getListenerSubject,
  getNewEffect,
  type EffectHit,
  type EffectScope,
  type RepositoryInfo,
} from './effects.ts';
import type { JavaAnnotation, JavaCall, JavaClass, JavaFileFacts, JavaMethod, JavaSite } from './facts.ts';
import { simpleTypeName } from './extract.ts';
import { toSnakeCase } from './spring-data.ts';

export interface LocatedFacts {
  path: string;
  facts: JavaFileFacts;
}

interface LocatedClass {
  cls: JavaClass;
  file: string;
}

const BEAN_KINDS: Record<string, BeanInfo['kind']> = {
  RestController: 'controller',
  Controller: 'controller',
  Service: 'service',
  Component: 'component',
  Repository: 'repository',
  Configuration: 'configuration',
  FeignClient: 'component',
};
const MAPPINGS: Record<string, Endpoint['method'] | undefined> = {
  GetMapping: 'GET',
  PostMapping: 'POST',
  PutMapping: 'PUT',
  PatchMapping: 'PATCH',
  DeleteMapping: 'DELETE',
  RequestMapping: undefined,
};
const LOMBOK_DATA = new Set([
  'Data',
  'Value',
  'Getter',
  'Setter',
  'Builder',
  'AllArgsConstructor',
  'NoArgsConstructor',
  'RequiredArgsConstructor',
  'SuperBuilder',
]);
const RELATIONS = new Set(['OneToMany', 'ManyToOne', 'OneToOne', 'ManyToMany']);
const STATUS: Record<string, number> = {
  OK: 200,
  CREATED: 201,
  ACCEPTED: 202,
  NO_CONTENT: 204,
  BAD_REQUEST: 400,
  NOT_FOUND: 404,
  CONFLICT: 409,
};

const has = (annotations: readonly JavaAnnotation[], name: string): boolean =>
  annotations.some((a) => a.name === name);
const get = (annotations: readonly JavaAnnotation[], name: string): JavaAnnotation | undefined =>
  annotations.find((a) => a.name === name);
const ref = (file: string, site: JavaSite) => ({
  file,
  line: site.line,
  column: site.column,
  excerpt: site.excerpt,
});

function firstPath(annotation: JavaAnnotation | undefined): string {
  const raw = (annotation?.args.value ?? annotation?.args.path ?? '').trim();
  if (!raw.startsWith('{')) return raw;
  // array form {"/a", "/b"}: the first path
  return /"([^"]*)"/.exec(raw)?.[1] ?? '';
}

function joinPath(base: string, sub: string): string {
  const joined = `/${[base, sub]
    .map((p) => p.replace(/^\/+|\/+$/g, ''))
    .filter((p) => p !== '')
    .join('/')}`;
  return joined;
}

function unwrapType(type: string): string {
  const m = /^(?:ResponseEntity|Mono|Flux|Optional|CompletableFuture|HttpEntity)<(.+)>$/s.exec(type.trim());
  return m === null ? type.trim() : unwrapType(m[1]!);
}

function genericArgs(type: string): string[] {
  const m = /<(.+)>$/s.exec(type);
  return m === null ? [] : m[1]!.split(',').map((s) => s.trim());
}

function isRepositoryInterface(cls: JavaClass): boolean {
  return cls.kind === 'interface' && cls.superTypes.some((t) => /Repository$/.test(simpleTypeName(t)));
}

class JavaServiceIndex {
  readonly classes: LocatedClass[] = [];
  readonly byName = new Map<string, LocatedClass>();
  readonly implementors = new Map<string, LocatedClass[]>();
  readonly repositories = new Map<string, RepositoryInfo>();
  readonly feignClients = new Map<
    string,
    { url: string; paths: Record<string, { method: string; path: string }> }
  >();

  constructor(files: readonly LocatedFacts[]) {
    for (const { path, facts } of files)
      for (const cls of facts.classes) this.classes.push({ cls, file: path });
    for (const located of this.classes) {
      if (!this.byName.has(located.cls.name)) this.byName.set(located.cls.name, located);
      for (const sup of located.cls.superTypes) {
        const name = simpleTypeName(sup);
        const list = this.implementors.get(name) ?? [];
        list.push(located);
        this.implementors.set(name, list);
      }
    }
    for (const { cls } of this.classes) {
      if (isRepositoryInterface(cls)) this.addRepository(cls);
      const feign = get(cls.annotations, 'FeignClient');
      if (feign !== undefined && cls.kind === 'interface') {
        const paths: Record<string, { method: string; path: string }> = {};
        for (const m of cls.methods) {
          const mapping = m.annotations.find((a) => a.name in MAPPINGS);
          if (mapping !== undefined)
            paths[m.name] = { method: MAPPINGS[mapping.name] ?? 'ANY', path: firstPath(mapping) };
        }
        this.feignClients.set(cls.name, {
          url: feign.args.url ?? `http://${feign.args.name ?? feign.args.value ?? '?'}`,
          paths,
        });
      }
    }
  }

  private addRepository(cls: JavaClass): void {
    const sup = cls.superTypes.find((t) => /Repository$/.test(simpleTypeName(t)));
    const entity = simpleTypeName(genericArgs(sup ?? '')[0] ?? '');
    const entityClass = this.byName.get(entity)?.cls;
    const redis = entityClass !== undefined && has(entityClass.annotations, 'RedisHash');
    const table = redis
      ? (get(entityClass.annotations, 'RedisHash')?.args.value ?? entity)
      : ((entityClass === undefined ? undefined : get(entityClass.annotations, 'Table')?.args.name) ??
        toSnakeCase(entity));
    const queries: Record<string, string> = {};
    for (const m of cls.methods) {
      const q = get(m.annotations, 'Query');
      if (q?.args.value !== undefined) queries[m.name] = q.args.value;
    }
    this.repositories.set(cls.name, {
      entity,
      table,
      store: redis || /Redis|KeyValue/.test(sup ?? '') ? 'redis' : 'sql',
      queries,
    });
  }

  /** Classes a call on `type` may land in: the class itself, or the beans implementing the interface. */
  resolveTargets(type: string): LocatedClass[] {
    const located = this.byName.get(type);
    if (located === undefined) return [];
    if (located.cls.kind === 'interface')
      return (this.implementors.get(type) ?? []).filter((c) => c.cls.kind === 'class');
    return [located];
  }
}

const symbolOf = (cls: JavaClass, m: JavaMethod): string => `${cls.name}.${m.name}`;

function readEndpoints(
  index: JavaServiceIndex,
  findings: Finding[],
): { endpoints: Endpoint[]; entries: string[] } {
  const endpoints: Endpoint[] = [];
  const entries: string[] = [];
  for (const { cls, file } of index.classes) {
    const isController = has(cls.annotations, 'RestController') || has(cls.annotations, 'Controller');
    const base = firstPath(get(cls.annotations, 'RequestMapping'));
    for (const m of cls.methods) {
      const listener = getListenerSubject(m.annotations);
      // methods Spring calls itself: listeners, scheduled tasks, and @ExceptionHandler (a @ControllerAdvice or a controller)
      if (
        listener !== undefined ||
        has(m.annotations, 'Scheduled') ||
        has(m.annotations, 'EventListener') ||
        has(m.annotations, 'ExceptionHandler')
      )
        entries.push(symbolOf(cls, m));
      for (const refName of m.methodRefs) {
        const target = cls.methods.find((x) => x.name === refName);
        if (target !== undefined && /^(Message|ConsumerRecord)\b/.test(target.params[0]?.type ?? ''))
          entries.push(symbolOf(cls, target));
      }
      if (!isController) continue;
      const mapping = m.annotations.find((a) => a.name in MAPPINGS);
      if (mapping === undefined) continue;
      let method = MAPPINGS[mapping.name];
      if (method === undefined) {
        const raw = mapping.args.method ?? '';
        method =
          (/(GET|POST|PUT|PATCH|DELETE|HEAD|OPTIONS)/.exec(raw)?.[1] as Endpoint['method'] | undefined) ??
          'ANY';
      }
      const parameters: Parameter[] = [];
      let requestType: string | undefined;
      for (const p of m.params) {
        const pathVar = get(p.annotations, 'PathVariable');
        const query = get(p.annotations, 'RequestParam');
        const header = get(p.annotations, 'RequestHeader');
        const body = get(p.annotations, 'RequestBody');
        const named = pathVar ?? query ?? header;
        if (body !== undefined) {
          requestType = p.type;
          parameters.push({
            name: p.name,
            in: 'body',
            type: p.type,
            required: body.args.required !== 'false',
          });
        } else if (named !== undefined) {
          parameters.push({
            name: named.args.value ?? named.args.name ?? p.name,
            in: pathVar !== undefined ? 'path' : query !== undefined ? 'query' : 'header',
            type: p.type,
            required:
              pathVar !== undefined ||
              (named.args.required !== 'false' &&
                named.args.defaultValue === undefined &&
                !p.type.startsWith('Optional')),
          });
        }
      }
      const statusName = get(m.annotations, 'ResponseStatus');
      const statusKey = (statusName?.args.value ?? statusName?.args.code ?? '').replace(/^HttpStatus\./, '');
      const responseType = unwrapType(m.returnType);
      const endpoint: Endpoint = {
        method,
        path: joinPath(base, firstPath(mapping)),
        handler: symbolOf(cls, m),
        site: ref(file, m.site),
        parameters,
        status: STATUS[statusKey] ?? m.statusHint ?? 200,
      };
      if (requestType !== undefined) endpoint.requestType = requestType;
      if (responseType !== 'void' && responseType !== '?' && responseType !== 'Void')
        endpoint.responseType = responseType;
      endpoints.push(endpoint);
      entries.push(endpoint.handler);
    }
  }
  if (endpoints.length === 0 && index.classes.some((c) => has(c.cls.annotations, 'RestController'))) {
    findings.push({
      severity: 'info',
      code: 'java-no-mappings',
      message: 'a @RestController has no request mappings',
    });
  }
  return { endpoints, entries };
}

function readTypes(index: JavaServiceIndex): TypeDecl[] {
  const types: TypeDecl[] = [];
  for (const { cls, file } of index.classes) {
    const entity = has(cls.annotations, 'Entity');
    const redis = has(cls.annotations, 'RedisHash');
    const lombok = cls.annotations.some((a) => LOMBOK_DATA.has(a.name));
    const isBean =
      cls.annotations.some((a) => a.name in BEAN_KINDS) ||
      has(cls.annotations, 'SpringBootApplication') ||
      has(cls.annotations, 'ControllerAdvice') ||
      has(cls.annotations, 'RestControllerAdvice');
    const isException = cls.superTypes.some((t) => /(Exception|Error|Throwable)$/.test(simpleTypeName(t)));
    const plainData =
      cls.kind === 'class' &&
      !isBean &&
      !isException &&
      cls.fields.some((f) => !f.modifiers.includes('static'));
    if (
      !(cls.kind === 'record' || cls.kind === 'enum' || entity || redis || lombok || plainData) ||
      (isBean && !entity)
    )
      continue;
    const kind: TypeDecl['kind'] = entity
      ? 'entity'
      : redis
        ? 'redis-hash'
        : cls.kind === 'record'
          ? 'record'
          : cls.kind === 'enum'
            ? 'enum'
            : 'class';
    const source =
      cls.kind === 'record'
        ? cls.recordComponents.map((c) => ({ ...c, modifiers: [] as string[] }))
        : cls.fields.filter((f) => !f.modifiers.includes('static'));
    const decl: TypeDecl = {
      name: cls.name,
      kind,
      fields: source.map((f) => {
        const field: TypeDecl['fields'][number] = {
          name: f.name,
          type: f.type,
          required:
            f.annotations.some((a) => /^(NotNull|NotBlank|NotEmpty|Id)$/.test(a.name)) ||
            /^(int|long|double|float|boolean|short|byte|char)$/.test(f.type),
        };
        if (entity) {
          const relation = f.annotations.find((a) => RELATIONS.has(a.name));
          if (relation !== undefined)
            field.relation = `${relation.name} ${simpleTypeName(genericArgs(f.type)[0] ?? f.type)}`;
          else field.column = get(f.annotations, 'Column')?.args.name ?? toSnakeCase(f.name);
        }
        return field;
      }),
      site: ref(file, cls.site),
    };
    if (cls.kind === 'enum') decl.enumValues = [...cls.enumConstants];
    if (entity) decl.table = get(cls.annotations, 'Table')?.args.name ?? toSnakeCase(cls.name);
    if (redis) decl.table = get(cls.annotations, 'RedisHash')?.args.value ?? cls.name;
    types.push(decl);
  }
  return types;
}

function readBeans(index: JavaServiceIndex): BeanInfo[] {
  const beans: BeanInfo[] = [];
  for (const { cls, file } of index.classes) {
    const annotation = cls.annotations.find((a) => a.name in BEAN_KINDS);
    const repo = isRepositoryInterface(cls);
    if (annotation === undefined && !repo) continue;
    const lombokCtor =
      has(cls.annotations, 'RequiredArgsConstructor') || has(cls.annotations, 'AllArgsConstructor');
    const ctorParams = new Set(
      cls.methods
        .filter((m) => m.name === '<init>')
        .flatMap((m) => m.params.map((p) => simpleTypeName(p.type))),
    );
    const injects: Record<string, string> = {};
    for (const f of cls.fields) {
      if (f.modifiers.includes('static')) continue;
      const type = simpleTypeName(f.type);
      const injected =
        has(f.annotations, 'Autowired') ||
        has(f.annotations, 'Inject') ||
        ctorParams.has(type) ||
        (lombokCtor && f.modifiers.includes('final'));
      if (injected && index.byName.has(type)) injects[f.name] = type;
    }
    beans.push({
      name: cls.name,
      kind: repo ? 'repository' : BEAN_KINDS[annotation!.name]!,
      implements: cls.superTypes.map(simpleTypeName),
      injects,
      file,
      line: cls.site.line,
    });
  }
  return beans;
}

/** Shortest chains from the entries through the call graph (BFS, entries in sorted order). */
function buildChains(index: JavaServiceIndex, entries: readonly string[]): Map<string, CallStep[]> {
  // overloads share a symbol (`greetings()` and `greetings(name)`): the symbol reaches what any of them calls
  const methods = new Map<string, { cls: JavaClass; m: JavaMethod; file: string; calls: JavaCall[] }>();
  for (const { cls, file } of index.classes)
    for (const m of cls.methods) {
      const known = methods.get(symbolOf(cls, m));
      if (known === undefined) methods.set(symbolOf(cls, m), { cls, m, file, calls: [...m.calls] });
      else known.calls.push(...m.calls);
    }
  const chains = new Map<string, CallStep[]>();
  const queue: string[] = [];
  for (const entry of [...new Set(entries)].sort()) {
    const node = methods.get(entry);
    if (node === undefined || chains.has(entry)) continue;
    chains.set(entry, [{ symbol: entry, file: node.file, line: node.m.line }]);
    queue.push(entry);
  }
  for (let i = 0; i < queue.length; i++) {
    const symbol = queue[i]!;
    const node = methods.get(symbol)!;
    const chain = chains.get(symbol)!;
    for (const call of node.calls) {
      if (call.receiverType === undefined) continue;
      for (const target of index.resolveTargets(call.receiverType)) {
        for (const tm of target.cls.methods) {
          if (tm.name !== call.name) continue;
          const next = symbolOf(target.cls, tm);
          if (chains.has(next)) continue;
          chains.set(next, [...chain, { symbol: next, file: target.file, line: tm.line }]);
          queue.push(next);
        }
      }
    }
  }
  return chains;
}

/** Spring Cloud servers that are platform infrastructure: the annotation on their application class → role. */
const PLATFORM_SERVERS: Record<string, { role: PlatformRole['role']; reason: string }> = {
  EnableEurekaServer: {
    role: 'service-registry',
    reason:
      "a Eureka server is the estate's service registry, not an application: keep it as a container while Spring services register with it, and let the target's own discovery (Kubernetes Services, wasmCloud links, Spin service chaining) replace it",
  },
  EnableConfigServer: {
    role: 'config-server',
    reason:
      "a Spring Cloud Config server serves configuration to other services: keep it as a container, or move its properties into the target's configuration (ConfigMaps, wasi:config variables)",
  },
  EnableAdminServer: {
    role: 'admin-server',
    reason:
      "a Spring Boot Admin server watches the other services' actuators: keep it as a container; components expose no actuator for it to watch",
  },
};

function findPlatformRole(index: JavaServiceIndex): PlatformRole | undefined {
  for (const { cls, file } of index.classes)
    for (const a of cls.annotations) {
      const server = PLATFORM_SERVERS[a.name];
      if (server !== undefined)
        return { role: server.role, reason: server.reason, source: ref(file, cls.site) };
    }
  return undefined;
}

export function linkJavaService(files: readonly LocatedFacts[]): LanguageAnalysis {
  const findings: Finding[] = [];
  const index = new JavaServiceIndex(files);
  const { endpoints, entries } = readEndpoints(index, findings);
  const chains = buildChains(index, entries);
  const effects: RawEffect[] = [];
  for (const endpoint of endpoints) {
    effects.push({
      kind: 'http-in',
      detail: {
        summary: `${endpoint.method} ${endpoint.path}`,
        api: '@RequestMapping',
        operation: endpoint.method,
        path: endpoint.path,
      },
      site: endpoint.site,
      via: chains.get(endpoint.handler) ?? [],
    });
  }
  for (const { cls, file } of index.classes) {
    const scope: EffectScope = { cls, repositories: index.repositories, feignClients: index.feignClients };
    const classConfig = getConfigEffect(cls.annotations.filter((a) => a.name === 'ConfigurationProperties'));
    if (classConfig !== undefined) effects.push({ ...classConfig, site: ref(file, cls.site), via: [] });
    for (const f of cls.fields) {
      const config = getConfigEffect(f.annotations);
      if (config !== undefined) effects.push({ ...config, site: ref(file, f.site), via: [] });
    }
    for (const m of cls.methods) {
      const symbol = symbolOf(cls, m);
      const via = chains.get(symbol) ?? [{ symbol, file, line: m.line }];
      const add = (h: EffectHit | undefined, site: JavaSite): void => {
        if (h !== undefined) effects.push({ kind: h.kind, detail: h.detail, site: ref(file, site), via });
      };
      for (const p of m.params) add(getConfigEffect(p.annotations), m.site);
      const listener = getListenerSubject(m.annotations);
      if (listener !== undefined)
        add(
          {
            kind: 'subscribe',
            detail: {
              summary: `subscribe ${listener.subject}`,
              api: listener.api,
              subject: listener.subject,
            },
          },
          m.site,
        );
      if (has(m.annotations, 'Async'))
        add({ kind: 'thread', detail: { summary: '@Async method', api: '@Async' } }, m.site);
      if (has(m.annotations, 'Scheduled'))
        add({ kind: 'thread', detail: { summary: '@Scheduled task', api: '@Scheduled' } }, m.site);
      if (m.modifiers.includes('native'))
        add({ kind: 'native', detail: { summary: `native ${symbol}`, api: 'native method' } }, m.site);
      for (const call of m.calls) add(getCallEffect(call, scope), call.site);
      for (const created of m.news) add(getNewEffect(created), created.site);
    }
  }
  const redisMode = applyRedisMode(effects);
  if (redisMode !== undefined) findings.push(redisMode);
  const platform = findPlatformRole(index);
  return {
    endpoints,
    effects,
    types: readTypes(index),
    beans: readBeans(index),
    findings,
    ...(platform === undefined ? {} : { platform }),
  };
}
