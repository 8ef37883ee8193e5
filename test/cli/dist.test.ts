// The compiled CLI an installed package runs (dist/, made by `npm run build`, which the test command runs first):
// port, codemod and build read TypeScript templates and WIT files at run time, which tsc alone does not put there.
import { execFile } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const exec = promisify(execFile);
const ROOT = join(import.meta.dirname, '../..');
const DIST_MAIN = join(ROOT, 'dist/cli/main.js');

describe('the compiled CLI (dist/)', () => {
  let work = '';
  let runner = '';

  beforeAll(async () => {
    if (!existsSync(DIST_MAIN))
      throw new Error('dist/ is missing: run `npm run build` first (scripts/test.sh does)');
    work = await mkdtemp(join(tmpdir(), 'migrate-dist-'));
    runner = join(work, 'run.mjs');
    await writeFile(
      runner,
      `const { runCli } = await import(${JSON.stringify(DIST_MAIN)});\nprocess.exitCode = await runCli(process.argv.slice(2), {});\n`,
    );
  });

  afterAll(async () => {
    if (work !== '') await rm(work, { recursive: true, force: true });
  });

  it('ports, codemods and builds a service into a component', async () => {
    const out = join(work, 'inventory');
    const estate = join(ROOT, 'samples/spring-orders');
    const run = await exec(
      process.execPath,
      [
        runner,
        'port',
        'inventory-service',
        '--estate',
        estate,
        '--out',
        out,
        '--build',
        '--target',
        'embedded',
      ],
      { env: { ...process.env, NO_COLOR: '1' }, maxBuffer: 16 * 1024 * 1024 },
    );
    expect(run.stdout).toMatch(/built .*inventory-service\.wasm for embedded: \d+ bytes/);
    expect(await readFile(join(out, 'src/runtime/router.ts'), 'utf8')).toContain(
      'export async function handleRequest',
    );
    expect(existsSync(join(out, 'src/caps/capabilities.ts'))).toBe(true);
    expect(existsSync(join(out, 'dist/wit/deps'))).toBe(true);
  });
});
