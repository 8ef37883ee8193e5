// A Spring service ported (`migrate port`), codemodded (`migrate codemod`) and built (`migrate build --target
// wasmcloud`) into a WebAssembly component with no hand-written glue, and served by the host against the real
// Postgres.
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { getBuiltService } from '../helpers/components.ts';
import type { BuiltService } from '../../codemods/build/build-service.ts';
import { createHost, type Host } from '../../bridge/host/host.ts';
import { parseHostConfig } from '../../bridge/host/config.ts';

const ESTATE = join(import.meta.dirname, '../../samples/spring-orders');
const SCHEMA = `component_e2e_${process.pid}`;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

let dir = '';
let host: Host | undefined;

/**
 * `migrate port <service> --build --target wasmcloud` as library calls: the port writes `src/component.ts`, the
 * codemod copies the component binding and HTTP adapter next to the facade, and the build generates
 * `src/component-bind.ts` from the world's imports. No glue is written here.
 */
function portCodemodBuild(service: string): BuiltService {
  // Done once per test run by the global setup (test/setup), shared with the other tests that serve it.
  return getBuiltService(service, 'wasmcloud');
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-component-e2e-'));
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  const resources = (f: string): Promise<string> =>
    readFile(join(ESTATE, 'inventory-service/src/main/resources', f), 'utf8');
  await db.query(
    `DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE; CREATE SCHEMA ${SCHEMA}; SET search_path = ${SCHEMA};`,
  );
  await db.query(await resources('schema.sql'));
  await db.query(await resources('data.sql'));
  await db.end();

  const inventory = portCodemodBuild('inventory-service');
  // The ported repository keeps pg only as types (`import type`): nothing in the bundle needs pg. Its save()
  // transaction runs through caps.sql.transaction, not a client checked out of a pool the component lacks.
  const repository = await readFile(join(inventory.root, 'src/repository/inventory-repository.ts'), 'utf8');
  expect(repository).toContain("import type { Pool } from 'pg';");
  expect(repository).toContain('return caps.sql.transaction(async (tx) => {');
  expect(repository).not.toContain('.connect()');
  expect(inventory.capabilities).toEqual(['clock', 'config', 'log', 'sql']);
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: {
        postgres: { url: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${SCHEMA}`)}`, poolSize: 2 },
      },
      components: [
        {
          name: 'inventory',
          wasm: inventory.out,
          capabilities: ['sql', 'clocks', 'config', 'logging'],
          limits: { instances: 1, timeoutMs: 60_000, memoryMb: 128 },
        },
      ],
    }),
    'component-e2e.json',
  );
  host = await createHost({ config, logger: { log: () => undefined } });
});

afterAll(async () => {
  await host?.close();
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(`DROP SCHEMA IF EXISTS ${SCHEMA} CASCADE`);
  await db.end();
  if (dir !== '') await rm(dir, { recursive: true, force: true });
});

const text = (body: Uint8Array): string => new TextDecoder().decode(body);

describe('ported inventory-service as a component', () => {
  it('answers GET /api/inventory from Postgres as the Spring service does', async () => {
    const response = await host!.handle('inventory', {
      method: 'GET',
      path: '/api/inventory?skuCode=iphone_13&skuCode=pixel_8',
    });
    expect(text(response.body)).toContain('iphone_13');
    expect(response.status).toBe(200);
    expect(JSON.parse(text(response.body))).toEqual([
      { skuCode: 'iphone_13', inStock: true },
      { skuCode: 'pixel_8', inStock: false },
    ]);
  });

  it('answers an empty list for unknown skus and Spring errors for what the framework rejects', async () => {
    const none = await host!.handle('inventory', { method: 'GET', path: '/api/inventory?skuCode=nope' });
    expect(JSON.parse(text(none.body))).toEqual([]);
    const missing = await host!.handle('inventory', { method: 'GET', path: '/api/inventory' });
    expect(missing.status).toBe(400);
    const health = await host!.handle('inventory', { method: 'GET', path: '/actuator/health' });
    expect(JSON.parse(text(health.body))).toEqual({ status: 'UP' });
  });
});
