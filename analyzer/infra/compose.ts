/**
 * docker-compose reader (Compose Specification): services with image, build, environment (list and map forms),
 * env_file (read, secret-looking values redacted), ports (short and long syntax), depends_on (list and map with
 * conditions), networks and healthcheck, each with its line.
 */
import { basename, dirname, join, posix } from 'node:path';
import { redactValue } from '../redact.ts';
import {
  type InfraProblem,
  baseName,
  compareProblems,
  compareText,
  isBuildOutput,
  readTextOrProblem,
} from './common.ts';
import type {
  ComposeService as CoreComposeService,
  InfraContext,
  InfraFacts,
  InfraReader,
  PortMapping,
} from './types.ts';
import { type YamlDoc, asArray, asRecord, asString, parseYamlFile } from './yaml-source.ts';

export interface ComposeEnv {
  name: string;
  /** Redacted (`***`) when the name looks secret; undefined when taken from the shell (`- NAME`). */
  value?: string;
  /** `environment`, or the env file (estate-relative) the value came from. */
  source: string;
  line: number;
}

export interface ComposeEnvFile {
  /** Estate-relative path. */
  path: string;
  required: boolean;
  /** False when the file is not there (fine when `required: false`). */
  found: boolean;
  line: number;
}

export interface ComposePort {
  /** Container port (or range, as written). */
  target: string;
  published?: string;
  hostIp?: string;
  protocol: 'tcp' | 'udp';
  line: number;
}

export interface ComposeDependency {
  service: string;
  /** `service_started` (the default), `service_healthy` or `service_completed_successfully`. */
  condition: string;
  line: number;
}

export interface ComposeHealthcheck {
  test: string[];
  interval?: string;
  timeout?: string;
  retries?: number;
  line: number;
}

export interface ComposeService {
  name: string;
  line: number;
  image?: string;
  /** Build context and Dockerfile, estate-relative. */
  build?: { context: string; dockerfile: string; line: number };
  env: ComposeEnv[];
  envFiles: ComposeEnvFile[];
  ports: ComposePort[];
  dependsOn: ComposeDependency[];
  networks: string[];
  healthcheck?: ComposeHealthcheck;
}

export interface ComposeFacts {
  file: string;
  /** `name:` or, as docker compose does, the directory name; matches the `com.docker.compose.project` label. */
  project: string;
  services: ComposeService[];
  networks: string[];
  volumes: string[];
  problems: InfraProblem[];
}

/** The file names docker compose looks for. */
export const COMPOSE_FILE_NAMES = [
  'compose.yaml',
  'compose.yml',
  'docker-compose.yaml',
  'docker-compose.yml',
  'compose.override.yaml',
  'compose.override.yml',
  'docker-compose.override.yaml',
  'docker-compose.override.yml',
];

export function isComposeFile(name: string): boolean {
  return COMPOSE_FILE_NAMES.includes(name) || /^(docker-)?compose[.-][\w.-]+\.ya?ml$/.test(name);
}

/** docker compose's default project name: the directory name, lowercased, without other characters. */
function defaultProject(file: string): string {
  return basename(dirname(posix.resolve('/', file)))
    .toLowerCase()
    .replace(/[^a-z0-9_-]/g, '');
}

/**
 * Parses a compose file. Pure: env files are listed, not read (see `readComposeFile`).
 * `file` is estate-relative; build contexts and env files are resolved against its directory.
 */
export function parseCompose(text: string, file: string): ComposeFacts {
  const yaml = parseYamlFile(text, file);
  const facts: ComposeFacts = {
    file,
    project: defaultProject(file),
    services: [],
    networks: [],
    volumes: [],
    problems: yaml.problems,
  };
  const doc = yaml.docs[0];
  const top = asRecord(doc?.value);
  if (doc === undefined || top === undefined) {
    if (yaml.problems.length === 0)
      facts.problems.push({
        code: 'compose-invalid',
        file,
        line: 1,
        message: 'compose file has no top-level map',
        severity: 'error',
      });
    return facts;
  }
  const name = asString(top['name']);
  if (name !== undefined && !name.includes('$')) facts.project = name;
  facts.networks = Object.keys(asRecord(top['networks']) ?? {}).sort(compareText);
  facts.volumes = Object.keys(asRecord(top['volumes']) ?? {}).sort(compareText);
  const services = asRecord(top['services']);
  if (services === undefined) {
    facts.problems.push({
      code: 'compose-invalid',
      file,
      line: 1,
      message: 'no `services:` map; add one or rename the file if it is not a compose file',
      severity: 'warning',
    });
    return facts;
  }
  for (const [serviceName, raw] of Object.entries(services)) {
    const spec = asRecord(raw);
    const line = doc.lineOf(['services', serviceName]);
    if (spec === undefined) {
      facts.problems.push({
        code: 'compose-invalid',
        file,
        line,
        message: `service ${serviceName} is not a map`,
        severity: 'error',
      });
      continue;
    }
    facts.services.push(parseService(serviceName, spec, doc, file, facts.problems));
  }
  facts.services.sort((a, b) => compareText(a.name, b.name));
  return facts;
}

