// Sample services ported, codemodded and built into components for a target, through one content-hash build cache
// shared by every test (a service built for `spin` and `spin4`, or for `wasmcloud` and `embedded`, has the same
// world and comes from the cache the second time). Kept in one function so the builds can move to a globalSetup.
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { buildService, type BuiltService } from '../../codemods/build/build-service.ts';
import { userCacheDir } from '../../shared/cache-dir.ts';
import type { Target } from '../../shared/catalog.ts';
import { portAndCodemod } from './port-service.ts';

/** Built components and Wasmtime's compiled code, by content hash. */
export const SAMPLE_BUILD_CACHE = userCacheDir('sample-builds');

/** The four sample services and the targets each supports (NATS keeps order and notification off Spin). */
export const SAMPLE_TARGETS = {
  'inventory-service': ['wasmcloud', 'spin', 'spin4', 'embedded'],
  'product-service': ['spin', 'spin4', 'embedded'],
  'order-service': ['wasmcloud', 'embedded'],
  'notification-service': ['wasmcloud', 'embedded'],
} as const satisfies Record<string, readonly Target[]>;
export type SampleService = keyof typeof SAMPLE_TARGETS;

let workDir: Promise<string> | undefined;

/**
 * Ports `service` into a fresh folder per target and builds it with `migrate build --target <target>` (as a
 * library call), which also links it against every runtime's host world. `dir` defaults to one temp folder per
 * process.
 */
export async function buildSample(
  service: SampleService,
  target: Target,
  dir?: string,
): Promise<BuiltService> {
  workDir ??= mkdtemp(join(tmpdir(), 'migrate-sample-builds-'));
  const root = await portAndCodemod(join(dir ?? (await workDir), target), service);
  return buildService(root, {
    target,
    out: join(root, 'dist', `${service}-${target}.wasm`),
    cacheDir: SAMPLE_BUILD_CACHE,
    linkCheck: 'auto',
  });
}
