import { cp, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { buildComponent, type BuiltComponent } from '../../../codemods/build/build-component.ts';
import { writeWorld, MESSAGING_HANDLER, HTTP_INCOMING_HANDLER } from '../../../codemods/wit/world.ts';
import { writeFileAtomic } from '../../../shared/fs.ts';

export const FIXTURES = fileURLToPath(new URL('./fixtures/', import.meta.url));
/** Shared between test files and runs: builds are cached by content hash. */
export const BUILD_CACHE = fileURLToPath(
  new URL('../../../node_modules/.cache/migrate/host-fixtures/', import.meta.url),
);

export interface FixtureSpec {
  imports: string[];
  exports?: string[];
  /** Extra WIT package folders (relative to fixtures/) copied into deps/. */
  extraWit?: string[];
  backend?: 'starlingmonkey' | 'qjs';
}

export const FIXTURE_SPECS: Record<string, FixtureSpec> = {
  hello: { imports: [] },
  sql: { imports: ['wasmcloud:postgres/query@0.1.1-draft', 'wasi:config/store@0.2.0-rc.1'] },
  kv: { imports: ['wasi:keyvalue/store@0.2.0-draft', 'wasi:keyvalue/atomics@0.2.0-draft'] },
  messaging: {
    imports: ['wasmcloud:messaging/consumer@0.2.0'],
    exports: [HTTP_INCOMING_HANDLER, MESSAGING_HANDLER],
  },
  'http-out': { imports: ['wasi:http/outgoing-handler@0.2.10'] },
  env: {
    imports: [
      'wasi:config/store@0.2.0-rc.1',
      'wasi:logging/logging@0.1.0-draft',
      'wasi:clocks/wall-clock@0.2.10',
      'wasi:random/random@0.2.10',
    ],
  },
  faulty: { imports: [] },
  unknown: { imports: ['acme:unknown/thing@1.0.0'], extraWit: ['wit-unknown'] },
};

/**
 * Builds a guest fixture (cached) and writes its .wasm to `outDir`; returns the path and the build. `spec`
 * defaults to the fixture's entry in FIXTURE_SPECS (the fixtures every host test loads).
 */
export async function buildFixture(
  name: string,
  outDir: string,
  spec: FixtureSpec = FIXTURE_SPECS[name]!,
): Promise<{ path: string; built: BuiltComponent }> {
  const witDir = await mkdtemp(join(tmpdir(), `migrate-wit-${name}-`));
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
    cacheDir: BUILD_CACHE,
    ...(spec.backend ? { backend: spec.backend } : {}),
  });
  const path = join(outDir, `${name}.wasm`);
  await writeFileAtomic(path, built.bytes);
  return { path, built };
}
