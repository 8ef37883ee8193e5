/**
 * The transform runner: applies every transform to every source file of a ts-morph project and returns what
 * changed, per file, with a unified diff. Pure with respect to the disk: it edits the in-memory project only;
 * writing files is the CLI's job.
 */
import { createTwoFilesPatch } from 'diff';
import type { Project, SourceFile } from 'ts-morph';
import {
  addFacadeImports,
  applyTextEdits,
  collectReferencedClients,
  getFacadeSpecifier,
  makeTypeOnlyLibraryImports,
  removeImports,
  removeUnusedClientImports,
  removeUnusedClients,
  removeUnusedFacadeImports,
} from './apply.ts';
import { ALL_TRANSFORMS } from './all.ts';
import type { ImportRef, Transform, TransformKind } from './transform.ts';

/** One change the codemod made, for the report. */
export interface AppliedEdit {
  transform: TransformKind | 'imports' | 'cleanup';
  line: number;
  description: string;
}

export interface FileNote {
  transform: TransformKind;
  line: number;
  message: string;
}

export interface FileChange {
  /** Path relative to the run's root. */
  path: string;
  before: string;
  after: string;
  edits: AppliedEdit[];
  notes: FileNote[];
  /** Unified diff of before → after; empty when unchanged. */
  diff: string;
}

export interface RunTransformsOptions {
  /** Absolute path of the facade module (`caps/capabilities.ts`) inside the project. */
  facadePath: string;
  /** Paths in reports and diffs are relative to this directory. */
  root: string;
  transforms?: readonly Transform[];
  /** Files to leave alone (the facade's own files); matched by absolute path prefix. */
  exclude?: readonly string[];
}

export interface CodemodResult {
  /** Files with edits or notes, sorted by path. */
  files: FileChange[];
}

const MAX_PASSES = 3;

function relative(root: string, path: string): string {
  const prefix = root.endsWith('/') ? root : `${root}/`;
  return path.startsWith(prefix) ? path.slice(prefix.length) : path;
}

function runOnFile(
  file: SourceFile,
  options: RunTransformsOptions,
  transforms: readonly Transform[],
): FileChange {
  const before = file.getFullText();
  const edits: AppliedEdit[] = [];
  const notes: FileNote[] = [];
  const facadeNames: string[] = [];
  const dropped: ImportRef[] = [];
  for (const transform of transforms) {
    for (let pass = 0; pass < MAX_PASSES; pass += 1) {
      const result = transform.run(file);
      if (pass === 0) notes.push(...result.notes.map((n) => ({ transform: transform.kind, ...n })));
      facadeNames.push(...result.facadeImports);
      dropped.push(...result.removeImports);
      const lines = result.edits.map((e) => file.getLineAndColumnAtPos(e.start).line);
      const applied = applyTextEdits(file, result.edits);
      edits.push(
        ...applied.map((e) => ({
          transform: transform.kind,
          line: lines[result.edits.indexOf(e)] ?? 0,
          description: e.description,
        })),
      );
      if (applied.length === result.edits.length) break;
    }
  }
  if (edits.length > 0 || dropped.length > 0) {
    const specifier = getFacadeSpecifier(file, options.facadePath);
    const removed = removeImports(file, dropped);
    const added = addFacadeImports(file, specifier, facadeNames);
    if (added.length > 0) {
      edits.push({
        transform: 'imports',
        line: 1,
        description: `import { ${added.join(', ')} } from '${specifier}'`,
      });
    }
    for (const r of removed)
      edits.push({ transform: 'imports', line: 1, description: `removed import ${r}` });
  }
  const path = relative(options.root, file.getFilePath());
  return { path, before, after: before, edits, notes, diff: '' };
}

function pushCleanup(change: FileChange, removed: readonly string[]): void {
  for (const r of removed) change.edits.push({ transform: 'cleanup', line: 1, description: `removed ${r}` });
}

/** Removes clients and imports the rewrite left unused, across files: importers first, then the clients. */
function cleanUp(
  changes: readonly { file: SourceFile; change: FileChange }[],
  referenced: ReadonlySet<string>,
  facadePath: string,
): void {
  const touched = changes.filter((c) => c.change.edits.length > 0);
  for (const { file, change } of touched) pushCleanup(change, removeUnusedClientImports(file));
  for (const { file, change } of touched) {
    pushCleanup(change, removeUnusedClients(file, referenced));
    pushCleanup(change, removeUnusedFacadeImports(file, getFacadeSpecifier(file, facadePath)));
    pushCleanup(change, makeTypeOnlyLibraryImports(file));
  }
}

function isExcluded(file: SourceFile, exclude: readonly string[]): boolean {
  const path = file.getFilePath();
  return (
    file.isDeclarationFile() || path.includes('/node_modules/') || exclude.some((e) => path.startsWith(e))
  );
}

/** Runs the transforms over the project's source files; returns the changed (or noted) files. */
export function runTransforms(project: Project, options: RunTransformsOptions): CodemodResult {
  const transforms = options.transforms ?? ALL_TRANSFORMS;
  const exclude = options.exclude ?? [];
  const sources = project.getSourceFiles().filter((file) => !isExcluded(file, exclude));
  const referenced = collectReferencedClients(sources);
  const changes = sources.map((file) => ({ file, change: runOnFile(file, options, transforms) }));
  cleanUp(changes, referenced, options.facadePath);
  const files = changes
    .map(({ file, change }) => {
      const after = file.getFullText();
      const diff =
        change.before === after
          ? ''
          : createTwoFilesPatch(
              `a/${change.path}`,
              `b/${change.path}`,
              change.before,
              after,
              undefined,
              undefined,
              {
                context: 3,
              },
            );
      return { ...change, after, diff };
    })
    .filter((change) => change.edits.length > 0 || change.notes.length > 0)
    .sort((a, b) => a.path.localeCompare(b.path));
  return { files };
}

/** All diffs of a result, concatenated. */
export function formatUnifiedDiff(result: CodemodResult): string {
  return result.files.map((f) => f.diff).join('');
}
