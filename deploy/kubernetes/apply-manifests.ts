import {
  ApiException,
  KubeConfig,
  KubernetesObjectApi,
  PatchStrategy,
  type KubernetesObject,
} from '@kubernetes/client-node';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { getCrdInfo } from './crd-schemas.ts';
import { sortForApply } from './generate-manifests.ts';
import { getManagedSelector } from './labels.ts';
import type { KubeObject } from './types.ts';
import { assertValidManifests } from './validate-manifests.ts';

/** How to reach the cluster: a loaded KubeConfig, or a kubeconfig file and context (default: the usual lookup). */
export interface ClusterOptions {
  kubeConfig?: KubeConfig;
  kubeconfigPath?: string;
  context?: string;
}

export interface ApplyOptions extends ClusterOptions {
  /** Default `migrate`. */
  fieldManager?: string;
  /** Server-side dry run (`dryRun=All`): validated and defaulted by the server, nothing stored. */
  dryRun?: boolean;
  /** Take over fields another manager owns (`force=true`); otherwise a conflict is an error. */
  forceConflicts?: boolean;
}

/** What happened to one object. */
export interface AppliedObject {
  id: string;
  action: 'created' | 'configured' | 'unchanged';
  resourceVersion: string | undefined;
  generation: number | undefined;
}

const describe = (o: KubeObject): string =>
  `${o.kind} ${o.metadata.namespace === undefined ? '' : `${o.metadata.namespace}/`}${o.metadata.name}`;

/** The object API plus discovery of one kind (the client keeps `resource` protected). */
class ObjectApi extends KubernetesObjectApi {
  /** The context's namespace for objects that name none (what `makeApiClient` does). */
  useNamespaceOf(config: KubeConfig): void {
    this.setDefaultNamespace(config);
  }

  /** The served resource of a kind, or undefined when the cluster does not serve it (404 on its group too). */
  async discover(apiVersion: string, kind: string): Promise<unknown> {
    try {
      return await this.resource(apiVersion, kind);
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) return undefined;
      throw wrapError(error, `discovery of ${apiVersion}`);
    }
  }
}

/** A KubernetesObjectApi for the options' cluster. */
export function createObjectApi(options: ClusterOptions): ObjectApi {
  let config = options.kubeConfig;
  if (config === undefined) {
    config = new KubeConfig();
    if (options.kubeconfigPath === undefined) config.loadFromDefault();
    else config.loadFromFile(options.kubeconfigPath);
  }
  if (options.context !== undefined) {
    if (config.getContextObject(options.context) === null)
      throw new AppError(ErrorCode.config, `no context "${options.context}" in the kubeconfig`, {
        hint: `contexts: ${
          config
            .getContexts()
            .map((c) => c.name)
            .join(', ') || 'none'
        }`,
      });
    config.setCurrentContext(options.context);
  }
  const api = config.makeApiClient(ObjectApi);
  api.useNamespaceOf(config);
  return api;
}

/** What to install when the cluster does not serve a kind. */
function getInstallHint(apiVersion: string, kind: string): string {
  if (apiVersion.startsWith('core.spinkube.dev'))
    return 'install SpinKube (spin-operator CRDs, the containerd-shim-spin SpinAppExecutor and RuntimeClass)';
  if (apiVersion.startsWith('runtime.wasmcloud.dev'))
    return 'install the wasmCloud 2 runtime-operator (its Helm chart brings the CRDs)';
  if (apiVersion.startsWith('gateway.networking.k8s.io'))
    return 'install the Gateway API CRDs and a Gateway controller, or use --router gateway';
  return `install the API serving ${apiVersion} ${kind}`;
}

/** Discovery first: every kind must be served before anything is applied (missing CRD → error naming it). */
export async function assertKindsServed(api: ObjectApi, objects: readonly KubeObject[]): Promise<void> {
  const kinds = new Map(objects.map((o) => [`${o.apiVersion}/${o.kind}`, o]));
  for (const o of kinds.values()) {
    const served = await api.discover(o.apiVersion, o.kind);
    if (served === undefined) {
      const crd = getCrdInfo(o.apiVersion, o.kind);
      throw new AppError(
        ErrorCode.kubernetes,
        `the cluster does not serve ${o.apiVersion} ${o.kind}${crd === undefined ? '' : ` (CRD ${crd.plural}.${crd.group})`}`,
        { hint: getInstallHint(o.apiVersion, o.kind) },
      );
    }
  }
}

