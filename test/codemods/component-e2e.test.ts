// A Spring service ported (`migrate port`), codemodded (`migrate codemod`), built as a WebAssembly component with
// the component facade binding and the wasi:http adapter, and served by the host against the real Postgres.
import { copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadCodemodPlan, portJavaSources, readJavaSources } from '../../codemods/index.ts';
import { buildComponent } from '../../codemods/build/build-component.ts';
import { writeWorld } from '../../codemods/wit/world.ts';
import { createHost, type Host } from '../../bridge/host/host.ts';
import { parseHostConfig } from '../../bridge/host/config.ts';
import { writeFileAtomic } from '../../shared/fs.ts';

const ESTATE = join(import.meta.dirname, '../../samples/spring-orders');
const FACADE = join(import.meta.dirname, '../../codemods/facade');
const BUILD_CACHE = join(import.meta.dirname, '../../node_modules/.cache/migrate/component-e2e');
const SCHEMA = `component_e2e_${process.pid}`;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

let dir = '';
let host: Host | undefined;

/** Ports and codemods a service into `dir/<service>`, as `migrate port` then `migrate codemod` would. */
async function portAndCodemod(service: string): Promise<string> {
  const root = join(dir, service);
  const ported = await portJavaSources(service, await readJavaSources(join(ESTATE, service)));
  for (const [path, text] of ported.files) {
    await mkdir(dirname(join(root, path)), { recursive: true });
    await writeFile(join(root, path), text);
  }
  for (const write of loadCodemodPlan(root).writes) {
    await mkdir(dirname(join(root, write.path)), { recursive: true });
    await writeFile(join(root, write.path), write.content);
  }
  // The ported repositories still import pg (for the pool their save() transactions use): a stub stands in for it
  // in the bundle, so only code paths that never reach pg work in the component.
  await mkdir(join(root, 'node_modules/pg'), { recursive: true });
  await writeFile(join(root, 'node_modules/pg/package.json'), PG_STUB_PACKAGE);
  await writeFile(join(root, 'node_modules/pg/index.js'), PG_STUB);
  // The component binding and the HTTP adapter go next to the facade copy the codemod wrote.
  for (const name of ['component.ts', 'component-http.ts'])
    await copyFile(join(FACADE, name), join(root, 'src/caps', name));
  return root;
}

const PG_STUB_PACKAGE = JSON.stringify({ name: 'pg', type: 'module', main: 'index.js' });
const PG_STUB = `export class Pool {
  connect() {
    throw new Error('pg is not available in a component: use caps.sql');
  }
}
export default { Pool };
`;

/** The guest's binding module: imported first, so the facade is bound before any service module runs. */
const BIND = `import { query } from 'wasmcloud:postgres/query@0.1.1-draft';
import { now } from 'wasi:clocks/wall-clock@0.2.10';
import { log } from 'wasi:logging/logging@0.1.0-draft';
import { bindCapabilities } from './caps/capabilities.ts';
import { createComponentCapabilities, installProcessShim } from './caps/component.ts';

const binding = createComponentCapabilities({ sql: { query }, clock: { now }, log: { log } });
bindCapabilities(binding);
installProcessShim(binding);
`;

/** The guest entry for inventory-service: its composition root without pg and node:http. */
const INVENTORY_ENTRY = `import './component-bind.ts';
import { createIncomingHandler } from './caps/component-http.ts';
import { handleRequest } from './runtime/router.ts';
import { createLogger } from './runtime/logger.ts';
import { ApiExceptionHandler, apiExceptionHandlerErrorHandler } from './controller/api-exception-handler.ts';
import { InventoryController, inventoryControllerRoutes } from './controller/inventory-controller.ts';
import { InventoryRepository } from './repository/inventory-repository.ts';
import { InventoryService } from './service/inventory-service.ts';

const log = createLogger('inventory-service');
const apiExceptionHandler = new ApiExceptionHandler();
// The repository keeps its pool only for save(); reads go through caps.sql.
const inventoryRepository = new InventoryRepository(undefined as never);
const inventoryController = new InventoryController(new InventoryService(inventoryRepository));
const options = {
  routes: [...inventoryControllerRoutes(inventoryController)],
  onError: apiExceptionHandlerErrorHandler(apiExceptionHandler),
  log,
};
const decoder = new TextDecoder();

export const incomingHandler = createIncomingHandler(async (request) => {
  const response = await handleRequest(options, {
    method: request.method,
    url: request.query === '' ? request.path : request.path + '?' + request.query,
    headers: request.headers,
    body: decoder.decode(request.body),
  });
  return { status: response.status, headers: { ...response.headers }, ...(response.body === undefined ? {} : { body: response.body }) };
});
`;

async function build(root: string, name: string, entry: string, imports: string[]): Promise<string> {
  await writeFile(join(root, 'src/component-bind.ts'), BIND);
  await writeFile(join(root, 'src/component.ts'), entry);
  const world = await writeWorld(
    { packageName: `migrate:${name.replace(/[^a-z]/g, '')}`, imports },
    join(root, 'wit'),
  );
  const built = await buildComponent({
    entry: join(root, 'src/component.ts'),
    witPath: world.witPath,
    worldName: world.worldName,
    cacheDir: BUILD_CACHE,
  });
  const path = join(dir, `${name}.wasm`);
  await writeFileAtomic(path, built.bytes);
  return path;
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

  const inventory = await build(await portAndCodemod('inventory-service'), 'inventory', INVENTORY_ENTRY, [
    'wasmcloud:postgres/query@0.1.1-draft',
    'wasi:clocks/wall-clock@0.2.10',
    'wasi:logging/logging@0.1.0-draft',
  ]);
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: {
        postgres: { url: `${PG_URL}?options=${encodeURIComponent(`-c search_path=${SCHEMA}`)}`, poolSize: 2 },
      },
      components: [
        {
          name: 'inventory',
          wasm: inventory,
          capabilities: ['sql', 'clocks', 'logging'],
          limits: { instances: 1, timeoutMs: 10000, memoryMb: 128 },
        },
      ],
    }),
    'component-e2e.json',
  );
  host = await createHost({ config, logger: { log: () => undefined } });
}, 180_000);

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
