/** The generated `main.ts`: config, pools, beans in dependency order (constructor injection), routes, server. */
import { getAnnotation, hasAnnotation, type JavaClass, type JavaVariable } from './model.ts';
import type { ClassRole } from './roles.ts';
import { getInjectedParams, isInjectedField } from './classes.ts';
import { lowerFirst } from './names.ts';
import { valueExpr } from './config.ts';
import type { DroppedConstruct } from './dropped.ts';

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
}

function argFor(p: JavaVariable, input: RootInput, owner: JavaClass, names: Map<string, string>): string {
  const value = getAnnotation(p, 'Value');
  if (value?.args.value) {
    const expr = valueExpr(value.args.value, input.props);
    return ['int', 'long', 'Integer', 'Long', 'double'].includes(p.type.name) ? `Number(${expr})` : expr;
  }
  if (p.type.name === 'RestClient.Builder' || p.type.name === 'WebClient.Builder')
    return 'RestClient.builder()';
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
  controllers: JavaClass[];
  advice: JavaClass | undefined;
  destroy: string[];
}

/** The beans in dependency order (constructor injection); `store` is what repositories get (`pool`, `redis`). */
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
  const beans = [...input.classes.values()].filter((c) => beanRoles.has(input.roles.get(c.name) ?? 'other'));
  const names = new Map<string, string>();
  const lines: string[] = [];
  const imports = new Set<string>();
  const pending = [...beans];
  while (pending.length > 0) {
    const ready = pending.findIndex((c) => {
      const role = input.roles.get(c.name);
      if (role === 'jpa-repository' || role === 'redis-repository') return true;
      return getInjectedParams(c).every(
        (p) => !beans.some((b) => b.name === p.type.name) || names.has(p.type.name),
      );
    });
    const cls = pending.splice(ready < 0 ? 0 : ready, 1)[0];
    if (!cls) break;
    const variable = lowerFirst(cls.name);
    imports.add(
      `import { ${cls.name}${input.roles.get(cls.name) === 'controller' ? `, ${variable}Routes` : ''}${input.roles.get(cls.name) === 'advice' ? `, ${variable}ErrorHandler` : ''} } from '${input.importPath(cls.name)}';`,
    );
    const role = input.roles.get(cls.name);
    const args =
      role === 'jpa-repository'
        ? [store(role)]
        : role === 'redis-repository'
          ? [store(role)]
          : getInjectedParams(cls).map((p) => argFor(p, input, cls, names));
    lines.push(`const ${variable} = new ${cls.name}(${args.join(', ')});`);
    names.set(cls.name, variable);
  }
  // Field injection once every bean exists, as Spring does (a cycle through fields is allowed).
  for (const cls of beans) {
    for (const f of cls.fields.filter(isInjectedField))
      lines.push(`${lowerFirst(cls.name)}.${f.name} = ${argFor(f, input, cls, names)};`);
  }
  const controllers = beans.filter((c) => input.roles.get(c.name) === 'controller');
  const advice = beans.find((c) => input.roles.get(c.name) === 'advice');
  const destroy = beans.flatMap((c) =>
    c.methods
      .filter((m) => hasAnnotation(m, 'PreDestroy'))
      .map((m) => `await ${lowerFirst(c.name)}.${m.name}();`),
  );
  return { lines, imports, controllers, advice, destroy };
}

/** Where a startup hook runs, in Spring Boot's order: context refreshed, runners, application ready. */
export type StartupPhase = 'refreshed' | 'runner' | 'ready';

const RUNNER_INTERFACES = ['CommandLineRunner', 'ApplicationRunner'];

/**
 * The startup hook a method of a bean is, if main.ts runs it: `run` of a CommandLineRunner/ApplicationRunner,
 * or a parameterless `@EventListener` for ContextRefreshedEvent or ApplicationReadyEvent.
 */
