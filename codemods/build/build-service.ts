/**
 * `migrate build <dir>` as a library call: plan the world from the service's capability uses, refuse what the
 * target cannot bind (before compiling), write the minimal world, build the component, check what it actually
 * imports, and write the .wasm atomically.
 */
import { existsSync, readFileSync } from 'node:fs';
import { basename, join, relative, resolve } from 'node:path';
import { getCapabilitySupport, type EffectKind, type Target } from '../../shared/catalog.ts';
import { getRuntime, type RealTarget } from '../../shared/runtimes.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { writeFileAtomic } from '../../shared/fs.ts';
import type { CapabilityKind } from '../facade/capabilities.ts';
import { MESSAGING_HANDLER, stripVersion, writeWorld } from '../wit/world.ts';
import { buildComponent, getDefaultBuildCacheDir } from './build-component.ts';
import { COMPONENT_BIND_FILE, generateComponentBind } from './component-bind.ts';
import { findMissingWitPackages } from './check-imports.ts';
import { checkComponentLinks, type LinkReport } from './link-check.ts';
import { createUnsupportedError, loadBuildPlan, type BuildPlan } from './plan.ts';
import {
  generateNodeEntry,
  getNodeAdapterPaths,
  getNodeFacadeSpecifier,
  NODE_BIND_FILE,
  NODE_ENTRY_FILE,
  resolveNodeEntry,
} from './node-entry.ts';
import { formatTypeErrors, typeCheckDirectory, type TypeCheckResult } from './type-check.ts';

/** The guest entry `migrate build` compiles, relative to the service directory. */
export const COMPONENT_ENTRY = 'src/component.ts';

export interface BuildServiceOptions {
  target: Target;
  /** Where the .wasm goes; defaults to `<dir>/dist/<name>.wasm`. */
  out?: string;
  /** Paths in errors are shown relative to this directory (the CLI's cwd). */
  cwd?: string;
  /** Build cache folder (see buildComponent); Wasmtime's compiled code is cached under `<cacheDir>/wasmtime`. */
  cacheDir?: string;
  /**
   * How to check where the component links: `auto` (Wasmtime 49 when scripts/ensure-wasmtime.sh installed it,
   * else Wasmtime's rule in TypeScript) or `rule` (never start Python). Defaults to `rule` when the environment
   * variable `MIGRATE_LINK_CHECK` is `rule` (a test run that does not need Wasmtime's compile), else `auto`.
   */
  linkCheck?: 'auto' | 'rule';
  onProgress?: (message: string | undefined) => void;
  /**
   * Build a project that fails to type-check anyway (`--allow-type-errors`); the result's `typecheck` lists the
   * errors and says they were allowed. Without it a type error refuses the build.
   */
  allowTypeErrors?: boolean;
}

/** The type check `build` ran on the project before componentizing it. */
export interface BuildTypeCheck extends TypeCheckResult {
  /** The errors were there and the build went on (`--allow-type-errors`). */
  allowed: boolean;
}

export interface BuiltService {
  name: string;
  root: string;
  target: Target;
  /** Absolute path of the written .wasm. */
  out: string;
  /** The WIT folder written (world.wit + deps/). */
  witPath: string;
  world: string;
  plan: BuildPlan;
  size: number;
  imports: string[];
  exports: string[];
  hash: string;
  cached: boolean;
  capabilities: CapabilityKind[];
  effectKinds: EffectKind[];
  /** The real target whose pins the world took (see BuildPlan.pins). */
  pins: RealTarget | undefined;
  /** Where the component links: every real runtime, checked against its own host world. */
  link: LinkReport;
  typecheck: BuildTypeCheck;
}

