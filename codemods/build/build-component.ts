import { createHash } from 'node:crypto';
import { mkdir, mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { build as esbuild, type Plugin } from 'esbuild';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import { ensurePreopens } from '../../shared/wasm-preopens.ts';

/** Which JS engine the component embeds. */
export type ComponentBackend = 'starlingmonkey' | 'qjs';

export interface BuildComponentOptions {
  /** The guest's entry file (TypeScript or JavaScript). WIT imports (`wasi:…`, `wasmcloud:…`) stay external. */
  entry: string;
  /** A WIT folder as written by `writeWorld` (codemods/wit). */
  witPath: string;
  worldName: string;
  /** `starlingmonkey` (componentize-js, default) or `qjs` (componentize-qjs, sync ABI, WASI stubbed). */
  backend?: ComponentBackend;
  /** Where built components are cached by content hash; defaults to `<os tmp>/migrate-build-cache`. */
  cacheDir?: string;
  /**
   * Keep StarlingMonkey's `stdio` feature on. Off by default: turning it off also stubs (as traps) the guest's own
   * get-stdout/get-stderr. On for a world that logs to `wasi:cli/stdout` (Spin); the engine then also imports
   * stdin, the terminals and wasi:filesystem.
   */
  stdio?: boolean;
  /**
   * Bare imports bundled from other files: `{ express: '<service>/src/caps/component-express.ts' }` (a
   * hand-written Node service's server packages resolve to the facade's adapters).
   */
  aliases?: Readonly<Record<string, string>>;
}

export interface BuiltComponent {
  /** The component binary. */
  bytes: Uint8Array;
  size: number;
  /** The interfaces the component imports, as the component itself declares them (versioned). */
  imports: string[];
  /** The interfaces it exports. */
  exports: string[];
  /** sha256 of the inputs (bundle, WIT, world, backend): the cache key. */
  hash: string;
  /** True when the component came from the cache. */
  cached: boolean;
  /** The component's file in the build cache (`<cacheDir>/<hash>.wasm`). */
  path: string;
}

/**
 * StarlingMonkey features turned off. `http`, `clocks` and `random` stay on: turning a feature off also stubs
 * (traps) the guest's own imports of that WASI package, so a guest exporting wasi:http could not build a
 * response. With them on, `Date.now()` and `crypto` read the host's wasi:clocks and wasi:random, and the
 * engine imports `wasi:http/outgoing-handler` for `fetch` (the host denies it unless granted).
 */
const DISABLED_FEATURES = ['stdio', 'fetch-event'] as const;

export function getDefaultBuildCacheDir(): string {
  return join(tmpdir(), 'migrate-build-cache');
}

/** Marks every `namespace:package/interface` import (a WIT import) external; `node:` is not one. */
const witImportsExternal: Plugin = {
  name: 'wit-imports-external',
  setup(build) {
    build.onResolve({ filter: /^[a-z][a-z0-9-]*:[a-z]/ }, (args) =>
      args.path.startsWith('node:') ? undefined : { path: args.path, external: true },
    );
  },
};

/** Resolves each aliased bare import to its file. */
function createAliasPlugin(aliases: Readonly<Record<string, string>>): Plugin {
  const names = Object.keys(aliases).map((name) => name.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  return {
    name: 'aliases',
    setup(build) {
      build.onResolve({ filter: new RegExp(`^(${names.join('|')})$`) }, (args) => ({
        path: aliases[args.path]!,
      }));
    },
  };
}

/**
 * Bundles a guest to one ESM file, WIT imports external. The file comments esbuild writes name each module
 * relative to the entry's folder, so the same service bundles to the same text (and hits the build cache)
 * wherever it lies.
 */
export async function bundleGuest(
  entry: string,
  aliases: Readonly<Record<string, string>> = {},
): Promise<string> {
  try {
    const result = await esbuild({
      entryPoints: [entry],
      absWorkingDir: dirname(resolve(entry)),
      bundle: true,
      format: 'esm',
      platform: 'neutral',
      target: 'es2022',
      write: false,
      plugins: [
        ...(Object.keys(aliases).length === 0 ? [] : [createAliasPlugin(aliases)]),
        witImportsExternal,
      ],
      logLevel: 'silent',
    });
    return result.outputFiles[0]!.text;
  } catch (error) {
    throw wrapError(ErrorCode.build, `cannot bundle guest ${entry}`, error, 'fix the errors esbuild reports');
  }
}

async function hashWit(dir: string): Promise<string> {
  const hash = createHash('sha256');
  const walk = async (current: string): Promise<void> => {
    const entries = await readdir(current, { withFileTypes: true });
    entries.sort((a, b) => a.name.localeCompare(b.name));
    for (const entry of entries) {
      const path = join(current, entry.name);
      if (entry.isDirectory()) await walk(path);
      else if (entry.name.endsWith('.wit')) hash.update(relative(dir, path)).update(await readFile(path));
    }
  };
  await walk(dir);
  return hash.digest('hex');
}

let componentizeVersion: Promise<string> | undefined;

/** The installed componentize-js version: part of the cache key, so an upgrade rebuilds. */
function getComponentizeVersion(): Promise<string> {
  componentizeVersion ??= (async () => {
    const main = fileURLToPath(import.meta.resolve('@bytecodealliance/componentize-js'));
    const pkg = JSON.parse(await readFile(join(dirname(main), '..', 'package.json'), 'utf8')) as {
      version?: unknown;
    };
    return String(pkg.version);
  })();
  return componentizeVersion;
}

/**
 * Bundles a TypeScript guest with esbuild and builds a component from it with componentize-js (or
 * componentize-qjs), caching the result by content hash. Reports size, imports and exports.
 */
export async function buildComponent(options: BuildComponentOptions): Promise<BuiltComponent> {
  const backend = options.backend ?? 'starlingmonkey';
  const source = await bundleGuest(options.entry, options.aliases);
  const hash = createHash('sha256')
    .update(`v4\0${await getComponentizeVersion()}\0${backend}\0${options.worldName}\0`)
    .update(options.stdio === true ? 'stdio\0' : '')
    .update(await hashWit(options.witPath))
    .update(source)
    .digest('hex');
  const cacheDir = options.cacheDir ?? getDefaultBuildCacheDir();
  const cached = join(cacheDir, `${hash}.wasm`);
  let bytes: Uint8Array | undefined;
  try {
    bytes = new Uint8Array(await readFile(cached));
  } catch {
    bytes = undefined;
  }
  const fromCache = bytes !== undefined;
  if (bytes === undefined) {
    bytes = await componentizeSource(source, options, backend);
    await mkdir(cacheDir, { recursive: true });
    await writeFileAtomic(cached, bytes);
  }
  const { imports, exports } = await readComponentInterfaces(bytes);
  return { bytes, size: bytes.byteLength, imports, exports, hash, cached: fromCache, path: cached };
}

async function componentizeSource(
  source: string,
  options: BuildComponentOptions,
  backend: ComponentBackend,
): Promise<Uint8Array> {
  await ensurePreopens();
  const work = await mkdtemp(join(tmpdir(), 'migrate-build-'));
  try {
    const sourcePath = join(work, 'guest.js');
    await writeFile(sourcePath, source);
    if (backend === 'qjs') {
      const { componentize } = await import('componentize-qjs');
      const result = await componentize({
        witPath: options.witPath,
        world: options.worldName,
        jsSource: source,
        jsPath: sourcePath,
        sync: true,
        stubWasi: true,
      });
      return new Uint8Array(result.component);
    }
    const { componentize } = await import('@bytecodealliance/componentize-js');
    const result = await componentize({
      sourcePath,
      witPath: options.witPath,
      worldName: options.worldName,
      disableFeatures: DISABLED_FEATURES.filter((feature) => feature !== 'stdio' || options.stdio !== true),
    });
    return result.component;
  } catch (error) {
    throw wrapError(
      ErrorCode.build,
      `componentize (${backend}) failed for ${options.entry}`,
      error,
      'check that the guest only imports interfaces of its world and exports what the world exports',
    );
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** The versioned interfaces a component imports and exports, read from the binary with jco. */
export async function readComponentInterfaces(
  bytes: Uint8Array,
): Promise<{ imports: string[]; exports: string[] }> {
  await ensurePreopens();
  try {
    const { componentWit } = await import('@bytecodealliance/jco');
    const wit = await componentWit(bytes);
    const pick = (kind: string): string[] =>
      [...wit.matchAll(new RegExp(`^\\s*${kind}\\s+([a-z0-9-]+:[a-z0-9-]+/[a-z0-9-]+@[^;\\s]+);`, 'gm'))]
        .map((match) => match[1]!)
        .sort();
    return { imports: pick('import'), exports: pick('export') };
  } catch (error) {
    throw new AppError(ErrorCode.build, 'cannot read the interfaces of the component', {
      cause: error,
      hint: 'the file may not be a WebAssembly component',
    });
  }
}
