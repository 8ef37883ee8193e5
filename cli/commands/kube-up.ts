import { existsSync } from 'node:fs';
import { mkdir, readFile } from 'node:fs/promises';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { analyzeEstate, type Estate } from '../../analyzer/index.ts';
import { getServiceName, loadCodemodPlan } from '../../codemods/index.ts';
import {
  applyManifests,
  assertRuntimeInstalled,
  assertValidManifests,
  captureCallerOriginals,
  createCallerState,
  createLayout,
  formatManifestsYaml,
  generateManifests,
  getKubeDeployment,
  LABEL_SERVICE,
  pushArtifact,
  ROUTERS,
  TARGETS,
  waitReady,
  type AppliedObject,
  type KubeObject,
  type KubeRouter,
  type KubeTarget,
  type PushedArtifact,
} from '../../deploy/kubernetes/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { writeFilesAtomic } from '../../shared/fs.ts';
import type { CommandContext } from '../command.ts';
import { runBuild } from './build.ts';
import {
  configureClusterOptions,
  getKubeConfig,
  getNamespaceOption,
  parseTimeoutMs,
} from './kube-options.ts';
import { portService } from './port.ts';

type Service = Estate['services'][number];
const DRY_RUN_MODES = ['none', 'client', 'server'] as const;

/** The options `up --kubernetes` adds to `up`. */
export function configureKubeUpOptions(command: Command): void {
  configureClusterOptions(command, false);
  command.option(
    '--target <runtime>',
    `with --kubernetes: ${TARGETS.join(' | ')} (SpinKube or wasmCloud 2)`,
    'spin',
  );
  command.option('--router <kind>', `with --kubernetes: traffic split, ${ROUTERS.join(' | ')}`, 'gateway');
  command.option(
    '--registry <host/repo>',
    'with --kubernetes: push the components here (image <registry>/<service>:<tag>)',
  );
  command.option('--tag <tag>', 'with --kubernetes: component image tag', 'latest');
  command.option(
    '--dry-run <mode>',
    'with --kubernetes: client (validate only) or server (dryRun=All, nothing stored)',
  );
  command.option('--force-conflicts', 'with --kubernetes: take over fields another field manager owns');
  command.option(
    '--mirror <percent>',
    'with --kubernetes --router httproute: share mirrored to the component',
    '0',
  );
  command.option('--gateway-image <image>', 'with --kubernetes: image that runs `migrate gateway`');
}

function pick<T extends string>(value: unknown, allowed: readonly T[], flag: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError(ErrorCode.usage, `${flag} must be one of ${allowed.join(', ')} (got ${String(value)})`);
}

/** Which services move: --services, else the plan's, else every service with a Deployment the target supports. */
function selectServices(
  context: CommandContext,
  estate: Estate,
  target: KubeTarget,
  requested: ((estate: Estate) => string[]) | undefined,
): string[] {
  if (requested !== undefined) return requested(estate);
  const withDeployment = estate.services.filter((s) => getKubeDeployment(s) !== undefined);
  const supported = withDeployment.filter((s) => s.readiness[target].level !== 'blocked');
  for (const s of withDeployment)
    if (!supported.includes(s))
      context.output.warn(
        `${s.id}: not migrated to ${target} (blocked: ${s.readiness[target].blockers.map((b) => b.reason).join('; ')})`,
      );
  if (supported.length === 0)
    throw new AppError(ErrorCode.input, `no service of the estate can run on ${target}`, {
      hint: `see migrate analyze; try --target ${target === 'spin' ? 'wasmcloud' : 'spin'}`,
    });
  return supported.map((s) => s.id);
}

/** The component of a service built for `target`: `<ported>/<id>/dist/<name>.<target>.wasm`, ported/built when missing. */
async function ensureKubeComponent(
  context: CommandContext,
  estateDir: string,
  service: Service,
  portedDir: string,
  target: KubeTarget,
): Promise<Uint8Array> {
  const root = join(portedDir, service.id);
  if (!existsSync(join(root, 'package.json'))) {
    context.output.log(`${service.id}: no ported project in ${root}; porting it (migrate port)`);
    await portService(context, estateDir, service, root);
    const codemod = loadCodemodPlan(root);
    await writeFilesAtomic(codemod.writes.map((w) => ({ path: join(root, w.path), content: w.content })));
  }
  const wasm = join(root, 'dist', `${getServiceName(root)}.${target}.wasm`);
  if (!existsSync(wasm)) {
    context.output.log(`${service.id}: building its component for ${target} (migrate build)`);
    await mkdir(join(root, 'dist'), { recursive: true });
    await runBuild(context, root, target, wasm);
  }
  return new Uint8Array(await readFile(wasm));
}

