/**
 * Live Docker reader (`--docker`): the containers of a running engine through dockerode, with their image and
 * its size, state, env (redacted), published ports and compose labels, joined to the estate's services: first by
 * the `com.docker.compose.project`/`service` labels against the estate's compose files, then by image name
 * against compose `image:`s and service ids. Only runs when the context asks for it.
 */
import Docker from 'dockerode';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { redactValue } from '../redact.ts';
import { baseName, compareText, isBuildOutput } from './common.ts';
import { isComposeFile, readComposeFile, type ComposeFacts } from './compose.ts';
import type { EnvVar, InfraContext, InfraFacts, InfraReader, LiveContainer, PortMapping } from './types.ts';

export const COMPOSE_PROJECT_LABEL = 'com.docker.compose.project';
export const COMPOSE_SERVICE_LABEL = 'com.docker.compose.service';

/** Connection options for a `DOCKER_HOST` value (`unix:///path`, `tcp://host:port`); default socket otherwise. */
export function getDockerOptions(dockerHost: string | undefined): Docker.DockerOptions {
  if (dockerHost === undefined || dockerHost === '') return { socketPath: '/var/run/docker.sock' };
  if (dockerHost.startsWith('unix://')) return { socketPath: dockerHost.slice('unix://'.length) };
  const url = new URL(dockerHost.replace(/^tcp:/, 'http:'));
  return { host: url.hostname, port: Number(url.port || 2375), protocol: 'http' };
}

/** Docker image reference without tag or digest: `spring-orders/order-service:1.0.0` → `spring-orders/order-service`. */
export function getImageName(image: string): string {
  const at = image.indexOf('@');
  const ref = at < 0 ? image : image.slice(0, at);
  const colon = ref.lastIndexOf(':');
  const name = colon > ref.lastIndexOf('/') ? ref.slice(0, colon) : ref;
  return name.replace(/^(docker\.io\/)?(library\/)?/, '');
}

/** What a container can be joined to: one compose service of the estate, or a service id. */
interface JoinTarget {
  project: string;
  composeService: string;
  image?: string;
  /** The estate service id (module directory), or the compose service name for infra (postgres…). */
  service: string;
}

function serviceIdFor(s: ComposeFacts['services'][number], services: InfraContext['services']): string {
  const dirs = [s.build?.dockerfile.split('/').slice(0, -1).join('/'), s.build?.context].filter(
    (d): d is string => d !== undefined && d !== '' && d !== '.',
  );
  if (services !== undefined) {
    const byRoot = services.find((svc) => dirs.includes(svc.root));
    if (byRoot) return byRoot.id;
    const byName = services.find((svc) => svc.id === s.name);
    if (byName) return byName.id;
  } else if (dirs.length > 0) return baseName(dirs[0] ?? s.name);
  return s.name;
}

async function readJoinTargets(context: InfraContext): Promise<JoinTarget[]> {
  const targets: JoinTarget[] = [];
  for (const file of context.files) {
    if (!isComposeFile(baseName(file)) || isBuildOutput(file)) continue;
    const facts = await readComposeFile(context.estateRoot, file);
    for (const s of facts.services)
      targets.push({
        project: facts.project,
        composeService: s.name,
        service: serviceIdFor(s, context.services),
        ...(s.image === undefined ? {} : { image: getImageName(s.image) }),
      });
  }
  return targets;
}

/** Joins a container: compose labels first, then image name (compose `image:`, default build name, service id). */
export function joinContainer(
  container: LiveContainer,
  imageNames: readonly string[],
  targets: readonly JoinTarget[],
  services: InfraContext['services'],
): Pick<LiveContainer, 'service' | 'joinedBy'> {
  if (container.composeService !== undefined) {
    const projects = new Set(targets.map((t) => t.project));
    const byLabels = targets.find(
      (t) =>
        t.composeService === container.composeService &&
        (t.project === container.composeProject || projects.size === 1),
    );
    if (byLabels) return { service: byLabels.service, joinedBy: 'compose-labels' };
  }
  const names = imageNames.map(getImageName);
  const byImage = targets.find(
    (t) =>
      (t.image !== undefined && names.includes(t.image)) ||
      names.includes(`${t.project}-${t.composeService}`) ||
      names.includes(`${t.project}_${t.composeService}`),
  );
  if (byImage) return { service: byImage.service, joinedBy: 'image' };
  const ids = services?.map((s) => s.id) ?? [];
  const byId = ids.find((id) => names.some((n) => n === id || n.endsWith(`/${id}`)));
  if (byId !== undefined) return { service: byId, joinedBy: 'image' };
  return {};
}

