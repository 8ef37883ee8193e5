/**
 * Capability bindings: which real Postgres, NATS, Redis or HTTP service each capability of a component talks to,
 * from the analysis (properties, compose and Kubernetes env); and the secrets it needs, by reference only.
 */
import type { Estate, Service } from '../analyzer/index.ts';
import type { Binding, PlanFinding, SecretRef } from './plan-schema.ts';

const MESSAGE_INFRA = new Set(['nats', 'kafka', 'rabbitmq']);
const EVIDENCE_LIMIT = 4;

/** Removes credentials from an address: `user:pass@` and password-like query parameters. */
export function scrubAddress(address: string): string {
  return address
    .replace(/\/\/[^/@\s]*@/, '//')
    .replace(/([?&](?:password|pass|pwd|secret|token)=)[^&]*/gi, '$1***');
}

const hostOf = (value: string | undefined): string | undefined => {
  try {
    return value === undefined ? undefined : new URL(value).hostname;
  } catch {
    return undefined;
  }
};

const at = (file: string, line: number): string => `${file}:${line}`;

function infraCapability(estate: Estate, id: string | null): Binding['capability'] {
  const kind = estate.infra.find((n) => n.id === id)?.kind;
  return kind === undefined ? 'other' : kind;
}

/** The value after `→` in an edge detail such as `spring.datasource.url → jdbc:postgresql://postgres:5432/test`. */
const resolvedOf = (detail: string): string | undefined =>
  detail.includes(' → ')
    ? scrubAddress(
        detail
          .split(' → ')
          .pop()!
          .replace(/^jdbc:/, ''),
      )
    : undefined;

export function getBindings(
  estate: Estate,
  service: Service,
): { bindings: Binding[]; findings: PlanFinding[] } {
  const bindings: Binding[] = [];
  const findings: PlanFinding[] = [];
  for (const edge of estate.edges) {
    if (edge.from !== service.id) continue;
    const evidence = [
      ...new Set(edge.evidence.filter((e) => e.from !== 'code').map((e) => at(e.source.file, e.source.line))),
    ].slice(0, EVIDENCE_LIMIT);
    const code = edge.evidence.find((e) => e.from === 'code');
    if (edge.kind === 'sql' || edge.kind === 'kv') {
      const capability =
        edge.to === null ? (edge.kind === 'kv' ? 'redis' : 'postgres') : infraCapability(estate, edge.to);
      const address = resolvedOf(edge.detail);
      bindings.push({
        capability,
        target: edge.to,
        ...(address === undefined ? {} : { address }),
        detail: edge.detail.split(' → ')[0]!,
        evidence,
      });
      if (edge.to === null)
        findings.push({
          severity: 'warning',
          code: 'unresolved-binding',
          message: `${service.id}'s ${edge.kind === 'sql' ? 'database' : 'key-value store'} could not be resolved (${edge.detail}); set the binding's target and address in the plan`,
          services: [service.id],
          ...(code === undefined ? {} : { at: at(code.source.file, code.source.line) }),
        });
    } else if (edge.kind === 'http' && edge.toKind === 'service') {
      const url = service.effects.find((e) => e.kind === 'http-out' && e.detail.url === edge.detail)?.detail
        .resolvedUrl;
      bindings.push({
        capability: 'http',
        target: edge.to,
        ...(url === undefined ? {} : { address: scrubAddress(url) }),
        detail: edge.detail,
        evidence,
      });
    }
  }
  // Messaging: the broker comes from the infra and the service's env (NATS_URL=nats://nats:4222), the subjects
  // from its publish/subscribe effects.
  const messaging = service.effects.filter((e) => e.kind === 'publish' || e.kind === 'subscribe');
  if (messaging.length > 0) {
    const brokers = estate.infra.filter((n) => MESSAGE_INFRA.has(n.kind));
    const subjects = [
      ...new Set(
        estate.edges
          .filter((e) => e.kind === 'message' && (e.from === service.id || e.to === service.id))
          .map((e) => e.detail)
          .filter((d) => !d.startsWith('no subscriber')),
      ),
    ].sort();
    const detail =
      subjects.length > 0
        ? subjects.join(', ')
        : [...new Set(messaging.map((e) => e.detail.summary))].join(', ');
    const env = service.container?.env ?? [];
    for (const broker of brokers.length > 0 ? brokers : [undefined]) {
      const hit = env.find((v) => broker !== undefined && hostOf(v.value) === broker.id);
      const refs = env.filter((v) => v.ref !== undefined && /NATS|KAFKA|RABBIT|AMQP|BROKER/i.test(v.name));
      bindings.push({
        capability: broker === undefined ? 'nats' : broker.kind,
        target: broker?.id ?? null,
        ...(hit?.value === undefined ? {} : { address: scrubAddress(hit.value) }),
        detail,
        evidence: [
          ...new Set([
            ...(hit === undefined ? [] : [at(hit.source.file, hit.source.line)]),
            ...refs.map((v) => at(v.source.file, v.source.line)),
          ]),
        ].slice(0, EVIDENCE_LIMIT),
      });
      if (broker === undefined)
        findings.push({
          severity: 'warning',
          code: 'unresolved-binding',
          message: `${service.id} sends or receives messages (${detail}) but no broker was found in compose or Kubernetes; set the binding's target and address in the plan`,
          services: [service.id],
        });
    }
  }
  bindings.sort((a, b) => (a.capability + (a.target ?? '') < b.capability + (b.target ?? '') ? -1 : 1));
  return { bindings, findings };
}

/** Secrets by reference: Kubernetes secretKeyRefs, values the analysis redacted, and `secret` effects. */
export function getSecrets(service: Service): SecretRef[] {
  const out = new Map<string, SecretRef>();
  for (const v of service.container?.env ?? []) {
    let ref: string | undefined;
    if (v.ref?.startsWith('secretKeyRef:') === true) ref = v.ref;
    else if (v.value === '***') ref = `env:${v.name}`;
    if (ref !== undefined && !out.has(`${v.name}|${ref}`))
      out.set(`${v.name}|${ref}`, { name: v.name, ref, source: at(v.source.file, v.source.line) });
  }
  for (const e of service.effects)
    if (
      e.kind === 'secret' &&
      e.detail.key !== undefined &&
      ![...out.values()].some((s) => s.name === e.detail.key)
    )
      out.set(`${e.detail.key}|config`, {
        name: e.detail.key,
        ref: `config:${e.detail.key}`,
        source: at(e.site.file, e.site.line),
      });
  return [...out.values()].sort((a, b) => (a.name + a.ref < b.name + b.ref ? -1 : 1));
}
