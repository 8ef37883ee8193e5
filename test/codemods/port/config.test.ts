import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { portJavaSources } from '../../../codemods/index.ts';

const APP = `package com.ex;
@SpringBootApplication
public class App { public static void main(String[] args) { SpringApplication.run(App.class, args); } }
`;
const REPO = `package com.ex;
public interface ThingRepository extends JpaRepository<Thing, Long> {}
`;
const THING = `package com.ex;
@Entity
public class Thing { @Id @GeneratedValue private Long id; private String name; }
`;

const temp: string[] = [];
afterAll(async () => {
  await Promise.all(temp.map((dir) => rm(dir, { recursive: true, force: true })));
});

/** Loads the generated src/config.ts with `env` (Node runs the TypeScript as it is). */
async function loadConfig(text: string, env: Record<string, string>): Promise<Record<string, string>> {
  const dir = await mkdtemp(join(tmpdir(), 'migrate-port-config-'));
  temp.push(dir);
  await writeFile(join(dir, 'config.ts'), text);
  const module = (await import(join(dir, 'config.ts'))) as {
    loadConfig: (env: Record<string, string>) => Record<string, string>;
  };
  return module.loadConfig(env);
}

describe('Spring configuration in the port', () => {
  it('reads application.yml and the active profile, resolves nested defaults and random values', async () => {
    const sources = new Map([
      ['src/main/java/com/ex/App.java', APP],
      [
        'src/main/resources/application.yml',
        'app:\n  greeting: ${GREETING:${app.name:hello}}\n  id: ${random.uuid}\nspring:\n  profiles:\n    active: dev\n',
      ],
      ['src/main/resources/application.properties', 'app.name=props\n'],
      ['src/main/resources/application-dev.yml', 'app:\n  mode: dev\n'],
      ['src/main/resources/application-prod.properties', 'app.mode=prod\n'],
    ]);
    const { files, report } = await portJavaSources('cfg', sources);
    const config = files.get('src/config.ts') ?? '';
    expect(config).not.toMatch(/\?\? '[^']*' \?\? ''/);
    expect(config).not.toMatch(/env\['random/);
    const plain = await loadConfig(config, {});
    expect(plain).toMatchObject({ 'app.greeting': 'props', 'app.mode': 'dev', 'app.name': 'props' });
    expect(plain['app.id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-/);
    expect((await loadConfig(config, { GREETING: 'hi' }))['app.greeting']).toBe('hi');
    expect((await loadConfig(config, { APP_NAME: 'env' }))['app.greeting']).toBe('env');
    expect(report.dropped.map((d) => `${d.file}:${d.line} ${d.construct} ${d.member}`)).toEqual([
      'src/main/resources/application-prod.properties:1 config profile prod',
    ]);
    expect(config).toContain(
      '// TODO(migrate): config profile not carried over (application-prod.properties:1)',
    );
    expect(report.typecheck_errors).toBe(0);
  });

  it('reports an HSQLDB datasource with the way out, and the generated pool refuses it', async () => {
    const sources = new Map([
      ['src/main/java/com/ex/App.java', APP],
      ['src/main/java/com/ex/Thing.java', THING],
      ['src/main/java/com/ex/ThingRepository.java', REPO],
      ['src/main/resources/application.properties', 'spring.datasource.url=jdbc:hsqldb:mem:things\n'],
    ]);
    const { files, report } = await portJavaSources('db', sources, { typeCheck: false });
    expect(report.dropped).toEqual([
      expect.objectContaining({
        file: 'src/main/resources/application.properties',
        line: 1,
        construct: 'datasource',
        why: expect.stringMatching(/hsqldb.*Postgres only.*SPRING_DATASOURCE_URL=jdbc:postgresql/),
      }),
    ]);
    expect(files.get('src/config.ts')).toContain(
      "'spring.datasource.url': env['SPRING_DATASOURCE_URL'] ?? 'jdbc:hsqldb:mem:things'",
    );
    expect(files.get('src/db.ts')).toContain('is not Postgres');
  });
});
