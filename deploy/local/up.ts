/**
 * `migrate up` as effects: checks first (ports, backends, base images), then builds the legacy images, starts
 * the containers, waits for them to be healthy, and starts the gateway, the component host and the message
 * splitter as supervised processes. Every object is recorded in the state file the moment it exists; a failure
 * or a cancel removes what this run created (and only that) before the error is reported.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import pg from 'pg';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import { getBaseImages } from './base-images.ts';
import { startComposeInfra, type ComposeInfraResult } from './compose-infra.ts';
import {
  buildImage,
  getBuildKey,
  getImageLabel,
  createContainer,
  getContainerLogTail,
  hasImage,
  inspectContainer,
  pullImage,
  startContainer,
  type Engine,
} from './docker-engine.ts';
import { runDown } from './down.ts';
import type { InfraBindings, LocalPlan } from './model.ts';
import { getPostgresSchema } from './plan-local.ts';
import { isAlive, readLogTail, spawnSupervised, type ProcessRecord } from './processes.ts';
import { isListening, isPortFree, throwIfCancelled, waitFor } from './readiness.ts';
import { LABELS, writeUpState, type UpState } from './state.ts';

export interface UpRequest {
  plan: LocalPlan;
  engine: Engine;
  bindings: InfraBindings;
  runDir: string;
  estateDir: string;
  token: string;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Bound on each wait (containers healthy, processes ready). */
  timeoutMs: number;
  signal: AbortSignal;
  progress: (message: string | undefined) => void;
  log: (message: string) => void;
  /** `--infra compose`: the compose file's infra services to start first (images already checked). */
  infra?: ComposeInfraResult;
}

export const BASE_IMAGE_HINT =
  'no registry is reachable from this engine: load the image (`docker load -i image.tar`), build one and tag it ' +
  'with this name (for a Java runtime: scripts/ensure-jre-image.sh <name> in the migrate checkout), or point the ' +
  "Dockerfile's ARG at an image you have (migrate up --build-arg BASE_IMAGE=<image>)";

export async function checkPorts(ports: LocalPlan['ports']): Promise<void> {
  for (const { port, owner } of ports) {
    if (!(await isPortFree(port)))
      throw new AppError(ErrorCode.config, `port ${port} (for the ${owner}) is already in use on 127.0.0.1`, {
        hint: 'stop what listens there, or pick other ports with --port-base <n> (the run uses n..n+2+2×services)',
      });
  }
}

/** The backends must answer before anything is built: a clear error now beats a crash-looping container. */
export async function checkBindings(bindings: InfraBindings): Promise<void> {
  const defaults = { postgres: 5432, nats: 4222, redis: 6379 };
  for (const name of ['postgres', 'nats', 'redis'] as const) {
    const url = bindings[name];
    const parsed = new URL(url);
    const port = Number(parsed.port || defaults[name]);
    if (!(await isListening(parsed.hostname, port)))
      throw new AppError(
        ErrorCode.backend,
        `${name} does not answer at ${parsed.hostname}:${port} (${url})`,
        {
          hint: `start it, or pass --${name} <url> (or --infra compose to start the compose file's ${name})`,
        },
      );
  }
}

function labelsFor(plan: LocalPlan, service: string, role: string): Record<string, string> {
  return {
    [LABELS.managed]: 'true',
    [LABELS.estate]: plan.estate,
    [LABELS.run]: plan.runId,
    [LABELS.service]: service,
    [LABELS.role]: role,
  };
}

async function ensureSchema(request: UpRequest, state: UpState): Promise<void> {
  const name = getPostgresSchema(request.bindings.postgres);
  if (name === 'public') return;
  const client = new pg.Client({ connectionString: request.bindings.postgres });
  try {
    await client.connect();
    const found = await client.query('SELECT 1 FROM pg_namespace WHERE nspname = $1', [name]);
    if (found.rowCount === 0) {
      await client.query(`CREATE SCHEMA "${name.replaceAll('"', '""')}"`);
      state.schema = { url: request.bindings.postgres, name };
      await writeUpState(request.runDir, state);
    }
  } catch (error) {
    throw wrapError(
      ErrorCode.backend,
      `cannot prepare the Postgres schema ${name}`,
      error,
      'check --postgres',
    );
  } finally {
    await client.end().catch(() => undefined);
  }
}

