/**
 * Native addons among a service's imports: packages known to ship N-API/node-gyp code (bcrypt, sharp…), and any
 * installed package that builds or downloads one (a `binding.gyp`, or `node-gyp-build`/`prebuild-install`/
 * `node-pre-gyp` in its dependencies). A component cannot load native code, so each import is a `native` effect.
 */
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/** Well-known native packages, for estates checked out without `node_modules`. */
const KNOWN_NATIVE = new Set([
  'bcrypt',
  'sharp',
  'canvas',
  'sqlite3',
  'better-sqlite3',
  'argon2',
  'node-sass',
  'grpc',
  're2',
  'leveldown',
  'bufferutil',
  'utf-8-validate',
  'cpu-features',
  'zeromq',
  'libxmljs',
  'libxmljs2',
  'kerberos',
  'fsevents',
  'usb',
  'serialport',
  '@serialport/bindings-cpp',
  'farmhash',
  'microtime',
  'deasync',
  'node-pty',
  'isolated-vm',
  'oracledb',
  'ibm_db',
  'odbc',
  'pg-native',
  'lmdb',
  'msgpackr-extract',
  'snappy',
  'lz4',
  '@tensorflow/tfjs-node',
  'onnxruntime-node',
  'robotjs',
  'ffi-napi',
  'ref-napi',
  'node-expat',
  'iconv',
  'unix-dgram',
  'heapdump',
  'weak-napi',
]);
const NATIVE_BUILDERS = [
  'node-gyp-build',
  'prebuild-install',
  'node-pre-gyp',
  '@mapbox/node-pre-gyp',
  'node-addon-api',
  'nan',
];

/** Packages native through a dependency of theirs, with why. */
const NATIVE_BY_ENGINE: Readonly<Record<string, string>> = {
  '@prisma/client':
    "Prisma's query engine is a Node-API library; a driver adapter (@prisma/adapter-pg) with the Wasm engine avoids it",
};

/**
 * Why a package is native ('known', 'binding.gyp', 'prebuild'), or undefined when it is plain JavaScript.
 * `imported` are the service's other imports: a Prisma driver adapter takes the native engine away.
 */
export function getNativeReason(
  name: string,
  searchRoots: readonly string[],
  imported: ReadonlySet<string> = new Set(),
): string | undefined {
  if (KNOWN_NATIVE.has(name)) return 'known native addon';
  const engine = NATIVE_BY_ENGINE[name];
  if (engine !== undefined)
    return [...imported].some((i) => i.startsWith('@prisma/adapter-')) ? undefined : engine;
  for (const root of searchRoots) {
    const dir = join(root, 'node_modules', name);
    if (!existsSync(join(dir, 'package.json'))) continue;
    if (existsSync(join(dir, 'binding.gyp'))) return 'builds with node-gyp (binding.gyp)';
    try {
      const pkg = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8')) as {
        gypfile?: boolean;
        dependencies?: Record<string, string>;
      };
      if (pkg.gypfile === true) return 'builds with node-gyp (gypfile)';
      const builder = NATIVE_BUILDERS.find((b) => b in (pkg.dependencies ?? {}));
      if (builder !== undefined) return `loads a prebuilt binary (${builder})`;
    } catch {
      // an unreadable manifest says nothing either way
    }
    return undefined;
  }
  return undefined;
}