/** A WIT-safe, file-safe name for the service: package.json `name` (scope dropped) or the directory name. */
export function getServiceName(root: string): string {
  let raw = basename(root);
  try {
    const pkg = JSON.parse(readFileSync(join(root, 'package.json'), 'utf8')) as { name?: unknown };
    if (typeof pkg.name === 'string' && pkg.name !== '') raw = pkg.name.replace(/^@[^/]+\//, '');
  } catch {
    // no package.json: the directory name
  }
  const parts = raw
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((part) => part !== '')
    .map((part) => (/^[a-z]/.test(part) ? part : `s${part}`));
  return parts.length === 0 ? 'service' : parts.join('-');
}

/** Whether `src/config.ts` is a ported Spring config: `loadConfig()` resolving the property `key`. */
function hasSpringConfig(root: string, key: string): boolean {
  const file = join(root, 'src/config.ts');
  if (!existsSync(file)) return false;
  const text = readFileSync(file, 'utf8');
  return text.includes('export function loadConfig') && text.includes(`'${key}'`);
}

export async function buildService(dir: string, options: BuildServiceOptions): Promise<BuiltService> {
  const cwd = options.cwd ?? process.cwd();
  const progress = options.onProgress ?? ((): void => undefined);
  const { target } = options;
  progress('build: finding capability uses');
  const { root, ...plan } = loadBuildPlan(resolve(cwd, dir), target);
  const show = (file: string): string => {
    const shown = relative(cwd, join(root, file));
    return shown === '' || shown.startsWith('..') ? join(root, file) : shown;
  };
  const [first, ...rest] = plan.unsupported;
  if (first !== undefined) {
    const error = createUnsupportedError(first, target, show(first.use.file));
    if (rest.length === 0) throw error;
    const others = rest
      .map((issue) => `${issue.kind} (${show(issue.use.file)}:${issue.use.line})`)
      .join(', ');
    throw new AppError(error.code, `${error.message}; also unsupported on ${target}: ${others}`, {
      ...(error.hint === undefined ? {} : { hint: error.hint }),
      ...(error.location === undefined ? {} : { location: error.location }),
    });
  }
  const missing = findMissingWitPackages(plan.imports);
  if (missing.length > 0) {
    const needs = missing.map((name) => {
      const kinds = plan.effectKinds.filter((kind) => {
        const support = getCapabilitySupport(kind, target);
        return support.supported && support.bindings.some((b) => b.interface === name);
      });
      return `${name} (${kinds.join(', ')})`;
    });
    throw new AppError(
      ErrorCode.unsupported,
      `migrate does not ship the WIT for ${needs.join(', ')}, which target ${target} needs`,
      { hint: 'build for --target wasmcloud or --target embedded, whose interfaces migrate ships' },
    );
  }
  const ported = join(root, COMPONENT_ENTRY);
  // A hand-written Node service has no ported entry: one is generated from its own server entry.
  const node = existsSync(ported) ? undefined : resolveNodeEntry(root, show);
  const entry = node === undefined ? ported : join(root, NODE_ENTRY_FILE);
  // A ported entry binds the facade through component-bind.ts, which imports the copy `migrate codemod` makes.
  const bindsFacade = node !== undefined || readFileSync(entry, 'utf8').includes('component-bind');
  if (bindsFacade && !existsSync(join(root, node?.facadeDir ?? 'src/caps', 'capabilities.ts'))) {
    const facadeDir = node?.facadeDir ?? 'src/caps';
    throw new AppError(ErrorCode.notFound, `${show('.')} has no capability facade (${facadeDir}/)`, {
      hint: `run \`migrate codemod ${show('.')}\` first: it moves the side effects onto the facade and copies it into ${facadeDir} (or use \`migrate port … --build\`)`,
    });
  }
  progress('build: type-checking the project (tsc, migrate’s declarations)');
  const typecheck = checkTypes(root, options.allowTypeErrors === true, show);
  const name = getServiceName(root);
  const out = resolve(cwd, options.out ?? join(root, 'dist', `${name}.wasm`));
  progress('build: writing the WIT world');
  const world = await writeWorld(
    { packageName: `migrate:${name}`, imports: plan.imports, exports: plan.exports },
    join(root, 'dist', 'wit'),
  );
  const bindFile = node === undefined ? COMPONENT_BIND_FILE : NODE_BIND_FILE;
  progress(`build: binding the facade to the world's imports (${show(bindFile)})`);
  if (node !== undefined) {
    await writeFileAtomic(
      entry,
      generateNodeEntry({
        server: node.server,
        facadeDir: node.facadeDir,
        messaging: plan.exports.some((name) => stripVersion(name) === stripVersion(MESSAGING_HANDLER)),
      }),
    );
  }
  await writeFileAtomic(
    join(root, bindFile),
    generateComponentBind(plan.imports, {
      ...(node === undefined ? {} : { facade: getNodeFacadeSpecifier(node.facadeDir) }),
      springDatasource: hasSpringConfig(root, 'spring.datasource.url'),
      springRedis:
        (target === 'spin' || target === 'spin4') && hasSpringConfig(root, 'spring.data.redis.host'),
    }),
  );
  progress(`build: componentizing ${show(node === undefined ? COMPONENT_ENTRY : node.server)} (10-30 s)`);
  const built = await buildComponent({
    entry,
    witPath: world.witPath,
    worldName: world.worldName,
    stdio: plan.imports.some((name) => stripVersion(name) === 'wasi:cli/stdout'),
    ...(node === undefined ? {} : { aliases: getNodeAdapterPaths(root, node.facadeDir) }),
    ...(options.cacheDir === undefined ? {} : { cacheDir: options.cacheDir }),
  });
  progress('build: linking the component against each runtime’s host world');
  const link = await checkComponentLinks(built.path, built.imports, {
    engine: options.linkCheck ?? (process.env.MIGRATE_LINK_CHECK === 'rule' ? 'rule' : 'auto'),
    cacheDir: join(options.cacheDir ?? getDefaultBuildCacheDir(), 'wasmtime'),
  });
  const own = plan.pins === undefined ? undefined : getRuntime(plan.pins);
  const ownLink = link.runtimes.find((entry) => entry.runtime === own?.id);
  if (target !== 'embedded' && ownLink !== undefined && !ownLink.links) {
    const lines = ownLink.unlinked.map((entry) => `${entry.import} (${entry.wayOut})`);
    throw new AppError(
      ErrorCode.unsupported,
      `the built component would not link on ${ownLink.label}: ${lines.join('; ')}`,
      {
        hint: `only facade capabilities ${ownLink.label} serves may be used; checked by ${link.checkedBy === 'wasmtime' ? 'Wasmtime 49' : 'Wasmtime’s linking rule'} against the runtime’s own WIT`,
      },
    );
  }
  progress(`build: writing ${relative(cwd, out) || out}`);
  await writeFileAtomic(out, built.bytes);
  progress(undefined);
  return {
    name,
    root,
    target,
    out,
    witPath: world.witPath,
    world: world.text,
    plan,
    size: built.size,
    imports: built.imports,
    exports: built.exports,
    hash: built.hash,
    cached: built.cached,
    capabilities: plan.capabilities,
    effectKinds: plan.effectKinds,
    pins: plan.pins,
    link,
    typecheck,
  };
}

/** Type-checks the project; refuses it on an error unless `allow`. */
function checkTypes(root: string, allow: boolean, show: (file: string) => string): BuildTypeCheck {
  // component-bind.ts is the build's own output over WIT imports (rewritten right after): not the user's code.
  const result = typeCheckDirectory(root, [COMPONENT_BIND_FILE]);
  const [first] = result.errors;
  if (first === undefined || allow) return { ...result, allowed: first !== undefined };
  const shown = formatTypeErrors(result.errors.slice(0, 10).map((e) => ({ ...e, file: show(e.file) })));
  const more = result.errors.length > 10 ? `\n  … and ${result.errors.length - 10} more` : '';
  throw new AppError(
    ErrorCode.build,
    `${show('.')} does not type-check: ${result.errors.length} error(s)\n  ${shown.join('\n  ')}${more}`,
    {
      location: { file: show(first.file), line: first.line, column: first.column },
      hint: 'fix the errors (a ported project’s TODO(migrate) comments say where the port stopped), or build anyway with --allow-type-errors',
    },
  );
}
