/** Ports one Spring Boot service: reads its Java and properties, translates every class, returns the files to write. */
import { readdir, readFile } from 'node:fs/promises';
import { join, relative, dirname, posix } from 'node:path';
import { format } from 'prettier';
import { readJavaClasses } from './read-model.ts';
import type { JavaClass } from './model.ts';
import { hasAnnotation } from './model.ts';
import { resolveRole, type ClassRole } from './roles.ts';
import { resolveAsyncMethods } from './async.ts';
import { ImportSet, type ServiceContext } from './scope.ts';
import { generateOpenApiTypes, OPENAPI_TYPES_FILE } from './openapi-types.ts';
import type { MethodOutcome } from './members.ts';
import {
  translateBean,
  translateDataClass,
  translateEnum,
  translateException,
  translateRecord,
} from './classes.ts';
import { generateAdvice, generateRoutes, getRoutes } from './web.ts';
import { translateJpaRepository } from './jpa-repository.ts';
import { translateRedisRepository } from './redis-repository.ts';
import { generateValidators } from './validation.ts';
import { generateConfigModule, generateDbModule, generateRedisModule } from './config.ts';
import { CONFIG_FILE, findDroppedConfig, parseConfigSources, resolveConfig } from './config-sources.ts';
import {
  COMPONENT_ENTRY_FILE,
  generateComponent,
  generateMain,
  usesRedisTemplate,
} from './composition-root.ts';
import { getApplicationBeans, getCarriedBeanMethods, isCarriedConstruct } from './bean-methods.ts';
import { toKebabCase } from './names.ts';
import { createPortReport, PORT_REPORT_FILE, type PortReport } from './report.ts';
import { typeCheckFiles } from '../../build/type-check.ts';
import { findDroppedConstructs, renderDropped, type DroppedConstruct } from './dropped.ts';
import { fileName } from './members.ts';
import { ErrorCode, wrapError } from '../../../shared/errors.ts';

const RUNTIME_MODULES = [
  'spring-web',
  'router',
  'logger',
  'java',
  'rest-client',
  'nats',
  'redis-template',
  'transaction',
  'sorted-map',
];

/**
 * The runtime modules the ported files import, directly or through another runtime module. Only those are
 * written: a module nothing imports would still count as a capability use (`migrate build` plans the world
 * from every file), e.g. rest-client's fetch in a service that calls nobody.
 */
