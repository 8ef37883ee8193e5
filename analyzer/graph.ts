/**
 * The join and the edges. Services found in source are joined to their compose service, Dockerfile and k8s
 * workload (by build context/Dockerfile directory, name, or image name); then each http-out, publish, sql and kv
 * effect becomes an edge whose far end is resolved through properties and the deployment env, or is reported
 * as unresolved.
 */
import { posix } from 'node:path';
import type { DiscoveredService } from './languages/types.ts';
import type { Deployment, Edge, EnvEntry, Evidence, InfraNode, RawEffect, Service } from './model.ts';
import type {
  ComposeService,
  DockerfileFacts,
  EnvVar,
  InfraFacts,
  K8sWorkload,
  PropertyEntry,
} from './infra/types.ts';
import {
  createRuntimeEnv,
  getHost,
  indexProperties,
  resolveExpression,
  type Resolution,
  type RuntimeEnv,
} from './resolve.ts';
import { REDACTED, isSecretName } from './redact.ts';

export interface JoinedService {
  service: DiscoveredService;
  compose: ComposeService | undefined;
  dockerfile: DockerfileFacts | undefined;
  workloads: K8sWorkload[];
  properties: Map<string, PropertyEntry>;
  envs: RuntimeEnv[];
}

const imageName = (image: string | undefined): string | undefined =>
  image
    ?.replace(/[:@].*$/, '')
    .split('/')
    .pop();
