// Pack the project as npm would publish it and install the tarball globally into a throw-away prefix, the way a
// user runs `npm install -g wasm-migrate`. Slow parts (npm's download cache, Node 22, installs of an unchanged
// tarball) are cached in the OS temp dir under a folder keyed by the lock file's hash, so re-runs are fast.
import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { existsSync, realpathSync } from 'node:fs';
import {
  cp,
  mkdir,
  mkdtemp,
  readdir,
  readFile,
  rename,
  rm,
  stat,
  symlink,
  writeFile,
} from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { delimiter, dirname, join } from 'node:path';
import { promisify } from 'node:util';

const exec = promisify(execFile);
export const ROOT = join(import.meta.dirname, '../..');
const DONE = '.complete';
const DAY_MS = 24 * 60 * 60 * 1000;
/** An install of another tarball (~600 MB) goes once no run can still be using it. */
const STALE_INSTALL_MS = 30 * 60 * 1000;

/** An environment without npm's script variables (the test may run under `npm test`) and with `bins` first. */
export function cleanEnv(bins: readonly string[]): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [key, value] of Object.entries(process.env)) {
    if (!/^npm_/i.test(key) && key !== 'NODE_OPTIONS' && !key.startsWith('VITEST')) env[key] = value;
  }
  // never the project's node_modules/.bin: the installed bin must work without the dev install
  const rest = (process.env.PATH ?? '')
    .split(delimiter)
    .filter((dir) => dir !== '' && !dir.includes('node_modules'));
  env.PATH = [...bins, ...rest].join(delimiter);
  env.NO_COLOR = '1';
  return env;
}

async function sha256(path: string): Promise<string> {
  return createHash('sha256')
    .update(await readFile(path))
    .digest('hex')
    .slice(0, 16);
}

/** The cache folder for this lock file; removes those of other lock files untouched for a day. */
export async function openCache(): Promise<string> {
  const name = 'wasm-migrate-install-test-';
  const dir = join(tmpdir(), `${name}${await sha256(join(ROOT, 'package-lock.json'))}`);
  for (const entry of await readdir(tmpdir())) {
    const other = join(tmpdir(), entry);
    if (!entry.startsWith(name) || other === dir) continue;
    if (Date.now() - (await stat(other)).mtimeMs > DAY_MS) await rm(other, { recursive: true, force: true });
  }
  await mkdir(dir, { recursive: true });
  return dir;
}

/**
 * Fills `target` once: `fill` works in a fresh sibling folder that is renamed into place when it succeeded, so a
 * failed or concurrent run never leaves a half-filled cache entry behind.
 */
async function once(target: string, fill: (dir: string) => Promise<void>): Promise<string> {
  if (existsSync(join(target, DONE))) return target;
  const work = await mkdtemp(`${target}.tmp-`);
  try {
    await fill(work);
    await writeFile(join(work, DONE), '');
    await rename(work, target).catch((error: unknown) => {
      if (!existsSync(join(target, DONE))) throw error; // another run filled it first: use theirs
    });
  } finally {
    await rm(work, { recursive: true, force: true });
  }
  return target;
}

/**
 * The dist/ the test command's build step made in this run with `npm run prepack` (it sets MIGRATE_TEST_PREPACKED
 * to the checkout it built), or undefined: then the pack runs prepack itself.
 */
function getPrepackedDist(): string | undefined {
  const root = process.env['MIGRATE_TEST_PREPACKED'];
  return root !== undefined && realpathSync(root) === realpathSync(ROOT) && existsSync(join(ROOT, 'dist'))
    ? join(ROOT, 'dist')
    : undefined;
}

/**
 * `npm pack` of a copy of the sources (so the build it triggers through `prepack` never rewrites the dist/ that
 * other tests of this checkout read). When the test command already ran prepack in this checkout, its dist/ is
 * packed as it is (`--ignore-scripts`) instead of compiling the same files again. Returns the tarball's path.
 */
export async function packProject(work: string): Promise<string> {
  const source = join(work, 'source');
  const build = JSON.parse(await readFile(join(ROOT, 'tsconfig.build.json'), 'utf8')) as {
    include: string[];
  };
  const entries = [
    ...build.include,
    'runtimes', // the runtimes' host worlds, copied into dist/ by the build
    'bin',
    'scripts/copy-assets.ts',
    'package.json',
    'package-lock.json',
    'README.md',
    'tsconfig.json',
    'tsconfig.build.json',
  ];
  for (const entry of entries) {
    if (!existsSync(join(ROOT, entry))) continue; // a stage not built yet
    await cp(join(ROOT, entry), join(source, entry), {
      recursive: true,
      filter: (from) => !/[/\\](node_modules|dist|\.cache)$/.test(from),
    });
  }
  await symlink(realpathSync(join(ROOT, 'node_modules')), join(source, 'node_modules'));
  const prepacked = getPrepackedDist();
  if (prepacked !== undefined) await cp(prepacked, join(source, 'dist'), { recursive: true });
  const out = join(work, 'pack');
  await mkdir(out);
  const args = ['pack', '--pack-destination', out, '--no-audit', '--no-fund'];
  await exec('npm', prepacked === undefined ? args : [...args, '--ignore-scripts'], {
    cwd: source,
    env: cleanEnv([join(ROOT, 'node_modules/.bin')]),
    maxBuffer: 64 * 1024 * 1024,
  });
  const tarballs = (await readdir(out)).filter((name) => name.endsWith('.tgz'));
  if (tarballs.length !== 1) throw new Error(`npm pack made ${tarballs.join(', ') || 'no tarball'}`);
  return join(out, tarballs[0]!);
}

/** Node 22 from the npm registry (`npm install node@22`), installed once per cache. Returns its bin folder. */
export async function installNode22(cache: string): Promise<string> {
  const dir = await once(join(cache, 'node22'), async (work) => {
    await exec('npm', ['install', 'node@22', '--prefix', work, '--cache', join(cache, 'npm-cache')], {
      cwd: work,
      env: cleanEnv([]),
      maxBuffer: 64 * 1024 * 1024,
    });
  });
  return join(dir, 'node_modules/.bin');
}

/**
 * `npm install -g <tarball> --prefix <dir>` run by the given Node (npm and the dependencies' install scripts run
 * with it). The same tarball is installed once per Node; installs of other tarballs older than 30 minutes go.
 * Returns the prefix's bin folder, which holds `migrate`.
 */
export async function installGlobally(cache: string, tarball: string, nodeBin: string): Promise<string> {
  const major = (
    await exec(join(nodeBin, 'node'), ['-p', 'process.versions.node.split(".")[0]'])
  ).stdout.trim();
  const name = `install-node${major}-`;
  const target = join(cache, `${name}${await sha256(tarball)}`);
  for (const entry of await readdir(cache)) {
    const other = join(cache, entry);
    if (!entry.startsWith(name) || other === target || entry.includes('.tmp-')) continue;
    if (Date.now() - (await stat(other)).mtimeMs > STALE_INSTALL_MS)
      await rm(other, { recursive: true, force: true });
  }
  const prefix = await once(target, async (work) => {
    const args = ['install', '-g', tarball, '--prefix', work, '--cache', join(cache, 'npm-cache')];
    await exec('npm', [...args, '--prefer-offline', '--no-audit', '--no-fund'], {
      cwd: dirname(tarball),
      env: cleanEnv([nodeBin]),
      maxBuffer: 64 * 1024 * 1024,
    });
  });
  return join(prefix, 'bin');
}
