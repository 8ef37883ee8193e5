import { existsSync } from 'node:fs';
import { mkdir, mkdtemp, rm, stat, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured, type CliRun } from '../../helpers/run-cli.ts';
import { TINY } from './tiny-service.ts';

async function writeService(dir: string, files: Record<string, string>): Promise<void> {
  for (const [path, text] of Object.entries(files)) {
    await mkdir(dirname(join(dir, path)), { recursive: true });
    await writeFile(join(dir, path), text);
  }
}

const PUBLISHER = {
  'src/events.ts': `import { caps } from './caps/capabilities.ts';

export function placed(id: string): void {
  caps.log.info('placed', id);
  caps.messaging.publish('orders.placed', id);
}
`,
};

describe('migrate build', () => {
  let work: string;
  let built: CliRun;
  let builtJson: CliRun;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'migrate-build-cli-'));
    await writeService(join(work, 'tiny'), TINY);
    await writeService(join(work, 'publisher'), PUBLISHER);
    // One real build per file; the --json run comes from the content-hash cache.
    // Wasmtime's own link check is test/codemods/build/runtime-link.test.ts; here the TypeScript rule
    built = await runCliCaptured(['build', 'tiny', '--target', 'wasmcloud', '--no-wasmtime'], {}, work);
    builtJson = await runCliCaptured(
      ['build', 'tiny', '--target', 'embedded', '--out', 'out/t.wasm', '--json', '--no-wasmtime'],
      {},
      work,
    );
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('rejects NATS publishing on spin before compiling: exit 2, file:line, the way out, no stack', async () => {
    const run = await runCliCaptured(['build', 'publisher', '--target', 'spin'], {}, work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error MIG_UNSUPPORTED caps\.messaging\.publish/);
    expect(run.stderr).toContain(`--> ${join('publisher', 'src', 'events.ts')}:5`);
    expect(run.stderr).toMatch(/hint: target wasmCloud for this service/);
    expect(run.stderr).not.toMatch(/\n\s+at /);
    expect(existsSync(join(work, 'publisher', 'dist'))).toBe(false);
  });

  it('reports a missing component entry and what provides it (a server entry or a ported one)', async () => {
    const run = await runCliCaptured(['build', 'publisher', '--target', 'wasmcloud'], {}, work);
    expect(run.code).toBe(2);
    // neither a ported entry (src/component.ts) nor a Node server entry to generate one from
    expect(run.stderr).toMatch(/error MIG_NOT_FOUND .*has no component entry and no server entry/);
    expect(run.stderr).toMatch(/hint: .*app\.listen.*src\/component\.ts/);
  });

  it('asks for migrate codemod when a ported entry has no facade copy yet', async () => {
    await writeService(join(work, 'ported'), {
      'src/component.ts': "import './component-bind.ts';\nexport const incomingHandler = {};\n",
    });
    const run = await runCliCaptured(['build', 'ported', '--target', 'wasmcloud'], {}, work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error MIG_NOT_FOUND .*has no capability facade/);
    expect(run.stderr).toMatch(/hint: run `migrate codemod .*ported` first/);
  });

  it('rejects an unknown target', async () => {
    const run = await runCliCaptured(['build', 'tiny', '--target', 'lambda'], {}, work);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/MIG_USAGE unknown target lambda/);
  });

  it('builds a real component, prints its size and imports', async () => {
    expect(built.stderr).toBe('');
    expect(built.code).toBe(0);
    const wasm = join(work, 'tiny', 'dist', 'tiny-service.wasm');
    const { size } = await stat(wasm);
    expect(size).toBeGreaterThan(0);
    expect(built.stdout).toContain(
      `built ${join('tiny', 'dist', 'tiny-service.wasm')} for wasmcloud: ${size} bytes (`,
    );
    expect(built.stdout).toMatch(/\d+\.\d\d MB\)/);
    expect(built.stdout).toContain('imports:\n');
    expect(built.stdout).toContain('  wasi:logging/logging@0.1.0-draft');
    expect(built.stdout).toContain('  wasi:http/incoming-handler@0.2.10');
    expect(existsSync(join(work, 'tiny', 'dist', 'wit', 'world.wit'))).toBe(true);
    // where it links, each runtime by its own host world: Spin has no wasi:logging
    expect(built.stdout).toContain(
      'links on: wasmCloud 2.x (Wasmtime’s linking rule, against each runtime’s own WIT)',
    );
    expect(built.stdout).toContain('  note: checked with Wasmtime’s linking rule in TypeScript (asked for)');
    expect(built.stdout).toContain(
      '    wasi:logging/logging@0.1.0-draft: Spin 3.6.3 (SpinKube) serves log as wasi:cli/stdout@0.2.10: build with --target spin, which binds it',
    );
  });

  it('prints one versioned JSON document and writes --out', async () => {
    expect(builtJson.code).toBe(0);
    const doc = JSON.parse(builtJson.stdout) as Record<string, unknown>;
    expect(doc).toMatchObject({
      schemaVersion: '1',
      name: 'tiny-service',
      target: 'embedded',
      out: join('out', 't.wasm'),
      capabilities: ['log'],
      world: {
        imports: ['wasi:logging/logging@0.1.0-draft'],
        exports: ['wasi:http/incoming-handler@0.2.10'],
      },
    });
    expect(doc.imports).toContain('wasi:logging/logging@0.1.0-draft');
    // built for migrate's host with wasmCloud's versions: the artifact deploys there as is
    expect(doc).toMatchObject({
      pins: 'wasmcloud',
      links: { checkedBy: 'rule', linksOn: ['wasmCloud 2.x'] },
    });
    expect((await stat(join(work, 'out', 't.wasm'))).size).toBe(doc.size);
  });

  it('refuses a project that fails to type-check, with file:line; --allow-type-errors builds it and says so', async () => {
    // The tiny service with a strict tsconfig: its src/app.ts imports a facade copy it does not have.
    const tsconfig = JSON.stringify({
      compilerOptions: { module: 'nodenext', strict: true, noEmit: true, allowImportingTsExtensions: true },
      include: ['src'],
      exclude: ['src/component.ts'],
    });
    await writeService(join(work, 'typed'), { ...TINY, 'tsconfig.json': tsconfig });
    const refused = await runCliCaptured(
      ['build', 'typed', '--target', 'wasmcloud', '--no-wasmtime'],
      {},
      work,
    );
    expect(refused.code).toBe(2);
    expect(refused.stderr).toMatch(/error MIG_BUILD typed does not type-check: 1 error/);
    expect(refused.stderr).toContain(`${join('typed', 'src', 'app.ts')}:1:22 Cannot find module`);
    expect(refused.stderr).toMatch(/hint: .*--allow-type-errors/);
    expect(existsSync(join(work, 'typed', 'dist', 'tiny-service.wasm'))).toBe(false);
    const allowed = await runCliCaptured(
      ['build', 'typed', '--target', 'wasmcloud', '--no-wasmtime', '--allow-type-errors', '--json'],
      {},
      work,
    );
    expect(allowed.code).toBe(0);
    const doc = JSON.parse(allowed.stdout) as { typecheck: Record<string, unknown> };
    expect(doc.typecheck).toMatchObject({
      checked: true,
      allowedTypeErrors: true,
      errors: [expect.objectContaining({ file: 'src/app.ts', line: 1, column: 22, code: 2307 })],
    });
    const text = await runCliCaptured(
      ['build', 'typed', '--target', 'wasmcloud', '--no-wasmtime', '--allow-type-errors'],
      {},
      work,
    );
    expect(text.stdout).toContain(
      'type check: 1 error(s), built anyway because of --allow-type-errors\n  src/app.ts:1:22 Cannot find module',
    );
    // a project without a tsconfig.json is built, and the output says it was not checked
    expect(built.stdout).toContain('type check: not run (no tsconfig.json');
  });

  it('port --build runs port, codemod and build in turn: order-service becomes a component', async () => {
    const estate = fileURLToPath(new URL('../../../samples/spring-orders', import.meta.url));
    const bad = await runCliCaptured(['port', 'order-service', '--build', '--target', 'lambda'], {}, work);
    expect(bad.code).toBe(2);
    expect(bad.stderr).toMatch(/MIG_USAGE unknown target lambda/);
    const run = await runCliCaptured(
      [
        'port',
        'order-service',
        '--estate',
        estate,
        '--out',
        'ported-order',
        '--build',
        '--target',
        'wasmcloud',
      ],
      {},
      work,
    );
    // The port wrote the guest entry, the codemod the component binding (and runtime/nats.ts on caps), the build
    // the binding module and the component.
    expect(run.stderr).not.toMatch(/error/);
    expect(run.code).toBe(0);
    expect(existsSync(join(work, 'ported-order', 'dist', 'order-service.wasm'))).toBe(true);
    expect(run.stdout).toContain('type check: clean (tsc --strict, migrate’s declarations)');
    expect(run.stdout).toMatch(/type check: clean \(\d+ files\)/);
    for (const file of [
      'component.ts',
      'component-bind.ts',
      'caps/capabilities.ts',
      'caps/component-http.ts',
    ])
      expect(existsSync(join(work, 'ported-order', 'src', file))).toBe(true);
  }, 600_000);
});