const isComponent = (o: KubeObject): boolean => o.kind === 'SpinApp' || o.kind === 'WorkloadDeployment';

function getImage(o: KubeObject): string {
  const spec = o['spec'] as { image?: string; template?: { spec?: { components?: { image?: string }[] } } };
  return spec.image ?? spec.template?.spec?.components?.[0]?.image ?? '';
}

const spinVariables = (o: KubeObject): string[] =>
  ((o['spec'] as { variables?: { name: string }[] }).variables ?? []).map((v) => v.name);

/** Push every component the manifests reference, in its runtime's layout. */
async function pushComponents(
  context: CommandContext,
  estate: Estate,
  estateDir: string,
  objects: KubeObject[],
  target: KubeTarget,
  portedDir: string,
): Promise<(PushedArtifact & { service: string })[]> {
  const pushed = [];
  for (const o of objects.filter(isComponent)) {
    const id = o.metadata.labels?.[LABEL_SERVICE] ?? '';
    const service = estate.services.find((s) => s.id === id);
    if (service === undefined) continue;
    const wasm = await ensureKubeComponent(context, estateDir, service, portedDir, target);
    const image = getImage(o);
    const layout = createLayout(target, {
      id: service.id.toLowerCase().replace(/[^a-z0-9-]/g, '-'),
      wasm,
      ...(target === 'spin' ? { variables: spinVariables(o) } : {}),
    });
    const artifact = await pushArtifact(image, layout, {
      signal: context.signal,
      onProgress: (e) =>
        context.output.progress(
          `push ${image}: ${e.digest.slice(7, 19)} ${e.skipped ? 'already there' : `${(e.sent / 1e6).toFixed(1)}/${(e.total / 1e6).toFixed(1)} MB`}`,
        ),
    });
    context.output.progress(undefined);
    context.output.log(
      `pushed ${image} (${artifact.digest.slice(0, 19)}…, ${(artifact.size / 1e6).toFixed(1)} MB, ${artifact.reused}/${artifact.blobs} blobs already there)`,
    );
    pushed.push({ service: service.id, ...artifact });
  }
  return pushed;
}

const describeResult = (r: AppliedObject): string => `${r.action.padEnd(10)} ${r.id}`;

