/**
 * The Docker engine as `migrate up` uses it (dockerode): every foreign error is wrapped here with the
 * resource it concerns and what to do. Builds report the failing step and its output; a base image that is
 * neither local nor pullable is named with the ways to provide it.
 */
import { createHash } from 'node:crypto';
import { readFile } from 'node:fs/promises';
import { join } from 'node:path';
import Docker from 'dockerode';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { listBuildContext } from './build-context.ts';

export interface Engine {
  docker: Docker;
  /** The DOCKER_HOST shown in messages. */
  host: string;
}

export function getDockerOptions(dockerHost: string | undefined): Docker.DockerOptions {
  if (dockerHost === undefined || dockerHost === '') return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' };
}

/** Connects and pings; an unreachable engine is an AppError naming DOCKER_HOST. */
export async function connectEngine(dockerHost: string | undefined): Promise<Engine> {
  const host = dockerHost === undefined || dockerHost === '' ? 'unix:///var/run/docker.sock' : dockerHost;
  const docker = new Docker({ ...getDockerOptions(dockerHost), timeout: 30_000 });
  try {
    await docker.ping();
  } catch (error) {
    throw new AppError(ErrorCode.docker, `cannot reach the Docker engine at ${host}: ${describe(error)}`, {
      cause: error,
      hint: 'start Docker, or set DOCKER_HOST to a reachable engine (e.g. unix:///var/run/docker.sock)',
    });
  }
  return { docker, host };
}

function describe(error: unknown): string {
  if (error instanceof Error) {
    const json = (error as { json?: { message?: string } }).json;
    return json?.message ?? error.message;
  }
  return String(error);
}

export async function hasImage(engine: Engine, ref: string): Promise<boolean> {
  try {
    await engine.docker.getImage(ref).inspect();
    return true;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return false;
    throw wrapError(ErrorCode.docker, `cannot inspect image ${ref}`, error);
  }
}

type Progress = (message: string) => void;

/** Pulls an image, reporting progress; a failure says how to provide the image instead. */
export async function pullImage(
  engine: Engine,
  ref: string,
  progress: Progress,
  hint: string,
): Promise<void> {
  try {
    const stream = await engine.docker.pull(ref);
    await new Promise<void>((resolve, reject) => {
      engine.docker.modem.followProgress(
        stream,
        (error) => (error ? reject(error) : resolve()),
        (event: { status?: string; progress?: string; error?: string }) => {
          if (event.error !== undefined) reject(new Error(event.error));
          else if (event.status !== undefined)
            progress(`pull ${ref}: ${event.status} ${event.progress ?? ''}`);
        },
      );
    });
  } catch (error) {
    throw new AppError(
      ErrorCode.docker,
      `image ${ref} is not in the engine at ${engine.host} and cannot be pulled: ${describe(error)}`,
      { cause: error, hint },
    );
  }
}

export interface BuildRequest {
  context: string;
  /** Context-relative Dockerfile. */
  dockerfile: string;
  tag: string;
  buildArgs: Record<string, string>;
  labels: Record<string, string>;
}

/**
 * The key of a build's inputs: the Dockerfile's name, the build args, every file of the context as the build
 * would send it (path and bytes) and the ids of the base images. The same key means the build would produce what
 * Docker's layer cache gives back anyway, so `up` skips the build (and sending the context, a jar of 30–60 MB
 * for a Spring service) when the image already carries it. A base image pulled or rebuilt since changes its id,
 * and so the key.
 */
export async function getBuildKey(
  engine: Engine,
  request: Omit<BuildRequest, 'labels' | 'tag'>,
  baseImages: readonly string[],
): Promise<string> {
  const hash = createHash('sha256');
  hash.update(`dockerfile\0${request.dockerfile}\0`);
  for (const name of Object.keys(request.buildArgs).sort())
    hash.update(`arg\0${name}\0${request.buildArgs[name]}\0`);
  for (const path of (await listBuildContext(request.context, request.dockerfile)).sort()) {
    const bytes = await readFile(join(request.context, path));
    hash.update(`file\0${path}\0${createHash('sha256').update(bytes).digest('hex')}\0`);
  }
  for (const base of baseImages) {
    const id = await engine.docker
      .getImage(base)
      .inspect()
      .then((info) => info.Id)
      .catch(() => 'missing');
    hash.update(`base\0${base}\0${id}\0`);
  }
  return hash.digest('hex');
}