/**
 * Validate, discover, then server-side apply every object in dependency order as field manager `migrate`.
 * Idempotent: applying the same objects again changes nothing (same resourceVersion and generation).
 */
export async function applyManifests(
  objects: readonly KubeObject[],
  options: ApplyOptions = {},
): Promise<AppliedObject[]> {
  assertValidManifests(objects);
  const api = createObjectApi(options);
  await assertKindsServed(api, objects);
  const results: AppliedObject[] = [];
  for (const object of sortForApply([...objects])) {
    const before = await readOrUndefined(api, object);
    let after: KubernetesObject;
    try {
      after = await api.patch(
        structuredClone(object),
        undefined,
        options.dryRun === true ? 'All' : undefined,
        options.fieldManager ?? 'migrate',
        options.forceConflicts === true,
        PatchStrategy.ServerSideApply,
      );
    } catch (error) {
      if (error instanceof ApiException && error.code === 409)
        throw new AppError(ErrorCode.kubernetes, `${describe(object)}: ${getStatusMessage(error)}`, {
          hint: 'another field manager owns these fields: change them there, or re-run with --force-conflicts to take them over',
          cause: error,
        });
      throw wrapError(error, `applying ${describe(object)}`);
    }
    const resourceVersion = after.metadata?.resourceVersion;
    results.push({
      id: describe(object),
      action:
        before === undefined
          ? 'created'
          : before.metadata?.resourceVersion === resourceVersion
            ? 'unchanged'
            : 'configured',
      resourceVersion,
      generation: after.metadata?.generation,
    });
  }
  return results;
}

async function readOrUndefined(
  api: KubernetesObjectApi,
  object: KubeObject,
): Promise<KubernetesObject | undefined> {
  try {
    return await api.read({
      apiVersion: object.apiVersion,
      kind: object.kind,
      metadata: { name: object.metadata.name, namespace: object.metadata.namespace },
    });
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    throw wrapError(error, `reading ${describe(object)}`);
  }
}

/** Is one live object ready? Workloads by replicas and observed generation; CRs by a Ready condition. */
export function isObjectReady(
  live: KubernetesObject & { spec?: Record<string, unknown>; status?: Record<string, unknown> },
): boolean {
  const status = live.status ?? {};
  switch (live.kind) {
    case 'ConfigMap':
    case 'Secret':
    case 'Service':
      return true;
    case 'Deployment':
    case 'SpinApp': {
      const wanted = typeof live.spec?.['replicas'] === 'number' ? live.spec['replicas'] : 1;
      const observed = status['observedGeneration'];
      const fresh =
        live.kind !== 'Deployment' ||
        (typeof observed === 'number' && observed >= (live.metadata?.generation ?? 0));
      return fresh && typeof status['readyReplicas'] === 'number' && status['readyReplicas'] >= wanted;
    }
    case 'HTTPRoute': {
      // Gateway API: each parent Gateway reports Accepted on the route.
      const parents = Array.isArray(status['parents'])
        ? (status['parents'] as { conditions?: { type?: string; status?: string }[] }[])
        : [];
      return (
        parents.length > 0 &&
        parents.every((p) => (p.conditions ?? []).some((c) => c.type === 'Accepted' && c.status === 'True'))
      );
    }
    default: {
      const conditions = Array.isArray(status['conditions'])
        ? (status['conditions'] as { type?: string; status?: string }[])
        : [];
      return conditions.some((c) => (c.type === 'Ready' || c.type === 'Accepted') && c.status === 'True');
    }
  }
}

export interface WaitOptions extends ClusterOptions {
  /** Give up after this long (default 5 minutes). */
  timeoutMs?: number;
  /** Between polls (default 1 s). */
  intervalMs?: number;
  signal?: AbortSignal;
  /** After each poll: how many are ready, and which are not yet. */
  onProgress?: (ready: number, total: number, pending: string[]) => void;
}

