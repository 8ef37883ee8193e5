/** The generated `main.ts`: config, pools, beans in dependency order (constructor injection), routes, server. */
import { getAnnotation, hasAnnotation, type JavaClass, type JavaMethod, type JavaVariable } from './model.ts';
import type { ClassRole } from './roles.ts';
import { getInjectedParams, isInjectedField } from './classes.ts';
import { lowerFirst } from './names.ts';
import { valueExpr } from './config.ts';
import type { DroppedConstruct } from './dropped.ts';
import { DROPPED_TYPES } from './runtime-names.ts';
import { isRunnerType } from './members.ts';
import { getStartupHooks } from './startup-hooks.ts';
import { STATIC_INIT_METHOD } from './static-init.ts';

export interface RootInput {
  serviceName: string;
  classes: ReadonlyMap<string, JavaClass>;
  roles: ReadonlyMap<string, ClassRole>;
  props: ReadonlyMap<string, string>;
  importPath: (className: string) => string;
  usesDb: boolean;
  usesRedis: boolean;
  usesNats: boolean;
  /** A bean subscribes (`createDispatcher`): the component exports wasmcloud:messaging/handler. */
  subscribesNats?: boolean;
  dropped: DroppedConstruct[];
  /** `@Bean` methods that translated without a TODO: the composition root calls them and injects what they make. */
  beanMethods?: readonly { owner: JavaClass; method: JavaMethod }[];
  /** Classes with a `static initStatics()`: called once before the beans are made. */
  staticInits?: readonly string[];
}

/** What an injection point gets, or a TODO naming the missing bean (also reported). */
function argFor(
  p: JavaVariable,
  input: RootInput,
  owner: JavaClass,
  names: Map<string, string>,
  redis: string,
): string {
  const value = getAnnotation(p, 'Value');
  if (value?.args.value) {
    const expr = valueExpr(value.args.value, input.props);
    return ['int', 'long', 'Integer', 'Long', 'double'].includes(p.type.name) ? `Number(${expr})` : expr;
  }
  if (p.type.name === 'RestClient.Builder' || p.type.name === 'WebClient.Builder')
    return 'RestClient.builder()';
  if (p.type.name === 'StringRedisTemplate') return `new StringRedisTemplate(${redis})`;
  // Spring Boot's auto-configured TransactionTemplate: runtime/transaction.ts (its calls are TODOs: no transaction)
  if (p.type.name === 'TransactionTemplate') return 'new TransactionTemplate()';
  const bean = names.get(p.type.name);
  if (bean) return bean;
  const why = `no bean of type ${p.type.name} for ${owner.name}`;
  input.dropped.push({
    file: owner.file,
    line: p.line,
    construct: 'injection',
    member: `${owner.name}.constructor`,
    why,
    java: `${p.type.name} ${p.name}`,
  });
  return `undefined as never /* TODO(migrate): ${why} */`;
}

interface Composition {
  lines: string[];
  imports: Set<string>;
  beans: JavaClass[];
  controllers: JavaClass[];
  advice: JavaClass | undefined;
  destroy: string[];
  /** Variables holding the runners `@Bean` methods made. */
  runners: string[];
}

/** True when the class uses a StringRedisTemplate (the composition root gives it one over the Redis client). */
export function usesRedisTemplate(classes: ReadonlyMap<string, JavaClass>): boolean {
  const injected = (v: JavaVariable): boolean => v.type.name === 'StringRedisTemplate';
  return [...classes.values()].some(
    (c) =>
      c.fields.some(injected) ||
      c.constructors.some((k) => k.params.some(injected)) ||
      c.methods.some((m) => hasAnnotation(m, 'Bean') && m.params.some(injected)),
  );
}

type Item = { kind: 'class'; cls: JavaClass } | { kind: 'bean'; owner: JavaClass; method: JavaMethod };

/**
 * The beans in dependency order: classes (constructor injection) and what `@Bean` methods make, each made once
 * what it needs exists; `store` is what repositories get (`pool`, `redis`).
 */
