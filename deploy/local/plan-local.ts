/**
 * The pure planner of `migrate up`: from the analysis (services, graph, compose, Spring configuration) and the
 * run's choices (bindings, ports, migrated services, built components) to the containers' environment, the
 * host config, the gateway routes and the message splits. Nothing here is hand-written per estate.
 */
import type { Estate } from '../../analyzer/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { getRequiredCapabilities } from './host-grants.ts';
import type {
  ComponentBuild,
  ContainerSpec,
  InfraBindings,
  LocalPlan,
  MessageSplit,
  ServicePlan,
} from './model.ts';
import {
  assignProperty,
  getPlaceholderNames,
  getReferencedKey,
  getSinglePlaceholder,
  resolveTemplate,
  type SpringProperty,
} from './spring-env.ts';

type Service = Estate['services'][number];

/** A compose service as `up` needs it (values interpolated; secret values come from the environment). */
export interface ComposeServiceInput {
  name: string;
  image?: string;
  build?: { context: string; dockerfile: string };
  env: Record<string, string>;
  healthcheck?: ContainerSpec['healthcheck'];
}

export interface LocalPlanInput {
  estate: Estate;
  /** Estate directory name, used in names and labels. */
  estateName: string;
  /** Absolute estate directory: build contexts resolve against it. */
  estateDir: string;
  runId: string;
  /** Compose services by name (the analysis joins services to them). */
  compose: ReadonlyMap<string, ComposeServiceInput>;
  /** Each service's default-profile Spring properties. */
  springConfig: ReadonlyMap<string, readonly SpringProperty[]>;
  /** Services that also run as components. */
  migrated: readonly string[];
  components: ReadonlyMap<string, ComponentBuild>;
  bindings: InfraBindings;
  /** Gateway port; admin is +1, then container and component ports follow. */
  portBase: number;
  /** Put in front of every subject (isolates a run on a shared NATS). */
  subjectPrefix: string;
  /** Build arguments for every image (e.g. BASE_IMAGE). */
  buildArgs: Record<string, string>;
}

/** `order-service` → `order`. */
export function getRouteName(id: string): string {
  const name = id
    .toLowerCase()
    .replace(/-service$/, '')
    .replace(/[^a-z0-9-]+/g, '-')
    .replace(/^[^a-z]+/, '');
  return name === '' ? 'svc' : name;
}

/** The longest path prefix all of a service's HTTP endpoints share (`/api/order`). */
export function getRoutePrefix(service: Service): string | undefined {
  const paths = service.endpoints
    .filter((e) => e.method !== 'MESSAGE')
    .map((e) => e.path.split('/').filter((s) => s !== ''));
  const [first, ...rest] = paths;
  if (first === undefined) return undefined;
  const common: string[] = [];
  for (const [i, segment] of first.entries()) {
    if (segment.includes('{') || rest.some((p) => p[i] !== segment)) break;
    common.push(segment);
  }
  return common.length === 0 ? undefined : `/${common.join('/')}`;
}

/** The schema a Postgres URL's `options=-c search_path=…` selects (`public` without one). */
export function getPostgresSchema(url: string): string {
  const options = new URL(url).searchParams.get('options') ?? '';
  return /search_path\s*=\s*([^\s,]+)/.exec(options)?.[1] ?? 'public';
}

function jdbcTarget(resolved: string, pgUrl: URL, schema: string): string {
  const jdbc = new URL(resolved.startsWith('jdbc:postgresql:') ? resolved.slice(5) : 'postgresql://x/');
  jdbc.hostname = pgUrl.hostname;
  jdbc.port = pgUrl.port || '5432';
  jdbc.pathname = pgUrl.pathname === '' ? '/postgres' : pgUrl.pathname;
  if (schema !== 'public' || jdbc.searchParams.has('currentSchema'))
    jdbc.searchParams.set('currentSchema', schema);
  return `jdbc:${jdbc.toString()}`;
}

interface Assigner {
  env: Record<string, string>;
  assignments: ContainerSpec['assignments'];
  set(key: string, target: string, why: string): void;
}