async function ensureImages(request: UpRequest): Promise<void> {
  const { plan, engine } = request;
  for (const service of plan.services) {
    throwIfCancelled(request.signal);
    const spec = service.container;
    if (spec.build === undefined) {
      if (!(await hasImage(engine, spec.image)))
        await pullImage(engine, spec.image, request.progress, BASE_IMAGE_HINT);
      continue;
    }
    const dockerfile = join(spec.build.context, spec.build.dockerfile);
    const text = await readFile(dockerfile, 'utf8').catch((error: unknown) => {
      throw wrapError(ErrorCode.notFound, `cannot read ${dockerfile} (${service.id})`, error);
    });
    const bases = getBaseImages(text, spec.build.buildArgs);
    for (const base of bases) {
      if (await hasImage(engine, base)) continue;
      request.log(`${service.id}: base image ${base} is not in the engine; pulling`);
      await pullImage(
        engine,
        base,
        request.progress,
        `${spec.build.dockerfile} builds FROM ${base}: ${BASE_IMAGE_HINT}`,
      );
    }
    const buildKey = await getBuildKey(engine, spec.build, bases);
    if ((await getImageLabel(engine, spec.image, LABELS.buildKey)) === buildKey) {
      request.log(
        `${service.id}: ${spec.image} is up to date (same Dockerfile, build args, context files and base image)`,
      );
      continue;
    }
    request.log(`${service.id}: building ${spec.image} from ${spec.build.dockerfile}`);
    await buildImage(
      engine,
      {
        context: spec.build.context,
        dockerfile: spec.build.dockerfile,
        tag: spec.image,
        buildArgs: spec.build.buildArgs,
        labels: { [LABELS.managed]: 'true', [LABELS.estate]: plan.estate, [LABELS.buildKey]: buildKey },
      },
      request.progress,
      request.signal,
    );
  }
}

async function startContainers(request: UpRequest, state: UpState): Promise<void> {
  const { plan, engine } = request;
  for (const service of plan.services) {
    throwIfCancelled(request.signal);
    const spec = service.container;
    const id = await createContainer(engine, {
      name: spec.name,
      image: spec.image,
      env: spec.env,
      labels: labelsFor(plan, service.id, 'legacy'),
      hostNetwork: true,
      ...(spec.healthcheck === undefined ? {} : { healthcheck: spec.healthcheck }),
    });
    state.containers.push({ id, name: spec.name, service: service.id });
    await writeUpState(request.runDir, state);
    await startContainer(engine, id, spec.name);
  }
  for (const service of plan.services) {
    const { id, name } = state.containers.find((c) => c.service === service.id)!;
    request.progress(`waiting for ${name} to be healthy`);
    await waitFor(
      `${service.id}'s container ${name} becoming healthy`,
      request.timeoutMs,
      request.signal,
      async () => {
        const health = await inspectContainer(engine, id);
        if (health === undefined || (!health.running && health.status !== 'created'))
          throw new AppError(
            ErrorCode.backend,
            `${service.id}'s container ${name} stopped (exit ${health?.exitCode ?? '?'}):\n${await getContainerLogTail(engine, id)}`,
            { hint: `its environment is in ${join(request.runDir, 'run-config.json')}` },
          );
        if (health.health === 'healthy') return true;
        if (health.health === 'none' && (await isListening('127.0.0.1', service.container.port))) return true;
        return undefined;
      },
      async () => getContainerLogTail(engine, id),
    );
    request.log(`${service.id}: container ${name} healthy on 127.0.0.1:${service.container.port}`);
  }
}

async function startProcess(
  request: UpRequest,
  state: UpState,
  role: ProcessRecord['role'],
  args: string[],
  marker: string,
  ready: () => Promise<boolean>,
): Promise<void> {
  const record = spawnSupervised({
    role,
    args,
    marker,
    log: join(request.runDir, `${role}.log`),
    env: { ...request.env, MIGRATE_GATEWAY_TOKEN: request.token },
    cwd: request.cwd,
  });
  state.processes.push(record);
  state.files[`${role}Log`] = record.log;
  await writeUpState(request.runDir, state);
  await waitFor(
    `the ${role} starting`,
    request.timeoutMs,
    request.signal,
    async () => {
      if (!isAlive(record))
        throw new AppError(ErrorCode.backend, `the ${role} process exited:\n${readLogTail(record.log)}`, {
          hint: `its log is ${record.log}`,
        });
      return (await ready()) ? true : undefined;
    },
    () => Promise.resolve(readLogTail(record.log)),
  );
  request.log(`${role} running (pid ${record.pid}, log ${record.log})`);
}

