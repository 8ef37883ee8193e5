/**
 * What a runtime serves to a component, from the runtime's own WIT: the interfaces its host world imports (after
 * `include`s and the interfaces they `use`), each with the function and resource names a host must define.
 * `loadWitFolder` reads the disk; `resolveHostWorld` is pure.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { parseWitPackage, type WitInterface, type WitPackage } from './wit-parser.ts';

/** Interface id (`wasi:config/store@0.2.0-rc.1`) → what a host defines for it. */
export type HostWorld = Map<string, WitInterface>;

/** Packages by id (`wasi:config@0.2.0-rc.1`, or `spin:up` when unversioned). */
export type WitFolder = Map<string, WitPackage>;

function packageId(pkg: { name: string; version: string }): string {
  return pkg.version === '' ? pkg.name : `${pkg.name}@${pkg.version}`;
}

function readWitFiles(path: string): { file: string; text: string }[] {
  if (!statSync(path).isDirectory()) return [{ file: path, text: readFileSync(path, 'utf8') }];
  return readdirSync(path)
    .filter((name) => name.endsWith('.wit'))
    .sort()
    .map((name) => ({ file: join(path, name), text: readFileSync(join(path, name), 'utf8') }));
}

/** Reads a WIT folder as runtimes ship it: the root package's `.wit` files plus one package per `deps/` entry. */
export function loadWitFolder(dir: string): WitFolder {
  const folder: WitFolder = new Map();
  const add = (files: { file: string; text: string }[]): void => {
    if (files.length === 0) return;
    const pkg = parseWitPackage(files);
    const id = packageId(pkg);
    const existing = folder.get(id);
    if (existing === undefined) folder.set(id, pkg);
    else {
      for (const [name, iface] of pkg.interfaces) existing.interfaces.set(name, iface);
      for (const [name, world] of pkg.worlds) existing.worlds.set(name, world);
    }
  };
  add(readWitFiles(dir));
  let deps: string[] = [];
  try {
    deps = readdirSync(join(dir, 'deps')).sort();
  } catch {
    // no deps folder
  }
  for (const entry of deps) add(readWitFiles(join(dir, 'deps', entry)));
  return folder;
}

/** Splits `ns:pkg/item@version` (or a local `item`) into package id and item name. */
function resolvePath(path: string, from: WitPackage, folder: WitFolder): { pkg: WitPackage; item: string } {
  const slash = path.indexOf('/');
  if (slash === -1) return { pkg: from, item: path };
  const at = path.indexOf('@');
  const name = path.slice(0, slash);
  const item = at === -1 ? path.slice(slash + 1) : path.slice(slash + 1, at);
  const version = at === -1 ? undefined : path.slice(at + 1);
  const pkg =
    version === undefined
      ? [...folder.values()].find((candidate) => candidate.name === name)
      : folder.get(`${name}@${version}`);
  if (pkg === undefined) {
    throw new AppError(ErrorCode.input, `WIT package of ${path} not found (used by ${packageId(from)})`, {
      hint: 'copy the package into the runtime folder’s deps/',
    });
  }
  return { pkg, item };
}

/**
 * The interfaces the worlds `worlds` of package `root` import (the worlds a runtime's host serves), with
 * everything they `use`.
 */
export function resolveHostWorld(folder: WitFolder, root: string, worlds: readonly string[]): HostWorld {
  const out: HostWorld = new Map();
  const rootPkg = folder.get(root);
  if (rootPkg === undefined) {
    throw new AppError(ErrorCode.input, `WIT package ${root} not found in the runtime folder`, {
      hint: 'the runtime folder must hold the runtime’s world.wit',
    });
  }
  const seenWorlds = new Set<string>();
  const addInterface = (pkg: WitPackage, name: string): void => {
    const id = `${pkg.name}/${name}${pkg.version === '' ? '' : `@${pkg.version}`}`;
    if (out.has(id)) return;
    const iface = pkg.interfaces.get(name);
    if (iface === undefined) {
      throw new AppError(ErrorCode.input, `WIT interface ${id} not found`, {
        hint: 'the runtime folder is missing part of a package',
      });
    }
    out.set(id, iface);
    for (const use of iface.uses) {
      const target = resolvePath(use, pkg, folder);
      addInterface(target.pkg, target.item);
    }
  };
  const addWorld = (pkg: WitPackage, name: string): void => {
    const key = `${packageId(pkg)}/${name}`;
    if (seenWorlds.has(key)) return;
    seenWorlds.add(key);
    const items = pkg.worlds.get(name);
    if (items === undefined) {
      throw new AppError(ErrorCode.input, `WIT world ${key} not found`, {
        hint: 'name a world the runtime’s WIT defines',
      });
    }
    for (const item of items) {
      if (item.kind === 'import-inline') {
        out.set(item.name, item.iface);
        continue;
      }
      const target = resolvePath(item.path, pkg, folder);
      if (item.kind === 'include') addWorld(target.pkg, target.item);
      else addInterface(target.pkg, target.item);
    }
  };
  for (const world of worlds) addWorld(rootPkg, world);
  return out;
}