async function selectRuntimeModules(generated: readonly string[]): Promise<Map<string, string>> {
  const referenced = (text: string): string[] =>
    [...text.matchAll(/runtime\/([a-z-]+)\.ts'|from '\.\/([a-z-]+)\.ts'/g)].map((m) => m[1] ?? m[2] ?? '');
  const selected = new Map<string, string>();
  const pending = generated.flatMap(referenced);
  for (let module = pending.pop(); module !== undefined; module = pending.pop()) {
    if (selected.has(module) || !RUNTIME_MODULES.includes(module)) continue;
    const text = await readFile(new URL(`./runtime/${module}.ts`, import.meta.url), 'utf8');
    selected.set(module, text);
    pending.push(...referenced(text));
  }
  return new Map([...selected].sort(([a], [b]) => a.localeCompare(b)));
}

export interface PortOptions {
  /** The service's OpenAPI document (`createOpenApi` of the analyzer): its types go to src/api/openapi.ts. */
  openapi?: Record<string, unknown>;
  /**
   * Type-check the generated project with migrate's compiler and declarations (default true); the errors go to
   * the report. Only tests that check the project themselves turn it off.
   */
  typeCheck?: boolean;
}

export interface PortedService {
  /** Path relative to the output directory → file content. */
  files: Map<string, string>;
  report: PortReport;
}

async function listJava(dir: string): Promise<string[]> {
  const entries = await readdir(dir, { withFileTypes: true, recursive: true }).catch(() => []);
  return entries
    .filter((e) => e.isFile() && e.name.endsWith('.java'))
    .map((e) => join(e.parentPath, e.name))
    .sort();
}

/** Reads the Java sources of a service (as `{ path relative to the service root: text }`). */
export async function readJavaSources(serviceDir: string): Promise<Map<string, string>> {
  const sources = new Map<string, string>();
  for (const file of await listJava(join(serviceDir, 'src', 'main', 'java'))) {
    sources.set(relative(serviceDir, file).split('\\').join('/'), await readFile(file, 'utf8'));
  }
  const resources = join(serviceDir, 'src', 'main', 'resources');
  const names = await readdir(resources).catch(() => [] as string[]);
  for (const name of names.filter((n) => CONFIG_FILE.test(n)).sort())
    sources.set(`src/main/resources/${name}`, await readFile(join(resources, name), 'utf8'));
  return sources;
}

/** Translates a service from its sources; pure apart from reading the runtime templates. */
export async function portJavaSources(
  serviceName: string,
  sources: ReadonlyMap<string, string>,
  options: PortOptions = {},
): Promise<PortedService> {
  const classes = new Map<string, JavaClass>();
  for (const [path, text] of sources) {
    if (!path.endsWith('.java')) continue;
    for (const cls of await readJavaClasses(path, text)) classes.set(cls.name, cls);
  }
  const redisEntities = new Set(
    [...classes.values()].filter((c) => hasAnnotation(c, 'RedisHash')).map((c) => c.name),
  );
  const roles = new Map<string, ClassRole>(
    [...classes.values()].map((c) => [c.name, resolveRole(c, redisEntities)]),
  );
  const ctx: ServiceContext = {
    classes,
    roles,
    asyncMethods: resolveAsyncMethods(classes, roles),
    todos: [],
    dropped: [],
    ...(options.openapi === undefined ? {} : { openapi: options.openapi }),
  };
  const configEntries = parseConfigSources(sources);
  const configDropped: DroppedConstruct[] = [];
  const props = resolveConfig(configEntries, configDropped);
  const app = [...classes.values()].find((c) => roles.get(c.name) === 'application');
  const rootPackage = app?.packageName ?? '';
  const pathOf = (cls: JavaClass): string => {
    const sub = cls.packageName.startsWith(rootPackage)
      ? cls.packageName.slice(rootPackage.length).replace(/^\./, '')
      : cls.packageName;
    return posix.join('src', ...sub.split('.').filter(Boolean), `${toKebabCase(cls.name)}.ts`);
  };
  const outcomes: MethodOutcome[] = [];
  const files = new Map<string, string>();
  const validated = new Set<string>();
  const applicationDropped: DroppedConstruct[] = [];
  let usesNats = false;
  let subscribesNats = false;
  for (const cls of classes.values()) {
    const role = roles.get(cls.name) ?? 'other';
    const dropped = findDroppedConstructs(cls, role);
    ctx.dropped.push(...dropped);
    // main.ts replaces the application class: its main is carried over, and its @Bean methods (with the
    // static fields they use) stay in a class of their own, which the composition root calls
    const beansOfApp = role === 'application' ? getApplicationBeans(cls) : undefined;
    if (role === 'application') {
      for (const m of cls.methods.filter((m) => m.name === 'main' && m.modifiers.includes('static')))
        outcomes.push({ member: `${cls.name}.${m.name}`, file: cls.file, line: m.line, todos: 0 });
      if (beansOfApp === undefined) {
        applicationDropped.push(...dropped);
        continue;
      }
    }
    const imports = new ImportSet();
    let text: string;
    const before = outcomes.length;
    try {
      text =
        beansOfApp === undefined
          ? translateClass(ctx, cls, role, imports, outcomes)
          : translateBean(ctx, beansOfApp, imports, outcomes);
    } catch (error) {
      throw wrapError(ErrorCode.internal, `cannot port ${cls.file}`, error);
    }
    // what the translation carried after all (bean methods without a TODO, static initialisation, …) is no
    // longer a dropped construct
    const carried = dropped.filter((d) => isCarriedConstruct(d, cls, ctx, outcomes.slice(before)));
    if (carried.length > 0) {
      ctx.dropped.splice(0, ctx.dropped.length, ...ctx.dropped.filter((d) => !carried.includes(d)));
      dropped.splice(0, dropped.length, ...dropped.filter((d) => !carried.includes(d)));
    }
    if (role === 'controller') {
      for (const { method } of getRoutes(cls)) {
        for (const p of method.params)
          if (hasAnnotation(p, 'Valid', 'Validated') && classes.has(p.type.name)) validated.add(p.type.name);
      }
    }
    const path = pathOf(cls);
    if (imports.runtime.has('nats')) usesNats = true;
    if (text.includes('.createDispatcher(')) subscribesNats = true;
    files.set(
      path,
      `${renderImports(
        imports,
        path,
        (name) => {
          const c = classes.get(name);
          return c ? pathOf(c) : undefined;
        },
        cls.name,
        (name) => classes.get(name)?.kind === 'record' || classes.get(name)?.kind === 'enum',
      )}\n${renderDropped(dropped)}${text}\n`,
    );
  }
  const validators = [...validated].flatMap((name) => generateValidators(name, classes));
  if (validators.length > 0) {
    files.set(
      'src/validation.ts',
      `import { HttpMessageNotReadableException, type FieldError } from './runtime/spring-web.ts';\n\n${validators.join('\n\n')}\n`,
    );
  }
  const usesDb = [...roles.values()].includes('jpa-repository');
  const usesRedis = [...roles.values()].includes('redis-repository') || usesRedisTemplate(classes);
  // Spring Boot's defaults, for what application.properties leaves out.
  const defaults: [string, string, boolean][] = [
    ['server.port', '8080', true],
    ['spring.datasource.url', 'jdbc:postgresql://127.0.0.1:5432/postgres', usesDb],
    ['spring.datasource.username', 'postgres', usesDb],
    ['spring.datasource.password', '', usesDb],
  ];
  for (const [key, value, needed] of defaults) if (needed && !props.has(key)) props.set(key, value);
  if (options.openapi !== undefined)
    files.set(OPENAPI_TYPES_FILE, await generateOpenApiTypes(options.openapi));
  configDropped.push(...findDroppedConfig(configEntries, props, usesDb));
  ctx.dropped.push(...configDropped);
  files.set('src/config.ts', `${renderDropped(configDropped)}${generateConfigModule(props)}`);
  if (usesDb) files.set('src/db.ts', generateDbModule());
  if (usesRedis) files.set('src/redis.ts', generateRedisModule());
  const root = {
    serviceName: serviceName,
    classes,
    roles,
    props,
    importPath: (name: string): string => {
      const c = classes.get(name);
      return c ? `./${posix.relative('src', pathOf(c))}` : `./${name}.ts`;
    },
    usesDb,
    usesRedis,
    usesNats,
    subscribesNats,
    dropped: ctx.dropped,
    beanMethods: getCarriedBeanMethods(classes, roles, outcomes),
    staticInits: [...(ctx.staticInits ?? [])].sort(),
  };
  files.set('src/main.ts', `${renderDropped(applicationDropped)}${generateMain(root)}`);
  files.set(COMPONENT_ENTRY_FILE, generateComponent(root));
  for (const [module, text] of await selectRuntimeModules([...files.values()])) {
    files.set(`src/runtime/${module}.ts`, text);
  }
  files.set('package.json', packageJson(serviceName, usesDb, usesRedis, usesNats));
  files.set('tsconfig.json', TSCONFIG);
  for (const [path, text] of files) {
    if (path.endsWith('.ts') && !path.startsWith('src/runtime/')) files.set(path, await formatTs(text, path));
  }
  const typecheck = options.typeCheck === false ? undefined : typeCheckFiles(files);
  const report = createPortReport(serviceName, outcomes, ctx.todos, ctx.dropped, typecheck);
  files.set(PORT_REPORT_FILE, `${JSON.stringify(report, null, 2)}\n`);
  return { files, report };
}

async function formatTs(text: string, path: string): Promise<string> {
  try {
    return await format(text, { parser: 'typescript', singleQuote: true, printWidth: 110 });
  } catch (error) {
    throw wrapError(ErrorCode.internal, `generated ${path} is not valid TypeScript`, error);
  }
}

function translateClass(
  ctx: ServiceContext,
  cls: JavaClass,
  role: ClassRole,
  imports: ImportSet,
  outcomes: MethodOutcome[],
): string {
  switch (role) {
    case 'record':
      return translateRecord(ctx, cls, imports, outcomes);
    case 'entity':
    case 'redis-entity':
    case 'data':
      return translateDataClass(ctx, cls, imports, outcomes);
    case 'exception':
      return translateException(ctx, cls, imports, outcomes);
    case 'enum':
      return translateEnum(cls, outcomes, ctx);
    case 'jpa-repository':
      return translateJpaRepository(ctx, cls, imports, outcomes);
    case 'redis-repository':
      return translateRedisRepository(ctx, cls, imports, outcomes);
    case 'controller': {
      const leading = (m: JavaClass['methods'][number]): string | undefined =>
        `// from ${fileName(cls.file)}:${m.line}`;
      return `${translateBean(ctx, cls, imports, outcomes, leading)}\n\n${generateRoutes(ctx, cls, imports)}`;
    }
    case 'advice':
      return `${translateBean(ctx, cls, imports, outcomes, (m) => `// from ${fileName(cls.file)}:${m.line}`)}\n\n${generateAdvice(ctx, cls, imports)}`;
    case 'bean':
    case 'other':
    case 'application':
      return translateBean(ctx, cls, imports, outcomes);
  }
}

function relativeImport(from: string, to: string): string {
  const rel = posix.relative(dirname(from), to);
  return rel.startsWith('.') ? rel : `./${rel}`;
}

function renderImports(
  imports: ImportSet,
  path: string,
  pathOfClass: (name: string) => string | undefined,
  self: string,
  typeOnlyClass: (name: string) => boolean,
): string {
  const lines: string[] = [];
  for (const [module, names] of [...imports.modules].sort()) {
    const target = module.startsWith('.')
      ? relativeImport(path, posix.join('src', module.replace(/^\.\.\//, '')))
      : module;
    const typeOnly = (n: string): boolean => n === 'PoolClient' || n === 'components' || n === 'JsonOf';
    const sorted = [...names].sort();
    lines.push(
      sorted.every(typeOnly)
        ? `import type { ${sorted.join(', ')} } from '${target}';`
        : `import { ${sorted.map((n) => (typeOnly(n) ? `type ${n}` : n)).join(', ')} } from '${target}';`,
    );
  }
  for (const [module, names] of [...imports.runtime].sort()) {
    const types = new Set([
      'Route',
      'RouteRequest',
      'ErrorHandler',
      'FieldError',
      'Logger',
      'Message',
      'Comparator',
      'MapEntry',
      'TransactionStatus',
      'CommandLineRunner',
      'ApplicationRunner',
      'ApplicationArguments',
    ]);
    lines.push(
      `import { ${[...names]
        .sort()
        .map((n) => (types.has(n) ? `type ${n}` : n))
        .join(', ')} } from '${relativeImport(path, `src/runtime/${module}.ts`)}';`,
    );
  }
  for (const name of [...imports.classes].sort()) {
    const target = pathOfClass(name);
    if (target === undefined || name === self) continue;
    lines.push(
      `import ${typeOnlyClass(name) ? 'type ' : ''}{ ${name} } from '${relativeImport(path, target)}';`,
    );
  }
  return lines.join('\n');
}

function packageJson(name: string, db: boolean, redis: boolean, nats: boolean): string {
  const dependencies: Record<string, string> = {};
  if (db) dependencies.pg = '^8.13.0';
  if (redis) dependencies.ioredis = '^5.4.0';
  if (nats) dependencies.nats = '^2.28.0';
  const devDependencies: Record<string, string> = { '@types/node': '^22.0.0', typescript: '^5.9.0' };
  if (db) devDependencies['@types/pg'] = '^8.11.0';
  return `${JSON.stringify({ name, version: '0.1.0', private: true, type: 'module', engines: { node: '>=22.18' }, scripts: { start: 'node src/main.ts', typecheck: 'tsc --noEmit -p .' }, dependencies, devDependencies }, null, 2)}\n`;
}

const TSCONFIG = `${JSON.stringify(
  {
    compilerOptions: {
      target: 'es2023',
      lib: ['es2023', 'dom'],
      module: 'nodenext',
      moduleResolution: 'nodenext',
      types: ['node'],
      strict: true,
      noEmit: true,
      allowImportingTsExtensions: true,
      verbatimModuleSyntax: true,
      erasableSyntaxOnly: true,
      skipLibCheck: true,
    },
    include: ['src'],
    // The guest entry imports what `migrate codemod` copies (caps/component*.ts) and what `migrate build`
    // generates (component-bind.ts, over WIT modules): the bundler checks it, not tsc.
    exclude: ['src/component.ts', 'src/component-bind.ts'],
  },
  null,
  2,
)}\n`;
