/**
 * Resolves `${key}` expressions from code through a service's Spring properties and the environment its
 * deployments give it (compose env, k8s env and ConfigMaps). Every resolution keeps its evidence; nothing is
 * guessed: an expression that does not resolve stays unresolved.
 */
import type { Evidence } from './model.ts';
import type { ConfigMapFacts, EnvVar, InfraFacts, PropertyEntry } from './infra/types.ts';
import { REDACTED } from './redact.ts';

/** One environment a service runs in, e.g. `compose` or `k8s`, with its variables. */
export interface RuntimeEnv {
  from: 'compose' | 'k8s' | 'dockerfile';
  vars: Map<string, { value: string | undefined; evidence: Evidence }>;
}

export interface Resolution {
  /** Environment name: `compose`, `k8s`, or `default` (placeholder defaults only). */
  env: string;
  value: string;
  evidence: Evidence[];
}

const PLACEHOLDER = /\$\{([^}:]+)(?::([^}]*))?\}/g;

export function createRuntimeEnv(
  from: RuntimeEnv['from'],
  env: readonly EnvVar[],
  configMaps: readonly ConfigMapFacts[],
): RuntimeEnv {
  const vars: RuntimeEnv['vars'] = new Map();
  for (const v of env) {
    let value = v.value;
    let text = `${v.name}=${v.value ?? ''}`;
    if (v.ref?.kind === 'configMapKeyRef') {
      const cm = configMaps.find((c) => c.name === v.ref!.name);
      value = cm?.data[v.ref.key ?? v.name]?.value;
      text = `${v.name} ← configMapKeyRef ${v.ref.name}/${v.ref.key ?? v.name}${value === undefined ? '' : ` = ${value}`}`;
    } else if (v.ref?.kind === 'secretKeyRef') {
      value = REDACTED;
      text = `${v.name} ← secretKeyRef ${v.ref.name}/${v.ref.key ?? ''} (redacted)`;
    }
    vars.set(v.name, { value, evidence: { from, text, source: { file: v.file, line: v.line } } });
  }
  return { from, vars };
}

/** Properties of the default profile for one service, by key. */
export function indexProperties(entries: readonly PropertyEntry[]): Map<string, PropertyEntry> {
  const map = new Map<string, PropertyEntry>();
  for (const e of entries) if (e.profile === undefined && !map.has(e.key)) map.set(e.key, e);
  return map;
}

function substitute(
  value: string,
  env: RuntimeEnv | undefined,
  evidence: Evidence[],
  depth: number,
): string | undefined {
  let failed = false;
  const out = value.replace(PLACEHOLDER, (_m, name: string, fallback: string | undefined) => {
    const fromEnv = env?.vars.get(name);
    if (fromEnv?.value !== undefined) {
      evidence.push(fromEnv.evidence);
      return fromEnv.value;
    }
    if (fallback !== undefined) return fallback;
    failed = true;
    return '';
  });
  if (failed || depth > 3) return undefined;
  return out;
}

/**
 * Resolves an expression such as `${inventory.url}/api` for each environment (default, compose, k8s).
 * Properties are looked up first; their own placeholders then resolve through the environment.
 */
export function resolveExpression(
  expression: string,
  properties: ReadonlyMap<string, PropertyEntry>,
  envs: readonly RuntimeEnv[],
): Resolution[] {
  const results: Resolution[] = [];
  for (const env of [undefined, ...envs]) {
    const evidence: Evidence[] = [];
    let failed = false;
    const value = expression.replace(PLACEHOLDER, (_m, key: string, fallback: string | undefined) => {
      const property = properties.get(key);
      if (property !== undefined) {
        evidence.push({
          from: 'properties',
          text: `${key}=${property.value}`,
          source: { file: property.file, line: property.line },
        });
        const resolved = substitute(property.value, env, evidence, 0);
        if (resolved !== undefined) return resolved;
      }
      const direct = env?.vars.get(key) ?? env?.vars.get(key.toUpperCase().replace(/[.-]/g, '_'));
      if (direct?.value !== undefined) {
        evidence.push(direct.evidence);
        return direct.value;
      }
      if (fallback !== undefined) return fallback;
      failed = true;
      return '';
    });
    if (failed || value.includes('{')) continue;
    if (env !== undefined && !evidence.some((e) => e.from === env.from)) continue; // same as default
    results.push({ env: env?.from ?? 'default', value, evidence });
  }
  return results;
}

/** Host of a URL-ish value: `http://inventory-service:8080/x` → `inventory-service`; jdbc and nats too. */
export function getHost(value: string): string | undefined {
  const m = /^(?:jdbc:)?[a-z][\w+.-]*:\/\/(?:[^@/]*@)?([^:/?,]+)/i.exec(value.trim());
  return m?.[1];
}

export function hasInfraFacts(facts: InfraFacts): boolean {
  return facts.compose.length + facts.workloads.length + facts.properties.length > 0;
}