function compose(
  input: RootInput,
  store: (role: 'jpa-repository' | 'redis-repository') => string,
): Composition {
  const beanRoles = new Set<ClassRole>([
    'jpa-repository',
    'redis-repository',
    'bean',
    'controller',
    'advice',
  ]);
  const beanMethods = input.beanMethods ?? [];
  const beans = [...input.classes.values()].filter(
    (c) =>
      beanRoles.has(input.roles.get(c.name) ?? 'other') ||
      (input.roles.get(c.name) === 'application' && beanMethods.some((b) => b.owner.name === c.name)),
  );
  const provided = new Set([
    ...beans.map((b) => b.name),
    ...beanMethods.map((b) => b.method.returnType?.name ?? ''),
  ]);
  const names = new Map<string, string>();
  const lines: string[] = [];
  const imports = new Set<string>();
  const runners: string[] = [];
  const redis = store('redis-repository');
  const needs = (params: readonly JavaVariable[]): boolean =>
    params.every((p) => !provided.has(p.type.name) || names.has(p.type.name));
  const pending: Item[] = [
    ...beans.map((cls): Item => ({ kind: 'class', cls })),
    ...beanMethods.map(({ owner, method }): Item => ({ kind: 'bean', owner, method })),
  ];
  while (pending.length > 0) {
    const ready = pending.findIndex((item) => {
      if (item.kind === 'bean') return names.has(item.owner.name) && needs(item.method.params);
      const role = input.roles.get(item.cls.name);
      return role === 'jpa-repository' || role === 'redis-repository' || needs(getInjectedParams(item.cls));
    });
    const item = pending.splice(ready < 0 ? 0 : ready, 1)[0];
    if (!item) break;
    if (item.kind === 'bean') {
      const { owner, method } = item;
      // a bean class's variable may already have the method's name (`seedTags` of SeedTags.seedTags)
      const taken =
        names.has(method.returnType?.name ?? '') || beans.some((b) => lowerFirst(b.name) === method.name);
      const variable = taken ? `${method.name}Bean` : method.name;
      const args = method.params.map((p) => argFor(p, input, owner, names, redis));
      lines.push(`const ${variable} = ${lowerFirst(owner.name)}.${method.name}(${args.join(', ')});`);
      if (isRunnerType(method.returnType)) runners.push(variable);
      else if (method.returnType) names.set(method.returnType.name, variable);
      continue;
    }
    const cls = item.cls;
    const variable = lowerFirst(cls.name);
    const role = input.roles.get(cls.name);
    imports.add(
      `import { ${cls.name}${role === 'controller' ? `, ${variable}Routes` : ''}${role === 'advice' ? `, ${variable}ErrorHandler` : ''} } from '${input.importPath(cls.name)}';`,
    );
    const args =
      role === 'jpa-repository' || role === 'redis-repository'
        ? [store(role)]
        : getInjectedParams(cls).map((p) => argFor(p, input, cls, names, redis));
    lines.push(`const ${variable} = new ${cls.name}(${args.join(', ')});`);
    names.set(cls.name, variable);
  }
  // Field injection once every bean exists, as Spring does (a cycle through fields is allowed). Types the port
  // removes (ObjectMapper: JSON is built in) are not injected.
  for (const cls of beans) {
    for (const f of cls.fields.filter((f) => isInjectedField(f) && !DROPPED_TYPES.has(f.type.name)))
      lines.push(`${lowerFirst(cls.name)}.${f.name} = ${argFor(f, input, cls, names, redis)};`);
  }
  for (const name of input.staticInits ?? []) {
    imports.add(`import { ${name} } from '${input.importPath(name)}';`);
    // Java initialises a class before its first use: here, before any bean is made
    lines.unshift(`${name}.${STATIC_INIT_METHOD}();`);
  }
  const controllers = beans.filter((c) => input.roles.get(c.name) === 'controller');
  const advice = beans.find((c) => input.roles.get(c.name) === 'advice');
  const destroy = beans.flatMap((c) =>
    c.methods
      .filter((m) => hasAnnotation(m, 'PreDestroy'))
      .map((m) => `await ${lowerFirst(c.name)}.${m.name}();`),
  );
  for (const { method } of beanMethods) {
    const destroyMethod = getAnnotation(method, 'Bean')?.args.destroyMethod?.replace(/^"|"$/g, '');
    const variable = names.get(method.returnType?.name ?? '');
    if (destroyMethod && variable) destroy.push(`await ${variable}.${destroyMethod}();`);
  }
  return { lines, imports, beans, controllers, advice, destroy, runners };
}

