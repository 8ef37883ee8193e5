import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');
const temp: string[] = [];

afterAll(async () => {
  await Promise.all(temp.map((d) => rm(d, { recursive: true, force: true })));
});

async function port(name: string): Promise<PortedService> {
  return portJavaSources(name, await readJavaSources(join(FIXTURES, name)));
}

async function expectCompiles(ported: PortedService): Promise<void> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-port-'));
  temp.push(dir);
  await writeProject(dir, ported.files);
  expect(typeCheck(dir)).toEqual([]);
  // the port's own check (migrate's compiler and declarations, nothing installed) agrees
  expect(ported.report).toMatchObject({ typecheck: { checked: true, errors: [] }, typecheck_errors: 0 });
}

describe('port of Java constructs', () => {
  it.each([
    ['lombok-service', ['src/item.ts', 'src/item-service.ts', 'src/clock.ts']],
    ['jpa-derived', ['src/book.ts', 'src/book-repository.ts']],
    ['controller-validation', ['src/thing-controller.ts', 'src/validation.ts', 'src/thing-request.ts']],
    ['unsupported', ['src/grader.ts']],
  ])('translates %s to the expected TypeScript, which compiles with tsc --strict', async (name, paths) => {
    const ported = await port(name);
    for (const path of paths) {
      await expect(ported.files.get(path)).toMatchFileSnapshot(join(FIXTURES, name, 'expected', path));
    }
    await expectCompiles(ported);
  });

  it('reports an unsupported statement as a TODO with the Java file and line, and counts the method', async () => {
    const { report } = await port('unsupported');
    expect(report).toMatchObject({ methods: 2, methods_todo: 1, methods_ported: 1 });
    expect(report.todos).toEqual([
      expect.objectContaining({
        file: 'src/main/java/com/ex/Grader.java',
        line: 7,
        member: 'Grader.grade',
        why: 'switch expression is not supported',
      }),
    ]);
  });

  it('translates a mechanical @Query to SQL and derives the rest, with no TODO', async () => {
    const { report, files } = await port('jpa-derived');
    expect(report.todos).toEqual([]);
    expect(files.get('src/book-repository.ts')).toContain(
      'SELECT b.id, b.isbn_code, b.book_title, b.pages FROM book b',
    );
  });
});