async function startProcesses(request: UpRequest, state: UpState): Promise<void> {
  const { plan, runDir } = request;
  const gatewayFile = join(runDir, 'gateway.json');
  await writeFileAtomic(gatewayFile, `${JSON.stringify(plan.gatewayConfig, null, 2)}\n`);
  state.files.gateway = gatewayFile;
  await startProcess(
    request,
    state,
    'gateway',
    ['gateway', '--config', gatewayFile, '--no-watch'],
    gatewayFile,
    () => isListening('127.0.0.1', plan.gateway.adminPort),
  );
  if (plan.hostConfig !== undefined) {
    const hostFile = join(runDir, 'host.json');
    await writeFileAtomic(hostFile, `${JSON.stringify(plan.hostConfig, null, 2)}\n`);
    state.files.host = hostFile;
    const ports = plan.services.flatMap((s) => (s.component === undefined ? [] : [s.component.port]));
    await startProcess(
      request,
      state,
      'host',
      ['host', '--config', hostFile, '--json'],
      hostFile,
      async () => {
        for (const port of ports) if (!(await isListening('127.0.0.1', port))) return false;
        return true;
      },
    );
  }
  if (plan.splits.length > 0) {
    const splitFile = join(runDir, 'messages.json');
    const config = { nats: request.bindings.nats, queue: `migrate-split-${plan.runId}`, splits: plan.splits };
    await writeFileAtomic(splitFile, `${JSON.stringify(config, null, 2)}\n`);
    state.files.messages = splitFile;
    const log = join(runDir, 'messages.log');
    await startProcess(
      request,
      state,
      'messages',
      ['split-messages', '--config', splitFile, '--admin', plan.gateway.admin],
      splitFile,
      () => Promise.resolve(readLogTail(log, 50).includes('ready:')),
    );
  }
}

export function createInitialState(request: UpRequest): UpState {
  const { plan } = request;
  return {
    schemaVersion: '1',
    runId: plan.runId,
    estate: plan.estate,
    estateDir: request.estateDir,
    createdAt: new Date().toISOString(),
    phase: 'starting',
    dockerHost: request.engine.host,
    gateway: { url: plan.gateway.url, admin: plan.gateway.admin, token: request.token },
    services: plan.services.map((s) => ({
      id: s.id,
      route: s.route,
      prefix: s.prefix,
      container: { name: s.container.name, port: s.container.port, image: s.container.image },
      ...(s.component === undefined ? {} : { component: { name: s.component.name, port: s.component.port } }),
    })),
    containers: [],
    networks: [],
    volumes: [],
    processes: [],
    splits: plan.splits,
    files: {},
    warnings: plan.warnings,
  };
}

/** Runs `up`; on failure or cancel, undoes what it created and rethrows. */
export async function runUp(request: UpRequest): Promise<UpState> {
  const state = createInitialState(request);
  const runConfig = join(request.runDir, 'run-config.json');
  await writeFileAtomic(runConfig, `${JSON.stringify(request.plan, null, 2)}\n`);
  state.files.runConfig = runConfig;
  await writeUpState(request.runDir, state);
  try {
    if (request.infra !== undefined) {
      request.progress('starting the compose infrastructure');
      await startComposeInfra(
        request.engine,
        request.infra,
        state,
        request.runDir,
        request.timeoutMs,
        request.signal,
      );
    }
    await ensureSchema(request, state);
    await ensureImages(request);
    await startContainers(request, state);
    await startProcesses(request, state);
    state.phase = 'up';
    await writeUpState(request.runDir, state);
    request.progress(undefined);
    return state;
  } catch (error) {
    request.progress(undefined);
    request.log(
      request.signal.aborted
        ? 'cancelled: removing what this up created'
        : 'failed: removing what this up created',
    );
    // the undo must finish even though the run's signal has fired
    await runDown({
      state,
      engine: request.engine,
      runDir: request.runDir,
      volumes: true,
      keepLogs: !request.signal.aborted,
      progress: request.progress,
    }).catch((undoError: unknown) =>
      request.log(`could not remove everything: ${(undoError as Error).message}; run migrate down`),
    );
    if (request.signal.aborted) {
      throw new AppError(ErrorCode.cancelled, 'migrate up was cancelled; what it had created is removed');
    }
    throw error;
  }
}
