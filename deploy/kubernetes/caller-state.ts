import type { KubeConfig } from '@kubernetes/client-node';
import { ApiException } from '@kubernetes/client-node';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { createObjectApi } from './apply-manifests.ts';
import { createLabels } from './labels.ts';
import type { KubeObject } from './types.ts';

/** The labelled ConfigMap that keeps the callers' URLs as they were before `up` pointed them at the router. */
export const CALLER_STATE_NAME = 'migrate-callers';
const STATE_KEY = 'originals.json';

/** One field of a caller object `up` changed, and its value before (null: it was absent). */
export interface CallerOriginal {
  apiVersion: string;
  kind: string;
  namespace: string;
  name: string;
  /** ConfigMap data key, or `<container>/<env name>` of a Deployment. */
  field: string;
  original: string | null;
}

type Live = Record<string, unknown>;
type Container = { name: string; env?: { name: string; value?: string }[] };

const containersOf = (object: Live): Container[] =>
  ((((object['spec'] as Live | undefined)?.['template'] as Live | undefined)?.['spec'] as Live | undefined)?.[
    'containers'
  ] ?? []) as Container[];

/** The fields a caller patch sets, with their value in `live` (undefined object: all absent). */
export function findOriginals(patch: KubeObject, live: Live | undefined): CallerOriginal[] {
  const base = {
    apiVersion: patch.apiVersion,
    kind: patch.kind,
    namespace: patch.metadata.namespace ?? 'default',
    name: patch.metadata.name,
  };
  if (patch.kind === 'ConfigMap') {
    const liveData = (live?.['data'] ?? {}) as Record<string, string>;
    return Object.keys((patch['data'] ?? {}) as Record<string, string>).map((key) => ({
      ...base,
      field: key,
      original: liveData[key] ?? null,
    }));
  }
  const liveContainers = live === undefined ? [] : containersOf(live);
  return containersOf(patch as Live).flatMap((c) =>
    (c.env ?? []).map((e) => ({
      ...base,
      field: `${c.name}/${e.name}`,
      original:
        liveContainers.find((l) => l.name === c.name)?.env?.find((l) => l.name === e.name)?.value ?? null,
    })),
  );
}

/** Merge: what was recorded first wins (a second `up` must not record the router's URL as the original). */
export function mergeOriginals(recorded: CallerOriginal[], found: CallerOriginal[]): CallerOriginal[] {
  const key = (o: CallerOriginal): string => `${o.kind}/${o.namespace}/${o.name}/${o.field}`;
  const seen = new Set(recorded.map(key));
  return [...recorded, ...found.filter((o) => !seen.has(key(o)))];
}

/** The state ConfigMap for the originals. */
export function createCallerState(
  estate: string,
  namespace: string,
  originals: CallerOriginal[],
): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CALLER_STATE_NAME, namespace, labels: createLabels(estate, 'callers', 'state') },
    data: { [STATE_KEY]: `${JSON.stringify(originals, null, 2)}\n` },
  };
}

async function readLive(config: KubeConfig, object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>) {
  try {
    return (await createObjectApi({ kubeConfig: config }).read(object)) as unknown as Live;
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    throw new AppError(
      ErrorCode.kubernetes,
      `reading ${object.kind} ${object.metadata.name}: HTTP ${String((error as ApiException<unknown>).code)}`,
      {
        cause: error,
      },
    );
  }
}

/** The originals recorded in the cluster (empty when none). */
export async function readCallerOriginals(config: KubeConfig, namespace: string): Promise<CallerOriginal[]> {
  const live = await readLive(config, {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: CALLER_STATE_NAME, namespace },
  });
  const text = ((live?.['data'] ?? {}) as Record<string, string>)[STATE_KEY];
  if (text === undefined) return [];
  try {
    return JSON.parse(text) as CallerOriginal[];
  } catch (cause) {
    throw new AppError(
      ErrorCode.kubernetes,
      `ConfigMap ${namespace}/${CALLER_STATE_NAME} holds no readable ${STATE_KEY}`,
      {
        hint: 'restore the callers’ URLs by hand, then delete it',
        cause,
      },
    );
  }
}

/** The originals of what the caller patches will change: recorded ones kept, new ones read from the cluster. */
export async function captureCallerOriginals(
  config: KubeConfig,
  patches: readonly KubeObject[],
  namespace: string,
): Promise<CallerOriginal[]> {
  const found: CallerOriginal[] = [];
  for (const patch of patches) found.push(...findOriginals(patch, await readLive(config, patch)));
  return mergeOriginals(await readCallerOriginals(config, namespace), found);
}

/**
 * Server-side apply objects that put the originals back (as field manager `migrate`, which owns these fields
 * since `up`). A field that was absent is left out: applying without it removes it, as only `migrate` owns it.
 */
export function createRestorePatches(originals: CallerOriginal[]): KubeObject[] {
  const byObject = new Map<string, CallerOriginal[]>();
  for (const o of originals) {
    const key = `${o.apiVersion}|${o.kind}|${o.namespace}|${o.name}`;
    byObject.set(key, [...(byObject.get(key) ?? []), o]);
  }
  return [...byObject.values()].map((fields) => {
    const { apiVersion, kind, namespace, name } = fields[0]!;
    const metadata = { name, namespace };
    const kept = fields.filter((f) => f.original !== null);
    if (kind === 'ConfigMap')
      return { apiVersion, kind, metadata, data: Object.fromEntries(kept.map((f) => [f.field, f.original])) };
    const containers = new Map<string, { name: string; value: string }[]>();
    for (const f of kept) {
      const [container, env] = f.field.split('/') as [string, string];
      containers.set(container, [...(containers.get(container) ?? []), { name: env, value: f.original! }]);
    }
    return {
      apiVersion,
      kind,
      metadata,
      spec: { template: { spec: { containers: [...containers].map(([n, env]) => ({ name: n, env })) } } },
    };
  });
}
