import { readFile, stat } from 'node:fs/promises';
import { resolve } from 'node:path';
import { analyzeEstate, EstateSchema, type Estate } from '../../analyzer/index.ts';
import {
  assertValidManifests,
  formatManifestsYaml,
  generateManifests,
  ROUTERS,
  TARGETS,
  type KubeRouter,
  type KubeTarget,
} from '../../deploy/kubernetes/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand } from '../command.ts';

const MANIFESTS_SCHEMA_VERSION = '1.0';

function pick<T extends string>(value: unknown, allowed: readonly T[], flag: string): T {
  if (typeof value === 'string' && (allowed as readonly string[]).includes(value)) return value as T;
  throw new AppError(ErrorCode.usage, `${flag} must be one of ${allowed.join(', ')} (got ${String(value)})`);
}

/** The Estate from an `analyze --json` file, or by analysing a directory. */
async function loadEstate(path: string): Promise<Estate> {
  const info = await stat(path).catch((cause: unknown) => {
    throw new AppError(ErrorCode.notFound, `no estate at ${path}`, {
      hint: 'give the estate directory or an `analyze --json` file',
      cause,
    });
  });
  if (info.isDirectory()) return analyzeEstate(path);
  const parsed = EstateSchema.safeParse(JSON.parse(await readFile(path, 'utf8')));
  if (!parsed.success)
    throw new AppError(
      ErrorCode.input,
      `${path} is not an Estate document: ${parsed.error.issues[0]?.message ?? ''}`,
      {
        hint: 'write one with `migrate analyze <dir> --json -o estate.json`',
      },
    );
  return parsed.data;
}

/** `migrate manifests`: the hybrid estate's Kubernetes manifests, validated, as YAML for `kubectl apply --server-side`. */
export const manifestsCommand: CliCommand = {
  name: 'manifests [estate]',
  summary:
    'print the Kubernetes manifests of the hybrid estate (components, router, caller patches), validated',
  group: 'run',
  examples: [
    'migrate manifests samples/spring-orders --target spin --output hybrid.yaml',
    'migrate manifests estate.json --target wasmcloud --router httproute --namespace shop',
    'migrate manifests . --registry registry.example/shop --tag 1.2.0 --json',
  ],
  reports: true,
  configure(command) {
    command
      .option('--target <runtime>', `component runtime: ${TARGETS.join(' | ')}`, 'spin')
      .option('--router <kind>', `traffic split: ${ROUTERS.join(' | ')}`, 'gateway')
      .option('--namespace <ns>', 'namespace of the generated objects (default: the legacy Deployments’)')
      .option(
        '--registry <host/repo>',
        'OCI repository of the components (image = <registry>/<service>:<tag>)',
      )
      .option('--tag <tag>', 'component image tag', 'latest')
      .option(
        '--service <id...>',
        'only these services (default: every service with a Kubernetes Deployment)',
      )
      .option(
        '--mirror <percent>',
        'HTTPRoute only: share of requests mirrored to the component (0-100)',
        '0',
      )
      .option('--gateway-image <image>', 'image that runs `migrate gateway`');
  },
  async run(context, args, options) {
    const estate = await loadEstate(resolve(context.cwd, args[0] ?? '.'));
    const mirror = Number(options['mirror']);
    if (!Number.isFinite(mirror) || mirror < 0 || mirror > 100)
      throw new AppError(
        ErrorCode.usage,
        `--mirror must be a percentage 0-100 (got ${String(options['mirror'])})`,
      );
    const set = generateManifests(estate, {
      target: pick<KubeTarget>(options['target'], TARGETS, '--target'),
      router: pick<KubeRouter>(options['router'], ROUTERS, '--router'),
      namespace: options['namespace'] as string | undefined,
      registry: options['registry'] as string | undefined,
      tag: options['tag'] as string | undefined,
      services: options['service'] as string[] | undefined,
      mirrorPercent: mirror,
      gatewayImage: options['gatewayImage'] as string | undefined,
    });
    assertValidManifests([...set.objects, ...set.callerPatches]);
    for (const w of set.warnings)
      context.output.warn(`${w.service}${w.location === undefined ? '' : ` (${w.location})`}: ${w.message}`);
    if (context.output.json)
      await context.output.resultJson({
        schemaVersion: MANIFESTS_SCHEMA_VERSION,
        objects: set.objects,
        callerPatches: set.callerPatches,
        warnings: set.warnings,
      });
    else await context.output.result(formatManifestsYaml(set));
  },
};
