/**
 * `--infra compose`: the compose file's infrastructure services (Postgres, NATS, Redis… the analysis's infra
 * nodes) as containers of this run, on a network of their own, each port published on 127.0.0.1 as the compose
 * file publishes it, named volumes labelled with the run. Their addresses become the run's bindings.
 */
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { Estate } from '../../analyzer/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import {
  createContainer,
  createNetwork,
  createVolume,
  getContainerLogTail,
  hasImage,
  inspectContainer,
  pullImage,
  startContainer,
  type Engine,
} from './docker-engine.ts';
import type { InfraBindings } from './model.ts';
import { interpolate, parseDuration } from './read-inputs.ts';
import { waitFor } from './readiness.ts';
import { LABELS, writeUpState, type UpState } from './state.ts';

export interface InfraContainerSpec {
  name: string;
  kind: string;
  image: string;
  env: Record<string, string>;
  cmd?: string[];
  /** container port (`5432/tcp`) → host port on 127.0.0.1 */
  publish: Record<string, number>;
  volumes: { name: string; target: string }[];
  healthcheck?: { test: string[]; intervalMs?: number; timeoutMs?: number; retries?: number };
}

export interface ComposeInfraResult {
  services: InfraContainerSpec[];
  bindings: Partial<InfraBindings>;
}

type Raw = Record<string, unknown>;
const asRecord = (v: unknown): Raw =>
  v !== null && typeof v === 'object' && !Array.isArray(v) ? (v as Raw) : {};
const asStrings = (v: unknown): string[] | undefined =>
  Array.isArray(v)
    ? v.map(String)
    : typeof v === 'string'
      ? v.split(/\s+/).filter((s) => s !== '')
      : undefined;

/** Reads the infra services of the compose file (pure but for reading the file). */
export async function planComposeInfra(
  estateDir: string,
  composeFile: string,
  estate: Estate,
  env: NodeJS.ProcessEnv,
): Promise<ComposeInfraResult> {
  const doc = asRecord(parse(await readFile(join(estateDir, composeFile), 'utf8'), { merge: true }));
  const services = asRecord(doc['services']);
  const result: ComposeInfraResult = { services: [], bindings: {} };
  for (const node of estate.infra) {
    if (node.source?.file !== composeFile) continue;
    const raw = asRecord(services[node.id]);
    const image = typeof raw['image'] === 'string' ? interpolate(raw['image'], env) : undefined;
    if (image === undefined) continue;
    const environment: Record<string, string> = {};
    const rawEnv = raw['environment'];
    if (Array.isArray(rawEnv))
      for (const entry of rawEnv.map(String)) {
        const eq = entry.indexOf('=');
        if (eq > 0) environment[entry.slice(0, eq)] = interpolate(entry.slice(eq + 1), env);
      }
    else for (const [k, v] of Object.entries(asRecord(rawEnv))) environment[k] = interpolate(String(v), env);
    const publish: Record<string, number> = {};
    for (const port of Array.isArray(raw['ports']) ? raw['ports'].map(String) : []) {
      const parts = port.split(':');
      const target = parts.at(-1)!;
      const published = parts.length >= 2 ? Number(parts.at(-2)) : Number(target);
      publish[`${target.replace(/\/.*$/, '')}/tcp`] = published;
    }
    const volumes = (Array.isArray(raw['volumes']) ? raw['volumes'].map(String) : [])
      .map((v) => v.split(':'))
      .filter((parts) => parts.length >= 2 && !parts[0]!.startsWith('.') && !parts[0]!.startsWith('/'))
      .map((parts) => ({ name: parts[0]!, target: parts[1]! }));
    const health = asRecord(raw['healthcheck']);
    const test = asStrings(health['test']);
    const spec: InfraContainerSpec = {
      name: node.id,
      kind: node.kind,
      image,
      env: environment,
      ...(asStrings(raw['command']) === undefined ? {} : { cmd: asStrings(raw['command'])! }),
      publish,
      volumes,
      ...(test === undefined
        ? {}
        : {
            healthcheck: {
              test: test.map((t) => t.replaceAll('$$', '$')),
              ...(parseDuration(health['interval'] as string) === undefined
                ? {}
                : { intervalMs: parseDuration(health['interval'] as string)! }),
              ...(typeof health['retries'] === 'number' ? { retries: health['retries'] } : {}),
            },
          }),
    };
    result.services.push(spec);
    const first = Object.values(publish)[0];
    if (first === undefined) continue;
    if (node.kind === 'postgres') {
      const user = environment['POSTGRES_USER'] ?? 'postgres';
      const password = environment['POSTGRES_PASSWORD'] ?? '';
      const db = environment['POSTGRES_DB'] ?? user;
      result.bindings.postgres = `postgres://${encodeURIComponent(user)}${password === '' ? '' : `:${encodeURIComponent(password)}`}@127.0.0.1:${first}/${db}`;
    } else if (node.kind === 'nats') result.bindings.nats = `nats://127.0.0.1:${first}`;
    else if (node.kind === 'redis') result.bindings.redis = `redis://127.0.0.1:${first}/0`;
  }
  return result;
}