function parseService(
  name: string,
  spec: Record<string, unknown>,
  doc: YamlDoc,
  file: string,
  problems: InfraProblem[],
): ComposeService {
  const at = (...path: Array<string | number>): number => doc.lineOf(['services', name, ...path]);
  const dir = posix.dirname(file);
  const service: ComposeService = {
    name,
    line: at(),
    env: [],
    envFiles: [],
    ports: [],
    dependsOn: [],
    networks: [],
  };
  const image = asString(spec['image']);
  if (image !== undefined) service.image = image;

  const build = spec['build'];
  if (typeof build === 'string') {
    service.build = {
      context: posix.join(dir, build),
      dockerfile: posix.join(dir, build, 'Dockerfile'),
      line: at('build'),
    };
  } else if (asRecord(build)) {
    const b = asRecord(build) ?? {};
    const context = posix.join(dir, asString(b['context']) ?? '.');
    service.build = {
      context,
      dockerfile: posix.join(context, asString(b['dockerfile']) ?? 'Dockerfile'),
      line: at('build'),
    };
  }

  const environment = spec['environment'];
  if (Array.isArray(environment)) {
    environment.forEach((entry, i) => {
      const text = asString(entry) ?? '';
      const eq = text.indexOf('=');
      const key = eq < 0 ? text : text.slice(0, eq);
      service.env.push({
        name: key,
        ...(eq < 0 ? {} : { value: redactValue(key, text.slice(eq + 1)) }),
        source: 'environment',
        line: at('environment', i),
      });
    });
  } else if (asRecord(environment)) {
    for (const [key, value] of Object.entries(asRecord(environment) ?? {})) {
      const text = asString(value);
      service.env.push({
        name: key,
        ...(text === undefined ? {} : { value: redactValue(key, text) }),
        source: 'environment',
        line: at('environment', key),
      });
    }
  }

  const envFile = spec['env_file'];
  const envFiles = typeof envFile === 'string' ? [envFile] : asArray(envFile);
  envFiles.forEach((entry, i) => {
    const rec = asRecord(entry);
    const path = rec ? asString(rec['path']) : asString(entry);
    if (path === undefined) return;
    const required = rec ? rec['required'] !== false : true;
    service.envFiles.push({
      path: posix.join(dir, path),
      required,
      found: false,
      line: typeof envFile === 'string' ? at('env_file') : at('env_file', i),
    });
  });

  asArray(spec['ports']).forEach((entry, i) => {
    const port = parsePort(entry, at('ports', i));
    if (port) service.ports.push(port);
    else
      problems.push({
        code: 'compose-invalid',
        file,
        line: at('ports', i),
        message: `port ${JSON.stringify(entry)} not understood; use "HOST:CONTAINER" or the long form with target`,
        severity: 'warning',
      });
  });

  const dependsOn = spec['depends_on'];
  if (Array.isArray(dependsOn)) {
    dependsOn.forEach((dep, i) => {
      const depName = asString(dep);
      if (depName !== undefined)
        service.dependsOn.push({ service: depName, condition: 'service_started', line: at('depends_on', i) });
    });
  } else if (asRecord(dependsOn)) {
    for (const [depName, cond] of Object.entries(asRecord(dependsOn) ?? {})) {
      const condition = asString(asRecord(cond)?.['condition']) ?? 'service_started';
      service.dependsOn.push({ service: depName, condition, line: at('depends_on', depName) });
    }
  }

  const networks = spec['networks'];
  service.networks = (
    Array.isArray(networks) ? networks.map((n) => asString(n) ?? '') : Object.keys(asRecord(networks) ?? {})
  )
    .filter((n) => n !== '')
    .sort(compareText);

  const health = asRecord(spec['healthcheck']);
  if (health) {
    const test = health['test'];
    const retries = health['retries'];
    service.healthcheck = {
      test: Array.isArray(test) ? test.map((t) => asString(t) ?? '') : [asString(test) ?? ''],
      line: at('healthcheck'),
      ...(asString(health['interval']) === undefined ? {} : { interval: asString(health['interval']) }),
      ...(asString(health['timeout']) === undefined ? {} : { timeout: asString(health['timeout']) }),
      ...(typeof retries === 'number' ? { retries } : {}),
    };
  }
  service.dependsOn.sort((a, b) => compareText(a.service, b.service));
  return service;
}

function parsePort(entry: unknown, line: number): ComposePort | undefined {
  const rec = asRecord(entry);
  if (rec) {
    const target = asString(rec['target']);
    if (target === undefined) return undefined;
    const published = asString(rec['published']);
    const hostIp = asString(rec['host_ip']);
    return {
      target,
      protocol: asString(rec['protocol']) === 'udp' ? 'udp' : 'tcp',
      line,
      ...(published === undefined ? {} : { published }),
      ...(hostIp === undefined ? {} : { hostIp }),
    };
  }
  const text = asString(entry);
  if (text === undefined) return undefined;
  // [HOST_IP:][PUBLISHED:]TARGET[/PROTOCOL]; HOST_IP may be an IPv6 address in brackets.
  const m = /^(?:(\[[^\]]+\]|[\d.]+):)?(?:([\d-]*):)?([\d-]+)(?:\/(tcp|udp))?$/.exec(text.trim());
  if (!m) return undefined;
  return {
    target: m[3] ?? '',
    protocol: m[4] === 'udp' ? 'udp' : 'tcp',
    line,
    ...(m[2] === undefined || m[2] === '' ? {} : { published: m[2] }),
    ...(m[1] === undefined ? {} : { hostIp: m[1] }),
  };
}

