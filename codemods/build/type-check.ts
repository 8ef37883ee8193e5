/**
 * Type-checks a TypeScript project in-process with migrate's own compiler and type declarations: the project is
 * mounted (for the compiler only) inside migrate's package folder, so a bare import (`pg`, `nats`) or `types:
 * ['node']` the project's own `node_modules` lacks resolves to migrate's. Nothing is installed in the project.
 */
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { getLibFiles } from '@ts-morph/common';
import { ts } from 'ts-morph';

/** One compiler error, at a path relative to the project root (1-based line and column). */
export interface TypeCheckError {
  file: string;
  line: number;
  column: number;
  code: number;
  message: string;
}

export interface TypeCheckResult {
  /** False when there was no tsconfig.json to check against (`reason` says so). */
  checked: boolean;
  reason?: string;
  /** Files the compiler checked (project files, not declarations). */
  files: number;
  errors: TypeCheckError[];
}

/** Where project files are read from: a folder on disk, or the files a port is about to write. */
interface ProjectFiles {
  /** The text of a file (path relative to the root, `/`-separated), or undefined. */
  read(path: string): string | undefined;
  /** The names of the files and folders directly in a folder ('' is the root). */
  entries(path: string): FileSystemEntries;
}

interface FileSystemEntries {
  files: readonly string[];
  directories: readonly string[];
}

type MatchFiles = (
  path: string,
  extensions: readonly string[] | undefined,
  excludes: readonly string[] | undefined,
  includes: readonly string[] | undefined,
  useCaseSensitiveFileNames: boolean,
  currentDirectory: string,
  depth: number | undefined,
  getFileSystemEntries: (path: string) => FileSystemEntries,
  realpath: (path: string) => string,
) => string[];

/**
 * The compiler's own include/exclude matcher (what `tsc -p` uses), over any file system. Not in the public
 * typings, but exported by every TypeScript release since 2.0.
 */
const matchFiles = (ts as unknown as { matchFiles: MatchFiles }).matchFiles;

let packageRoot: string | undefined;
let libFiles: Map<string, string> | undefined;
const declarations = new Map<string, ts.SourceFile>();

/**
 * The compiler's lib.*.d.ts by path: ts-morph's TypeScript ships them in memory, not beside its compiler, so
 * they are served at the folder where the compiler looks for them.
 */
function getLibFileMap(): Map<string, string> {
  const folder = dirname(ts.getDefaultLibFilePath({}));
  libFiles ??= new Map(getLibFiles().map((f) => [join(folder, f.fileName), f.text]));
  return libFiles;
}

/** migrate's own package folder: the nearest folder above this file with a package.json and node_modules. */
function getPackageRoot(): string {
  if (packageRoot !== undefined) return packageRoot;
  let dir = import.meta.dirname;
  while (!existsSync(join(dir, 'package.json')) || !existsSync(join(dir, 'node_modules'))) {
    const parent = dirname(dir);
    if (parent === dir) return (packageRoot = import.meta.dirname);
    dir = parent;
  }
  return (packageRoot = dir);
}

/** The files and folders in `dir` on disk (a symlink counts as what it points at). */
function readEntries(dir: string): FileSystemEntries {
  const files: string[] = [];
  const directories: string[] = [];
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return { files, directories };
  }
  for (const name of names) {
    const stats = statSync(join(dir, name), { throwIfNoEntry: false });
    if (stats?.isDirectory()) directories.push(name);
    else if (stats?.isFile()) files.push(name);
  }
  return { files, directories };
}

/**
 * Checks the project against `configPath` (relative to the root). A solution-style tsconfig (`files: []` and
 * `references`) lists no files itself: the projects it references are checked instead, as `tsc -b` would.
 */
