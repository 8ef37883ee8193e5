/**
 * Plans `migrate codemod <dir>`: loads the service's TypeScript into a ts-morph project, runs the transforms, and
 * returns the files to write (transformed sources, plus the facade copied into the service). Reads the disk;
 * writes nothing.
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { createTwoFilesPatch } from 'diff';
import { Project, ts } from 'ts-morph';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import { runTransforms, type CodemodResult } from './run.ts';

/**
 * The facade files copied into a transformed service, under `<src>/caps/`: the facade, `caps.redis` (shared by both
 * bindings), its Node binding, and its component binding (with its wasmcloud Postgres values and Spin variants)
 * with the wasi:http adapter, outgoing HTTP and the messaging handler export (which the ported `src/component.ts`
 * imports), and the adapters a hand-written service's express, fastify or node:http app is served through in a
 * component (the entry `migrate build` generates imports them).
 */
const FACADE_FILES = [
  'capabilities.ts',
  'redis.ts',
  'node.ts',
  'register-node.ts',
  'component.ts',
  'component-process.ts',
  'component-postgres.ts',
  'component-spin.ts',
  'component-http.ts',
  'component-fetch.ts',
  'component-messaging.ts',
  'component-app.ts',
  'component-express.ts',
  'component-fastify.ts',
  'component-node-http.ts',
] as const;

export interface PlannedWrite {
  /** Path relative to the service directory. */
  path: string;
  content: string;
}

export interface CodemodPlan {
  root: string;
  /** The facade folder, relative to root (`src/caps`). */
  facadeDir: string;
  result: CodemodResult;
  /** Facade files to create or refresh (empty when nothing was transformed or they are current). */
  facadeWrites: PlannedWrite[];
  /** Every file to write: transformed sources, then facade files. */
  writes: PlannedWrite[];
  /** Unified diff of all writes (new files against /dev/null). */
  diff: string;
}

function readFacadeSource(name: string): string {
  return readFileSync(new URL(`../facade/${name}`, import.meta.url), 'utf8');
}

/** Folders that hold no service source: dependencies, build output, coverage. */
const NOT_SOURCE = ['node_modules', 'dist', 'build', 'coverage', '.next'];

/** Every TypeScript and JavaScript file under `root`, minus declaration files and the folders above. */
function getSourceGlobs(root: string): string[] {
  return [
    `${root}/**/*.{ts,tsx,mts,cts,js,jsx,mjs,cjs}`,
    `!${root}/**/*.d.ts`,
    ...NOT_SOURCE.map((folder) => `!${root}/**/${folder}/**`),
  ];
}

/** The tsconfig files a solution-style tsconfig (`files: []` + `references`) points at. */
function getReferencedConfigs(tsconfig: string): string[] {
  const parsed = ts.readConfigFile(tsconfig, (path) => ts.sys.readFile(path));
  const references = (parsed.config as { references?: { path?: unknown }[] } | undefined)?.references ?? [];
  return references.flatMap(({ path }) => {
    if (typeof path !== 'string') return [];
    const target = resolve(dirname(tsconfig), path);
    const file = target.endsWith('.json') ? target : join(target, 'tsconfig.json');
    return existsSync(file) ? [file] : [];
  });
}

/**
 * The service as one ts-morph project, JavaScript included (`allowJs`): its own tsconfig's options when it has one
 * (for a solution-style tsconfig, the first referenced project's), and every source file under the service root,
 * whatever the tsconfig's `include`/`files` say: a file the tsconfig leaves out still runs.
 */
function loadProject(root: string): Project {
  const tsconfig = join(root, 'tsconfig.json');
  let options: ts.CompilerOptions = { strict: true };
  if (existsSync(tsconfig)) {
    const [referenced] = getReferencedConfigs(tsconfig);
    const config = referenced ?? tsconfig;
    const parsed = ts.getParsedCommandLineOfConfigFile(
      config,
      {},
      {
        ...ts.sys,
        onUnRecoverableConfigFileDiagnostic: () => undefined,
      },
    );
    if (parsed !== undefined) options = parsed.options;
  }
  const project = new Project({ compilerOptions: { ...options, allowJs: true, noEmit: true } });
  project.addSourceFilesAtPaths(getSourceGlobs(root));
  project.resolveSourceFileDependencies();
  return project;
}

/** Where the facade copy goes, relative to the service root: `src/caps` when the service has src/, else `caps`. */
export function getFacadeDir(root: string): string {
  return existsSync(join(root, 'src')) ? 'src/caps' : 'caps';
}

/** Loads `dir`, runs every transform and returns what `migrate codemod` would write. */
export function loadCodemodPlan(dir: string): CodemodPlan {
  const root = resolve(dir);
  if (!existsSync(root)) {
    throw new AppError(ErrorCode.notFound, `no directory ${dir}`, { hint: 'pass the service directory' });
  }
  const facadeDir = getFacadeDir(root);
  const facadeRoot = join(root, facadeDir);
  const project = loadProject(root);
  const result = runTransforms(project, {
    facadePath: join(facadeRoot, 'capabilities.ts'),
    root,
    exclude: [`${facadeRoot}/`],
  });
  const changed = result.files.filter((f) => f.before !== f.after);
  const facadeWrites: PlannedWrite[] = [];
  if (changed.length > 0 || existsSync(facadeRoot)) {
    for (const name of FACADE_FILES) {
      const path = join(facadeRoot, name);
      const content = readFacadeSource(name);
      if (!existsSync(path) || readFileSync(path, 'utf8') !== content) {
        facadeWrites.push({ path: `${facadeDir}/${name}`, content });
      }
    }
  }
  const writes = [...changed.map((f) => ({ path: f.path, content: f.after })), ...facadeWrites];
  const facadeDiffs = facadeWrites.map((w) => {
    const before = existsSync(join(root, w.path)) ? readFileSync(join(root, w.path), 'utf8') : '';
    return createTwoFilesPatch(before === '' ? '/dev/null' : `a/${w.path}`, `b/${w.path}`, before, w.content);
  });
  const diff = [...changed.map((f) => f.diff), ...facadeDiffs].join('');
  return { root, facadeDir, result, facadeWrites, writes, diff };
}