export function getStartupPhase(
  cls: JavaClass,
  method: JavaClass['methods'][number],
): StartupPhase | undefined {
  if (method.name === 'run' && cls.interfaces.some((i) => RUNNER_INTERFACES.includes(i.name)))
    return 'runner';
  const listener = getAnnotation(method, 'EventListener');
  if (listener === undefined || method.params.length > 0) return undefined;
  const events = `${listener.args.value ?? ''} ${listener.args.classes ?? ''}`;
  if (/\bApplicationReadyEvent\b/.test(events)) return 'ready';
  if (/\bContextRefreshedEvent\b/.test(events)) return 'refreshed';
  return undefined;
}

function startupHooks(input: RootInput, phase: StartupPhase): string[] {
  const beanRoles = new Set<ClassRole>(['bean', 'controller', 'advice']);
  return [...input.classes.values()]
    .filter((c) => beanRoles.has(input.roles.get(c.name) ?? 'other'))
    .flatMap((c) =>
      c.methods
        .filter((m) => getStartupPhase(c, m) === phase)
        .map(
          (m) =>
            `await ${lowerFirst(c.name)}.${m.name}(${m.params.length > 0 ? 'process.argv.slice(2)' : ''});`,
        ),
    );
}

export function generateMain(input: RootInput): string {
  const { lines, imports, controllers, advice, destroy } = compose(input, (role) =>
    role === 'jpa-repository' ? 'pool' : 'redis',
  );
  const head = [
    "import { loadConfig } from './config.ts';",
    "import { createLogger } from './runtime/logger.ts';",
    "import { createRouterServer, listen } from './runtime/router.ts';",
    ...(input.usesDb ? ["import { createPool } from './db.ts';"] : []),
    ...(input.usesRedis ? ["import { createRedis } from './redis.ts';"] : []),
    ...(input.usesNats ? ["import { whenAllConnected } from './runtime/nats.ts';"] : []),
    ...(lines.some((l) => l.includes('RestClient.builder()'))
      ? ["import { RestClient } from './runtime/rest-client.ts';"]
      : []),
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
${[...startupHooks(input, 'refreshed'), ...startupHooks(input, 'runner')].join('\n')}
log.info('Started ${input.serviceName} on port {}', port);
${startupHooks(input, 'ready').join('\n')}

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
  const { lines, imports, controllers, advice } = compose(
    input,
    (role) =>
      `undefined as never /* no ${role === 'jpa-repository' ? 'pg pool' : 'Redis client'} in a component: its calls go through caps */`,
  );
  // main.ts reported the same injections
  input.dropped.splice(dropped);
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
    ...(lines.some((l) => l.includes('RestClient.builder()'))
      ? ["import { RestClient } from './runtime/rest-client.ts';"]
      : []),
    ...[...imports].sort(),
  ];
  return `${head.join('\n')}

/**
 * ${input.serviceName} as a WebAssembly component: the composition of main.ts, made on the first request (not while
 * the component is initialised, when no WIT import may be called) and served through wasi:http.
 */
function compose(): Parameters<typeof handleRequest>[0] {
const log = createLogger(${JSON.stringify(input.serviceName)});
${usesConfig ? 'const config = loadConfig();' : ''}
${lines.join('\n')}
return {
routes: [${controllers.map((c) => `...${lowerFirst(c.name)}Routes(${lowerFirst(c.name)})`).join(', ')}],
${advice ? `onError: ${lowerFirst(advice.name)}ErrorHandler(${lowerFirst(advice.name)}),` : ''}
log,
};
}

let options: Parameters<typeof handleRequest>[0] | undefined;
const decoder = new TextDecoder();

export const incomingHandler = createIncomingHandler(async (request) => {
options ??= compose();
const response = await handleRequest(options, {
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
/** wasmcloud:messaging/handler: composes the service first (its listeners subscribe then), then dispatches. */
export const handler = createMessageHandler(() => {
options ??= compose();
});
`
    : ''
}`;
}
