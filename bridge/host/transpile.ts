import { createHash, randomUUID } from 'node:crypto';
import { mkdir, readFile, rename, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { AppError, ErrorCode, wrapError } from '../../shared/errors.ts';
import { ensurePreopens } from '../../shared/wasm-preopens.ts';
import { CAPABILITY_FUNCTIONS } from './guest-imports.ts';

/**
 * How the host runs a component (the host config's `limits.mode`): `worker` (instances in worker threads whose
 * capability calls block) or `jspi` (instances in the host's own thread whose capability calls suspend them).
 */
export type GuestMode = 'worker' | 'jspi';

/** A component transpiled by jco and cached on disk by content hash. */
export interface TranspiledComponent {
  hash: string;
  dir: string;
  /** file: URL of `component.js`. */
  jsUrl: string;
  /** Core module file names in `dir`. */
  coreModules: string[];
  /** Imports as the component declares them (versioned), sorted. */
  imports: string[];
  exports: string[];
}

interface Manifest {
  coreModules: string[];
  imports: string[];
  exports: string[];
}

const TRANSPILE_VERSION = 'jco-1.35.0-sync-v1';
const TRANSPILE_VERSION_JSPI = 'jco-1.35.0-jspi-v1';

export function getDefaultTranspileCacheDir(): string {
  return join(tmpdir(), 'migrate-host-cache');
}

/**
 * The functions jco's JSPI mode makes async (`WebAssembly.Suspending` imports, `WebAssembly.promising`
 * exports) for a component with these imports: every capability function it imports, and every export. Pure.
 */
export function resolveAsyncFunctions(imports: readonly string[]): { imports: string[]; exports: string[] } {
  const asyncImports = imports.flatMap((name) =>
    (CAPABILITY_FUNCTIONS[name.split('@')[0]!] ?? []).map((fn) => `${name}#${fn}`),
  );
  return { imports: asyncImports, exports: ['*'] };
}

/**
 * Transpiles a component with jco (instantiation mode `sync`, so the host passes the imports) once per
 * content hash and mode; later loads read the cached folder. `jspi` mode makes capability imports and the
 * exports async (see resolveAsyncFunctions).
 */
export async function transpileComponentCached(
  bytes: Uint8Array,
  cacheDir = getDefaultTranspileCacheDir(),
  mode: GuestMode = 'worker',
): Promise<TranspiledComponent> {
  const hash = createHash('sha256')
    .update(mode === 'jspi' ? TRANSPILE_VERSION_JSPI : TRANSPILE_VERSION)
    .update(bytes)
    .digest('hex');
  const dir = join(cacheDir, hash);
  const manifestPath = join(dir, 'manifest.json');
  try {
    const manifest = JSON.parse(await readFile(manifestPath, 'utf8')) as Manifest;
    return { hash, dir, jsUrl: pathToFileURL(join(dir, 'component.js')).href, ...manifest };
  } catch {
    // not cached yet
  }
  await ensurePreopens();
  const jco = await import('@bytecodealliance/jco');
  let files: Record<string, Uint8Array>;
  let wit: string;
  try {
    wit = await jco.componentWit(bytes);
    const asyncFunctions = resolveAsyncFunctions(pickInterfaces(wit, 'import'));
    ({ files } = await jco.transpile(bytes, {
      name: 'component',
      instantiation: 'sync',
      noTypescript: true,
      quiet: true,
      ...(mode === 'jspi'
        ? { asyncMode: 'jspi', asyncImports: asyncFunctions.imports, asyncExports: asyncFunctions.exports }
        : {}),
    }));
  } catch (error) {
    throw wrapError(
      ErrorCode.build,
      'jco cannot transpile the component',
      error,
      'check that the file is a WebAssembly component built by componentize-js',
    );
  }
  const manifest: Manifest = {
    coreModules: Object.keys(files)
      .filter((name) => name.endsWith('.wasm'))
      .sort(),
    imports: pickInterfaces(wit, 'import'),
    exports: pickInterfaces(wit, 'export'),
  };
  // Unique per call: components load side by side, and two may be the same .wasm.
  const staging = `${dir}.${process.pid}.${randomUUID()}.tmp`;
  await mkdir(staging, { recursive: true });
  for (const [name, content] of Object.entries(files)) {
    let data: Uint8Array | string = content;
    // jco's glue checks process.env.JCO_DEBUG on every step (~15% per call): fold it to false.
    if (name === 'component.js') {
      data = new TextDecoder().decode(content).replaceAll('globalThis?.process?.env?.JCO_DEBUG', 'false');
    }
    await mkdir(dirname(join(staging, name)), { recursive: true });
    await writeFile(join(staging, name), data);
  }
  await writeFile(join(staging, 'package.json'), '{"type":"module"}\n');
  await writeFile(join(staging, 'manifest.json'), JSON.stringify(manifest));
  try {
    await rename(staging, dir);
  } catch {
    await rm(staging, { recursive: true, force: true }); // another process won the race; its copy is equal
  }
  return { hash, dir, jsUrl: pathToFileURL(join(dir, 'component.js')).href, ...manifest };
}

/** The interfaces (versioned) a component's WIT imports or exports, sorted. Pure. */
function pickInterfaces(wit: string, kind: 'import' | 'export'): string[] {
  return [
    ...wit.matchAll(new RegExp(`^\\s*${kind}\\s+([a-z0-9-]+:[a-z0-9-]+/[a-z0-9-]+(?:@[^;\\s]+)?);`, 'gm')),
  ]
    .map((match) => match[1]!)
    .sort();
}

/**
 * Compiles the core modules once; workers receive the compiled modules. `memoryMb` caps every linear memory
 * the modules define (the engine's heap lives there, outside V8's heap limits), so a guest that allocates
 * without bound fails to grow and traps instead of eating the machine.
 */
// tsconfig's lib has no DOM/WebAssembly values; Node has them.
const wasmApi = (
  globalThis as unknown as { WebAssembly: { compile(bytes: Uint8Array): Promise<WebAssembly.Module> } }
).WebAssembly;

export async function compileCoreModules(
  component: TranspiledComponent,
  memoryMb: number,
): Promise<Record<string, WebAssembly.Module>> {
  const modules: Record<string, WebAssembly.Module> = {};
  for (const name of component.coreModules) {
    const bytes = new Uint8Array(await readFile(join(component.dir, name)));
    try {
      modules[name] = await wasmApi.compile(
        limitMemory(bytes, Math.max(1, Math.floor((memoryMb * 1024 * 1024) / 65536))),
      );
    } catch (error) {
      throw new AppError(ErrorCode.build, `cannot compile core module ${name}: ${(error as Error).message}`, {
        cause: error,
      });
    }
  }
  return modules;
}

function readLeb(bytes: Uint8Array, offset: number): [number, number] {
  let result = 0;
  let shift = 0;
  let position = offset;
  for (;;) {
    const byte = bytes[position]!;
    position += 1;
    result += (byte & 0x7f) * 2 ** shift;
    shift += 7;
    if ((byte & 0x80) === 0) return [result, position];
  }
}

function writeLeb(value: number): number[] {
  const out: number[] = [];
  let rest = value;
  do {
    let byte = rest % 128;
    rest = Math.floor(rest / 128);
    if (rest !== 0) byte |= 0x80;
    out.push(byte);
  } while (rest !== 0);
  return out;
}

/** Rewrites the memory section so every defined 32-bit memory has `max ≤ maxPages`. Pure. */
export function limitMemory(bytes: Uint8Array, maxPages: number): Uint8Array {
  let offset = 8;
  while (offset < bytes.length) {
    const id = bytes[offset]!;
    const [size, bodyStart] = readLeb(bytes, offset + 1);
    const bodyEnd = bodyStart + size;
    if (id === 5) {
      let [count, p] = readLeb(bytes, bodyStart);
      const body: number[] = [...writeLeb(count)];
      for (; count > 0; count -= 1) {
        const flags = bytes[p]!;
        if (flags & 0x04) return bytes; // memory64: leave alone
        const [min, afterMin] = readLeb(bytes, p + 1);
        p = afterMin;
        let max = maxPages;
        if (flags & 0x01) {
          const [oldMax, afterMax] = readLeb(bytes, p);
          p = afterMax;
          max = Math.min(oldMax, maxPages);
        }
        body.push(flags | 0x01, ...writeLeb(min), ...writeLeb(Math.max(min, max)));
      }
      const section = [5, ...writeLeb(body.length), ...body];
      const out = new Uint8Array(offset + section.length + (bytes.length - bodyEnd));
      out.set(bytes.subarray(0, offset), 0);
      out.set(section, offset);
      out.set(bytes.subarray(bodyEnd), offset + section.length);
      return out;
    }
    offset = bodyEnd;
  }
  return bytes;
}