/** Every image must be local or pullable before anything is created. */
export async function checkInfraImages(
  engine: Engine,
  infra: ComposeInfraResult,
  progress: (m: string) => void,
) {
  for (const service of infra.services) {
    if (await hasImage(engine, service.image)) continue;
    await pullImage(
      engine,
      service.image,
      progress,
      `the compose file's ${service.name} runs ${service.image}: load it (docker load -i …) or tag an image you have as ${service.image}, or use --infra existing with --${service.kind} <url>`,
    );
  }
}

export async function startComposeInfra(
  engine: Engine,
  infra: ComposeInfraResult,
  state: UpState,
  runDir: string,
  timeoutMs: number,
  signal: AbortSignal,
): Promise<void> {
  const labels = { [LABELS.managed]: 'true', [LABELS.estate]: state.estate, [LABELS.run]: state.runId };
  const networkName = `migrate-${state.estate}-${state.runId}`;
  const network = await createNetwork(engine, networkName, { ...labels, [LABELS.role]: 'infra' });
  state.networks.push({ id: network, name: networkName });
  await writeUpState(runDir, state);
  for (const service of infra.services) {
    const volumes: string[] = [];
    for (const volume of service.volumes) {
      const name = `migrate-${state.estate}-${state.runId}-${volume.name}`;
      await createVolume(engine, name, { ...labels, [LABELS.role]: 'infra' });
      state.volumes.push(name);
      volumes.push(`${name}:${volume.target}`);
    }
    const containerName = `migrate-${state.estate}-${service.name}-${state.runId}`;
    const id = await createContainer(engine, {
      name: containerName,
      image: service.image,
      env: service.env,
      labels: { ...labels, [LABELS.service]: service.name, [LABELS.role]: 'infra' },
      hostNetwork: false,
      network: networkName,
      networkAlias: service.name,
      publish: service.publish,
      volumes,
      ...(service.cmd === undefined ? {} : { cmd: service.cmd }),
      ...(service.healthcheck === undefined ? {} : { healthcheck: service.healthcheck }),
    });
    state.containers.push({ id, name: containerName, service: service.name });
    await writeUpState(runDir, state);
    await startContainer(engine, id, containerName);
  }
  for (const container of state.containers) {
    await waitFor(`${container.name} becoming healthy`, timeoutMs, signal, async () => {
      const health = await inspectContainer(engine, container.id);
      if (health === undefined || (!health.running && health.status !== 'created'))
        throw new AppError(
          ErrorCode.backend,
          `${container.name} stopped:\n${await getContainerLogTail(engine, container.id)}`,
        );
      return health.health === 'healthy' || health.health === 'none' ? true : undefined;
    });
  }
}