function toPorts(ports: readonly Docker.Port[]): PortMapping[] {
  const seen = new Set<string>();
  const out: PortMapping[] = [];
  for (const p of ports) {
    const key = `${p.PrivatePort}/${p.PublicPort ?? ''}/${p.IP ?? ''}`;
    if (seen.has(key)) continue;
    seen.add(key);
    out.push({
      container: p.PrivatePort,
      ...(p.PublicPort === undefined || p.PublicPort === 0 ? {} : { host: p.PublicPort }),
      ...(p.IP === undefined || p.IP === '' ? {} : { hostIp: p.IP }),
    });
  }
  return out.sort((a, b) => a.container - b.container || (a.hostIp ?? '').localeCompare(b.hostIp ?? ''));
}

function toEnv(entries: readonly string[], name: string): EnvVar[] {
  return entries
    .map((entry) => {
      const eq = entry.indexOf('=');
      const key = eq < 0 ? entry : entry.slice(0, eq);
      const value = eq < 0 ? undefined : redactValue(key, entry.slice(eq + 1));
      return { file: `docker://${name}`, line: 1, name: key, ...(value === undefined ? {} : { value }) };
    })
    .sort((a, b) => compareText(a.name, b.name));
}

function wrapDockerError(error: unknown, host: string): AppError {
  const detail = error instanceof Error ? error.message : String(error);
  return new AppError(ErrorCode.docker, `cannot read the Docker engine at ${host}: ${detail}`, {
    cause: error,
    hint: 'start Docker or set DOCKER_HOST to a reachable engine (e.g. unix:///var/run/docker.sock), or drop --docker',
  });
}

export interface DockerLiveOptions {
  /** A client to use; otherwise one is made from `dockerHost`. */
  docker?: Docker;
  /** Defaults to the `DOCKER_HOST` environment variable. */
  dockerHost?: string;
}

/** Lists every container of the engine (running or not) as LiveContainers, joined to the estate. */
export async function readLiveContainers(
  context: InfraContext,
  options: DockerLiveOptions = {},
): Promise<LiveContainer[]> {
  const host =
    options.dockerHost ?? context.dockerHost ?? process.env['DOCKER_HOST'] ?? 'unix:///var/run/docker.sock';
  const docker = options.docker ?? new Docker(getDockerOptions(host));
  let infos: Docker.ContainerInfo[];
  let images: Docker.ImageInfo[];
  try {
    [infos, images] = await Promise.all([docker.listContainers({ all: true }), docker.listImages()]);
  } catch (error) {
    throw wrapDockerError(error, host);
  }
  const imageById = new Map(images.map((i) => [i.Id, i]));
  const targets = await readJoinTargets(context);
  const containers: LiveContainer[] = [];
  for (const info of infos) {
    context.signal?.throwIfAborted();
    const name = (info.Names[0] ?? info.Id.slice(0, 12)).replace(/^\//, '');
    let env: string[] = [];
    try {
      env = (await docker.getContainer(info.Id).inspect()).Config.Env ?? [];
    } catch {
      // removed between list and inspect: keep what the list said
    }
    const image = imageById.get(info.ImageID);
    const labels = info.Labels ?? {};
    const project = labels[COMPOSE_PROJECT_LABEL];
    const composeService = labels[COMPOSE_SERVICE_LABEL];
    const container: LiveContainer = {
      id: info.Id,
      name,
      image: info.Image,
      state: info.State,
      env: toEnv(env, name),
      ports: toPorts(info.Ports ?? []),
      ...(image === undefined ? {} : { imageSize: image.Size }),
      ...(project === undefined ? {} : { composeProject: project }),
      ...(composeService === undefined ? {} : { composeService }),
    };
    // The name the container was started with wins; an image can carry several tags.
    const imageNames = info.Image.startsWith('sha256:')
      ? (image?.RepoTags ?? []).filter((n) => n !== '<none>:<none>')
      : [info.Image];
    Object.assign(container, joinContainer(container, imageNames, targets, context.services));
    containers.push(container);
  }
  return containers.sort((a, b) => compareText(a.name, b.name) || compareText(a.id, b.id));
}

export function createDockerLiveReader(options: DockerLiveOptions = {}): InfraReader {
  return {
    id: 'docker-live',
    async read(context: InfraContext): Promise<Partial<InfraFacts>> {
      if (!context.docker) return {};
      return { containers: await readLiveContainers(context, options) };
    },
  };
}

/** The reader the analyzer runs with `--docker`; the engine comes from `DOCKER_HOST`. */
export const dockerLiveReader: InfraReader = createDockerLiveReader();
