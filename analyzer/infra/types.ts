/**
 * The infra reader interface and the facts readers return. Readers only report what the files say (with
 * file:line for evidence); the join to services and the edges happen in `analyzer/graph.ts`. Every value that
 * looks secret (password, token, secret, key names; secretKeyRef) is already redacted here as `***`.
 */
import type { Finding } from '../model.ts';

/** Where a fact comes from: path relative to the estate root, 1-based line. */
export interface Located {
  file: string;
  line: number;
}

export interface EnvVar extends Located {
  name: string;
  /** Literal value; `***` when secret; undefined when it comes from a reference. */
  value?: string;
  /** `secretKeyRef` / `configMapKeyRef` (k8s), `env_file` (compose). */
  ref?: { kind: 'secretKeyRef' | 'configMapKeyRef' | 'env_file'; name: string; key?: string };
}

export interface PortMapping {
  /** Port the container listens on. */
  container: number;
  /** Published host port, if any. */
  host?: number;
  hostIp?: string;
}

export interface ComposeService extends Located {
  name: string;
  image?: string;
  /** Build context and Dockerfile, relative to the estate root. */
  build?: { context: string; dockerfile?: string };
  env: EnvVar[];
  /** env_file paths relative to the estate root (contents are not read: they hold secrets). */
  envFiles: string[];
  ports: PortMapping[];
  dependsOn: string[];
  networks: string[];
  /** Compose project (`name:` or the directory name); matches the `com.docker.compose.project` label. */
  project?: string;
  /** depends_on conditions (`service_healthy`…) by service, when the map form is used. */
  dependsOnConditions?: Record<string, string>;
  healthcheck?: { test: string[]; interval?: string; timeout?: string; retries?: number; line: number };
}

export interface DockerfileFacts extends Located {
  /** Image of the last FROM (the runtime stage). */
  baseImage?: string;
  exposedPorts: number[];
  env: EnvVar[];
  entrypoint?: string[];
  cmd?: string[];
  /** Every stage in order (multi-stage builds); the last is the runtime stage. */
  stages?: { name?: string; baseImage: string; line: number }[];
  user?: string;
}

export interface K8sContainer extends Located {
  name: string;
  image?: string;
  env: EnvVar[];
  /** `envFrom` refs, e.g. `{kind:'configMapKeyRef', name:'orders-config'}`. */
  envFrom: NonNullable<EnvVar['ref']>[];
  ports: number[];
}

export interface K8sWorkload extends Located {
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet';
  name: string;
  namespace?: string;
  labels: Record<string, string>;
  containers: K8sContainer[];
  /** Pod template labels (what Services select on). */
  podLabels?: Record<string, string>;
  replicas?: number;
  /** The kustomization.yaml that produced it, if any. */
  kustomization?: string;
}

export interface K8sService extends Located {
  name: string;
  namespace?: string;
  selector: Record<string, string>;
  ports: { port: number; targetPort?: number | string }[];
}

export interface IngressRule extends Located {
  ingress: string;
  namespace?: string;
  host?: string;
  path: string;
  service: string;
  port?: number | string;
}

export interface ConfigMapFacts extends Located {
  name: string;
  namespace?: string;
  /** key → value (with the line of the key). */
  data: Record<string, { value: string; line: number }>;
}

/** One entry of application.properties / application-<profile>.yml (yml flattened to dotted keys). */
export interface PropertyEntry extends Located {
  /** undefined for the default profile. */
  profile?: string;
  key: string;
  /** Raw value as written (`${INVENTORY_URL:http://localhost:18082}`); `***` when secret. */
  value: string;
  /** `${NAME:default}` references in the value; defaults `***` when the key or NAME is secret. */
  placeholders?: { name: string; default?: string }[];
}

/** A Kubernetes Secret object: its key names only, never the values. */
export interface SecretFacts extends Located {
  name: string;
  namespace?: string;
  keys: string[];
}

/** A live container from a Docker engine (`--docker`). */
export interface LiveContainer {
  id: string;
  name: string;
  image: string;
  imageSize?: number;
  state: string;
  env: EnvVar[];
  ports: PortMapping[];
  /** com.docker.compose.project / .service labels. */
  composeProject?: string;
  composeService?: string;
  /** Id of the estate service it was joined to, and by what (compose labels or image name). */
  service?: string;
  joinedBy?: 'compose-labels' | 'image';
}

export interface InfraFacts {
  compose: ComposeService[];
  dockerfiles: DockerfileFacts[];
  workloads: K8sWorkload[];
  services: K8sService[];
  ingress: IngressRule[];
  configMaps: ConfigMapFacts[];
  properties: PropertyEntry[];
  containers: LiveContainer[];
  /** Kubernetes Secret objects (key names only). */
  secrets?: SecretFacts[];
  findings: Finding[];
}

export interface InfraContext {
  /** Absolute path of the estate root. */
  estateRoot: string;
  /** Every file of the estate, relative to the root, forward slashes, sorted (walk already skipped loops). */
  files: readonly string[];
  /** `--docker`: readers that talk to a live engine only run when true. */
  docker: boolean;
  /** The engine docker-live talks to; the process's `DOCKER_HOST` when undefined. */
  dockerHost?: string;
  signal?: AbortSignal;
  /** Services found in source (id and module root), so readers like docker-live can join to them. */
  services?: readonly { id: string; root: string }[];
}

/** One infra reader: compose, dockerfile, k8s, properties, docker-live… It picks its own files from `files`. */
export interface InfraReader {
  id: string;
  read(context: InfraContext): Promise<Partial<InfraFacts>>;
}

export function createEmptyInfraFacts(): InfraFacts {
  return {
    compose: [],
    dockerfiles: [],
    workloads: [],
    services: [],
    ingress: [],
    configMaps: [],
    properties: [],
    containers: [],
    secrets: [],
    findings: [],
  };
}

/** Merges reader results in reader order. */
export function mergeInfraFacts(parts: readonly Partial<InfraFacts>[]): InfraFacts {
  const all = createEmptyInfraFacts();
  for (const part of parts) {
    for (const key of Object.keys(all) as (keyof InfraFacts)[]) {
      const items = part[key];
      if (items !== undefined) (all[key] as unknown[]).push(...items);
    }
  }
  return all;
}