/** `migrate up --kubernetes`: the hybrid estate on a cluster, by server-side apply. */
export async function runKubeUp(
  context: CommandContext,
  options: Record<string, unknown>,
  /** The services --services or --plan name, resolved against the estate; default: all the target supports. */
  requested?: (estate: Estate) => string[],
): Promise<void> {
  const output = context.output;
  const target = pick<KubeTarget>(options.target, TARGETS, '--target');
  const router = pick<KubeRouter>(options.router, ROUTERS, '--router');
  const dryRun = pick(options.dryRun ?? 'none', DRY_RUN_MODES, '--dry-run');
  const mirror = Number(options.mirror ?? 0);
  if (!Number.isFinite(mirror) || mirror < 0 || mirror > 100)
    throw new AppError(
      ErrorCode.usage,
      `--mirror must be a percentage 0-100 (got ${String(options.mirror)})`,
    );
  const timeoutMs = parseTimeoutMs(options.timeout ?? 300);
  const estateDir = resolve(context.cwd, typeof options.estate === 'string' ? options.estate : '.');
  output.progress(`analyzing ${estateDir}`);
  const estate = await analyzeEstate(estateDir, { signal: context.signal });
  if (estate.services.length === 0)
    throw new AppError(ErrorCode.input, `no service found in ${estateDir}`, { hint: 'pass --estate <dir>' });
  const services = selectServices(context, estate, target, requested);
  const set = generateManifests(estate, {
    target,
    router,
    services,
    mirrorPercent: mirror,
    ...(getNamespaceOption(options) === undefined ? {} : { namespace: getNamespaceOption(options) }),
    ...(typeof options.registry === 'string' ? { registry: options.registry } : {}),
    ...(typeof options.tag === 'string' ? { tag: options.tag } : {}),
    ...(typeof options.gatewayImage === 'string' ? { gatewayImage: options.gatewayImage } : {}),
  });
  for (const w of set.warnings)
    output.warn(`${w.service}${w.location === undefined ? '' : ` (${w.location})`}: ${w.message}`);
  assertValidManifests([...set.objects, ...set.callerPatches]);
  if (options.output === 'yaml') {
    // `-o yaml` as kubectl has it: the manifests on stdout, nothing sent.
    output.stdout.write(formatManifestsYaml(set));
    return;
  }
  const namespace = set.objects[0]?.metadata.namespace ?? 'default';
  if (dryRun === 'client') {
    const document = {
      schemaVersion: '1',
      dryRun,
      namespace,
      objects: set.objects.map((o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`),
      callerPatches: set.callerPatches.map(
        (o) => `${o.kind} ${o.metadata.namespace ?? ''}/${o.metadata.name}`,
      ),
    };
    if (output.json) await output.resultJson(document);
    else
      await output.result(
        `valid, not sent (--dry-run=client): ${document.objects.length} object(s), ${document.callerPatches.length} caller patch(es) in ${namespace}\n${[...document.objects, ...document.callerPatches].map((o) => `  ${o}`).join('\n')}`,
      );
    return;
  }
  const kubeConfig = getKubeConfig(context, options);
  output.progress(`checking that the cluster runs ${target}`);
  await assertRuntimeInstalled(kubeConfig, set.objects, target, namespace);
  let artifacts: (PushedArtifact & { service: string })[] = [];
  if (dryRun === 'none') {
    if (typeof options.registry === 'string')
      artifacts = await pushComponents(
        context,
        estate,
        estateDir,
        set.objects,
        target,
        resolve(context.cwd, typeof options.ported === 'string' ? options.ported : 'ported'),
      );
    else
      output.warn(
        'no --registry: components not pushed; the images the manifests name must already be pullable',
      );
  }
  const objects = [...set.objects];
  if (set.callerPatches.length > 0 && dryRun === 'none')
    objects.push(
      createCallerState(
        estate.root,
        namespace,
        await captureCallerOriginals(kubeConfig, set.callerPatches, namespace),
      ),
    );
  output.progress(`applying ${objects.length} object(s) as field manager migrate`);
  const applyOptions = {
    kubeConfig,
    dryRun: dryRun === 'server',
    forceConflicts: options.forceConflicts === true,
  };
  const applied = await applyManifests(objects, applyOptions);
  // Callers' URL fields belong to the estate's own manager: migrate takes exactly those over, and down gives them back.
  const patched =
    set.callerPatches.length === 0
      ? []
      : await applyManifests(set.callerPatches, { ...applyOptions, forceConflicts: true });
  if (dryRun === 'none')
    await waitReady(objects, {
      kubeConfig,
      timeoutMs,
      signal: context.signal,
      onProgress: (ready, total, pending) =>
        output.progress(
          `ready ${ready}/${total}${pending.length === 0 ? '' : `; waiting for ${pending.slice(0, 3).join(', ')}${pending.length > 3 ? '…' : ''}`}`,
        ),
    });
  output.progress(undefined);
  const changes = [...applied, ...patched].filter((r) => r.action !== 'unchanged').length;
  if (output.json)
    await output.resultJson({
      schemaVersion: '1',
      target,
      router,
      namespace,
      dryRun,
      objects: applied,
      callerPatches: patched,
      changes,
      artifacts,
      ready: dryRun === 'none',
      warnings: set.warnings,
    });
  else
    await output.result(
      [
        `${dryRun === 'server' ? 'server dry run (dryRun=All, nothing stored)' : `${estate.root} on ${target} with the ${router} router`} in ${namespace}: ${changes} change(s)`,
        ...applied.map((r) => `  ${describeResult(r)}`),
        ...patched.map((r) => `  ${describeResult(r)} (caller patch)`),
        ...artifacts.map((a) => `  pushed     ${a.reference} ${a.digest}`),
        ...(dryRun === 'none' ? ['all ready'] : []),
      ].join('\n'),
    );
}
