import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { formatTypeErrors, typeCheckDirectory, typeCheckFiles } from '../../../codemods/index.ts';

const TSCONFIG = JSON.stringify({
  compilerOptions: {
    target: 'es2023',
    module: 'nodenext',
    moduleResolution: 'nodenext',
    types: ['node'],
    strict: true,
    noEmit: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
  },
  include: ['src'],
  exclude: ['src/component.ts'],
});

/** Uses pg, ioredis and Node's types: none of them is installed in the project. */
const PROJECT = new Map([
  ['tsconfig.json', TSCONFIG],
  [
    'src/db.ts',
    "import pg from 'pg';\nimport { Redis } from 'ioredis';\nexport const pool = new pg.Pool({ max: 1 });\nexport const redis = new Redis({ lazyConnect: true });\nexport const home: string | undefined = process.env.HOME;\n",
  ],
  ['src/component.ts', "import { nothing } from 'wasi:nowhere';\nexport const x: number = nothing;\n"],
]);

const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

async function writeOutsideRepo(files: ReadonlyMap<string, string>): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-typecheck-'));
  temp.push(dir);
  for (const [path, text] of files) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
  return dir;
}

describe('type check with migrate’s own declarations', () => {
  it('resolves packages and @types from migrate, not from the project, and honours exclude', async () => {
    expect(typeCheckFiles(PROJECT)).toEqual({ checked: true, files: 1, errors: [] });
    const dir = await writeOutsideRepo(PROJECT);
    expect(typeCheckDirectory(dir)).toEqual({ checked: true, files: 1, errors: [] });
  });

  it('reports each error with the project file, line and column', async () => {
    const broken = new Map(PROJECT).set(
      'src/bad.ts',
      "import pg from 'pg';\n\nconst n: number = 'x';\nexport const y = pg.nope ?? n;\n",
    );
    const result = typeCheckDirectory(await writeOutsideRepo(broken));
    expect(result.errors.map((e) => [e.file, e.line, e.column, e.code])).toEqual([
      ['src/bad.ts', 3, 7, 2322],
      ['src/bad.ts', 4, 21, 2339],
    ]);
    expect(formatTypeErrors(result.errors)[0]).toBe(
      "src/bad.ts:3:7 Type 'string' is not assignable to type 'number'. (TS2322)",
    );
    expect(typeCheckFiles(broken).errors).toEqual(result.errors);
  });

  it('checks the projects a solution-style tsconfig (files: [] + references) points at, as tsc -b does', () => {
    const app = JSON.parse(TSCONFIG) as { compilerOptions: Record<string, unknown> };
    app.compilerOptions = {
      ...app.compilerOptions,
      composite: true,
      noEmit: false,
      emitDeclarationOnly: true,
    };
    const solution = new Map([
      ['tsconfig.json', JSON.stringify({ files: [], references: [{ path: './tsconfig.app.json' }] })],
      ['tsconfig.app.json', JSON.stringify(app)],
      ['src/a.ts', "export const a: number = 'x';\n"],
    ]);
    const result = typeCheckFiles(solution);
    expect(result).toMatchObject({ checked: true, files: 1 });
    expect(result.errors.map((e) => [e.file, e.line, e.code])).toEqual([['src/a.ts', 1, 2322]]);
  });

  it('says it did not check a project without a tsconfig.json', () => {
    const result = typeCheckFiles(new Map([['src/a.ts', 'export const a: number = "x";\n']]));
    expect(result).toMatchObject({ checked: false, errors: [] });
    expect(result.reason).toMatch(/no tsconfig\.json/);
  });
});
