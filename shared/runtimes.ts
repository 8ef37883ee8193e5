/**
 * The real Wasm runtimes migrate builds for, each defined by its own host world: the WIT the runtime ships,
 * copied unchanged under `runtimes/<id>/`. These files, not the capability catalog, are the truth a built
 * component is checked against (codemods/build/link-check.ts); the catalog's per-target pins are taken from them.
 */
import { fileURLToPath } from 'node:url';

/** Where the runtimes' WIT folders are (`runtimes/` at the package root; `dist/runtimes/` when compiled). */
export const RUNTIMES_DIR = fileURLToPath(new URL('../runtimes/', import.meta.url));

/** A real runtime's target names (`migrate build --target`); `embedded` (migrate's host) is not one. */
export const REAL_TARGETS = ['wasmcloud', 'spin', 'spin4'] as const;
export type RealTarget = (typeof REAL_TARGETS)[number];

export interface Runtime {
  /** Folder under `runtimes/`, e.g. `wasmcloud-2.7`. */
  id: string;
  target: RealTarget;
  /** Shown to users: `wasmCloud 2.x`. */
  label: string;
  /** The WIT package holding the host worlds, e.g. `wasmcloud:runtime@0.1.0`. */
  package: string;
  /** The worlds whose imports the runtime serves (wasmCloud: one per built-in host plugin). */
  worlds: readonly string[];
  /** Where the WIT comes from. */
  source: string;
}

export const RUNTIMES: readonly Runtime[] = [
  {
    id: 'wasmcloud-2.7',
    target: 'wasmcloud',
    label: 'wasmCloud 2.x',
    package: 'wasmcloud:runtime@0.1.0',
    worlds: [
      'http-server',
      'config',
      'secrets',
      'logging',
      'keyvalue',
      'blobstore',
      'messaging',
      'postgres',
      'async-blobstore',
      'async-keyvalue',
      'async-postgres',
      'async-messaging',
      'otel',
    ],
    source: 'wasmCloud/wasmCloud after runtime-operator/v2.7.0 (7cd553cc), crates/wash-runtime/wit/',
  },
  {
    id: 'spin-3.6.3',
    target: 'spin',
    label: 'Spin 3.6.3 (SpinKube)',
    package: 'spin:up@3.6.0',
    worlds: ['platform'],
    source: 'spinframework/spin v3.6.3 (bd5f6c4b), wit/; what containerd-shim-spin v0.24.0 embeds',
  },
  {
    id: 'spin-4.0.2',
    target: 'spin4',
    label: 'Spin 4.0.2',
    package: 'spin:up@4.0.0',
    worlds: ['platform'],
    source: 'spinframework/spin v4.0.2 (9ca0ded5), wit/',
  },
];

/** The runtime of a real target. */
export function getRuntime(target: RealTarget): Runtime {
  return RUNTIMES.find((runtime) => runtime.target === target)!;
}

export function isRealTarget(target: string): target is RealTarget {
  return (REAL_TARGETS as readonly string[]).includes(target);
}

/**
 * WASI 0.2 interfaces that Wasmtime itself serves in every runtime (wasmtime-wasi and wasmtime-wasi-http, what
 * `add_wasip2`/`add_wasi_http` define), at its own 0.2.x version; any 0.2.x import links by semver.
 */
export const WASMTIME_WASI_P2: readonly string[] = [
  'wasi:cli/environment',
  'wasi:cli/exit',
  'wasi:cli/stdin',
  'wasi:cli/stdout',
  'wasi:cli/stderr',
  'wasi:cli/terminal-input',
  'wasi:cli/terminal-output',
  'wasi:cli/terminal-stdin',
  'wasi:cli/terminal-stdout',
  'wasi:cli/terminal-stderr',
  'wasi:clocks/monotonic-clock',
  'wasi:clocks/wall-clock',
  'wasi:filesystem/types',
  'wasi:filesystem/preopens',
  'wasi:io/error',
  'wasi:io/poll',
  'wasi:io/streams',
  'wasi:random/random',
  'wasi:random/insecure',
  'wasi:random/insecure-seed',
  'wasi:sockets/network',
  'wasi:sockets/instance-network',
  'wasi:sockets/udp',
  'wasi:sockets/udp-create-socket',
  'wasi:sockets/tcp',
  'wasi:sockets/tcp-create-socket',
  'wasi:sockets/ip-name-lookup',
  'wasi:http/types',
  'wasi:http/outgoing-handler',
];
