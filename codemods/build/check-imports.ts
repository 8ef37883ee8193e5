/**
 * Checks for `migrate build`: that migrate ships the WIT packages a world names, and that a built component imports
 * nothing the target cannot bind.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import {
  ENGINE_IMPORTS,
  ENGINE_STDIO_IMPORTS,
  getSupportedInterfaces,
  type Target,
} from '../../shared/catalog.ts';
import { stripVersion, WIT_PACKAGES_DIR } from '../wit/world.ts';

function packageOf(name: string): string {
  const slash = name.indexOf('/');
  const at = name.indexOf('@');
  return slash === -1 ? name : `${name.slice(0, slash)}${at === -1 ? '' : name.slice(at)}`;
}

/**
 * The imports of a built component that `target` cannot bind. Allowed: the target's interfaces
 * (`getSupportedInterfaces`), the engine's own imports ({@link ENGINE_IMPORTS}), and the `types` interface of a
 * package whose interfaces are allowed (e.g. `wasmcloud:postgres/types` next to `wasmcloud:postgres/query`).
 */
export function findUnsupportedImports(imports: readonly string[], target: Target): string[] {
  const supported = getSupportedInterfaces(target);
  const packages = new Set([...supported].map(packageOf));
  const stdio = [...supported].some((name) => name.startsWith('wasi:cli/'));
  const engine = new Set([...ENGINE_IMPORTS, ...(stdio ? ENGINE_STDIO_IMPORTS : [])]);
  return imports.filter((name) => {
    if (supported.has(name) || engine.has(stripVersion(name))) return false;
    if (stripVersion(name).endsWith('/types') && packages.has(packageOf(name))) return false;
    return true;
  });
}

/** The WIT package folder migrate ships for an interface (`wasi:keyvalue/store@0.2.0-draft` → `wasi-keyvalue-0.2.0-draft`). */
export function getWitPackageFolder(name: string): string {
  const match = /^([a-z0-9-]+):([a-z0-9-]+)\/[a-z0-9-]+@(.+)$/.exec(name);
  return match === null ? name : `${match[1]}-${match[2]}-${match[3]}`;
}

/** The interfaces whose WIT package migrate does not ship (componentize-js could not resolve them). Reads the disk. */
export function findMissingWitPackages(
  interfaces: readonly string[],
  packagesDir = WIT_PACKAGES_DIR,
): string[] {
  return interfaces.filter((name) => !existsSync(join(packagesDir, getWitPackageFolder(name))));
}
