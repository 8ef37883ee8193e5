import { randomBytes } from 'node:crypto';
import { existsSync, readFileSync } from 'node:fs';
import { readFile } from 'node:fs/promises';
import { basename, join, resolve } from 'node:path';
import { parse } from 'yaml';
import { analyzeEstate, type Estate } from '../../analyzer/index.ts';
import { getServiceName, loadBuildPlan, readComponentInterfaces } from '../../codemods/index.ts';
import {
  checkBindings,
  checkInfraImages,
  checkPorts,
  connectEngine,
  createLocalPlan,
  getRouteName,
  getRunPorts,
  planComposeInfra,
  readCompose,
  readSpringProperties,
  readUpState,
  runUp,
  type ComponentBuild,
  type InfraBindings,
} from '../../deploy/local/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand, CommandContext } from '../command.ts';
import { portAndBuild } from './port.ts';
import { readLocalStatus, reportLocalStatus } from './local-status.ts';
import { configureKubeUpOptions, runKubeUp } from './kube-up.ts';

type Service = Estate['services'][number];

export const DEFAULT_BINDINGS: InfraBindings = {
  postgres: 'postgres://postgres@127.0.0.1:5432/test',
  nats: 'nats://127.0.0.1:4222',
  redis: 'redis://127.0.0.1:6379/0',
};

/** What a plan.yaml may say that `up` uses (the planner's full schema is its own): services and bindings. */
interface PlanHints {
  services?: string[];
  bindings: Partial<InfraBindings>;
}

function readPlanHints(file: string): PlanHints {
  let doc: Record<string, unknown>;
  try {
    doc = (parse(readFileSync(file, 'utf8')) ?? {}) as Record<string, unknown>;
  } catch (error) {
    throw new AppError(ErrorCode.config, `cannot read the plan ${file}: ${(error as Error).message}`, {
      hint: 'pass the plan.yaml `migrate plan` wrote',
    });
  }
  const services = Array.isArray(doc['services'])
    ? (doc['services'] as Record<string, unknown>[])
        .filter((s) => s['include'] !== false)
        .map((s) => s['id'] ?? s['name'])
        .filter((s): s is string => typeof s === 'string')
        .filter((s) => s !== '')
    : undefined;
  const bindings: Partial<InfraBindings> = {};
  const raw = (doc['bindings'] ?? {}) as Record<string, unknown>;
  for (const key of ['postgres', 'nats', 'redis'] as const) {
    const value = raw[key];
    const url = typeof value === 'string' ? value : (value as { url?: unknown } | undefined)?.url;
    if (typeof url === 'string') bindings[key] = url;
  }
  return { ...(services === undefined ? {} : { services }), bindings };
}

/** `order` or `order-service` → the estate's service id; unknown names are an error listing the services. */
export function resolveServices(estate: Estate, names: readonly string[]): string[] {
  return names.map((name) => {
    const found = estate.services.find(
      (s) => s.id === name || s.name === name || getRouteName(s.id) === name,
    );
    if (found === undefined)
      throw new AppError(ErrorCode.notFound, `the estate has no service ${name}`, {
        hint: `services: ${estate.services.map((s) => `${s.id} (${getRouteName(s.id)})`).join(', ')}`,
      });
    return found.id;
  });
}

