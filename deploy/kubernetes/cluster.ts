import { existsSync } from 'node:fs';
import { homedir } from 'node:os';
import { delimiter, join } from 'node:path';
import { ApiException, KubeConfig } from '@kubernetes/client-node';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { assertKindsServed, createObjectApi } from './apply-manifests.ts';
import { SPIN_EXECUTOR } from './component-resource.ts';
import type { KubeObject, KubeTarget } from './types.ts';

/** The RuntimeClass a SpinAppExecutor names when it names none (the spin-operator's samples). */
export const DEFAULT_SPIN_RUNTIME_CLASS = 'wasmtime-spin-v2';

export interface KubeConfigOptions {
  /** A kubeconfig file (else $KUBECONFIG, else ~/.kube/config, else in-cluster). */
  kubeconfig?: string;
  context?: string;
  env?: NodeJS.ProcessEnv;
}

/**
 * The kubeconfig as kubectl finds it, with the context chosen; an error saying what to do when there is no
 * kubeconfig, no current context, or no such context (client-node would otherwise fall back to localhost:8080).
 */
export function loadKubeConfig(options: KubeConfigOptions = {}): KubeConfig {
  const env = options.env ?? process.env;
  const config = new KubeConfig();
  const fromEnv = (env['KUBECONFIG'] ?? '').split(delimiter).filter((f) => f !== '');
  const home = join(env['HOME'] ?? homedir(), '.kube', 'config');
  const files =
    options.kubeconfig !== undefined ? [options.kubeconfig] : fromEnv.length > 0 ? fromEnv : [home];
  const existing = files.filter((f) => existsSync(f));
  if (existing.length === 0) {
    if (options.kubeconfig === undefined && env['KUBERNETES_SERVICE_HOST'] !== undefined) {
      config.loadFromCluster();
      return config;
    }
    throw new AppError(ErrorCode.config, `no kubeconfig: ${files.join(', ')} not found`, {
      hint: 'point KUBECONFIG (or --kubeconfig) at the cluster’s kubeconfig, as for kubectl',
    });
  }
  try {
    if (existing.length === 1) config.loadFromFile(existing[0]!);
    else {
      // kubectl merges the files of $KUBECONFIG; the first file that sets a value wins.
      config.loadFromFile(existing[0]!);
      for (const file of existing.slice(1)) {
        const more = new KubeConfig();
        more.loadFromFile(file);
        config.mergeConfig(more, true);
      }
    }
  } catch (cause) {
    throw new AppError(
      ErrorCode.config,
      `cannot read the kubeconfig ${existing.join(', ')}: ${String(cause)}`,
      {
        cause,
      },
    );
  }
  const names = config.getContexts().map((c) => c.name);
  if (options.context !== undefined) {
    if (!names.includes(options.context))
      throw new AppError(ErrorCode.config, `no context "${options.context}" in the kubeconfig`, {
        hint: `contexts: ${names.join(', ') || 'none'}`,
      });
    config.setCurrentContext(options.context);
  } else if (
    config.getCurrentContext() === '' ||
    config.getContextObject(config.getCurrentContext()) === null
  )
    throw new AppError(ErrorCode.config, 'the kubeconfig has no current context', {
      hint: `pass --context (contexts: ${names.join(', ') || 'none'}) or run kubectl config use-context`,
    });
  return config;
}

async function readOptional(
  config: KubeConfig,
  object: Pick<KubeObject, 'apiVersion' | 'kind' | 'metadata'>,
): Promise<Record<string, unknown> | undefined> {
  const api = createObjectApi({ kubeConfig: config });
  if ((await api.discover(object.apiVersion, object.kind)) === undefined) return undefined;
  try {
    return await api.read(object);
  } catch (error) {
    if (error instanceof ApiException && error.code === 404) return undefined;
    throw new AppError(
      ErrorCode.kubernetes,
      `reading ${object.kind} ${object.metadata.name}: ${error instanceof Error ? error.message : String(error)}`,
      { cause: error },
    );
  }
}

/**
 * Before anything is applied: the cluster serves every kind (the runtime's CRDs), and for Spin the executor
 * `containerd-shim-spin` exists in the namespace with the RuntimeClass it names. Errors say what to install.
 */
export async function assertRuntimeInstalled(
  config: KubeConfig,
  objects: readonly KubeObject[],
  target: KubeTarget,
  namespace: string,
): Promise<void> {
  await assertKindsServed(createObjectApi({ kubeConfig: config }), objects);
  if (target !== 'spin') return;
  const executor = await readOptional(config, {
    apiVersion: 'core.spinkube.dev/v1alpha1',
    kind: 'SpinAppExecutor',
    metadata: { name: SPIN_EXECUTOR, namespace },
  });
  if (executor === undefined)
    throw new AppError(
      ErrorCode.kubernetes,
      `no SpinAppExecutor ${SPIN_EXECUTOR} in namespace ${namespace}`,
      {
        hint: `apply the spin-operator's shim executor (spin-operator.shim-executor.yaml of its release) in namespace ${namespace}`,
      },
    );
  const spec = (executor['spec'] ?? {}) as { deploymentConfig?: { runtimeClassName?: string } };
  const runtimeClass = spec.deploymentConfig?.runtimeClassName ?? DEFAULT_SPIN_RUNTIME_CLASS;
  const found = await readOptional(config, {
    apiVersion: 'node.k8s.io/v1',
    kind: 'RuntimeClass',
    metadata: { name: runtimeClass },
  });
  if (found === undefined)
    throw new AppError(
      ErrorCode.kubernetes,
      `no RuntimeClass ${runtimeClass} (the executor ${SPIN_EXECUTOR} runs pods with it)`,
      {
        hint: 'install containerd-shim-spin on the nodes and its RuntimeClass (runtime-class-manager, or the spin-operator’s spin-runtime-class.yaml)',
      },
    );
}
