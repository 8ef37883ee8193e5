/**
 * Wasmtime's linker rule for versioned import names, as a pure function: an import binds to a host definition of
 * the same name when the versions are equal or, for release versions (no `-` prerelease tag), semver-compatible
 * (`1.x.y` by major, `0.x.y` by minor, `0.0.z` only exactly). `-draft`, `-rc.N` and dated prereleases match only
 * exactly. Used where the Python Wasmtime is absent, and to name the way out either way.
 */
import { WASMTIME_WASI_P2 } from './runtimes.ts';

export interface InterfaceName {
  /** `wasi:config/store`. */
  bare: string;
  /** `0.2.0-rc.1`; `''` when unversioned. */
  version: string;
}

export function parseInterfaceName(name: string): InterfaceName {
  const at = name.indexOf('@');
  return at === -1 ? { bare: name, version: '' } : { bare: name.slice(0, at), version: name.slice(at + 1) };
}

/** The key Wasmtime files a version under: the version itself for prereleases and `0.0.z`, else `1` / `0.2`. */
export function getCompatibilityKey(version: string): string {
  const match = /^(\d+)\.(\d+)\.(\d+)(\+.*)?$/.exec(version);
  if (match === null) return version;
  const [, major, minor] = match;
  if (major !== '0') return major!;
  if (minor !== '0') return `0.${minor}`;
  return version;
}

/** Whether an import at version `wanted` links to a host definition at `offered`. */
export function isLinkCompatible(wanted: string, offered: string): boolean {
  return wanted === offered || getCompatibilityKey(wanted) === getCompatibilityKey(offered);
}

/** What a host serves: its world's interfaces plus Wasmtime's own WASI 0.2 (served at 0.2.x). */
export function getServedNames(world: Iterable<string>): string[] {
  return [...new Set([...world, ...WASMTIME_WASI_P2.map((bare) => `${bare}@0.2.0`)])];
}

/** The served interface an import binds to, if any. */
export function findServing(name: string, served: readonly string[]): string | undefined {
  const wanted = parseInterfaceName(name);
  return served.find((offered) => {
    const o = parseInterfaceName(offered);
    return o.bare === wanted.bare && isLinkCompatible(wanted.version, o.version);
  });
}

/** Served interfaces with the same bare name as an import that does not link (the versions the host has). */
export function findOtherVersions(name: string, served: readonly string[]): string[] {
  const { bare } = parseInterfaceName(name);
  return served.filter((offered) => parseInterfaceName(offered).bare === bare).sort();
}