/** `--services order,inventory` as a list; undefined when not given. */
function parseServicesOption(value: unknown): string[] | undefined {
  if (typeof value !== 'string') return undefined;
  return value
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

function parseUrlOption(name: string, value: unknown): string | undefined {
  if (value === undefined) return undefined;
  if (typeof value !== 'string' || !URL.canParse(value))
    throw new AppError(ErrorCode.usage, `--${name} is not a URL: ${JSON.stringify(value)}`);
  return value;
}

async function ensureComponent(
  context: CommandContext,
  estateDir: string,
  service: Service,
  portedDir: string,
): Promise<ComponentBuild> {
  const root = join(portedDir, service.id);
  if (existsSync(join(root, 'package.json'))) {
    const wasm = join(root, 'dist', `${getServiceName(root)}.wasm`);
    if (existsSync(wasm)) {
      const plan = loadBuildPlan(root, 'embedded');
      // the component's own imports: the engine adds some its world does not list (e.g. a handler's types)
      const { imports, exports } = await readComponentInterfaces(new Uint8Array(await readFile(wasm)));
      return { service: service.id, wasm, imports, exports, effectKinds: plan.effectKinds };
    }
  }
  context.output.log(
    `${service.id}: no component in ${root}; porting and building it (migrate port --build)`,
  );
  const { built } = await portAndBuild(context, estateDir, service, root, 'embedded');
  return {
    service: service.id,
    wasm: built.out,
    imports: built.imports,
    exports: built.exports,
    effectKinds: built.plan.effectKinds,
  };
}

function parseBuildArgs(value: unknown, flag = '--build-arg'): Record<string, string> {
  const out: Record<string, string> = {};
  for (const entry of Array.isArray(value) ? (value as string[]) : []) {
    const eq = entry.indexOf('=');
    if (eq <= 0) throw new AppError(ErrorCode.usage, `${flag} wants NAME=value, got ${entry}`);
    out[entry.slice(0, eq)] = entry.slice(eq + 1);
  }
  return out;
}

export const upCommand: CliCommand = {
  name: 'up',
  summary:
    'run the estate side by side on this machine: legacy containers (its Dockerfiles), components in the host, the gateway in front (weight 0)',
  group: 'run',
  examples: [
    'migrate up --estate samples/spring-orders',
    'migrate up --estate samples/spring-orders --services order,inventory --port-base 18400 --json',
    'migrate up --kubernetes --estate samples/spring-orders --target wasmcloud --registry 127.0.0.1:5000/shop --router httproute',
  ],
  reports: true,
  configure: (command) => {
    command.option('--estate <dir>', 'the estate root (its compose file, Dockerfiles and sources)', '.');
    command.option('--plan <file>', 'plan.yaml from migrate plan: which services migrate, which backends');
    command.option(
      '--services <list>',
      'services that also run as components (default: all; e.g. order,inventory)',
    );
    command.option(
      '--infra <mode>',
      'existing (bind to running servers) or compose (start the compose file’s)',
      'existing',
    );
    command.option(
      '--postgres <url>',
      `Postgres (default ${DEFAULT_BINDINGS.postgres}; options=-c search_path=<schema>)`,
    );
    command.option('--nats <url>', `NATS (default ${DEFAULT_BINDINGS.nats})`);
    command.option('--redis <url>', `Redis, database in the path (default ${DEFAULT_BINDINGS.redis})`);
    command.option('--subject-prefix <text>', 'put in front of every NATS subject (isolates a run)', '');
    command.option(
      '--port-base <n>',
      'gateway port; admin n+1; then a container and a component port per service',
      '18400',
    );
    command.option('--run-dir <dir>', 'where the state file, generated configs and logs go', '.migrate');
    command.option('--ported <dir>', 'where ported components are (built there when missing)', 'ported');
    command.option('--build-arg <NAME=value...>', 'build argument for every image (e.g. BASE_IMAGE=…)');
    command.option('--env <NAME=value...>', 'set a variable in every legacy container (e.g. JAVA_OPTS=…)');
    command.option('--timeout <seconds>', 'bound on each wait (containers healthy, processes ready)', '300');
    configureKubeUpOptions(command);
  },
  async run(context, _args, options) {
    if (options.kubernetes === true) {
      const plan =
        typeof options.plan === 'string' ? readPlanHints(resolve(context.cwd, options.plan)) : undefined;
      const names = parseServicesOption(options.services) ?? plan?.services;
      return runKubeUp(context, options, names && ((estate) => resolveServices(estate, names)));
    }
    const output = context.output;
    const runDir = resolve(context.cwd, String(options.runDir));
    const existing = await readUpState(runDir);
    if (existing !== undefined) {
      const status = await readLocalStatus(existing, context);
      if (status.healthy) {
        output.log(`${existing.estate} is already up (run ${existing.runId}): nothing to do`);
        await reportLocalStatus(context, status, undefined);
        return;
      }
      throw new AppError(
        ErrorCode.config,
        `a previous migrate up (run ${existing.runId}) is ${existing.phase === 'up' ? 'not healthy' : 'unfinished'}`,
        {
          hint: `see migrate status --run-dir ${String(options.runDir)}; run migrate down --run-dir ${String(options.runDir)} first`,
        },
      );
    }
    const infraMode = String(options.infra);
    if (infraMode !== 'existing' && infraMode !== 'compose')
      throw new AppError(ErrorCode.usage, `--infra is existing or compose, got ${infraMode}`);
    const portBase = Number(options.portBase);
    if (!Number.isInteger(portBase) || portBase < 1024 || portBase > 65000)
      throw new AppError(
        ErrorCode.usage,
        `--port-base must be a port between 1024 and 65000, got ${String(options.portBase)}`,
      );
    const timeoutMs = Number(options.timeout) * 1000;
    if (!(timeoutMs > 0))
      throw new AppError(ErrorCode.usage, '--timeout must be a positive number of seconds');
    const hints: PlanHints =
      typeof options.plan === 'string' ? readPlanHints(resolve(context.cwd, options.plan)) : { bindings: {} };
    const estateDir = resolve(context.cwd, String(options.estate));
    output.progress(`analyzing ${estateDir}`);
    const estate = await analyzeEstate(estateDir, { signal: context.signal });
    if (estate.services.length === 0)
      throw new AppError(ErrorCode.input, `no service found in ${estateDir}`, {
        hint: 'pass --estate <dir>',
      });
    const requested =
      parseServicesOption(options.services) ?? hints.services ?? estate.services.map((s) => s.id);
    const migrated = resolveServices(estate, requested);
    const engine = await connectEngine(context.env.DOCKER_HOST);
    const compose = await readCompose(estateDir, estate, context.env);
    await checkPorts(
      getRunPorts(
        portBase,
        estate.services.map((s) => s.id),
        migrated,
      ),
    );
    let infra;
    let bindings: InfraBindings;
    if (infraMode === 'compose') {
      infra = await planComposeInfra(estateDir, compose.file, estate, context.env);
      await checkInfraImages(engine, infra, (m) => output.progress(m));
      bindings = { ...DEFAULT_BINDINGS, ...hints.bindings, ...infra.bindings };
    } else {
      bindings = {
        postgres:
          parseUrlOption('postgres', options.postgres) ??
          hints.bindings.postgres ??
          DEFAULT_BINDINGS.postgres,
        nats: parseUrlOption('nats', options.nats) ?? hints.bindings.nats ?? DEFAULT_BINDINGS.nats,
        redis: parseUrlOption('redis', options.redis) ?? hints.bindings.redis ?? DEFAULT_BINDINGS.redis,
      };
      await checkBindings(bindings);
    }
    const components = new Map<string, ComponentBuild>();
    const portedDir = resolve(context.cwd, String(options.ported));
    for (const id of migrated) {
      const service = estate.services.find((s) => s.id === id)!;
      components.set(id, await ensureComponent(context, estateDir, service, portedDir));
    }
    const springConfig = new Map(
      await Promise.all(
        estate.services.map(async (s) => [s.id, await readSpringProperties(estateDir, s.root)] as const),
      ),
    );
    const runId = randomBytes(4).toString('hex');
    const plan = createLocalPlan({
      estate,
      estateName: basename(estateDir)
        .toLowerCase()
        .replace(/[^a-z0-9-]+/g, '-'),
      estateDir,
      runId,
      compose: compose.services,
      springConfig,
      migrated,
      components,
      bindings,
      portBase,
      subjectPrefix: typeof options.subjectPrefix === 'string' ? options.subjectPrefix : '',
      buildArgs: parseBuildArgs(options.buildArg),
    });
    plan.warnings.unshift(...compose.warnings);
    const extraEnv = parseBuildArgs(options.env, '--env');
    for (const service of plan.services) Object.assign(service.container.env, extraEnv);
    for (const warning of plan.warnings) output.warn(warning);
    await checkPorts(plan.ports);
    const started = Date.now();
    const state = await runUp({
      plan,
      engine,
      bindings,
      runDir,
      estateDir,
      token: randomBytes(16).toString('hex'),
      cwd: context.cwd,
      env: context.env,
      timeoutMs,
      signal: context.signal,
      progress: (m) => output.progress(m),
      log: (m) => output.log(m),
      ...(infra === undefined ? {} : { infra }),
    });
    const status = await readLocalStatus(state, context);
    await reportLocalStatus(context, status, (Date.now() - started) / 1000);
  },
};
