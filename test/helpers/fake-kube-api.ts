/**
 * A small Kubernetes API server for tests, speaking the REST protocol as @kubernetes/client-node 1.4 uses it:
 * discovery, GET/LIST (label selectors), server-side apply (`application/apply-patch+yaml`, fieldManager, force,
 * managedFields, 409 on a conflicting owner), `dryRun=All`, DELETE and the status subresource. A controller loop
 * marks objects ready unless `readiness: 'never'`. Ownership is tracked per leaf field; lists are atomic.
 */
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { KubeConfig } from '@kubernetes/client-node';
import { parse } from 'yaml';

type Json = Record<string, unknown>;
interface ResourceType {
  group: string;
  version: string;
  kind: string;
  plural: string;
  namespaced: boolean;
}
interface Stored {
  object: Json;
  owners: Map<string, string>;
}

const BUILT_IN: ResourceType[] = [
  { group: '', version: 'v1', kind: 'Namespace', plural: 'namespaces', namespaced: false },
  { group: '', version: 'v1', kind: 'ConfigMap', plural: 'configmaps', namespaced: true },
  { group: '', version: 'v1', kind: 'Secret', plural: 'secrets', namespaced: true },
  { group: '', version: 'v1', kind: 'Service', plural: 'services', namespaced: true },
  { group: 'apps', version: 'v1', kind: 'Deployment', plural: 'deployments', namespaced: true },
  { group: 'networking.k8s.io', version: 'v1', kind: 'Ingress', plural: 'ingresses', namespaced: true },
  { group: 'node.k8s.io', version: 'v1', kind: 'RuntimeClass', plural: 'runtimeclasses', namespaced: false },
];
/** Kinds a controller reconciles (and writes status for). */
const RECONCILED = new Set(['Deployment', 'SpinApp', 'WorkloadDeployment', 'HTTPRoute']);
/** Kinds a test can install, as a CRD (or the Gateway API) would. */
export const OPTIONAL_KINDS: Record<'spin' | 'wasmcloud' | 'gatewayApi', ResourceType[]> = {
  spin: [
    {
      group: 'core.spinkube.dev',
      version: 'v1alpha1',
      kind: 'SpinApp',
      plural: 'spinapps',
      namespaced: true,
    },
    {
      group: 'core.spinkube.dev',
      version: 'v1alpha1',
      kind: 'SpinAppExecutor',
      plural: 'spinappexecutors',
      namespaced: true,
    },
  ],
  wasmcloud: [
    {
      group: 'runtime.wasmcloud.dev',
      version: 'v1alpha1',
      kind: 'WorkloadDeployment',
      plural: 'workloaddeployments',
      namespaced: true,
    },
  ],
  gatewayApi: [
    {
      group: 'gateway.networking.k8s.io',
      version: 'v1',
      kind: 'HTTPRoute',
      plural: 'httproutes',
      namespaced: true,
    },
  ],
};

export interface FakeKubeApiOptions {
  /** Optional API groups served (CRDs installed). */
  install?: (keyof typeof OPTIONAL_KINDS)[];
  /** `ready` (default): the controller loop marks objects ready; `never`: nothing ever becomes ready. */
  readiness?: 'ready' | 'never';
}

export interface FakeKubeApi {
  url: string;
  kubeConfig: KubeConfig;
  /** Stored objects (copies), optionally of one kind. */
  objects(kind?: string): Json[];
  /** Store an object as another field manager would (e.g. `kubectl`), bypassing the HTTP API. */
  seed(object: Json, manager: string): void;
  /** Requests seen, `METHOD path?query` (content type for PATCH). */
  requests: string[];
  close(): Promise<void>;
}

const apiVersionOf = (t: ResourceType): string => (t.group === '' ? t.version : `${t.group}/${t.version}`);
const clone = <T>(v: T): T => structuredClone(v);
const isMap = (v: unknown): v is Json => v !== null && typeof v === 'object' && !Array.isArray(v);
const IGNORED_TOP = new Set(['apiVersion', 'kind', 'status']);
/** Joins field path segments (keys such as label names contain dots). */
const SEP = '\u001f';
const showPath = (path: string): string => path.split(SEP).join('.');