/** A label of an image in the engine; undefined when the image or the label is missing. */
export async function getImageLabel(engine: Engine, ref: string, label: string): Promise<string | undefined> {
  try {
    const info = await engine.docker.getImage(ref).inspect();
    return info.Config?.Labels?.[label] ?? undefined;
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw wrapError(ErrorCode.docker, `cannot inspect image ${ref}`, error);
  }
}

/** The last lines of output kept to show with a failed step. */
const TAIL_LINES = 25;

/** Builds an image from its context; a failing step is reported with its output. */
export async function buildImage(
  engine: Engine,
  request: BuildRequest,
  progress: Progress,
  signal: AbortSignal,
): Promise<void> {
  const src = await listBuildContext(request.context, request.dockerfile);
  let stream: NodeJS.ReadableStream;
  try {
    stream = await engine.docker.buildImage(
      { context: request.context, src },
      {
        t: request.tag,
        dockerfile: request.dockerfile,
        buildargs: request.buildArgs,
        labels: request.labels,
        rm: true,
        forcerm: true,
        abortSignal: signal,
      },
    );
  } catch (error) {
    throw wrapError(ErrorCode.docker, `cannot start the build of ${request.tag}`, error);
  }
  let step = '';
  let output: string[] = [];
  const failure = await new Promise<string | undefined>((resolve) => {
    const onAbort = (): void => {
      (stream as NodeJS.ReadableStream & { destroy?: () => void }).destroy?.();
      resolve('cancelled');
    };
    signal.addEventListener('abort', onAbort, { once: true });
    engine.docker.modem.followProgress(
      stream,
      (error) => {
        signal.removeEventListener('abort', onAbort);
        resolve(error ? describe(error) : undefined);
      },
      (event: { stream?: string; error?: string; errorDetail?: { message?: string } }) => {
        if (event.error !== undefined) {
          resolve(event.errorDetail?.message ?? event.error);
          return;
        }
        for (const line of (event.stream ?? '').split('\n')) {
          if (line.trim() === '') continue;
          if (/^Step \d+\/\d+ :/.test(line)) {
            step = line.trim();
            output = [];
            progress(`build ${request.tag}: ${step}`);
          } else output = [...output.slice(-(TAIL_LINES - 1)), line.trimEnd()];
        }
      },
    );
  });
  if (failure === 'cancelled' || signal.aborted)
    throw new AppError(ErrorCode.cancelled, `build of ${request.tag} cancelled`);
  if (failure !== undefined) {
    throw new AppError(
      ErrorCode.build,
      `building ${request.tag} from ${request.dockerfile} failed at ${step || 'the start'}: ${failure}${output.length > 0 ? `\n${output.map((l) => `  | ${l}`).join('\n')}` : ''}`,
      {
        hint: `fix the step in ${request.dockerfile} (the output above is the step's), then run migrate up again`,
      },
    );
  }
}

export interface RunRequest {
  name: string;
  image: string;
  env: Record<string, string>;
  labels: Record<string, string>;
  /** Host networking (reaches the machine's loopback services). */
  hostNetwork: boolean;
  /** Published ports (bridge networks only): container port → 127.0.0.1 host port. */
  publish?: Record<string, number>;
  network?: string;
  networkAlias?: string;
  cmd?: string[];
  healthcheck?: { test: string[]; intervalMs?: number; timeoutMs?: number; retries?: number };
  volumes?: string[];
}

const NS = 1_000_000;

export async function createContainer(engine: Engine, request: RunRequest): Promise<string> {
  try {
    const container = await engine.docker.createContainer({
      name: request.name,
      Image: request.image,
      Env: Object.entries(request.env).map(([k, v]) => `${k}=${v}`),
      Labels: request.labels,
      ...(request.cmd === undefined ? {} : { Cmd: request.cmd }),
      ...(request.publish === undefined
        ? {}
        : { ExposedPorts: Object.fromEntries(Object.keys(request.publish).map((p) => [p, {}])) }),
      ...(request.healthcheck === undefined
        ? {}
        : {
            Healthcheck: {
              Test: request.healthcheck.test,
              Interval: (request.healthcheck.intervalMs ?? 2000) * NS,
              Timeout: (request.healthcheck.timeoutMs ?? 3000) * NS,
              Retries: request.healthcheck.retries ?? 30,
            },
          }),
      HostConfig: {
        NetworkMode: request.hostNetwork ? 'host' : (request.network ?? 'bridge'),
        ...(request.volumes === undefined ? {} : { Binds: request.volumes }),
        ...(request.publish === undefined
          ? {}
          : {
              PortBindings: Object.fromEntries(
                Object.entries(request.publish).map(([p, host]) => [
                  p,
                  [{ HostIp: '127.0.0.1', HostPort: String(host) }],
                ]),
              ),
            }),
      },
      ...(request.network !== undefined && request.networkAlias !== undefined
        ? {
            NetworkingConfig: { EndpointsConfig: { [request.network]: { Aliases: [request.networkAlias] } } },
          }
        : {}),
    });
    return container.id;
  } catch (error) {
    throw wrapError(ErrorCode.docker, `cannot create container ${request.name}`, error);
  }
}

