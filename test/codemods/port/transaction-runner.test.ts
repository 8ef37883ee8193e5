import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortedService } from '../../../codemods/index.ts';
import { typeCheck, writeProject } from './helpers.ts';

const FIXTURE = join(import.meta.dirname, 'fixtures', 'transaction-runner');

let ported: PortedService;
let dir: string;

beforeAll(async () => {
  ported = await portJavaSources('tags', await readJavaSources(FIXTURE));
  dir = await mkdtemp(join(tmpdir(), 'migrate-port-tx-'));
  await writeProject(dir, ported.files);
});

afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** A stand-in for the generated TagRepository: counts and saves in memory, in the order called. */
function createTags(initial: number): {
  count(): Promise<number>;
  save(t: { name: string }): Promise<unknown>;
  saved: string[];
} {
  const saved: string[] = [];
  return {
    saved,
    count: () => Promise.resolve(initial + saved.length),
    save: async (tag) => {
      // a save that completes later than the caller's turn: only an awaited callback sees it done
      await new Promise((resolve) => setTimeout(resolve, 5));
      saved.push(tag.name);
      return tag;
    },
  };
}

describe('TransactionTemplate in a @Bean runner', () => {
  it('makes the callback async and awaits it, so the runner bean is carried and the project compiles', () => {
    const seed = ported.files.get('src/seed-tags.ts') ?? '';
    expect(seed).toContain('await transactions.executeWithoutResult(');
    expect(seed).toContain('async (status) => {');
    expect(seed).toContain('if ((await tags.count()) > 0) {');
    // the runner is made and run at startup, with the runtime's template
    expect(ported.files.get('src/main.ts')).toContain(
      'const seedTagsBean = seedTags.seedTags(tagRepository, new TransactionTemplate());',
    );
    expect(ported.files.get('src/main.ts')).toContain('await seedTagsBean(');
    expect(typeCheck(dir)).toEqual([]);
    expect(ported.report).toMatchObject({ typecheck_errors: 0 });
  });

  it('reads a LocalDate column as the same YYYY-MM-DD text on Node and in a component', () => {
    const repository = ported.files.get('src/tag-repository.ts') ?? '';
    expect(repository).toContain("entity.since = localDate(row['since']);");
    expect(repository).toContain("import { localDate } from './runtime/java.ts';");
  });

  it('reports what is not carried: no transaction (at each call), and setRollbackOnly as a TODO', () => {
    expect(ported.report.dropped).toEqual(
      expect.arrayContaining([
        expect.objectContaining({
          file: 'src/main/java/com/ex/SeedTags.java',
          line: 14,
          construct: 'TransactionTemplate.executeWithoutResult',
        }),
        expect.objectContaining({ line: 24, construct: 'TransactionTemplate.execute' }),
      ]),
    );
    expect(ported.files.get('src/seed-tags.ts')).toContain(
      '// TODO(migrate): TransactionTemplate.executeWithoutResult (SeedTags.java:14)',
    );
    expect(ported.report.todos).toEqual([
      expect.objectContaining({
        line: 25,
        member: 'SeedTags.countInTransaction',
        why: 'TransactionStatus.setRollbackOnly: the callback does not run in a transaction',
      }),
    ]);
  });

  it('runs the callback to its end before the runner resolves, and skips the seed when rows exist', async () => {
    const { SeedTags } = (await import(pathToFileURL(join(dir, 'src/seed-tags.ts')).href)) as {
      SeedTags: new () => { seedTags(tags: unknown, tx: unknown): (args: string[]) => Promise<unknown> };
    };
    const { TransactionTemplate } = (await import(
      pathToFileURL(join(dir, 'src/runtime/transaction.ts')).href
    )) as { TransactionTemplate: new () => unknown };
    const empty = createTags(0);
    await new SeedTags().seedTags(empty, new TransactionTemplate())([]);
    expect(empty.saved).toEqual(['red', 'blue']);
    const full = createTags(2);
    await new SeedTags().seedTags(full, new TransactionTemplate())([]);
    expect(full.saved).toEqual([]);
  });
});
