/**
 * Where a built component links: its imports checked against every real runtime's host world (the runtime's own
 * WIT under runtimes/), with the real Wasmtime when its Python binding is installed (scripts/ensure-wasmtime.sh),
 * else with Wasmtime's name-and-version rule in TypeScript (link-rule.ts). Each import that would not link is
 * named with the way out.
 */
import { join } from 'node:path';
import { CAPABILITY_CATALOG, EFFECT_KINDS } from '../../shared/catalog.ts';
import { RUNTIMES, RUNTIMES_DIR, WASMTIME_WASI_P2, type Runtime } from '../../shared/runtimes.ts';
import { loadWitFolder, resolveHostWorld, type HostWorld } from '../wit/host-world.ts';
import {
  findOtherVersions,
  findServing,
  getCompatibilityKey,
  getServedNames,
  parseInterfaceName,
} from '../../shared/link-rule.ts';
import { findWasmtimePython, runWasmtimeLink } from './wasmtime-check.ts';

/** An import a runtime does not serve. */
export interface UnlinkedImport {
  import: string;
  /** Why, in one sentence (Wasmtime's message when Wasmtime checked). */
  reason: string;
  wayOut: string;
}

export interface RuntimeLink {
  /** `wasmcloud-2.7`. */
  runtime: string;
  label: string;
  target: Runtime['target'];
  links: boolean;
  /** Wasmtime instantiated the component against the runtime's host world (only when Wasmtime checked). */
  instantiated?: boolean;
  unlinked: UnlinkedImport[];
}

export interface LinkReport {
  /** `wasmtime` (Wasmtime 49 linked and instantiated it) or `rule` (the TypeScript rule; Wasmtime absent). */
  checkedBy: 'wasmtime' | 'rule';
  /** Why the rule was used, when it was. */
  note?: string;
  runtimes: RuntimeLink[];
  /** Labels of the runtimes it links on. */
  linksOn: string[];
}

const worlds = new Map<string, HostWorld>();

/** A runtime's host world, read once per process from runtimes/<id>/. */
export function loadRuntimeWorld(runtime: Runtime, dir = RUNTIMES_DIR): HostWorld {
  const key = join(dir, runtime.id);
  let world = worlds.get(key);
  if (world === undefined) {
    world = resolveHostWorld(loadWitFolder(key), runtime.package, runtime.worlds);
    worlds.set(key, world);
  }
  return world;
}

/** Whether Wasmtime's own WASI 0.2 (add_wasip2/add_wasi_http) serves the interface; the runtime WIT is not stubbed for it. */
export function isWasmtimeWasi(name: string): boolean {
  const { bare, version } = parseInterfaceName(name);
  return WASMTIME_WASI_P2.includes(bare) && getCompatibilityKey(version) === '0.2';
}

/** The way out for an import `runtime` does not serve. Pure. */
export function getWayOut(name: string, runtime: Runtime, served: readonly string[]): string {
  const others = findOtherVersions(name, served);
  if (others.length > 0) {
    return `${runtime.label} serves ${others.join(', ')}: build with --target ${runtime.target}, which pins it`;
  }
  const { bare } = parseInterfaceName(name);
  for (const kind of EFFECT_KINDS) {
    const entry = CAPABILITY_CATALOG[kind];
    const uses = Object.values(entry).some(
      (support) =>
        support.supported && support.bindings.some((b) => parseInterfaceName(b.interface).bare === bare),
    );
    if (!uses) continue;
    const here = entry[runtime.target];
    if (!here.supported) return `${runtime.label} has no ${kind} capability: ${here.wayOut}`;
    const binding = here.bindings.map((b) => b.interface).join(', ');
    return `${runtime.label} serves ${kind} as ${binding}: build with --target ${runtime.target}, which binds it`;
  }
  return `${runtime.label} does not serve ${bare}: remove the code that uses it, or deploy to a runtime that serves it`;
}

/** The TypeScript rule: which of `imports` each runtime's host world (plus Wasmtime's WASI 0.2) does not serve. Pure. */
export function checkLinksByRule(
  imports: readonly string[],
  runtimes: readonly { runtime: Runtime; world: HostWorld }[],
): RuntimeLink[] {
  return runtimes.map(({ runtime, world }) => {
    const served = getServedNames(world.keys());
    const unlinked = imports
      .filter((name) => findServing(name, served) === undefined)
      .map((name) => ({
        import: name,
        reason: `${runtime.label} serves no ${name} (prerelease versions must match exactly, releases by semver)`,
        wayOut: getWayOut(name, runtime, served),
      }));
    return {
      runtime: runtime.id,
      label: runtime.label,
      target: runtime.target,
      links: unlinked.length === 0,
      unlinked,
    };
  });
}

export interface CheckLinksOptions {
  /** Where Wasmtime caches the compiled component (by content); none: compile every time. */
  cacheDir?: string;
  /** `auto` (default): Wasmtime when installed, else the rule; `rule`: never start Python. */
  engine?: 'auto' | 'rule';
  /** Which runtimes; all by default. */
  runtimes?: readonly Runtime[];
}

/** Checks the component at `wasm` (whose imports are `imports`) against every real runtime. */
export async function checkComponentLinks(
  wasm: string,
  imports: readonly string[],
  options: CheckLinksOptions = {},
): Promise<LinkReport> {
  const runtimes = (options.runtimes ?? RUNTIMES).map((runtime) => ({
    runtime,
    world: loadRuntimeWorld(runtime),
  }));
  const byRule = checkLinksByRule(imports, runtimes);
  const python = options.engine === 'rule' ? undefined : findWasmtimePython();
  let links: RuntimeLink[] = byRule;
  let note: string | undefined;
  if (python === undefined) {
    note =
      options.engine === 'rule'
        ? 'checked with Wasmtime’s linking rule in TypeScript (asked for)'
        : 'Wasmtime’s Python binding is not installed (run scripts/ensure-wasmtime.sh): checked with Wasmtime’s linking rule in TypeScript instead';
  } else {
    const result = await runWasmtimeLink(python, {
      wasm,
      cacheDir: options.cacheDir ?? null,
      optLevel: 'none',
      runtimes: runtimes.map(({ runtime, world }) => ({
        id: runtime.id,
        instances: Object.fromEntries(
          [...world].filter(([name]) => !isWasmtimeWasi(name)).map(([name, iface]) => [name, iface]),
        ),
      })),
    });
    links = runtimes.map(({ runtime, world }, index) => {
      const found = result.results[index]!;
      const served = getServedNames(world.keys());
      return {
        runtime: runtime.id,
        label: runtime.label,
        target: runtime.target,
        links: found.links,
        instantiated: found.instantiated,
        unlinked: found.missing.map((missing) => ({
          import: missing.import,
          reason: missing.message,
          wayOut: getWayOut(missing.import, runtime, served),
        })),
      };
    });
  }
  return {
    checkedBy: python === undefined ? 'rule' : 'wasmtime',
    ...(note === undefined ? {} : { note }),
    runtimes: links,
    linksOn: links.filter((link) => link.links).map((link) => link.label),
  };
}
