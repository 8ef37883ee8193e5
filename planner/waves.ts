/**
 * Waves from the service graph. The rule (docs/plan.md): a service moves only after every service it calls over
 * HTTP or sends messages to, so each move changes one unknown at a time and the evidence gathered for a service
 * (its shadow diffs and gates) is taken against what it will finally talk to. Services that only read go first:
 * shadow traffic can prove them without writing anything. Members of a dependency cycle share a wave.
 */
import type { Estate, Service } from '../analyzer/index.ts';
import type { PlanFinding } from './plan-schema.ts';

export interface Dependency {
  service: string;
  kind: 'http' | 'message';
  detail: string;
}

export interface WaveAssignment {
  wave: number;
  reason: string;
  dependsOn: Dependency[];
  cycle?: string[];
}

const READ_SQL = new Set(['select']);
const READ_KV = new Set([
  'get',
  'exists',
  'mget',
  'hget',
  'hgetall',
  'hmget',
  'hkeys',
  'hvals',
  'hlen',
  'hexists',
  'smembers',
  'sismember',
  'scard',
  'lrange',
  'llen',
  'zrange',
  'zscore',
  'zcard',
  'keys',
  'scan',
  'ttl',
  'type',
]);
const READ_METHODS = new Set(['GET', 'HEAD', 'OPTIONS', 'MESSAGE']);

/** What a service writes outside itself, in words; empty when it only reads (then it can be shadowed safely). */
export function getWrites(service: Service): string[] {
  const writes = new Set<string>();
  for (const e of service.effects) {
    const op = e.detail.operation?.toLowerCase();
    if (e.kind === 'sql' && (op === undefined || !READ_SQL.has(op))) writes.add(e.detail.summary);
    else if ((e.kind === 'kv' || e.kind === 'redis') && (op === undefined || !READ_KV.has(op)))
      writes.add(e.detail.summary);
    else if (e.kind === 'publish') writes.add(e.detail.summary);
    else if (e.kind === 'http-out' && !READ_METHODS.has((op ?? 'GET').toUpperCase()))
      writes.add(e.detail.summary);
    else if (e.kind === 'fs') writes.add(e.detail.summary);
  }
  for (const endpoint of service.endpoints)
    if (!READ_METHODS.has(endpoint.method)) writes.add(`${endpoint.method} ${endpoint.path}`);
  return [...writes].sort();
}

/** Tarjan's strongly connected components, members sorted, components in a stable order. */
function findComponents(nodes: readonly string[], next: (id: string) => readonly string[]): string[][] {
  const index = new Map<string, number>();
  const low = new Map<string, number>();
  const stack: string[] = [];
  const onStack = new Set<string>();
  const components: string[][] = [];
  let counter = 0;
  const visit = (v: string): void => {
    index.set(v, counter);
    low.set(v, counter);
    counter += 1;
    stack.push(v);
    onStack.add(v);
    for (const w of next(v)) {
      if (!index.has(w)) {
        visit(w);
        low.set(v, Math.min(low.get(v)!, low.get(w)!));
      } else if (onStack.has(w)) low.set(v, Math.min(low.get(v)!, index.get(w)!));
    }
    if (low.get(v) === index.get(v)) {
      const component: string[] = [];
      let w: string;
      do {
        w = stack.pop()!;
        onStack.delete(w);
        component.push(w);
      } while (w !== v);
      components.push(component.sort());
    }
  };
  for (const v of nodes) if (!index.has(v)) visit(v);
  return components;
}

const list = (items: readonly string[]): string =>
  items.length <= 1 ? (items[0] ?? '') : `${items.slice(0, -1).join(', ')} and ${items[items.length - 1]}`;

/**
 * Assigns a wave to every included service and says why. Edges come from the analysis: `http` (calls) and
 * `message` (publisher → subscriber); edges to services not included do not constrain (those stay in their
 * containers) but are named in the reason.
 */