function checkProject(
  project: ProjectFiles,
  ignore: readonly string[] = [],
  configPath = 'tsconfig.json',
  depth = 0,
): TypeCheckResult {
  const configText = project.read(configPath);
  if (configText === undefined) {
    return {
      checked: false,
      reason: 'no tsconfig.json: add one to have migrate type-check the project',
      files: 0,
      errors: [],
    };
  }
  // A folder that cannot clash with a real one: the mount point exists only for the compiler.
  const mount = join(getPackageRoot(), 'node_modules', '.migrate-typecheck', 'project');
  const inMount = (path: string): string | undefined => {
    if (path === mount) return '';
    return path.startsWith(mount + sep) ? relative(mount, path).split(sep).join('/') : undefined;
  };
  const configFile = join(mount, configPath);
  const config = ts.parseConfigFileTextToJson(configFile, configText);
  const entries = (path: string): FileSystemEntries => {
    const rel = inMount(path);
    return rel === undefined ? readEntries(path) : project.entries(rel);
  };
  const libs = getLibFileMap();
  const readFile = (path: string): string | undefined => {
    const rel = inMount(path);
    if (rel !== undefined) return project.read(rel);
    return libs.get(path) ?? ts.sys.readFile(path);
  };
  const fileExists = (path: string): boolean => {
    const rel = inMount(path);
    if (rel !== undefined) return project.read(rel) !== undefined;
    return libs.has(path) || ts.sys.fileExists(path);
  };
  const parseHost: ts.ParseConfigHost = {
    useCaseSensitiveFileNames: true,
    fileExists,
    readFile,
    readDirectory: (root, extensions, excludes, includes, depth) =>
      matchFiles(root, extensions, excludes, includes, true, mount, depth, entries, (p) => p),
  };
  const parsed = ts.parseJsonConfigFileContent(config.config ?? {}, parseHost, dirname(configFile));
  const references = (parsed.projectReferences ?? []).flatMap((r) => {
    const target = inMount(r.path.endsWith('.json') ? r.path : join(r.path, 'tsconfig.json'));
    return target === undefined || project.read(target) === undefined ? [] : [target];
  });
  if (parsed.fileNames.length === 0 && references.length > 0 && depth < 4) {
    const results = references.map((r) => checkProject(project, ignore, r, depth + 1));
    return {
      checked: true,
      files: results.reduce((sum, r) => sum + r.files, 0),
      errors: results.flatMap((r) => r.errors),
    };
  }
  const fileNames = parsed.fileNames.filter((path) => !ignore.includes(inMount(path) ?? ''));
  const options: ts.CompilerOptions = { ...parsed.options, noEmit: true };
  const host = ts.createCompilerHost(options, true);
  const getSourceFile = host.getSourceFile.bind(host);
  host.fileExists = fileExists;
  host.readFile = readFile;
  host.directoryExists = (path) => {
    const rel = inMount(path);
    if (rel === undefined) return ts.sys.directoryExists(path);
    if (rel === '') return true;
    const parent = rel.includes('/') ? rel.slice(0, rel.lastIndexOf('/')) : '';
    return project.entries(parent).directories.includes(rel.slice(rel.lastIndexOf('/') + 1));
  };
  host.getDirectories = (path) => [...entries(path).directories];
  host.realpath = (path) => (inMount(path) === undefined ? (ts.sys.realpath?.(path) ?? path) : path);
  host.getSourceFile = (fileName, language, onError, shouldCreate) => {
    const rel = inMount(fileName);
    if (rel !== undefined) {
      const text = project.read(rel);
      return text === undefined ? undefined : ts.createSourceFile(fileName, text, language);
    }
    // Declarations outside the project (lib, @types, packages) do not change between checks: parsed once.
    const key = `${fileName}\0${JSON.stringify(language)}`;
    let file = declarations.get(key);
    if (file === undefined) {
      const text = libs.get(fileName);
      file =
        text === undefined
          ? getSourceFile(fileName, language, onError, shouldCreate)
          : ts.createSourceFile(fileName, text, language);
      if (file !== undefined) declarations.set(key, file);
    }
    return file;
  };
  const program = ts.createProgram({ rootNames: fileNames, options, host });
  const diagnostics = [
    ...parsed.errors.filter((d) => d.code !== 18003),
    ...ts.getPreEmitDiagnostics(program),
  ];
  const errors = diagnostics
    .filter((d) => d.category === ts.DiagnosticCategory.Error)
    .filter((d) => d.file === undefined || !ignore.includes(inMount(d.file.fileName) ?? ''))
    .map((d): TypeCheckError => {
      const message = ts.flattenDiagnosticMessageText(d.messageText, '\n');
      if (d.file === undefined || d.start === undefined)
        return { file: configPath, line: 1, column: 1, code: d.code, message };
      const at = d.file.getLineAndCharacterOfPosition(d.start);
      const rel = inMount(d.file.fileName) ?? d.file.fileName;
      return { file: rel, line: at.line + 1, column: at.character + 1, code: d.code, message };
    });
  return { checked: true, files: fileNames.length, errors };
}

/**
 * Type-checks the project in `root` with its tsconfig.json; `ignore` names project files (relative paths) left
 * out of the check, such as files a build generates over WIT modules the compiler cannot resolve.
 */
export function typeCheckDirectory(root: string, ignore: readonly string[] = []): TypeCheckResult {
  return checkProject(
    {
      read: (path) => {
        try {
          return readFileSync(join(root, path), 'utf8');
        } catch {
          return undefined;
        }
      },
      entries: (path) => readEntries(join(root, path)),
    },
    ignore,
  );
}

/** Type-checks a project given as its files (path relative to the root → text), before anything is written. */
export function typeCheckFiles(files: ReadonlyMap<string, string>): TypeCheckResult {
  return checkProject({
    read: (path) => files.get(path),
    entries: (path) => {
      const prefix = path === '' ? '' : `${path}/`;
      const names = new Set<string>();
      const dirs = new Set<string>();
      for (const file of files.keys()) {
        if (!file.startsWith(prefix)) continue;
        const rest = file.slice(prefix.length).split('/');
        if (rest.length === 1) names.add(rest[0] ?? '');
        else dirs.add(rest[0] ?? '');
      }
      return { files: [...names], directories: [...dirs] };
    },
  });
}

/** `file:line:column message (TSxxxx)`, one line per error. */
export function formatTypeErrors(errors: readonly TypeCheckError[]): string[] {
  return errors.map((e) => `${e.file}:${e.line}:${e.column} ${e.message.split('\n')[0] ?? ''} (TS${e.code})`);
}
