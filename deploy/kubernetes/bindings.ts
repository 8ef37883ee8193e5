import type { Estate } from '../../analyzer/index.ts';

type Service = Estate['services'][number];

/** Where a binding's value comes from: a literal, or a key of a ConfigMap/Secret (never a secret's value). */
export type BindingSource =
  | { value: string }
  | { configMapKeyRef: { name: string; key: string } }
  | { secretKeyRef: { name: string; key: string } };

/** One environment binding of the legacy Deployment that the component needs too (db url, nats, config keys). */
export interface Binding {
  /** The environment name as the legacy Deployment has it, e.g. `DB_HOST`. */
  env: string;
  source: BindingSource;
  /** `file:line` of the entry in the estate's Kubernetes manifests. */
  location: string;
}

/** Entries that only make sense for the container (JVM flags, the listen port the component does not choose). */
const CONTAINER_ONLY = new Set(['JAVA_OPTS', 'JAVA_TOOL_OPTIONS', 'SERVER_PORT', 'PORT', 'NODE_OPTIONS']);

/** The legacy Kubernetes Deployment of a service, if the estate has one. */
export function getKubeDeployment(service: Service): Service['deployments'][number] | undefined {
  return service.deployments.find((d) => d.kind === 'Deployment' || d.kind === 'StatefulSet');
}

/** The legacy Kubernetes Service object of a service, if the estate has one. */
export function getKubeService(service: Service): Service['deployments'][number] | undefined {
  return service.deployments.find((d) => d.kind === 'Service');
}

/**
 * The bindings of a service, read from its Kubernetes Deployment's env (the cluster's truth, not compose's).
 * A redacted literal (`***`) has no reference to carry over: it is returned in `unresolved`.
 */
export function resolveBindings(service: Service): { bindings: Binding[]; unresolved: Binding[] } {
  const deployment = getKubeDeployment(service);
  const bindings: Binding[] = [];
  const unresolved: Binding[] = [];
  if (deployment === undefined) return { bindings, unresolved };
  const seen = new Set<string>();
  for (const entry of service.container?.env ?? []) {
    if (entry.source.file !== deployment.source.file || CONTAINER_ONLY.has(entry.name)) continue;
    if (seen.has(entry.name)) continue;
    seen.add(entry.name);
    const location = `${entry.source.file}:${entry.source.line}`;
    const source = parseSource(entry.value, entry.ref);
    if (source === undefined || ('value' in source && source.value === '***'))
      unresolved.push({ env: entry.name, source: source ?? { value: '' }, location });
    else bindings.push({ env: entry.name, source, location });
  }
  bindings.sort((a, b) => a.env.localeCompare(b.env));
  return { bindings, unresolved };
}

function parseSource(value: string | undefined, ref: string | undefined): BindingSource | undefined {
  if (ref !== undefined) {
    const match = /^(configMapKeyRef|secretKeyRef):([^/]+)\/(.+)$/.exec(ref);
    if (match === null) return undefined;
    const target = { name: match[2]!, key: match[3]! };
    return match[1] === 'secretKeyRef' ? { secretKeyRef: target } : { configMapKeyRef: target };
  }
  return value === undefined ? undefined : { value };
}

/** A Spin variable name for an env name: `DB_HOST` → `db_host` (Spin allows lower case, digits, `_`). */
export function toSpinVariableName(env: string): string {
  return env
    .toLowerCase()
    .replace(/[^a-z0-9_]/g, '_')
    .replace(/^[^a-z]+/, 'v_');
}
