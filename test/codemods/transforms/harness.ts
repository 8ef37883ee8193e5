import { Project } from 'ts-morph';
import { runTransforms, type CodemodResult } from '../../../codemods/transforms/run.ts';
import type { Transform } from '../../../codemods/transforms/transform.ts';

export const FACADE_PATH = '/svc/src/caps/capabilities.ts';

/** An in-memory project with `files` (path → text) under /svc/src. */
export function createMemoryProject(files: Record<string, string>): Project {
  const project = new Project({
    useInMemoryFileSystem: true,
    compilerOptions: {
      strict: true,
      target: 99,
      module: 199,
      moduleResolution: 99,
      lib: ['lib.es2023.d.ts', 'lib.dom.d.ts'],
    },
  });
  for (const [path, text] of Object.entries(files)) project.createSourceFile(`/svc/src/${path}`, text);
  return project;
}

/** Runs transforms on one file `main.ts` (plus helpers) and returns its text after the run, and the result. */
export function transformText(
  input: string,
  transforms?: readonly Transform[],
  others: Record<string, string> = {},
): { output: string; result: CodemodResult } {
  const project = createMemoryProject({ 'main.ts': input, ...others });
  const result = runTransforms(project, {
    facadePath: FACADE_PATH,
    root: '/svc',
    ...(transforms === undefined ? {} : { transforms }),
  });
  return { output: project.getSourceFileOrThrow('/svc/src/main.ts').getFullText(), result };
}

export interface Case {
  name: string;
  input: string;
  expected: string;
  others?: Record<string, string>;
}

/** Checks a case and that a second run changes nothing. */
export function checkCase(c: Case, transforms?: readonly Transform[]): { first: string; second: string } {
  const first = transformText(c.input, transforms, c.others).output;
  const second = transformText(first, transforms, c.others).output;
  return { first, second };
}