/** Leaf paths of an applied configuration (maps recursed, lists and scalars are leaves). */
function leaves(value: Json, prefix = ''): Map<string, unknown> {
  const out = new Map<string, unknown>();
  for (const [k, v] of Object.entries(value)) {
    if (prefix === '' && IGNORED_TOP.has(k)) continue;
    if (
      prefix === `${SEP}metadata` &&
      [
        'name',
        'namespace',
        'managedFields',
        'resourceVersion',
        'generation',
        'uid',
        'creationTimestamp',
      ].includes(k)
    )
      continue;
    const path = `${prefix}${SEP}${k}`;
    if (isMap(v) && Object.keys(v).length > 0) for (const [p, x] of leaves(v, path)) out.set(p, x);
    else out.set(path, v);
  }
  return out;
}
function getPath(object: Json, path: string): unknown {
  let cur: unknown = object;
  for (const part of path.slice(1).split(SEP)) cur = isMap(cur) ? cur[part] : undefined;
  return cur;
}
function setPath(object: Json, path: string, value: unknown): void {
  const parts = path.slice(1).split(SEP);
  let cur = object;
  for (const part of parts.slice(0, -1)) {
    if (!isMap(cur[part])) cur[part] = {};
    cur = cur[part] as Json;
  }
  cur[parts.at(-1)!] = clone(value);
}
function deletePath(object: Json, path: string): void {
  const parts = path.slice(1).split(SEP);
  let cur: unknown = object;
  for (const part of parts.slice(0, -1)) cur = isMap(cur) ? cur[part] : undefined;
  if (isMap(cur)) delete cur[parts.at(-1)!];
}
/** Semantic equality, as the API server compares objects: key order does not matter, list order does. */
const canonical = (v: unknown): unknown =>
  Array.isArray(v)
    ? v.map(canonical)
    : isMap(v)
      ? Object.fromEntries(
          Object.keys(v)
            .sort()
            .map((k) => [k, canonical(v[k])]),
        )
      : v;
const same = (a: unknown, b: unknown): boolean =>
  JSON.stringify(canonical(a)) === JSON.stringify(canonical(b));

function managedFields(owners: Map<string, string>): Json[] {
  const byManager = new Map<string, Json>();
  for (const [path, manager] of owners) {
    const fields = byManager.get(manager) ?? {};
    let cur = fields;
    for (const part of path.slice(1).split(SEP)) cur = (cur[`f:${part}`] ??= {}) as Json;
    byManager.set(manager, fields);
  }
  return [...byManager].map(([manager, fieldsV1]) => ({
    manager,
    operation: 'Apply',
    fieldsType: 'FieldsV1',
    fieldsV1,
  }));
}

function matchesSelector(labels: Record<string, string>, selector: string | null): boolean {
  if (selector === null || selector === '') return true;
  return selector.split(',').every((term) => {
    const ne = /^([^!=]+)!=(.*)$/.exec(term);
    if (ne !== null) return labels[ne[1]!] !== ne[2];
    const eq = /^([^=]+)==?(.*)$/.exec(term);
    if (eq !== null) return labels[eq[1]!] === eq[2];
    return term in labels;
  });
}

