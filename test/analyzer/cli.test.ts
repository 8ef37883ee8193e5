import { execFile } from 'node:child_process';
import { mkdtemp, mkdir, readFile, readdir, symlink, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import type { Estate } from '../../analyzer/index.ts';
import { renderEstateSchema } from '../../scripts/gen-schema.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';

const exec = promisify(execFile);
const SAMPLE = 'samples/spring-orders';

describe('migrate analyze', () => {
  it('checked-in estate.schema.json matches the zod model (run npm run gen:schema)', async () => {
    expect(await readFile('schema/estate.schema.json', 'utf8')).toBe(renderEstateSchema());
  });

  it('--json prints one versioned document valid against the generated schema', async () => {
    const run = await runCliCaptured(['analyze', SAMPLE, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as { schemaVersion: string };
    expect(doc.schemaVersion).toBe('1.0');
    const ajv = new Ajv2020({ strict: false });
    const validate = ajv.compile(JSON.parse(renderEstateSchema()));
    expect(validate(doc), JSON.stringify(validate.errors)).toBe(true);
  });

  it('prints a summary table and the graph outline as text', async () => {
    const run = await runCliCaptured(['analyze', SAMPLE]);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('order-service --http--> inventory-service');
    expect(run.stdout).toContain('order-service --message--> notification-service  orders.placed');
    expect(run.stdout).toMatch(/SERVICE\s+LANG\s+ENDPOINTS/);
  });

  it('--format sarif is SARIF 2.1.0 with located results; --fail-on blocked exits 1', async () => {
    const run = await runCliCaptured(['analyze', SAMPLE, '--format', 'sarif', '--fail-on', 'blocked']);
    expect(run.code).toBe(1);
    const sarif = JSON.parse(run.stdout);
    expect(sarif.version).toBe('2.1.0');
    const results = sarif.runs[0].results as {
      ruleId: string;
      level: string;
      locations: { physicalLocation: { region: { startLine: number } } }[];
    }[];
    expect(
      results
        .filter((r) => r.ruleId.startsWith('blocker/'))
        .map((r) => r.ruleId)
        .sort(),
    ).toEqual([
      // order/notification on Spin 3 and Spin 4 (NATS), product on wasmCloud (Redis hashes)
      'blocker/publish',
      'blocker/publish',
      'blocker/redis',
      'blocker/subscribe',
      'blocker/subscribe',
    ]);
    // product-service needs porting on wasmCloud (Redis hashes): a warning, not a blocking error
    expect(results.find((r) => r.ruleId === 'blocker/redis')?.level).toBe('warning');
    for (const r of results) expect(r.locations[0]!.physicalLocation.region.startLine).toBeGreaterThan(0);
  });

  it('--format html and markdown render the graph and the effects', async () => {
    const html = await runCliCaptured(['analyze', SAMPLE, '--format', 'html']);
    expect(html.stdout).toMatch(/^<!doctype html>/);
    expect(html.stdout).toContain('<svg');
    expect(html.stdout).not.toMatch(/<script|<link /);
    const md = await runCliCaptured(['analyze', SAMPLE, '--format', 'markdown']);
    expect(md.stdout).toContain('| http-out | GET ${inventory.url}/api/inventory |');
  });

  it('--openapi writes documents that openapi-typescript turns into compiling types', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-openapi-'));
    const run = await runCliCaptured(['analyze', SAMPLE, '--openapi', dir]);
    expect(run.code).toBe(0);
    const files = (await readdir(dir)).sort();
    expect(files).toEqual([
      'inventory-service.openapi.json',
      'notification-service.openapi.json',
      'order-service.openapi.json',
      'product-service.openapi.json',
    ]);
    for (const f of files)
      await exec(process.execPath, [
        'node_modules/openapi-typescript/bin/cli.js',
        join(dir, f),
        '-o',
        join(dir, f.replace('.json', '.d.ts')),
      ]);
    await writeFile(
      join(dir, 'tsconfig.json'),
      JSON.stringify({
        compilerOptions: { strict: true, noEmit: true, skipLibCheck: false },
        include: ['*.d.ts'],
      }),
    );
    await exec(process.execPath, ['node_modules/typescript/bin/tsc', '-p', join(dir, 'tsconfig.json')]);
    const order = JSON.parse(await readFile(join(dir, 'order-service.openapi.json'), 'utf8')) as {
      paths: Record<string, { post: { responses: Record<string, unknown> } }>;
    };
    expect(Object.keys(order.paths)).toEqual(['/api/order']);
    expect(order.paths['/api/order']!.post.responses['201']).toBeDefined();
  }, 600_000);

  it('exits 2 with a hint and no stack trace for a missing directory', async () => {
    const run = await runCliCaptured(['analyze', 'does/not/exist']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MIG_NOT_FOUND/);
    expect(run.stderr).toMatch(/hint: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('turns bad input into findings and goes on: broken Java, binary .java, symlink loop, empty dir', async () => {
    const root = await mkdtemp(join(tmpdir(), 'migrate-bad-'));
    const src = join(root, 'svc/src/main/java/x');
    await mkdir(src, { recursive: true });
    await mkdir(join(root, 'empty'));
    await writeFile(
      join(root, 'svc/pom.xml'),
      '<project><artifactId>spring-boot-starter-web</artifactId></project>',
    );
    await writeFile(
      join(src, 'Ok.java'),
      'package x;\n@RestController\nclass Ok {\n  @GetMapping("/ok") String ok() { return java.util.UUID.randomUUID().toString(); }\n}\n',
    );
    await writeFile(join(src, 'Broken.java'), 'package x;\nclass Broken {\n  void f( {\n    int = ;\n}\n');
    await writeFile(join(src, 'Blob.java'), Buffer.from([0xca, 0xfe, 0xba, 0xbe, 0, 0, 0, 0x34]));
    await symlink('..', join(root, 'svc/loop'));
    const run = await runCliCaptured(['analyze', root, '--json']);
    expect(run.code).toBe(0);
    const doc = JSON.parse(run.stdout) as Estate;
    const codes = doc.findings.map((f) => `${f.code} ${f.file}`);
    expect(codes).toContain('binary-file svc/src/main/java/x/Blob.java');
    expect(codes).toContain('symlink-loop svc/loop');
    expect(doc.findings.find((f) => f.code === 'java-parse-error')).toMatchObject({
      file: 'svc/src/main/java/x/Broken.java',
      line: expect.any(Number),
    });
    expect(doc.services[0]!.endpoints.map((e) => e.path)).toEqual(['/ok']);
    const empty = await runCliCaptured(['analyze', join(root, 'empty'), '--json']);
    expect(empty.code).toBe(0);
    expect((JSON.parse(empty.stdout) as Estate).findings.map((f) => f.code)).toEqual(['empty-estate']);
  });
});