/** Poll until every object is ready; on timeout an error naming each one that is not, and why. */
export async function waitReady(objects: readonly KubeObject[], options: WaitOptions = {}): Promise<void> {
  const api = createObjectApi(options);
  const deadline = Date.now() + (options.timeoutMs ?? 300_000);
  let pending = [...objects];
  for (;;) {
    const still: KubeObject[] = [];
    for (const object of pending) {
      const live = await readOrUndefined(api, object);
      if (live === undefined || !isObjectReady(live)) still.push(object);
    }
    pending = still;
    options.onProgress?.(objects.length - pending.length, objects.length, pending.map(describe));
    if (pending.length === 0) return;
    if (Date.now() >= deadline)
      throw new AppError(ErrorCode.kubernetes, `not ready in time: ${pending.map(describe).join(', ')}`, {
        hint: 'look at them with `kubectl describe`; a component needs its runtime (SpinKube or wasmCloud) and its image pullable',
      });
    if (options.signal?.aborted === true)
      throw new AppError(ErrorCode.cancelled, 'cancelled while waiting for readiness');
    await new Promise((resolve) => setTimeout(resolve, options.intervalMs ?? 1000));
  }
}

/** Kinds `migrate` may have created, in delete order (routers first, then components, then the rest). */
const MANAGED_KINDS = [
  ['gateway.networking.k8s.io/v1', 'HTTPRoute'],
  ['core.spinkube.dev/v1alpha1', 'SpinApp'],
  ['runtime.wasmcloud.dev/v1alpha1', 'WorkloadDeployment'],
  ['apps/v1', 'Deployment'],
  ['v1', 'Service'],
  ['v1', 'ConfigMap'],
] as const;

/** A live object `migrate` manages, with its readiness. */
export interface ManagedObject {
  id: string;
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string | undefined;
  ready: boolean;
}

/** Every object labelled as managed by migrate for this estate (kinds the cluster lacks are skipped). */
export async function listManaged(
  estate: string,
  options: ClusterOptions & { namespace?: string } = {},
): Promise<ManagedObject[]> {
  const api = createObjectApi(options);
  const found: ManagedObject[] = [];
  for (const [apiVersion, kind] of MANAGED_KINDS) {
    if ((await api.discover(apiVersion, kind)) === undefined) continue;
    let list;
    try {
      list = await api.list(
        apiVersion,
        kind,
        options.namespace,
        undefined,
        undefined,
        undefined,
        undefined,
        getManagedSelector(estate),
      );
    } catch (error) {
      throw wrapError(error, `listing ${kind}`);
    }
    for (const item of list.items) {
      const name = item.metadata?.name ?? '';
      const namespace = item.metadata?.namespace;
      found.push({
        id: `${kind} ${namespace === undefined ? '' : `${namespace}/`}${name}`,
        apiVersion,
        kind,
        name,
        namespace,
        ready: isObjectReady({ ...item, kind }),
      });
    }
  }
  return found;
}

/** Delete exactly the objects labelled as managed by migrate for this estate (kinds the cluster lacks are skipped). */
export async function deleteManaged(
  estate: string,
  options: ClusterOptions & { namespace?: string; dryRun?: boolean } = {},
): Promise<string[]> {
  const api = createObjectApi(options);
  const deleted: string[] = [];
  for (const item of await listManaged(estate, options)) {
    try {
      await api.delete(
        {
          apiVersion: item.apiVersion,
          kind: item.kind,
          metadata: { name: item.name, namespace: item.namespace },
        },
        undefined,
        options.dryRun === true ? 'All' : undefined,
      );
    } catch (error) {
      if (error instanceof ApiException && error.code === 404) continue;
      throw wrapError(error, `deleting ${item.id}`);
    }
    deleted.push(item.id);
  }
  return deleted;
}

function getStatusMessage(error: ApiException<unknown>): string {
  const body: unknown = error.body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return (body as { message?: string } | undefined)?.message ?? error.message;
}

function wrapError(error: unknown, what: string): AppError {
  if (error instanceof AppError) return error;
  if (error instanceof ApiException)
    return new AppError(ErrorCode.kubernetes, `${what}: HTTP ${error.code} ${getStatusMessage(error)}`, {
      cause: error,
    });
  return new AppError(
    ErrorCode.kubernetes,
    `${what}: ${error instanceof Error ? error.message : String(error)}`,
    {
      hint: 'check the kubeconfig context and that the API server is reachable',
      cause: error,
    },
  );
}
