import { cp, mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';
import { loadCodemodPlan, typeCheckDirectory, type CodemodPlan } from '../../../codemods/index.ts';

const FIXTURES = fileURLToPath(new URL('../fixtures/', import.meta.url));
const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

const fileOf = (plan: CodemodPlan, path: string) => plan.result.files.find((f) => f.path === path);
const kinds = (plan: CodemodPlan, path: string): string[] =>
  [...new Set(fileOf(plan, path)?.edits.map((e) => e.transform))].sort();

/** The fixture copied out of the repository with the plan written into it. */
async function writePlan(fixture: string, plan: CodemodPlan): Promise<string> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-codemod-load-'));
  temp.push(dir);
  await cp(join(FIXTURES, fixture), dir, { recursive: true });
  for (const write of plan.writes) {
    await mkdir(dirname(join(dir, write.path)), { recursive: true });
    await writeFile(join(dir, write.path), write.content);
  }
  return dir;
}

describe('codemod plan: any tsconfig layout, TypeScript and JavaScript', () => {
  it('rewrites a project whose tsconfig.json is files: [] + references, and the result type-checks', async () => {
    const plan = loadCodemodPlan(join(FIXTURES, 'solution-tsconfig'));
    expect(kinds(plan, 'src/orders.ts')).toEqual(['cleanup', 'config', 'imports', 'log', 'random', 'sql']);
    const after = fileOf(plan, 'src/orders.ts')?.after ?? '';
    expect(after).toContain('await caps.sql.query(`INSERT INTO ${ORDERS_TABLE}');
    expect(after).not.toContain('new pg.Pool');
    expect(plan.facadeWrites.map((w) => w.path)).toContain('src/caps/capabilities.ts');
    // The facade it copies in type-checks under the project's own (strict, noUncheckedIndexedAccess) options.
    const result = typeCheckDirectory(await writePlan('solution-tsconfig', plan));
    expect(result.errors).toEqual([]);
    expect(result.files).toBeGreaterThan(10);
  });

  it('rewrites a JavaScript service with no tsconfig at all', () => {
    const plan = loadCodemodPlan(join(FIXTURES, 'js-service'));
    expect(kinds(plan, 'src/store.js')).toEqual(['cleanup', 'config', 'imports', 'kv', 'log']);
    const after = fileOf(plan, 'src/store.js')?.after ?? '';
    expect(after).toContain("import { caps } from './caps/capabilities.ts';");
    expect(after).toContain('await caps.kv.set(`seen:${key}`, value);');
    expect(after).not.toContain('ioredis');
  });
});

describe('codemod plan: shapes it cannot rewrite safely', () => {
  it('leaves pg callbacks and sql-template-strings queries, and every query on their pool, with located notes', () => {
    const plan = loadCodemodPlan(join(FIXTURES, 'pg-callback'));
    const app = fileOf(plan, 'src/app.ts');
    expect(app?.edits).toEqual([]);
    expect(app?.after).toBe(app?.before);
    expect(plan.writes.map((w) => w.path)).not.toContain('src/app.ts');
    expect(app?.notes.map((n) => [n.line, n.message.split(':')[0]])).toEqual([
      [
        8,
        'pool.query(…) hands its result to a callback (caps.sql.query returns a promise and calls no callback)',
      ],
      [17, 'pool.query(…) is left as it is'],
      [21, 'pool.connect(callback) checks a client out callback-style'],
      // the client the connect callback is handed: a pg PoolClient by its type
      [
        23,
        'client.query(…) hands its result to a callback (caps.sql.query returns a promise and calls no callback)',
      ],
    ]);
    expect(app?.notes[1]?.message).toContain('app.ts:8');
    // db.ts keeps its pool: the queries above still use it.
    expect(fileOf(plan, 'src/db.ts')?.after ?? '').toContain('new pg.Pool(');
  });
});
