import { existsSync } from 'node:fs';
import { mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliCaptured } from '../../helpers/run-cli.ts';

const ESTATE = join(import.meta.dirname, '../../../samples/spring-orders');

describe('migrate port (CLI)', () => {
  let work: string;

  beforeAll(async () => {
    work = await mkdtemp(join(tmpdir(), 'migrate-port-cli-'));
  });

  afterAll(async () => {
    await rm(work, { recursive: true, force: true });
  });

  it('writes the project, and a second port replaces src/ whole without leaving staging folders', async () => {
    const out = join(work, 'inventory');
    const first = await runCliCaptured([
      'port',
      'inventory-service',
      '--estate',
      ESTATE,
      '--out',
      out,
      '--json',
    ]);
    expect(first.code).toBe(0);
    expect(JSON.parse(first.stdout)).toMatchObject({
      service: 'inventory-service',
      methods_todo: 0,
      typecheck_errors: 0,
      out,
    });
    await writeFile(join(out, 'src/stale.ts'), 'export const stale = 1;\n');
    const second = await runCliCaptured(['port', 'inventory-service', '--estate', ESTATE, '--out', out]);
    expect(second.code).toBe(0);
    expect(existsSync(join(out, 'src/stale.ts'))).toBe(false);
    expect(existsSync(join(out, 'src/repository/inventory-repository.ts'))).toBe(true);
    expect(existsSync(join(out, 'package.json'))).toBe(true);
    expect((await readdir(work)).sort()).toEqual(['inventory']);
  });

  it('names the services it knows when the one asked for is not in the estate', async () => {
    const run = await runCliCaptured([
      'port',
      'billing-service',
      '--estate',
      ESTATE,
      '--out',
      join(work, 'x'),
    ]);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error MIG_NOT_FOUND no service billing-service/);
    expect(run.stderr).toMatch(/hint: services found: .*inventory-service/);
    expect(existsSync(join(work, 'x'))).toBe(false);
  });
});