function createAssigner(props: readonly SpringProperty[], base: Record<string, string>): Assigner {
  const env = { ...base };
  const assignments: ContainerSpec['assignments'] = [];
  return {
    env,
    assignments,
    set(key, target, why) {
      const property = props.find((p) => p.key === key);
      const assigned =
        property === undefined
          ? assignProperty({ key, value: '', line: 0, file: '' }, target)
          : assignProperty(property, target);
      Object.assign(env, assigned.env);
      assignments.push({ ...assigned, why });
    },
  };
}

/** Sets what every Spring service needs for this run: its port and its connections to Postgres, Redis, NATS. */
function assignConnections(
  a: Assigner,
  props: readonly SpringProperty[],
  input: LocalPlanInput,
  port: number,
) {
  a.set('server.port', String(port), 'with --network host every container needs its own port');
  const pg = new URL(input.bindings.postgres);
  const redis = new URL(input.bindings.redis);
  const schema = getPostgresSchema(input.bindings.postgres);
  for (const property of props) {
    const resolved = resolveTemplate(property.value, a.env);
    if (property.key === 'spring.datasource.url' || resolved.startsWith('jdbc:postgresql:'))
      a.set(
        property.key,
        jdbcTarget(resolved, pg, schema),
        'the Postgres binding (same schema as the component)',
      );
    else if (property.key === 'spring.datasource.username' && pg.username !== '')
      a.set(property.key, decodeURIComponent(pg.username), 'the Postgres binding');
    else if (property.key === 'spring.datasource.password' && pg.password !== '') {
      const name = getSinglePlaceholder(property);
      if (name !== undefined) a.env[name] = decodeURIComponent(pg.password);
    } else if (property.key === 'spring.data.redis.host')
      a.set(property.key, redis.hostname, 'the Redis binding');
    else if (property.key === 'spring.data.redis.port')
      a.set(property.key, redis.port || '6379', 'the Redis binding');
    else if (property.key === 'spring.data.redis.database')
      a.set(property.key, redis.pathname.replace(/^\//, '') || '0', 'the Redis binding (same database)');
    else if (property.key === 'spring.data.redis.url')
      a.set(property.key, input.bindings.redis, 'the Redis binding');
    else if (/^nats:\/\//.test(resolved)) a.set(property.key, input.bindings.nats, 'the NATS binding');
  }
}

interface Messaging {
  /** Property key → run subject, per service and direction. */
  publish: Map<string, Map<string, string>>;
  subscribe: Map<string, Map<string, string>>;
}

function collectMessaging(input: LocalPlanInput, warnings: string[]): Messaging {
  const result: Messaging = { publish: new Map(), subscribe: new Map() };
  for (const service of input.estate.services) {
    const props = input.springConfig.get(service.id) ?? [];
    const env = input.compose.get(service.id)?.env ?? {};
    for (const effect of service.effects) {
      if (effect.kind !== 'publish' && effect.kind !== 'subscribe') continue;
      const key = getReferencedKey(effect.detail.subject);
      const property = key === undefined ? undefined : props.find((p) => p.key === key);
      if (property === undefined || key === undefined) {
        warnings.push(
          `${service.id}: ${effect.kind} on ${effect.detail.subject ?? '?'} (${effect.site.file}:${effect.site.line}) is not set by a property: its subject is used as is (no prefix, no split)`,
        );
        continue;
      }
      const subject = `${input.subjectPrefix}${resolveTemplate(property.value, env)}`;
      const map = effect.kind === 'publish' ? result.publish : result.subscribe;
      const perService = map.get(service.id) ?? new Map<string, string>();
      perService.set(key, subject);
      map.set(service.id, perService);
    }
  }
  return result;
}

/** The subjects the two sides of a migrated subscriber listen on; the splitter feeds them. */
export function getSplitSubjects(runId: string, subject: string): { container: string; wasm: string } {
  return { container: `migrate.${runId}.container.${subject}`, wasm: `migrate.${runId}.wasm.${subject}` };
}

/** Compose env values that name another compose service's host cannot resolve on the host network. */
function findComposeHostNames(env: Record<string, string>, hosts: readonly string[]): string[] {
  return Object.entries(env)
    .filter(([, value]) => hosts.some((h) => new RegExp(`(^|//|@)${h}(:|/|$)`).test(value)))
    .map(([name, value]) => `${name}=${value}`);
}

export function createLocalPlan(input: LocalPlanInput): LocalPlan {
  const warnings: string[] = [];
  const ids = input.estate.services.map((s) => s.id);
  for (const id of input.migrated) {
    if (!ids.includes(id))
      throw new AppError(ErrorCode.notFound, `the estate has no service ${id}`, {
        hint: `services: ${ids.join(', ')}`,
      });
  }
  const gatewayPort = input.portBase;
  const adminPort = input.portBase + 1;
  const gatewayUrl = `http://127.0.0.1:${gatewayPort}`;
  const messaging = collectMessaging(input, warnings);
  const composeHosts = [...input.compose.keys(), ...input.estate.infra.map((i) => i.id)];
  const ports: LocalPlan['ports'] = [
    { port: gatewayPort, owner: 'gateway' },
    { port: adminPort, owner: 'gateway admin' },
  ];
  const splits: MessageSplit[] = [];
  const services: ServicePlan[] = [];
  const hostComponents: Record<string, unknown>[] = [];
  for (const [index, service] of input.estate.services.entries()) {
    const route = getRouteName(service.id);
    const compose = input.compose.get(service.id);
    if (compose === undefined)
      throw new AppError(ErrorCode.input, `${service.id} has no service in the compose file`, {
        hint: 'migrate up builds and runs the legacy side from the compose file: add the service there',
      });
    const props = input.springConfig.get(service.id) ?? [];
    const containerPort = input.portBase + 2 + index * 2;
    const componentPort = containerPort + 1;
    const a = createAssigner(props, compose.env);
    assignConnections(a, props, input, containerPort);
    for (const edge of input.estate.edges) {
      if (edge.from !== service.id || edge.kind !== 'http' || edge.toKind !== 'service') continue;
      const key = getReferencedKey(edge.detail);
      if (key === undefined)
        warnings.push(
          `${service.id} calls ${edge.to} at ${edge.detail} (not a property): not through the gateway`,
        );
      else a.set(key, gatewayUrl, `calls to ${edge.to} go through the gateway`);
    }
    for (const [key, subject] of messaging.publish.get(service.id) ?? [])
      a.set(key, subject, 'subject (publish)');
    const migrated = input.migrated.includes(service.id);
    const subscribed = messaging.subscribe.get(service.id) ?? new Map<string, string>();
    const componentSubjects: Record<string, string> = {};
    for (const [key, subject] of subscribed) {
      if (!migrated) {
        a.set(key, subject, 'subject (subscribe)');
        continue;
      }
      const split = { route, subject, ...getSplitSubjects(input.runId, subject) };
      splits.push(split);
      a.set(key, split.container, 'the splitter sends this side its share of the messages');
      componentSubjects[key] = split.wasm;
    }
    const unresolved = findComposeHostNames(
      Object.fromEntries(Object.entries(a.env).filter(([k]) => compose.env[k] === a.env[k])),
      composeHosts,
    );
    if (unresolved.length > 0)
      warnings.push(
        `${service.id}: ${unresolved.join(', ')} names a compose host, which does not resolve with --network host`,
      );
    const prefix = getRoutePrefix(service) ?? `/${route}`;
    if (getRoutePrefix(service) === undefined)
      warnings.push(`${service.id} has no HTTP endpoint path in common: its route is ${prefix}`);
    const container: ContainerSpec = {
      service: service.id,
      name: `migrate-${input.estateName}-${route}-${input.runId}`,
      image: compose.image ?? `migrate/${input.estateName}-${route}:local`,
      ...(compose.build === undefined
        ? {}
        : { build: { ...compose.build, buildArgs: { ...input.buildArgs } } }),
      env: a.env,
      port: containerPort,
      ...(compose.healthcheck === undefined ? {} : { healthcheck: compose.healthcheck }),
      assignments: a.assignments,
    };
    ports.push({ port: containerPort, owner: `${service.id} container` });
    const plan: ServicePlan = { id: service.id, route, prefix, container };
    if (migrated) {
      const built = input.components.get(service.id);
      if (built === undefined)
        throw new AppError(ErrorCode.notFound, `no component for ${service.id}`, {
          hint: `build it: migrate port ${service.id} --build --target embedded`,
        });
      plan.component = { service: service.id, name: route, port: componentPort, wasm: built.wasm };
      ports.push({ port: componentPort, owner: `${service.id} component` });
      hostComponents.push(
        createHostComponent(service, props, a, built, componentPort, componentSubjects, input),
      );
    }
    services.push(plan);
  }
  return {
    runId: input.runId,
    estate: input.estateName,
    services,
    ...(hostComponents.length === 0
      ? {}
      : {
          hostConfig: {
            backends: {
              postgres: { url: input.bindings.postgres },
              nats: { url: input.bindings.nats },
              redis: { url: input.bindings.redis },
            },
            components: hostComponents,
          },
        }),
    gatewayConfig: {
      listen: { host: '127.0.0.1', port: gatewayPort },
      admin: { host: '127.0.0.1', port: adminPort, tokenEnv: 'MIGRATE_GATEWAY_TOKEN' },
      routes: services.map((s) => ({
        name: s.route,
        prefix: s.prefix,
        container: [`http://127.0.0.1:${s.container.port}`],
        wasm: s.component === undefined ? [] : [`http://127.0.0.1:${s.component.port}`],
        weight: 0,
      })),
    },
    gateway: { url: gatewayUrl, admin: `http://127.0.0.1:${adminPort}`, port: gatewayPort, adminPort },
    splits,
    ports,
    warnings,
  };
}

function createHostComponent(
  service: Service,
  props: readonly SpringProperty[],
  a: Assigner,
  built: ComponentBuild,
  port: number,
  subjects: Record<string, string>,
  input: LocalPlanInput,
): Record<string, unknown> {
  const name = getRouteName(service.id);
  const config: Record<string, string> = {};
  for (const effect of service.effects) {
    if (effect.kind !== 'config' || effect.detail.key === undefined) continue;
    const property = props.find((p) => p.key === effect.detail.key);
    if (property === undefined) continue;
    const override = subjects[property.key];
    for (const variable of getPlaceholderNames(property)) {
      if (override !== undefined) {
        const assigned = assignProperty(property, override).env[variable];
        if (assigned !== undefined) config[variable] = assigned;
      } else if (a.env[variable] !== undefined) config[variable] = a.env[variable];
    }
  }
  const calls = input.estate.edges.some(
    (e) => e.from === service.id && e.kind === 'http' && e.toKind === 'service',
  );
  const handles = built.exports.some((e) => e.startsWith('wasmcloud:messaging/handler'));
  return {
    name,
    wasm: built.wasm,
    port,
    capabilities: getRequiredCapabilities(name, built.imports, built.effectKinds),
    ...(calls ? { allowedHosts: [`127.0.0.1:${input.portBase}`] } : {}),
    config,
    ...(handles && Object.keys(subjects).length > 0 ? { subscriptions: Object.values(subjects) } : {}),
  };
}

/** The ports a run will listen on, numbered as createLocalPlan numbers them (checked before any build). */
export function getRunPorts(
  portBase: number,
  services: readonly string[],
  migrated: readonly string[],
): LocalPlan['ports'] {
  return [
    { port: portBase, owner: 'gateway' },
    { port: portBase + 1, owner: 'gateway admin' },
    ...services.flatMap((id, i) => [
      { port: portBase + 2 + i * 2, owner: `${id} container` },
      ...(migrated.includes(id) ? [{ port: portBase + 3 + i * 2, owner: `${id} component` }] : []),
    ]),
  ];
}