/** `KEY=VALUE` lines of an env file (comments, `export`, quotes); values redacted when the key looks secret. */
export function parseEnvFile(text: string, source: string): ComposeEnv[] {
  const out: ComposeEnv[] = [];
  text.split(/\r?\n/).forEach((raw, i) => {
    const line = raw.trim();
    if (line === '' || line.startsWith('#')) return;
    const m = /^(?:export\s+)?([^=\s]+)\s*(?:=\s*(.*))?$/.exec(line);
    if (!m) return;
    const name = m[1] ?? '';
    let value = m[2];
    if (value !== undefined) {
      const quoted = /^(["'])(.*)\1$/.exec(value);
      value = quoted ? (quoted[2] ?? '') : value.replace(/\s+#.*$/, '');
    }
    out.push({
      name,
      ...(value === undefined ? {} : { value: redactValue(name, value) }),
      source,
      line: i + 1,
    });
  });
  return out;
}

/** Reads and parses one compose file and the env files it names. `absRoot` is the estate root. */
export async function readComposeFile(absRoot: string, relFile: string): Promise<ComposeFacts> {
  const problems: InfraProblem[] = [];
  const text = await readTextOrProblem(join(absRoot, relFile), relFile, problems);
  if (text === undefined)
    return {
      file: relFile,
      project: defaultProject(relFile),
      services: [],
      networks: [],
      volumes: [],
      problems,
    };
  const facts = parseCompose(text, relFile);
  for (const service of facts.services) {
    for (const envFile of service.envFiles) {
      const envProblems: InfraProblem[] = [];
      const envText = await readTextOrProblem(join(absRoot, envFile.path), envFile.path, envProblems);
      if (envText === undefined) {
        if (envFile.required)
          facts.problems.push({
            code: 'compose-invalid',
            file: relFile,
            line: envFile.line,
            message: `env_file ${envFile.path} of service ${service.name}: ${envProblems[0]?.message ?? 'not readable'}; create it or mark it \`required: false\``,
            severity: 'error',
          });
        continue;
      }
      envFile.found = true;
      // environment: wins over env_file; keep the first definition of each name.
      for (const env of parseEnvFile(envText, envFile.path))
        if (!service.env.some((e) => e.name === env.name)) service.env.push(env);
    }
  }
  return facts;
}

function toCoreService(facts: ComposeFacts, s: ComposeService): CoreComposeService {
  const ports: PortMapping[] = [];
  for (const p of s.ports) {
    const container = Number.parseInt(p.target, 10);
    if (Number.isNaN(container)) continue;
    const host = p.published === undefined ? Number.NaN : Number.parseInt(p.published, 10);
    ports.push({
      container,
      ...(Number.isNaN(host) ? {} : { host }),
      ...(p.hostIp === undefined ? {} : { hostIp: p.hostIp.replace(/^\[|\]$/g, '') }),
    });
  }
  const conditions: Record<string, string> = {};
  for (const d of s.dependsOn) conditions[d.service] = d.condition;
  return {
    file: facts.file,
    line: s.line,
    name: s.name,
    project: facts.project,
    env: s.env.map((e) => ({
      file: e.source === 'environment' ? facts.file : e.source,
      line: e.line,
      name: e.name,
      ...(e.value === undefined ? {} : { value: e.value }),
      ...(e.source === 'environment' ? {} : { ref: { kind: 'env_file' as const, name: e.source } }),
    })),
    envFiles: s.envFiles.map((f) => f.path),
    ports,
    dependsOn: s.dependsOn.map((d) => d.service),
    dependsOnConditions: conditions,
    networks: s.networks,
    ...(s.image === undefined ? {} : { image: s.image }),
    ...(s.build === undefined ? {} : { build: { context: s.build.context, dockerfile: s.build.dockerfile } }),
    ...(s.healthcheck === undefined ? {} : { healthcheck: s.healthcheck }),
  };
}

/** Reads every compose file of the estate (and the env files they name). */
export const composeReader: InfraReader = {
  id: 'compose',
  async read(context: InfraContext): Promise<Partial<InfraFacts>> {
    const compose: CoreComposeService[] = [];
    const findings: InfraProblem[] = [];
    for (const file of context.files) {
      if (!isComposeFile(baseName(file)) || isBuildOutput(file)) continue;
      const facts = await readComposeFile(context.estateRoot, file);
      findings.push(...facts.problems);
      for (const s of facts.services) compose.push(toCoreService(facts, s));
    }
    return { compose, findings: findings.sort(compareProblems) };
  },
};