/** The runtime imports the composition's lines need. */
function runtimeImports(lines: readonly string[]): string[] {
  return [
    ...(lines.some((l) => l.includes('RestClient.builder()'))
      ? ["import { RestClient } from './runtime/rest-client.ts';"]
      : []),
    ...(lines.some((l) => l.includes('new StringRedisTemplate('))
      ? ["import { StringRedisTemplate } from './runtime/redis-template.ts';"]
      : []),
    ...(lines.some((l) => l.includes('new TransactionTemplate()'))
      ? ["import { TransactionTemplate } from './runtime/transaction.ts';"]
      : []),
  ];
}

export function generateMain(input: RootInput): string {
  const { lines, imports, beans, controllers, advice, destroy, runners } = compose(input, (role) =>
    role === 'jpa-repository' ? 'pool' : 'redis',
  );
  const hooks = (phase: Parameters<typeof getStartupHooks>[2]): string[] =>
    getStartupHooks(beans, runners, phase, 'process.argv.slice(2)');
  const head = [
    "import { loadConfig } from './config.ts';",
    "import { createLogger } from './runtime/logger.ts';",
    "import { createRouterServer, listen } from './runtime/router.ts';",
    ...(input.usesDb ? ["import { createPool } from './db.ts';"] : []),
    ...(input.usesRedis ? ["import { createRedis } from './redis.ts';"] : []),
    ...(input.usesNats ? ["import { whenAllConnected } from './runtime/nats.ts';"] : []),
    ...runtimeImports(lines),
    ...[...imports].sort(),
  ];
  const usesConfigValue = lines.some((l) => l.includes('configValue('));
  if (usesConfigValue) head[0] = "import { configValue, loadConfig } from './config.ts';";
  return `${head.join('\n')}

/** Composition root of ${input.serviceName}: what Spring's context did, in plain constructor calls. */
const log = createLogger(${JSON.stringify(input.serviceName)});
const config = loadConfig();
${input.usesDb ? 'const pool = createPool(config);' : ''}
${input.usesRedis ? 'const redis = createRedis(config);\nawait redis.connect();' : ''}
${lines.join('\n')}
${input.usesNats ? 'await whenAllConnected();' : ''}

const server = createRouterServer({
routes: [${controllers.map((c) => `...${lowerFirst(c.name)}Routes(${lowerFirst(c.name)})`).join(', ')}],
${advice ? `onError: ${lowerFirst(advice.name)}ErrorHandler(${lowerFirst(advice.name)}),` : ''}
log,
});
const port = await listen(server, Number(config['server.port']));
${[...hooks('refreshed'), ...hooks('runner')].join('\n')}
log.info('Started ${input.serviceName} on port {}', port);
${hooks('ready').join('\n')}

async function shutdown(): Promise<void> {
server.close();
${destroy.join('\n')}
${input.usesDb ? 'await pool.end();' : ''}
${input.usesRedis ? 'redis.disconnect();' : ''}
}

for (const signal of ['SIGINT', 'SIGTERM'] as const) {
process.once(signal, () => {
void shutdown().finally(() => process.exit(0));
});
}
`;
}

/** The guest entry `migrate build` compiles, relative to the service directory. */
export const COMPONENT_ENTRY_FILE = 'src/component.ts';

