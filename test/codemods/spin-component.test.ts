// `migrate port <service> --build --target spin`: the Spring services Spin can run (inventory-service on
// spin:postgres, product-service on Spin's Redis) built into components that import only Spin 3 interfaces.
// Spin itself cannot be installed here; inventory-service is served by migrate's embedded host, which serves
// spin:postgres@3.0.0 and Spin's wasi:config version on its real Postgres backend, through jco.
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
const SCHEMA = `spin_component_${process.pid}`;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';

let dir = '';
let host: Host | undefined;
let inventory: BuiltService | undefined;
const logs: string[] = [];

/** The service ported, codemodded and built for spin, by the test run's global setup (test/setup). */
function portCodemodBuild(service: string): BuiltService {
  return getBuiltService(service, 'spin');
}

/** What every componentize-js component imports besides its world (StarlingMonkey's own WASI 0.2.12). */
const ENGINE = [
  'wasi:cli/stderr@0.2.12',
  'wasi:clocks/monotonic-clock@0.2.12',
  'wasi:clocks/wall-clock@0.2.12',
  'wasi:http/outgoing-handler@0.2.10',
  'wasi:http/types@0.2.10',
  'wasi:io/error@0.2.12',
  'wasi:io/poll@0.2.12',
  'wasi:io/streams@0.2.12',
  'wasi:random/random@0.2.12',
];

/** What the engine's `stdio` feature adds; it is on because Spin components log to wasi:cli/stdout. */
const STDIO = [
  'wasi:cli/stdin@0.2.12',
  'wasi:cli/stdout@0.2.12',
  'wasi:cli/terminal-input@0.2.12',
  'wasi:cli/terminal-output@0.2.12',
  'wasi:cli/terminal-stderr@0.2.12',
  'wasi:cli/terminal-stdin@0.2.12',
  'wasi:cli/terminal-stdout@0.2.12',
  'wasi:filesystem/preopens@0.2.12',
  'wasi:filesystem/types@0.2.12',
];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-spin-component-'));
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

  inventory = portCodemodBuild('inventory-service');
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
          // Spin variables; db_url is what the guest opens (the host keeps SQL on its own backend, as Spin's
          // allowed_outbound_hosts would have to list it).
          config: { db_url: PG_URL },
          capabilities: ['sql', 'clocks', 'config', 'logging'],
          limits: { instances: 1, timeoutMs: 60_000, memoryMb: 128 },
        },
      ],
    }),
    'spin-component.json',
  );
  host = await createHost({
    config,
    logger: {
      log: (level, component, message, fields) =>
        logs.push(`${level} ${component} ${(fields?.['context'] as string | undefined) ?? '-'} ${message}`),
    },
  });
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

describe('inventory-service built for spin', () => {
  it('imports spin:postgres@3.0.0, Spin variables and the engine WASI, and exports wasi:http', () => {
    expect(inventory!.world).toBe(`package migrate:inventory-service;

world component {
  import spin:postgres/postgres@3.0.0;
  import wasi:cli/stdout@0.2.10;
  import wasi:clocks/wall-clock@0.2.10;
  import wasi:config/store@0.2.0-draft-2024-09-27;
  export wasi:http/incoming-handler@0.2.10;
}
`);
    expect(inventory!.imports).toEqual(
      [
        ...ENGINE,
        ...STDIO,
        'spin:postgres/postgres@3.0.0',
        'wasi:config/store@0.2.0-draft-2024-09-27',
      ].sort(),
    );
    expect(inventory!.exports).toEqual(['wasi:http/incoming-handler@0.2.10']);
  });

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
    // The ported SLF4J logger writes its lines to wasi:cli/stdout, Spin's log.
    expect(logs).toContain(
      'info inventory stdout INFO InventoryService: Checking stock for [iphone_13, pixel_8]',
    );
  });

  it('answers an empty list for unknown skus, 400 without skuCode, and its health', async () => {
    const none = await host!.handle('inventory', { method: 'GET', path: '/api/inventory?skuCode=nope' });
    expect(JSON.parse(text(none.body))).toEqual([]);
    const missing = await host!.handle('inventory', { method: 'GET', path: '/api/inventory' });
    expect(missing.status).toBe(400);
    const health = await host!.handle('inventory', { method: 'GET', path: '/actuator/health' });
    expect(JSON.parse(text(health.body))).toEqual({ status: 'UP' });
  });
});

describe('product-service built for spin', () => {
  it("imports Spin's Redis and variables, and nothing Spin lacks", async () => {
    const product = portCodemodBuild('product-service');
    expect(product.imports).toEqual(
      [...ENGINE, ...STDIO, 'fermyon:spin/redis@2.0.0', 'wasi:config/store@0.2.0-draft-2024-09-27'].sort(),
    );
    expect(product.exports).toEqual(['wasi:http/incoming-handler@0.2.10']);
    expect(product.size).toBeGreaterThan(1_000_000);
    // On Spin the guest names its Redis: the ported spring.data.redis.*, unless the variable redis_address is set.
    const bind = await readFile(join(product.root, 'src/component-bind.ts'), 'utf8');
    expect(bind).toContain('redisAddress: () => toRedisAddress(loadConfig()),');
    expect(bind).not.toContain('sqlAddress');
  });
});
