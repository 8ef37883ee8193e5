// Every WebAssembly component the test suite loads, as a list of build jobs, and how one job runs. The global
// setup (global-setup.ts) runs each job once per test run, at most two at a time, in child processes
// (build-job.ts); test files only load what it wrote (test/helpers/components.ts).
import { copyFile, cp, mkdir, mkdtemp, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { buildComponent, getDefaultBuildCacheDir } from '../../codemods/build/build-component.ts';
import { buildService, type BuiltService } from '../../codemods/build/build-service.ts';
import { writeWorld } from '../../codemods/wit/world.ts';
import type { Target } from '../../shared/catalog.ts';
import { userCacheDir } from '../../shared/cache-dir.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import { ALL_FIXTURE_SPECS, FIXTURE_SPECS, FIXTURES } from '../bridge/host/fixture-specs.ts';
import { TINY } from '../codemods/build/tiny-service.ts';
import { portAndCodemod } from '../helpers/port-service.ts';

/**
 * The suite's build cache (content hash → .wasm): in the user's cache folder, so every checkout and fresh clone on
 * one machine shares it (a component is built once per machine for given inputs). MIGRATE_TEST_BUILD_CACHE points
 * it elsewhere (a cold run: an empty folder).
 */
export function getTestBuildCacheDir(): string {
  return process.env['MIGRATE_TEST_BUILD_CACHE'] ?? userCacheDir('test-components');
}

export type ComponentJob =
  /** A host guest fixture (test/bridge/host/fixtures/<name>.ts) built against its own world. */
  (
    | { kind: 'fixture'; name: string }
    /**
     * A sample service ported and codemodded (test/helpers/port-service.ts), then built for `target`. `cli`: a test
     * also builds it through the CLI (default build cache), which then hits the cache instead of compiling.
     */
    | { kind: 'service'; service: string; target: Target; cli?: boolean }
    /** The hand-written service `migrate build` tests compile through the CLI (default build cache). */
    | { kind: 'tiny'; target: Target }
  ) & {
    /** The test files (repository-relative) that load it: a run of other files alone does not build it. */
    usedBy: string[];
  };

/** What a test loads: a fixture's .wasm, or a built service (its folder, .wasm and build result). */
export interface BuiltFixture {
  path: string;
  imports: string[];
  exports: string[];
  hash: string;
}

export interface TestComponents {
  fixtures: Record<string, BuiltFixture>;
  /** By `<service>@<target>`. */
  services: Record<string, BuiltService>;
}

export type JobResult = { kind: 'fixture'; name: string; built: BuiltFixture } | BuiltServiceResult;
interface BuiltServiceResult {
  kind: 'service';
  key: string;
  built: BuiltService;
}

export const serviceKey = (service: string, target: Target): string => `${service}@${target}`;

const HOST_TEST = 'test/bridge/host/host.test.ts';
const JSPI_TEST = 'test/bridge/host/jspi.test.ts';
const ORDER_NOTIFICATION = 'test/codemods/order-notification-component.test.ts';
const SPIN = 'test/codemods/spin-component.test.ts';
const BUILD_CLI = 'test/codemods/build/cli.test.ts';
const UP_DOCKER = 'test/deploy/local/up-docker.test.ts';

/** The suite's components: services (the biggest) first, so the last builds to finish are short. */
export const COMPONENT_JOBS: readonly ComponentJob[] = [
  {
    kind: 'service',
    service: 'order-service',
    target: 'wasmcloud',
    cli: true,
    usedBy: [ORDER_NOTIFICATION, BUILD_CLI],
  },
  {
    kind: 'service',
    service: 'inventory-service',
    target: 'wasmcloud',
    usedBy: ['test/codemods/component-e2e.test.ts', ORDER_NOTIFICATION],
  },
  {
    kind: 'service',
    service: 'inventory-service',
    target: 'embedded',
    cli: true,
    usedBy: ['test/cli/dist.test.ts'],
  },
  { kind: 'service', service: 'inventory-service', target: 'spin', usedBy: [SPIN] },
  { kind: 'service', service: 'notification-service', target: 'wasmcloud', usedBy: [ORDER_NOTIFICATION] },
  {
    kind: 'service',
    service: 'product-service',
    target: 'embedded',
    usedBy: ['test/codemods/product-component.test.ts', UP_DOCKER],
  },
  // `migrate up` finds these in its --ported folder (as a user's earlier `migrate port --build` leaves them); it
  // ports and builds inventory itself
  { kind: 'service', service: 'order-service', target: 'embedded', usedBy: [UP_DOCKER] },
  { kind: 'service', service: 'notification-service', target: 'embedded', usedBy: [UP_DOCKER] },
  { kind: 'service', service: 'product-service', target: 'spin', usedBy: [SPIN] },
  { kind: 'tiny', target: 'wasmcloud', usedBy: [BUILD_CLI] },
  ...Object.keys(FIXTURE_SPECS).map((name) => ({
    kind: 'fixture' as const,
    name,
    usedBy:
      name === 'sql' || name === 'messaging'
        ? [HOST_TEST, JSPI_TEST, 'test/bridge/host/faults.test.ts']
        : name === 'unknown' || name === 'env'
          ? [HOST_TEST]
          : [HOST_TEST, JSPI_TEST],
  })),
  { kind: 'fixture', name: 'sql-tx', usedBy: ['test/bridge/host/sql-transactions.test.ts'] },
];

export const describeJob = (job: ComponentJob): string =>
  job.kind === 'fixture'
    ? `fixture ${job.name}`
    : job.kind === 'tiny'
      ? `tiny-service@${job.target}`
      : serviceKey(job.service, job.target);

/** The cache entries this process put into the CLI's build cache (the warm-up stores them with its outcome). */
export const sharedWithCli: string[] = [];

/** Puts the cache entry `hash` into the CLI's default build cache too (a copy, then an atomic rename). */
export async function shareWithCli(cacheDir: string, hash: string): Promise<void> {
  sharedWithCli.push(hash);
  const shared = getDefaultBuildCacheDir();
  if (shared === cacheDir) return;
  await mkdir(shared, { recursive: true });
  const staging = join(shared, `${hash}.${process.pid}.tmp`);
  await copyFile(join(cacheDir, `${hash}.wasm`), staging);
  await rename(staging, join(shared, `${hash}.wasm`));
}

async function buildFixture(name: string, runDir: string, cacheDir: string): Promise<JobResult> {
  const spec = ALL_FIXTURE_SPECS[name];
  if (spec === undefined) throw new Error(`no fixture spec ${name}`);
  const witDir = await mkdtemp(join(runDir, `wit-${name}-`));
  const world = await writeWorld(
    {
      packageName: `migrate:${name.replace(/[^a-z]/g, '')}`,
      imports: spec.imports,
      ...(spec.exports ? { exports: spec.exports } : {}),
    },
    witDir,
  );
  for (const extra of spec.extraWit ?? [])
    await cp(join(FIXTURES, extra), join(witDir, 'deps', extra), { recursive: true });
  const built = await buildComponent({
    entry: join(FIXTURES, `${name}.ts`),
    witPath: world.witPath,
    worldName: world.worldName,
    cacheDir,
    ...(spec.backend ? { backend: spec.backend } : {}),
  });
  const path = join(runDir, 'fixtures', `${name}.wasm`);
  await writeFileAtomic(path, built.bytes);
  return {
    kind: 'fixture',
    name,
    built: { path, imports: built.imports, exports: built.exports, hash: built.hash },
  };
}

async function buildTiny(target: Target, runDir: string, cacheDir: string): Promise<void> {
  const root = join(runDir, 'tiny', target, 'tiny');
  for (const [path, text] of Object.entries(TINY)) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  const built = await buildService(root, { target, cacheDir });
  await shareWithCli(cacheDir, built.hash);
  await rm(join(runDir, 'tiny', target), { recursive: true, force: true });
}

/** Runs one job: writes under `runDir`, builds through `cacheDir`. */
export async function runComponentJob(
  job: ComponentJob,
  runDir: string,
  cacheDir: string,
): Promise<JobResult | undefined> {
  if (job.kind === 'fixture') return buildFixture(job.name, runDir, cacheDir);
  if (job.kind === 'tiny') return buildTiny(job.target, runDir, cacheDir).then(() => undefined);
  const dir = join(runDir, 'services', job.target);
  await mkdir(dir, { recursive: true });
  const root = await portAndCodemod(dir, job.service);
  const built = await buildService(root, {
    target: job.target,
    out: join(dir, `${job.service}.wasm`),
    cacheDir,
  });
  if (job.cli === true) await shareWithCli(cacheDir, built.hash);
  return { kind: 'service', key: serviceKey(job.service, job.target), built };
}

/** Reads the result build-job.ts wrote (empty: the job has no result tests load). */
export async function readJobResult(file: string): Promise<JobResult | undefined> {
  const text = await readFile(file, 'utf8');
  return text.trim() === '' ? undefined : (JSON.parse(text) as JobResult);
}