/** Start the fake on 127.0.0.1, a free port. */
export async function startFakeKubeApi(options: FakeKubeApiOptions = {}): Promise<FakeKubeApi> {
  const types: ResourceType[] = [...BUILT_IN, ...(options.install ?? []).flatMap((k) => OPTIONAL_KINDS[k])];
  const store = new Map<string, Stored>();
  const requests: string[] = [];
  let resourceVersion = 1;
  const keyOf = (t: ResourceType, ns: string | undefined, name: string): string =>
    `${t.plural}.${t.group}/${ns ?? ''}/${name}`;

  const status = (res: ServerResponse, code: number, reason: string, message: string): void =>
    send(res, code, { kind: 'Status', apiVersion: 'v1', status: 'Failure', code, reason, message });

  function apply(
    type: ResourceType,
    key: string,
    body: Json,
    manager: string,
    force: boolean,
  ): { code: number; object?: Json; conflict?: string; owners?: Map<string, string> } {
    const existing = store.get(key);
    const current: Json = existing === undefined ? {} : clone(existing.object);
    const owners = new Map(existing?.owners ?? []);
    const applied = leaves(body);
    const conflicts = [...applied].filter(([path, value]) => {
      const owner = owners.get(path);
      return owner !== undefined && owner !== manager && !same(getPath(current, path), value);
    });
    if (conflicts.length > 0 && !force)
      return {
        code: 409,
        conflict: `Apply failed with ${conflicts.length} conflict${conflicts.length > 1 ? 's' : ''}: ${conflicts.map(([p]) => `conflict with "${owners.get(p)!}" using ${apiVersionOf(type)}: ${showPath(p)}`).join(', ')}`,
      };
    // Fields this manager owned before and no longer applies are removed (unless someone else owns them too).
    for (const [path, owner] of [...owners])
      if (owner === manager && !applied.has(path)) {
        owners.delete(path);
        deletePath(current, path);
      }
    for (const [path, value] of applied) {
      setPath(current, path, value);
      owners.set(path, manager);
    }
    const metadata = (current['metadata'] ??= {}) as Json;
    const bodyMeta = body['metadata'] as Json;
    metadata['name'] = bodyMeta['name'];
    if (type.namespaced) metadata['namespace'] = bodyMeta['namespace'] ?? 'default';
    current['apiVersion'] = apiVersionOf(type);
    current['kind'] = type.kind;
    const before = existing?.object;
    const changed = before === undefined || !same(strip(before), strip(current));
    if (before === undefined) {
      metadata['uid'] = `uid-${resourceVersion}`;
      metadata['creationTimestamp'] = new Date(0).toISOString();
      metadata['generation'] = 1;
    } else if (!same(before['spec'], current['spec']))
      metadata['generation'] = Number((before['metadata'] as Json)['generation']) + 1;
    if (changed) metadata['resourceVersion'] = String(++resourceVersion);
    metadata['managedFields'] = managedFields(owners);
    return { code: before === undefined ? 201 : 200, object: current, owners };
  }
  function strip(object: Json): Json {
    const copy = clone(object);
    const metadata = copy['metadata'] as Json;
    for (const k of ['resourceVersion', 'managedFields', 'generation']) delete metadata[k];
    return copy;
  }

  const server: Server = createServer((req, res) => {
    void handle(req, res).catch((error: unknown) => status(res, 500, 'InternalError', String(error)));
  });
  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const url = new URL(req.url ?? '/', 'http://fake');
    const chunks: Buffer[] = [];
    for await (const chunk of req) chunks.push(chunk as Buffer);
    const text = Buffer.concat(chunks).toString('utf8');
    requests.push(
      `${req.method} ${url.pathname}${url.search}${req.method === 'PATCH' ? ` ${req.headers['content-type']}` : ''}`,
    );
    const path = url.pathname.replace(/\/+$/, '');
    if (path === '/api') return send(res, 200, { kind: 'APIVersions', versions: ['v1'] });
    if (path === '/apis') {
      const groups = [...new Set(types.filter((t) => t.group !== '').map((t) => t.group))].map((name) => {
        const versions = [...new Set(types.filter((t) => t.group === name).map((t) => t.version))].map(
          (v) => ({ groupVersion: `${name}/${v}`, version: v }),
        );
        return { name, versions, preferredVersion: versions[0] };
      });
      return send(res, 200, { kind: 'APIGroupList', apiVersion: 'v1', groups });
    }
    const m =
      /^\/(?:api\/(v1)|apis\/([^/]+)\/([^/]+))(?:\/namespaces\/([^/]+))?(?:\/([^/]+))?(?:\/([^/]+))?(?:\/(status))?$/.exec(
        path,
      );
    if (m === null)
      return status(res, 404, 'NotFound', `the server could not find the requested resource ${path}`);
    const group = m[2] ?? '';
    const version = m[1] ?? m[3]!;
    const inVersion = types.filter((t) => t.group === group && t.version === version);
    if (inVersion.length === 0)
      return status(res, 404, 'NotFound', `the server could not find the requested resource ${path}`);
    const plural = m[5];
    if (plural === undefined && m[4] === undefined)
      return send(res, 200, {
        kind: 'APIResourceList',
        apiVersion: 'v1',
        groupVersion: group === '' ? version : `${group}/${version}`,
        resources: inVersion.map((t) => ({
          name: t.plural,
          singularName: t.kind.toLowerCase(),
          namespaced: t.namespaced,
          kind: t.kind,
          verbs: ['create', 'delete', 'get', 'list', 'patch', 'update'],
        })),
      });
    const type = inVersion.find((t) => t.plural === plural);
    if (type === undefined)
      return status(res, 404, 'NotFound', `the server could not find the requested resource ${path}`);
    const ns = m[4];
    const name = m[6];
    const dryRun = url.searchParams.get('dryRun') === 'All';
    if (name === undefined) {
      if (req.method !== 'GET') return status(res, 405, 'MethodNotAllowed', 'only list here');
      const prefix = `${type.plural}.${type.group}/`;
      const items = [...store]
        .filter(
          ([k, s]) =>
            k.startsWith(prefix) && (ns === undefined || (s.object['metadata'] as Json)['namespace'] === ns),
        )
        .map(([, s]) => s.object)
        .filter((o) =>
          matchesSelector(
            ((o['metadata'] as Json)['labels'] ?? {}) as Record<string, string>,
            url.searchParams.get('labelSelector'),
          ),
        );
      return send(res, 200, {
        kind: `${type.kind}List`,
        apiVersion: apiVersionOf(type),
        metadata: { resourceVersion: String(resourceVersion) },
        items,
      });
    }
    const key = keyOf(type, type.namespaced ? ns : undefined, name);
    const stored = store.get(key);
    if (req.method === 'GET')
      return stored === undefined
        ? status(res, 404, 'NotFound', `${type.plural} "${name}" not found`)
        : send(res, 200, stored.object);
    if (req.method === 'DELETE') {
      if (stored === undefined) return status(res, 404, 'NotFound', `${type.plural} "${name}" not found`);
      if (!dryRun) store.delete(key);
      return send(res, 200, {
        kind: 'Status',
        apiVersion: 'v1',
        status: 'Success',
        details: { name, kind: type.plural },
      });
    }
    if (m[7] === 'status' && (req.method === 'PATCH' || req.method === 'PUT')) {
      if (stored === undefined) return status(res, 404, 'NotFound', `${type.plural} "${name}" not found`);
      const body = parse(text) as Json;
      if (!dryRun) stored.object['status'] = body['status'];
      return send(res, 200, stored.object);
    }
    if (req.method === 'PATCH') {
      if (req.headers['content-type'] !== 'application/apply-patch+yaml')
        return status(
          res,
          415,
          'UnsupportedMediaType',
          `fake supports only server-side apply, not ${req.headers['content-type']}`,
        );
      const manager = url.searchParams.get('fieldManager');
      if (manager === null) return status(res, 422, 'Invalid', 'fieldManager is required for apply requests');
      const body = parse(text) as Json;
      const result = apply(type, key, body, manager, url.searchParams.get('force') === 'true');
      if (result.conflict !== undefined) return status(res, 409, 'Conflict', result.conflict);
      if (!dryRun) store.set(key, { object: result.object!, owners: result.owners! });
      return send(res, result.code, result.object);
    }
    return status(res, 405, 'MethodNotAllowed', `${req.method} not supported`);
  }

  const timer = setInterval(() => {
    if (options.readiness === 'never') return;
    for (const { object } of store.values()) {
      if (!RECONCILED.has(String(object['kind']))) continue;
      const metadata = object['metadata'] as Json;
      const spec = (object['spec'] ?? {}) as Json;
      const replicas = typeof spec['replicas'] === 'number' ? spec['replicas'] : 1;
      const ready = [{ type: 'Ready', status: 'True', reason: 'FakeController' }];
      const status: Json =
        object['kind'] === 'HTTPRoute'
          ? {
              parents: ((spec['parentRefs'] ?? []) as Json[]).map((parentRef) => ({
                parentRef,
                controllerName: 'fake.example/gateway',
                conditions: [{ type: 'Accepted', status: 'True', reason: 'Accepted' }],
              })),
            }
          : { observedGeneration: metadata['generation'], readyReplicas: replicas, conditions: ready };
      // A status write is a write: it gets a new resourceVersion, as on a real API server.
      if (same(object['status'], status)) continue;
      object['status'] = status;
      metadata['resourceVersion'] = String(++resourceVersion);
    }
  }, 25);
  timer.unref();

  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  const kubeConfig = new KubeConfig();
  kubeConfig.loadFromOptions({
    clusters: [{ name: 'fake', server: url, skipTLSVerify: true }],
    users: [{ name: 'fake', token: 'fake' }],
    contexts: [{ name: 'fake', cluster: 'fake', user: 'fake', namespace: 'default' }],
    currentContext: 'fake',
  });
  return {
    url,
    kubeConfig,
    requests,
    objects: (kind) =>
      [...store.values()].map((s) => clone(s.object)).filter((o) => kind === undefined || o['kind'] === kind),
    seed(object, manager) {
      const type = types.find((t) => t.kind === object['kind'] && apiVersionOf(t) === object['apiVersion']);
      if (type === undefined) throw new Error(`fake: kind ${String(object['kind'])} not served`);
      const meta = object['metadata'] as Json;
      const key = keyOf(
        type,
        type.namespaced ? ((meta['namespace'] as string | undefined) ?? 'default') : undefined,
        String(meta['name']),
      );
      const result = apply(type, key, object, manager, true);
      store.set(key, { object: result.object!, owners: result.owners! });
    },
    close: async () => {
      clearInterval(timer);
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

function send(res: ServerResponse, code: number, body: unknown): void {
  res.writeHead(code, { 'content-type': 'application/json' });
  res.end(JSON.stringify(body));
}