export async function startContainer(engine: Engine, id: string, name: string): Promise<void> {
  try {
    await engine.docker.getContainer(id).start();
  } catch (error) {
    throw wrapError(ErrorCode.docker, `cannot start container ${name}`, error);
  }
}

export interface ContainerHealth {
  running: boolean;
  /** `healthy`, `unhealthy`, `starting`, or `none` without a healthcheck. */
  health: string;
  exitCode?: number;
  status: string;
}

export async function inspectContainer(engine: Engine, id: string): Promise<ContainerHealth | undefined> {
  try {
    const info = await engine.docker.getContainer(id).inspect();
    return {
      running: info.State.Running,
      health: info.State.Health?.Status ?? 'none',
      exitCode: info.State.ExitCode,
      status: info.State.Status,
    };
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return undefined;
    throw wrapError(ErrorCode.docker, `cannot inspect container ${id.slice(0, 12)}`, error);
  }
}

/** The last lines a container logged (for a container that stopped or never became healthy). */
export async function getContainerLogTail(engine: Engine, id: string, lines = 20): Promise<string> {
  try {
    const buffer = await engine.docker
      .getContainer(id)
      .logs({ stdout: true, stderr: true, tail: lines, follow: false });
    // multiplexed frames: 8-byte headers before each chunk
    const parts: string[] = [];
    for (let i = 0; i + 8 <= buffer.length;) {
      const size = buffer.readUInt32BE(i + 4);
      parts.push(buffer.subarray(i + 8, i + 8 + size).toString('utf8'));
      i += 8 + size;
    }
    return (parts.length > 0 ? parts.join('') : buffer.toString('utf8')).trimEnd();
  } catch {
    return '';
  }
}

export async function removeContainer(engine: Engine, id: string): Promise<void> {
  try {
    await engine.docker.getContainer(id).remove({ force: true, v: false });
  } catch (error) {
    const status = (error as { statusCode?: number }).statusCode;
    if (status === 404 || status === 409) return;
    throw wrapError(ErrorCode.docker, `cannot remove container ${id.slice(0, 12)}`, error);
  }
}

/** Containers, networks and volumes carrying `label=value`. */
export async function listLabelled(
  engine: Engine,
  label: string,
): Promise<{ containers: string[]; networks: string[]; volumes: string[] }> {
  const filters = JSON.stringify({ label: [label] });
  try {
    const [containers, networks, volumes] = await Promise.all([
      engine.docker.listContainers({ all: true, filters }),
      engine.docker.listNetworks({ filters }),
      engine.docker.listVolumes({ filters }),
    ]);
    return {
      containers: containers.map((c) => c.Id),
      networks: networks.map((n) => n.Id),
      volumes: (volumes.Volumes ?? []).map((v) => v.Name),
    };
  } catch (error) {
    throw wrapError(ErrorCode.docker, `cannot list the engine's objects labelled ${label}`, error);
  }
}

export async function createNetwork(
  engine: Engine,
  name: string,
  labels: Record<string, string>,
): Promise<string> {
  try {
    return (await engine.docker.createNetwork({ Name: name, Labels: labels, CheckDuplicate: true })).id;
  } catch (error) {
    throw wrapError(ErrorCode.docker, `cannot create network ${name}`, error);
  }
}

export async function createVolume(
  engine: Engine,
  name: string,
  labels: Record<string, string>,
): Promise<string> {
  try {
    await engine.docker.createVolume({ Name: name, Labels: labels });
    return name;
  } catch (error) {
    throw wrapError(ErrorCode.docker, `cannot create volume ${name}`, error);
  }
}

export async function removeNetwork(engine: Engine, id: string): Promise<void> {
  try {
    await engine.docker.getNetwork(id).remove();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return;
    throw wrapError(ErrorCode.docker, `cannot remove network ${id.slice(0, 12)}`, error);
  }
}

export async function removeVolume(engine: Engine, name: string): Promise<void> {
  try {
    await engine.docker.getVolume(name).remove();
  } catch (error) {
    if ((error as { statusCode?: number }).statusCode === 404) return;
    throw wrapError(ErrorCode.docker, `cannot remove volume ${name}`, error);
  }
}
