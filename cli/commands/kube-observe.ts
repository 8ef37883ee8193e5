import {
  applyManifests,
  createRestorePatches,
  deleteManaged,
  listManaged,
  readCallerOriginals,
  readRouteWeights,
  setRouteWeight,
} from '../../deploy/kubernetes/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CommandContext } from '../command.ts';
import { getEstateName, getKubeConfig, getNamespaceOption } from './kube-options.ts';

/** `migrate status --kubernetes`: every object migrate applied for the estate, ready or not, and the weights. */
export async function runKubeStatus(
  context: CommandContext,
  options: Record<string, unknown>,
): Promise<void> {
  const kubeConfig = getKubeConfig(context, options);
  const estate = getEstateName(context, options);
  const namespace = getNamespaceOption(options);
  const objects = await listManaged(estate, {
    kubeConfig,
    ...(namespace === undefined ? {} : { namespace }),
  });
  const routes = await readRouteWeights(kubeConfig, estate, namespace);
  const ready = objects.length > 0 && objects.every((o) => o.ready);
  if (context.output.json) {
    await context.output.resultJson({ schemaVersion: '1', estate, ready, objects, routes });
    return;
  }
  if (objects.length === 0) {
    await context.output.result(`nothing of ${estate} in the cluster (migrate up --kubernetes applies it)`);
    return;
  }
  await context.output.result(
    [
      `${estate}: ${objects.filter((o) => o.ready).length}/${objects.length} object(s) ready`,
      ...objects.map((o) => `  ${o.ready ? 'ready    ' : 'NOT READY'} ${o.id}`),
      ...routes.map((r) => `  route ${r.route}: wasm ${r.weight}% (${r.object})`),
    ].join('\n'),
  );
}

/**
 * `migrate down --kubernetes`: the callers' URLs back as they were, then exactly the labelled objects deleted.
 * Legacy objects carry no migrate label and are never selected.
 */
export async function runKubeDown(context: CommandContext, options: Record<string, unknown>): Promise<void> {
  const kubeConfig = getKubeConfig(context, options);
  const estate = getEstateName(context, options);
  const namespace = getNamespaceOption(options);
  const scope = namespace === undefined ? {} : { namespace };
  const state = (await listManaged(estate, { kubeConfig, ...scope })).filter(
    (o) => o.kind === 'ConfigMap' && o.name === 'migrate-callers',
  );
  let restored = 0;
  for (const s of state) {
    const originals = await readCallerOriginals(kubeConfig, s.namespace ?? 'default');
    const patches = createRestorePatches(originals);
    if (patches.length > 0) await applyManifests(patches, { kubeConfig, forceConflicts: true });
    restored += originals.length;
  }
  const deleted = await deleteManaged(estate, { kubeConfig, ...scope });
  if (context.output.json)
    await context.output.resultJson({ schemaVersion: '1', estate, deleted, callerFieldsRestored: restored });
  else
    await context.output.result(
      deleted.length === 0
        ? `nothing of ${estate} in the cluster`
        : `${estate}: ${deleted.length} object(s) deleted, ${restored} caller field(s) restored\n${deleted.map((d) => `  deleted ${d}`).join('\n')}`,
    );
}

/** `migrate shift <route> <weight> --kubernetes`: the weight through the router in the cluster. */
export async function runKubeShift(
  context: CommandContext,
  route: string,
  target: string,
  options: Record<string, unknown>,
): Promise<void> {
  const weight = target === 'rollback' ? 0 : Number(target);
  if (target.trim() === '' || !Number.isInteger(weight) || weight < 0 || weight > 100)
    throw new AppError(
      ErrorCode.usage,
      `with --kubernetes the target is a weight 0-100 or rollback; got "${target}"`,
      {
        hint: 'shadowing and gates are the gateway’s: use its admin API (kubectl port-forward deploy/migrate-gateway 9901)',
      },
    );
  const kubeConfig = getKubeConfig(context, options);
  const moved = await setRouteWeight(
    kubeConfig,
    getEstateName(context, options),
    route,
    weight,
    getNamespaceOption(options),
  );
  if (context.output.json)
    await context.output.resultJson({
      schemaVersion: '1',
      action: target === 'rollback' ? 'rollback' : 'weight',
      route: moved,
    });
  else
    await context.output.result(
      `${moved.route}: wasm ${moved.weight}% through the ${moved.router} router (${moved.object})${moved.router === 'gateway' ? '; the gateway reloads when the kubelet refreshes its mounted ConfigMap' : ''}`,
    );
}