/**
 * The generated `src/component.ts`: the composition of `main.ts` as a WebAssembly component. The facade is bound
 * by `./component-bind.ts` (which `migrate build` generates from the world's imports, and which is imported first
 * so it runs before any service module); repositories get no pg pool or Redis client (the codemod moved their
 * calls onto `caps`); requests come in through the wasi:http adapter (`caps/component-http.ts`, copied by
 * `migrate codemod`) and go to the router's `handleRequest`. A service whose beans subscribe to NATS also exports
 * the messaging handler (`caps/component-messaging.ts`), which composes the service on the first message too.
 */
export function generateComponent(input: RootInput): string {
  const dropped = input.dropped.length;
  const { lines, imports, beans, controllers, advice, runners } = compose(
    input,
    (role) =>
      `undefined as never /* no ${role === 'jpa-repository' ? 'pg pool' : 'Redis client'} in a component: its calls go through caps */`,
  );
  // main.ts reported the same injections
  input.dropped.splice(dropped);
  // a component has no command line: runners get no arguments
  const hooks = (['refreshed', 'runner', 'ready'] as const).flatMap((phase) =>
    getStartupHooks(beans, runners, phase, '[]'),
  );
  const usesConfig = lines.some((l) => /\bconfig(Value\(|\[)/.test(l));
  const head = [
    "import './component-bind.ts';",
    "import { createIncomingHandler } from './caps/component-http.ts';",
    ...(input.subscribesNats === true
      ? ["import { createMessageHandler } from './caps/component-messaging.ts';"]
      : []),
    ...(usesConfig
      ? [
          `import { ${lines.some((l) => l.includes('configValue(')) ? 'configValue, ' : ''}loadConfig } from './config.ts';`,
        ]
      : []),
    "import { createLogger } from './runtime/logger.ts';",
    "import { handleRequest } from './runtime/router.ts';",
    ...runtimeImports(lines),
    ...[...imports].sort(),
  ];
  return `${head.join('\n')}

/** The composed service: what the router serves, and its startup hooks' run. */
interface Composed {
options: Parameters<typeof handleRequest>[0];
/** Spring Boot's startup hooks (listeners, runners), run once; requests wait for them, as the JVM's port opened after them. */
started: Promise<void>;
}

/**
 * ${input.serviceName} as a WebAssembly component: the composition of main.ts, made on the first request or message
 * (not while the component is initialised, when no WIT import may be called) and served through wasi:http.
 */
function compose(): Composed {
const log = createLogger(${JSON.stringify(input.serviceName)});
${usesConfig ? 'const config = loadConfig();' : ''}
${lines.join('\n')}
${
  hooks.length === 0
    ? 'const started = Promise.resolve();'
    : `const started = (async (): Promise<void> => {\n${hooks.join('\n')}\n})();
// a failed hook fails every request (as a failed start stops the JVM); it is logged once here
started.catch((error: unknown) => log.error('Application run failed', error));`
}
return {
options: {
routes: [${controllers.map((c) => `...${lowerFirst(c.name)}Routes(${lowerFirst(c.name)})`).join(', ')}],
${advice ? `onError: ${lowerFirst(advice.name)}ErrorHandler(${lowerFirst(advice.name)}),` : ''}
log,
},
started,
};
}

let composed: Composed | undefined;
const decoder = new TextDecoder();

export const incomingHandler = createIncomingHandler(async (request) => {
composed ??= compose();
await composed.started;
const response = await handleRequest(composed.options, {
method: request.method,
url: request.query === '' ? request.path : \`\${request.path}?\${request.query}\`,
headers: request.headers,
body: decoder.decode(request.body),
});
return {
status: response.status,
headers: { ...response.headers },
...(response.body === undefined ? {} : { body: response.body }),
};
});
${
  input.subscribesNats === true
    ? `
/**
 * wasmcloud:messaging/handler: composes the service first, then dispatches. Its listeners subscribe in the startup
 * hooks, which run up to their first wait within compose(): a subscription made before that is in place.
 */
export const handler = createMessageHandler(() => {
composed ??= compose();
});
`
    : ''
}`;
}