const dirOf = (file: string): string => posix.dirname(file);
const sameDir = (a: string, b: string): boolean =>
  a.replace(/^\.\//, '').replace(/\/$/, '') === b.replace(/^\.\//, '').replace(/\/$/, '');

function findCompose(
  service: DiscoveredService,
  compose: readonly ComposeService[],
): ComposeService | undefined {
  return (
    compose.find(
      (c) => c.build?.dockerfile !== undefined && sameDir(dirOf(c.build.dockerfile), service.root),
    ) ??
    compose.find(
      (c) =>
        c.build !== undefined && c.build.dockerfile === undefined && sameDir(c.build.context, service.root),
    ) ??
    compose.find((c) => c.name === service.id) ??
    compose.find((c) => imageName(c.image) === service.id)
  );
}

export function joinServices(services: readonly DiscoveredService[], infra: InfraFacts): JoinedService[] {
  return services.map((service) => {
    const compose = findCompose(service, infra.compose);
    const dockerfile =
      (compose?.build?.dockerfile === undefined
        ? undefined
        : infra.dockerfiles.find((d) => d.file === compose.build!.dockerfile)) ??
      infra.dockerfiles.find((d) => sameDir(dirOf(d.file), service.root));
    const images = new Set(
      [service.id, imageName(compose?.image)].filter((x): x is string => x !== undefined),
    );
    const workloads = infra.workloads.filter(
      (w) => w.name === service.id || w.containers.some((c) => images.has(imageName(c.image) ?? '')),
    );
    const prefix = service.root === '.' ? '' : `${service.root}/`;
    const properties = indexProperties(
      infra.properties.filter((p) => p.file.startsWith(prefix) && !p.file.includes('/src/test/')),
    );
    const envs: RuntimeEnv[] = [];
    if (compose !== undefined) envs.push(createRuntimeEnv('compose', compose.env, []));
    const k8sEnv = workloads.flatMap((w) => w.containers.flatMap((c) => c.env));
    if (k8sEnv.length > 0) envs.push(createRuntimeEnv('k8s', k8sEnv, infra.configMaps));
    return { service, compose, dockerfile, workloads, properties, envs };
  });
}

function toEnvEntry(v: EnvVar): EnvEntry {
  const entry: EnvEntry = { name: v.name, source: { file: v.file, line: v.line } };
  if (v.ref !== undefined)
    entry.ref = `${v.ref.kind}:${v.ref.name}${v.ref.key === undefined ? '' : `/${v.ref.key}`}`;
  else if (v.value !== undefined) entry.value = isSecretName(v.name) ? REDACTED : v.value;
  return entry;
}

export function getContainer(joined: JoinedService): Service['container'] {
  const { compose, dockerfile, workloads } = joined;
  if (compose === undefined && dockerfile === undefined && workloads.length === 0) return undefined;
  const ports = new Set<number>([
    ...(dockerfile?.exposedPorts ?? []),
    ...(compose?.ports.map((p) => p.container) ?? []),
    ...workloads.flatMap((w) => w.containers.flatMap((c) => c.ports)),
  ]);
  const env = [
    ...(dockerfile?.env ?? []),
    ...(compose?.env ?? []),
    ...workloads.flatMap((w) => w.containers.flatMap((c) => c.env)),
  ].map(toEnvEntry);
  const container: NonNullable<Service['container']> = { ports: [...ports].sort((a, b) => a - b), env };
  if (dockerfile !== undefined) container.dockerfile = dockerfile.file;
  if (dockerfile?.baseImage !== undefined) container.baseImage = dockerfile.baseImage;
  const image = compose?.image ?? workloads[0]?.containers[0]?.image;
  if (image !== undefined) container.image = image;
  return container;
}

export function getDeployments(joined: JoinedService, infra: InfraFacts): Deployment[] {
  const out: Deployment[] = [];
  if (joined.compose !== undefined)
    out.push({
      kind: 'compose',
      name: joined.compose.name,
      source: { file: joined.compose.file, line: joined.compose.line },
    });
  for (const w of joined.workloads) {
    out.push({
      kind: w.kind,
      name: w.name,
      ...(w.namespace === undefined ? {} : { namespace: w.namespace }),
      source: { file: w.file, line: w.line },
    });
    for (const s of infra.services) {
      const labels = Object.entries(s.selector);
      if (labels.length > 0 && labels.every(([k, v]) => w.labels[k] === v))
        out.push({
          kind: 'Service',
          name: s.name,
          ...(s.namespace === undefined ? {} : { namespace: s.namespace }),
          source: { file: s.file, line: s.line },
        });
    }
  }
  const names = new Set(out.filter((d) => d.kind === 'Service').map((d) => d.name));
  for (const rule of infra.ingress)
    if (names.has(rule.service))
      out.push({
        kind: 'Ingress',
        name: `${rule.ingress} ${rule.host ?? '*'}${rule.path}`,
        source: { file: rule.file, line: rule.line },
      });
  return out;
}

const INFRA_KINDS: [RegExp, InfraNode['kind']][] = [
  [/postgres|postgis/, 'postgres'],
  [/mysql|mariadb/, 'mysql'],
  [/redis|valkey/, 'redis'],
  [/nats/, 'nats'],
  [/kafka|redpanda/, 'kafka'],
  [/rabbitmq/, 'rabbitmq'],
];

/** Compose services and k8s workloads that are not application services: databases, brokers, caches. */
export function getInfraNodes(joined: readonly JoinedService[], infra: InfraFacts): InfraNode[] {
  const appCompose = new Set(joined.map((j) => j.compose?.name));
  const appWorkloads = new Set(joined.flatMap((j) => j.workloads.map((w) => w.name)));
  const nodes = new Map<string, InfraNode>();
  const classify = (image: string | undefined): InfraNode['kind'] =>
    INFRA_KINDS.find(([re]) => re.test(image ?? ''))?.[1] ?? 'other';
  for (const c of infra.compose) {
    if (appCompose.has(c.name) || c.build !== undefined) continue;
    nodes.set(c.name, {
      id: c.name,
      kind: classify(c.image),
      ...(c.image === undefined ? {} : { image: c.image }),
      source: { file: c.file, line: c.line },
    });
  }
  for (const w of infra.workloads) {
    if (appWorkloads.has(w.name) || nodes.has(w.name)) continue;
    const image = w.containers[0]?.image;
    nodes.set(w.name, {
      id: w.name,
      kind: classify(image),
      ...(image === undefined ? {} : { image }),
      source: { file: w.file, line: w.line },
    });
  }
  return [...nodes.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}

const codeEvidence = (effect: RawEffect): Evidence => ({
  from: 'code',
  text: effect.site.excerpt ?? effect.detail.summary,
  source: {
    file: effect.site.file,
    line: effect.site.line,
    ...(effect.site.column === undefined ? {} : { column: effect.site.column }),
  },
});

const evidenceKey = (e: Evidence): string => `${e.from}|${e.source.file}|${e.source.line}|${e.text}`;

interface GraphInput {
  joined: JoinedService;
  effects: readonly RawEffect[];
}

/** Resolves effect expressions and builds the edges. */
export function buildEdges(
  inputs: readonly GraphInput[],
  infraNodes: readonly InfraNode[],
  infra: InfraFacts,
): Edge[] {
  const hostToService = new Map<string, string>();
  for (const { joined } of inputs) {
    hostToService.set(joined.service.id, joined.service.id);
    if (joined.compose !== undefined) hostToService.set(joined.compose.name, joined.service.id);
    for (const d of getDeployments(joined, infra))
      if (d.kind === 'Service') hostToService.set(d.name, joined.service.id);
  }
  const infraIds = new Set(infraNodes.map((n) => n.id));
  const edges = new Map<string, Edge>();
  // evidence already on each edge: appending only the new keeps `add` linear in the evidence it is given
  const seen = new Map<string, Set<string>>();
  const add = (edge: Edge): void => {
    const key = `${edge.from}|${edge.kind}|${edge.to ?? ''}|${edge.detail}`;
    let existing = edges.get(key);
    let keys = seen.get(key);
    if (existing === undefined || keys === undefined) {
      existing = { ...edge, evidence: [] };
      keys = new Set();
      edges.set(key, existing);
      seen.set(key, keys);
    }
    for (const evidence of edge.evidence) {
      const k = evidenceKey(evidence);
      if (keys.has(k)) continue;
      keys.add(k);
      existing.evidence.push(evidence);
    }
  };
  const resolveAll = (joined: JoinedService, expression: string): Resolution[] =>
    resolveExpression(expression, joined.properties, joined.envs);

  // subscribers by resolved subject
  const subscribers = new Map<string, { service: string; evidence: Evidence[] }[]>();
  for (const { joined, effects } of inputs) {
    for (const e of effects) {
      if (e.kind !== 'subscribe' || e.detail.subject === undefined) continue;
      for (const subject of new Set([
        e.detail.subject,
        ...resolveAll(joined, e.detail.subject).map((r) => r.value),
      ])) {
        const list = subscribers.get(subject) ?? [];
        list.push({
          service: joined.service.id,
          evidence: [codeEvidence(e), ...resolveAll(joined, e.detail.subject).flatMap((r) => r.evidence)],
        });
        subscribers.set(subject, list);
      }
    }
  }

  for (const { joined, effects } of inputs) {
    const from = joined.service.id;
    for (const e of effects) {
      if (e.kind === 'http-out') {
        const expression = e.detail.url ?? '';
        const resolutions = expression === '' ? [] : resolveAll(joined, expression);
        const targets = new Map<string, Evidence[]>();
        for (const r of resolutions) {
          const host = getHost(r.value);
          const target = host === undefined ? undefined : hostToService.get(host);
          if (target !== undefined && target !== from)
            targets.set(target, [
              ...(targets.get(target) ?? []),
              {
                from: r.env === 'default' ? 'properties' : (r.env as Evidence['from']),
                text: `${expression} → ${r.value}`,
                source: r.evidence[r.evidence.length - 1]?.source ?? e.site,
              },
              ...r.evidence,
            ]);
        }
        if (resolutions.length > 0 && e.detail.resolvedUrl === undefined)
          e.detail.resolvedUrl = resolutions[resolutions.length - 1]!.value;
        if (targets.size === 0)
          add({
            from,
            to: null,
            toKind: 'unresolved',
            kind: 'http',
            detail: expression || e.detail.summary,
            evidence: [codeEvidence(e), ...resolutions.flatMap((r) => r.evidence)],
          });
        for (const [to, evidence] of targets)
          add({
            from,
            to,
            toKind: 'service',
            kind: 'http',
            detail: expression,
            evidence: [codeEvidence(e), ...evidence],
          });
      } else if (e.kind === 'publish') {
        const expression = e.detail.subject ?? '';
        const resolutions = resolveAll(joined, expression);
        const subjects = new Set([expression, ...resolutions.map((r) => r.value)]);
        const matched = new Map<string, Evidence[]>();
        for (const subject of subjects)
          for (const s of subscribers.get(subject) ?? [])
            if (s.service !== from)
              matched.set(s.service, [...(matched.get(s.service) ?? []), ...s.evidence]);
        const resolved = resolutions[0]?.value ?? expression;
        const evidence = [codeEvidence(e), ...resolutions.flatMap((r) => r.evidence)];
        if (matched.size === 0)
          add({
            from,
            to: null,
            toKind: 'unresolved',
            kind: 'message',
            detail: `no subscriber found for ${resolved}`,
            evidence,
          });
        for (const [to, theirs] of matched)
          add({
            from,
            to,
            toKind: 'service',
            kind: 'message',
            detail: resolved,
            evidence: [...evidence, ...theirs],
          });
      } else if (e.kind === 'sql' || e.kind === 'kv' || e.kind === 'redis') {
        // An edge names the store, not the API: Redis values (`kv`) and Redis data structures (`redis`) are one `kv` edge.
        const edgeKind = e.kind === 'sql' ? 'sql' : 'kv';
        const keys =
          e.kind === 'sql'
            ? ['spring.datasource.url', 'spring.r2dbc.url']
            : ['spring.data.redis.host', 'spring.redis.host', 'spring.data.redis.url', 'spring.redis.url'];
        const key = keys.find((k) => joined.properties.has(k));
        const evidence: Evidence[] = [codeEvidence(e)];
        let target: string | undefined;
        let detail = e.kind === 'sql' ? 'database' : 'key-value store';
        if (key !== undefined) {
          for (const r of resolveAll(joined, `\${${key}}`)) {
            evidence.push(...r.evidence);
            const host = key.endsWith('.host') ? r.value : getHost(r.value);
            if (host !== undefined && infraIds.has(host)) {
              target = host;
              detail = `${key} → ${r.value}`;
              evidence.push({
                from: r.env === 'k8s' ? 'k8s' : 'compose',
                text: `${host} (${infraNodes.find((n) => n.id === host)?.image ?? 'service'})`,
                source: infraNodes.find((n) => n.id === host)?.source ?? e.site,
              });
            }
          }
        }
        if (target === undefined)
          add({
            from,
            to: null,
            toKind: 'unresolved',
            kind: edgeKind,
            detail: key === undefined ? `no ${keys[0]} property` : detail,
            evidence,
          });
        else add({ from, to: target, toKind: 'infra', kind: edgeKind, detail, evidence });
      }
    }
  }
  for (const { joined } of inputs) addGatewayRoutes(joined, hostToService, add);
  // code evidence: keep the first few sites per edge, stable
  const list = [...edges.values()];
  for (const edge of list) {
    const code = edge.evidence.filter((x) => x.from === 'code').slice(0, 5);
    edge.evidence = [...code, ...edge.evidence.filter((x) => x.from !== 'code')];
  }
  return list.sort(
    (a, b) =>
      cmp(a.from, b.from) || cmp(a.kind, b.kind) || cmp(a.to ?? '~', b.to ?? '~') || cmp(a.detail, b.detail),
  );
}

const cmp = (a: string, b: string): number => (a < b ? -1 : a > b ? 1 : 0);

/** `spring.cloud.gateway.routes[0].uri`, also under `server.webflux`/`server.webmvc`/`mvc` (newer Spring Cloud). */
const GATEWAY_ROUTE_URI =
  /^spring\.cloud\.gateway(?:\.server\.web(?:flux|mvc)|\.mvc)?\.routes\[(\d+)\]\.uri$/;

/**
 * Spring Cloud Gateway routes declared in configuration: each route's `uri` (`lb://records-service`,
 * `http://records-service:8080`, a placeholder) is an http edge from the gateway to the service it names.
 */
function addGatewayRoutes(
  joined: JoinedService,
  hostToService: ReadonlyMap<string, string>,
  add: (edge: Edge) => void,
): void {
  const from = joined.service.id;
  for (const [key, entry] of joined.properties) {
    const match = GATEWAY_ROUTE_URI.exec(key);
    if (match === null) continue;
    const idKey = key.replace(/\.uri$/, '.id');
    const routeId = joined.properties.get(idKey)?.value ?? `#${match[1]}`;
    const evidence: Evidence[] = [
      { from: 'properties', text: `${key}=${entry.value}`, source: { file: entry.file, line: entry.line } },
    ];
    const values = entry.value.includes('${')
      ? resolveExpression(entry.value, new Map(), joined.envs).map((r) => {
          evidence.push(...r.evidence);
          return r.value;
        })
      : [entry.value];
    const targets = new Set<string>();
    for (const value of values) {
      const host = getHost(value);
      const target = host === undefined ? undefined : hostToService.get(host);
      if (target !== undefined && target !== from) targets.add(target);
    }
    const detail = `gateway route ${routeId} → ${entry.value}`;
    if (targets.size === 0) add({ from, to: null, toKind: 'unresolved', kind: 'http', detail, evidence });
    for (const to of targets) add({ from, to, toKind: 'service', kind: 'http', detail, evidence });
  }
}
