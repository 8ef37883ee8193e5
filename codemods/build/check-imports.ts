/**
 * Checks for `migrate build`: that migrate ships the WIT packages a world names. Where the built component links is
 * link-check.ts (each runtime's own host world).
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { WIT_PACKAGES_DIR } from '../wit/world.ts';

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
