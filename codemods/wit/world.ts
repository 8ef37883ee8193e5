import { cp, mkdir, readdir } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { writeFileAtomic } from '../../shared/fs.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';

/** The folder of WIT packages shipped with migrate (one sub-folder per package, `deps/` layout). */
export const WIT_PACKAGES_DIR = fileURLToPath(new URL('./packages/', import.meta.url));

/** The export every component built by migrate has. */
export const HTTP_INCOMING_HANDLER = 'wasi:http/incoming-handler@0.2.10';
/** The export of a component that handles messages from subscriptions. */
export const MESSAGING_HANDLER = 'wasmcloud:messaging/handler@0.2.0';

/** What a component's world contains. */
export interface WorldSpec {
  /** WIT package of the world, e.g. `migrate:orders`. Lower-case kebab parts. */
  packageName: string;
  /** World name; `component` unless given. */
  worldName?: string;
  /** Fully qualified, versioned interfaces the component imports, e.g. `wasi:keyvalue/store@0.2.0-draft`. */
  imports: readonly string[];
  /**
   * Fully qualified interfaces the component exports. Defaults to `wasi:http/incoming-handler`; add
   * {@link MESSAGING_HANDLER} for a component that handles NATS messages.
   */
  exports?: readonly string[];
}

/** Where a world was written: pass these to componentize-js as `witPath` and `worldName`. */
export interface WrittenWorld {
  witPath: string;
  worldName: string;
  /** The text of `world.wit`. */
  text: string;
}

const INTERFACE_RE = /^[a-z][a-z0-9-]*:[a-z][a-z0-9-]*\/[a-z][a-z0-9-]*@[0-9A-Za-z.+-]+$/;

/**
 * Renders the minimal world for a component: only the interfaces it imports, and its exports. Pure.
 * Interfaces are sorted so the same set always gives the same text (and the same build cache key).
 */
export function renderWorld(spec: WorldSpec): string {
  const worldName = spec.worldName ?? 'component';
  const exports = spec.exports ?? [HTTP_INCOMING_HANDLER];
  for (const name of [...spec.imports, ...exports]) {
    if (!INTERFACE_RE.test(name)) {
      throw new AppError(ErrorCode.input, `not a versioned WIT interface name: ${name}`, {
        hint: 'write interfaces as namespace:package/interface@version, e.g. wasi:keyvalue/store@0.2.0-draft',
      });
    }
  }
  const lines = [`package ${spec.packageName};`, '', `world ${worldName} {`];
  for (const name of [...new Set(spec.imports)].sort()) lines.push(`  import ${name};`);
  for (const name of [...new Set(exports)].sort()) lines.push(`  export ${name};`);
  lines.push('}', '');
  return lines.join('\n');
}

/**
 * Writes `world.wit` plus every WIT package migrate ships (under `deps/`) into `dir`, ready for
 * componentize-js. Unused packages cost nothing: only the interfaces named in the world end up in the
 * component.
 */
export async function writeWorld(spec: WorldSpec, dir: string): Promise<WrittenWorld> {
  const text = renderWorld(spec);
  await mkdir(join(dir, 'deps'), { recursive: true });
  for (const entry of await readdir(WIT_PACKAGES_DIR, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      await cp(join(WIT_PACKAGES_DIR, entry.name), join(dir, 'deps', entry.name), { recursive: true });
    }
  }
  await writeFileAtomic(join(dir, 'world.wit'), text);
  return { witPath: dir, worldName: spec.worldName ?? 'component', text };
}

/** The unversioned name of an interface (`wasi:keyvalue/store@0.2.0-draft` → `wasi:keyvalue/store`). */
export function stripVersion(name: string): string {
  const at = name.indexOf('@');
  return at === -1 ? name : name.slice(0, at);
}