export function assignWaves(
  estate: Estate,
  included: ReadonlySet<string>,
): { waves: Map<string, WaveAssignment>; findings: PlanFinding[] } {
  const findings: PlanFinding[] = [];
  const deps = new Map<string, Dependency[]>();
  const legacy = new Map<string, Dependency[]>();
  for (const edge of estate.edges) {
    if (edge.toKind !== 'service' || edge.to === null || edge.to === edge.from) continue;
    if (edge.kind !== 'http' && edge.kind !== 'message') continue;
    const dep: Dependency = { service: edge.to, kind: edge.kind, detail: edge.detail };
    const into = included.has(edge.to) ? deps : legacy;
    into.set(edge.from, [...(into.get(edge.from) ?? []), dep]);
  }
  for (const edge of estate.edges)
    if (edge.toKind === 'unresolved' && edge.kind === 'http' && included.has(edge.from)) {
      const code = edge.evidence.find((e) => e.from === 'code');
      findings.push({
        severity: 'warning',
        code: 'unresolved-call',
        message: `${edge.from} calls ${edge.detail}, which the analysis could not resolve to a service; its wave does not account for that call`,
        services: [edge.from],
        ...(code === undefined ? {} : { at: `${code.source.file}:${code.source.line}` }),
      });
    }

  const services = estate.services.filter((s) => included.has(s.id));
  const ids = services.map((s) => s.id).sort();
  const callees = (id: string): string[] => [...new Set((deps.get(id) ?? []).map((d) => d.service))].sort();
  // Tarjan emits a component only after every component it reaches: callees before callers.
  const components = findComponents(ids, callees);
  const componentOf = new Map<string, string[]>();
  for (const c of components) for (const id of c) componentOf.set(id, c);
  const writesOf = new Map(services.map((s) => [s.id, getWrites(s)]));
  const raw = new Map<string[], number>();
  for (const c of components) {
    const writes = c.some((id) => (writesOf.get(id) ?? []).length > 0);
    let wave = writes ? 2 : 1;
    for (const id of c)
      for (const callee of callees(id)) {
        const other = componentOf.get(callee)!;
        if (other !== c) wave = Math.max(wave, raw.get(other)! + 1);
      }
    raw.set(c, wave);
  }
  // Number the waves 1, 2, 3… keeping their order (an estate without read-only services starts at 1 too).
  const numbers = [...new Set(raw.values())].sort((a, b) => a - b);
  const waveOf = (id: string): number => numbers.indexOf(raw.get(componentOf.get(id)!)!) + 1;

  const readOnlyFirst = ids.some((id) => (writesOf.get(id) ?? []).length === 0 && waveOf(id) === 1);
  const waves = new Map<string, WaveAssignment>();
  for (const c of components) {
    if (c.length > 1) {
      findings.push({
        severity: 'warning',
        code: 'cycle',
        message: `${[...c, c[0]].join(' → ')} form a dependency cycle: they share wave ${waveOf(c[0]!)} and each step waits until all of them pass its gates`,
        services: c,
      });
    }
    for (const id of c) {
      const dependsOn = (deps.get(id) ?? []).slice().sort((a, b) => (a.service < b.service ? -1 : 1));
      const parts: string[] = [];
      const before = dependsOn.filter((d) => !c.includes(d.service));
      if (before.length > 0)
        parts.push(
          `moves after ${list(before.map((d) => `${d.service} (wave ${waveOf(d.service)}, ${d.kind === 'http' ? 'calls it' : `sends it ${d.detail}`})`))}, so its checks run against what it will finally talk to`,
        );
      else parts.push('calls and sends to no other moving service');
      if (c.length > 1) parts.push(`in a cycle with ${list(c.filter((x) => x !== id))}: they share the wave`);
      const writes = writesOf.get(id) ?? [];
      const shown = `${writes.slice(0, 3).join('; ')}${writes.length > 3 ? '; …' : ''}`;
      parts.push(
        writes.length === 0
          ? 'only reads, so shadow traffic can prove it without writing anything'
          : readOnlyFirst && before.length === 0
            ? `writes (${shown}), so it waits for the read-only services of wave 1`
            : `writes (${shown})`,
      );
      const stays = legacy.get(id) ?? [];
      if (stays.length > 0)
        parts.push(`${list([...new Set(stays.map((d) => d.service))])} stays in its container`);
      waves.set(id, {
        wave: waveOf(id),
        reason: parts.join('; '),
        dependsOn: [...dependsOn, ...stays].sort((a, b) => (a.service < b.service ? -1 : 1)),
        ...(c.length > 1 ? { cycle: c.filter((x) => x !== id) } : {}),
      });
    }
  }
  return { waves, findings };
}
