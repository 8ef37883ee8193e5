import { basename, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { portJavaSources, readJavaSources, type PortReport } from '../../../codemods/index.ts';
import { SAMPLE_ESTATE } from '../../helpers/port-service.ts';

const FIXTURES = join(import.meta.dirname, 'fixtures');

/** The report's totals recomputed from its entries alone; throws on an entry that contradicts another. */
function recomputeTotals(report: PortReport): Record<string, number> {
  const todoMembers = new Set(report.todos.map((t) => t.member));
  for (const m of report.method_list) {
    if (m.todo !== todoMembers.has(m.member)) throw new Error(`${m.member}: todo flag disagrees with todos`);
  }
  for (const member of todoMembers) {
    if (!report.method_list.some((m) => m.member === member && m.todo))
      throw new Error(`${member}: a TODO outside the method list`);
  }
  const todo = report.method_list.filter((m) => m.todo).length;
  return {
    methods: report.method_list.length,
    methods_ported: report.method_list.length - todo,
    methods_todo: todo,
    constructs_dropped: report.dropped.length,
    typecheck_errors: report.typecheck.errors.length,
  };
}

function totals(report: PortReport): Record<string, number> {
  const { methods, methods_ported, methods_todo, constructs_dropped, typecheck_errors } = report;
  return { methods, methods_ported, methods_todo, constructs_dropped, typecheck_errors };
}

describe('constructs the port does not carry over', () => {
  it('reports each with file:line and leaves a TODO(migrate) naming it in the generated code, which compiles', async () => {
    const { files, report } = await portJavaSources(
      'dropped',
      await readJavaSources(join(FIXTURES, 'dropped-constructs')),
    );
    expect(report.dropped.map((d) => `${basename(d.file)}:${d.line} ${d.construct} ${d.member}`)).toEqual([
      'App.java:9 annotation @EnableScheduling App',
      'Clock.java:24 instance initializer Clock.<init>',
      'Clock.java:32 annotation @Scheduled Clock.tick',
    ]);
    const code = [...files]
      .filter(([path]) => path.endsWith('.ts'))
      .map(([, text]) => text)
      .join('\n');
    for (const d of report.dropped)
      expect(code).toContain(
        `// TODO(migrate): ${d.construct} not carried over (${basename(d.file)}:${d.line})`,
      );
    expect(report).toMatchObject({ constructs_dropped: 3, typecheck_errors: 0 });
    // carried now, so not reported: the @Bean methods, the static block, the runner bean and the ready listener
    expect(report.method_list.map((m) => m.member)).toEqual(
      expect.arrayContaining(['App.seed', 'Beans.greeting', 'Clock.<clinit>']),
    );
  });

  it('injects @Autowired and @Value fields and runs runners and startup listeners from main.ts', async () => {
    const { files } = await portJavaSources(
      'dropped',
      await readJavaSources(join(FIXTURES, 'dropped-constructs')),
      { typeCheck: false },
    );
    const main = files.get('src/main.ts') ?? '';
    expect(main).toContain('clock.tags = tagRepository;');
    expect(main).toContain("clock.name = configValue(config, 'clock.name') ?? 'main';");
    // the static block runs before the beans are made; the runner App.seed's @Bean made runs with the others
    expect(main.indexOf('Clock.initStatics();')).toBeLessThan(main.indexOf('new Clock('));
    expect(main).toContain('const seed = app.seed(tagRepository);');
    expect(main).toContain('await seed(process.argv.slice(2));');
    // the component runs the same hooks once, before its first request is handled
    expect(files.get('src/component.ts')).toContain('await seeder.run([]);');
    // Spring Boot's order: the server listens, runners run, then ApplicationReadyEvent
    expect(main).toMatch(
      /await listen\(server[^\n]*\n(?:.*\n)*?await seeder\.run\(process\.argv\.slice\(2\)\);\n(?:.*\n)*?await clock\.ready\(\);/,
    );
    // @ManyToMany has no column: the repository reads and writes Spring Boot's implicit join table
    expect(files.get('src/tag-repository.ts')).not.toMatch(/INSERT INTO tag \([^)]*related/);
    expect(files.get('src/tag-repository.ts')).toContain(
      'INSERT INTO tag_related (tag_id, related_id) VALUES ($1, $2)',
    );
  });

  it.each(['inventory-service', 'product-service', 'order-service', 'notification-service'])(
    'has totals derivable from its entries, and drops no code construct, for the sample %s',
    async (service) => {
      const { report } = await portJavaSources(service, await readJavaSources(join(SAMPLE_ESTATE, service)), {
        typeCheck: false,
      });
      expect(recomputeTotals(report)).toEqual(totals(report));
      // only Spring settings the generated code does not act on (schema init, log levels, …)
      expect(report.dropped.filter((d) => d.construct !== 'config key')).toEqual([]);
    },
  );

  it.each(['dropped-constructs', 'unsupported', 'jpa-derived', 'runtime-constructs'])(
    'has totals derivable from its entries for the fixture %s',
    async (name) => {
      const { report } = await portJavaSources(name, await readJavaSources(join(FIXTURES, name)), {
        typeCheck: false,
      });
      expect(recomputeTotals(report)).toEqual(totals(report));
    },
  );
});
