// The published package, as a user gets it: `npm pack` (prepack builds dist/; in the test command, which ran
// prepack just before, the pack takes that dist/ as it is), then `npm install -g <tarball>
// --prefix <tmp>`, then the `migrate` bin of that install on Node 22 and Node 24. Slow the first time on a machine
// (npm downloads the dependencies and Node 22); the cache in the OS temp dir makes re-runs fast.
import { execFile } from 'node:child_process';
import { builtinModules } from 'node:module';
import { mkdir, mkdtemp, readdir, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { ts } from 'ts-morph';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cleanEnv,
  installGlobally,
  installNode22,
  openCache,
  packProject,
  ROOT,
} from '../helpers/pack-install.ts';

const exec = promisify(execFile);
const MINUTES = 60_000;

interface Manifest {
  name: string;
  version: string;
  bin: Record<string, string>;
  dependencies: Record<string, string>;
}

/** Bare package names a compiled file imports (static, dynamic and require; strings in generated code are not imports). */
function importedPackages(code: string): string[] {
  const found = new Set<string>();
  for (const { fileName } of ts.preProcessFile(code, true, true).importedFiles) {
    // relative files, node: builtins, and WIT imports (wasi:http/types…) of the guest-side facade files
    if (fileName.startsWith('.') || fileName.startsWith('/') || /^[a-z][\w-]*:/.test(fileName)) continue;
    const [scope, name] = fileName.split('/');
    found.add(fileName.startsWith('@') ? `${scope}/${name}` : scope!);
  }
  return [...found];
}

async function listFiles(dir: string, prefix = ''): Promise<string[]> {
  const entries = await readdir(dir, { recursive: true, withFileTypes: true });
  return entries
    .filter((entry) => entry.isFile())
    .map((entry) => join(entry.parentPath, entry.name).slice(dir.length + 1))
    .map((path) => prefix + path)
    .sort();
}

describe('the npm package (pack, then a global install)', () => {
  let work = '';
  let cache = '';
  let tarball = '';
  let manifest: Manifest;

  beforeAll(async () => {
    manifest = JSON.parse(await readFile(join(ROOT, 'package.json'), 'utf8')) as Manifest;
    cache = await openCache();
    work = await mkdtemp(join(tmpdir(), 'migrate-pack-'));
    tarball = await packProject(work);
  }, 15 * MINUTES);

  afterAll(async () => {
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('names the package wasm-migrate with a migrate bin and no private flag', () => {
    expect(manifest.name).toBe('wasm-migrate');
    expect(manifest.bin).toEqual({ migrate: 'bin/migrate.js' });
    expect(manifest).not.toHaveProperty('private');
    expect(tarball).toMatch(/wasm-migrate-\d+\.\d+\.\d+\.tgz$/);
  });

  it('packs the compiled CLI, its run-time assets and no sources, tests or source maps', async () => {
    const unpacked = join(work, 'unpacked');
    await mkdir(unpacked);
    await exec('tar', ['-xzf', tarball, '-C', unpacked]);
    const files = await listFiles(join(unpacked, 'package'));
    expect(files).toEqual(
      expect.arrayContaining([
        'README.md',
        'bin/migrate.js',
        'dist/cli/main.js',
        'dist/analyzer/index.js',
        'package.json',
      ]),
    );
    expect(files.some((file) => file.startsWith('dist/codemods/wit/packages/'))).toBe(true);
    expect(files.some((file) => file.startsWith('dist/codemods/facade/') && file.endsWith('.ts'))).toBe(true);
    expect(files.filter((file) => /^(cli|test|samples|bench|scripts)\//.test(file))).toEqual([]);
    expect(files.filter((file) => file.endsWith('.map'))).toEqual([]);

    // every package the compiled code imports is a run-time dependency (a devDependency is absent after install)
    const builtins = new Set(builtinModules);
    const missing = new Set<string>();
    for (const file of files.filter((f) => f.endsWith('.js'))) {
      const code = await readFile(join(unpacked, 'package', file), 'utf8');
      for (const name of importedPackages(code)) {
        if (!builtins.has(name) && !(name in manifest.dependencies)) missing.add(`${name} (${file})`);
      }
    }
    // componentize-qjs: the optional QuickJS backend (bench only), a dependency of @bytecodealliance/jco
    missing.forEach((entry) => entry.startsWith('componentize-qjs ') && missing.delete(entry));
    expect([...missing]).toEqual([]);
  });

  // One install (the package's files are plain JavaScript plus N-API addons, the same for every Node), made by
  // the oldest Node the package supports, then its bin run by each Node: an install per Node doubled the minutes.
  let prefixBin = '';
  beforeAll(async () => {
    prefixBin = await installGlobally(cache, tarball, await installNode22(cache));
  }, 20 * MINUTES);

  const nodes: { label: string; bin: () => Promise<string> }[] = [
    { label: 'Node 22 (from npm)', bin: () => installNode22(cache) },
    {
      label: 'Node 24 (the dev dependency)',
      bin: () => Promise.resolve(join(ROOT, 'node_modules/node/bin')),
    },
  ];
  describe.each(nodes)('installed with npm install -g, run on $label', ({ label, bin }) => {
    let env: NodeJS.ProcessEnv = {};

    beforeAll(async () => {
      env = cleanEnv([prefixBin, await bin()]);
    });

    it(
      'runs the migrate bin on that Node',
      async () => {
        const node = await exec('node', ['--version'], { env });
        expect(node.stdout).toMatch(label.includes('22') ? /^v22\./ : /^v24\./);
        const { stdout } = await exec('migrate', ['--version'], { env, cwd: tmpdir() });
        expect(stdout.trim()).toBe(manifest.version);
      },
      2 * MINUTES,
    );

    it(
      'analyzes the reference estate',
      async () => {
        const { stdout } = await exec('migrate', ['analyze', 'samples/spring-orders'], {
          env,
          cwd: ROOT,
          maxBuffer: 16 * 1024 * 1024,
        });
        expect(stdout).toMatch(/^Estate spring-orders: 4 services/);
        for (const service of ['order', 'inventory', 'product', 'notification'])
          expect(stdout).toContain(`${service}-service`);
      },
      5 * MINUTES,
    );

    it(
      'exits 2 with a hint and no stack trace on an unknown command',
      async () => {
        const failed = await exec('migrate', ['frobnicate'], { env, cwd: tmpdir() }).catch(
          (error: { code: number; stderr: string }) => error,
        );
        expect(failed).toMatchObject({ code: 2 });
        expect((failed as { stderr: string }).stderr).toMatch(/error MIG_USAGE[\s\S]*hint: /);
        expect((failed as { stderr: string }).stderr).not.toMatch(/\n\s+at /);
      },
      2 * MINUTES,
    );
  });
});
