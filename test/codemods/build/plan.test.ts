import { mkdtemp, mkdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { Project } from 'ts-morph';
import { afterAll, describe, expect, it } from 'vitest';
import {
  collectCapabilityUses,
  createUnsupportedError,
  loadBuildPlan,
  planBuild,
} from '../../../codemods/index.ts';
import { findMissingWitPackages, getWitPackageFolder } from '../../../codemods/build/check-imports.ts';
import { checkLinksByRule, loadRuntimeWorld } from '../../../codemods/build/link-check.ts';
import { getSupportedInterfaces } from '../../../shared/catalog.ts';
import { getRuntime, REAL_TARGETS, type RealTarget } from '../../../shared/runtimes.ts';

/** The imports Wasmtime's rule finds no host definition for on the target's runtime. */
function findUnlinked(imports: readonly string[], target: RealTarget): string[] {
  const runtime = getRuntime(target);
  const [link] = checkLinksByRule(imports, [{ runtime, world: loadRuntimeWorld(runtime) }]);
  return link!.unlinked.map((entry) => entry.import);
}

const ROOT = '/svc';

function plan(files: Record<string, string>, target: 'wasmcloud' | 'spin' | 'embedded') {
  const project = new Project({ useInMemoryFileSystem: true });
  const sourceFiles = Object.entries(files).map(([path, text]) =>
    project.createSourceFile(join(ROOT, path), text),
  );
  return planBuild(collectCapabilityUses(sourceFiles, ROOT), target);
}

const SQL_KV = {
  'src/repo.ts': `import { caps } from './caps/capabilities.ts';

export async function find(id: string) {
  const cached = await caps.kv.get(id);
  if (cached !== null) return JSON.parse(cached);
  const { rows } = await caps.sql.query('select * from orders where id = $1', [id]);
  await caps.kv.bucket('orders').set(id, JSON.stringify(rows[0]));
  return rows[0];
}
`,
};

const MESSAGING = {
  'src/app.ts': `import { caps } from './caps/capabilities.ts';

export function handler() {
  return caps.clock.nowMs();
}
`,
  'src/events.ts': `import { caps as c } from './caps/capabilities.ts';

export function placed(id: string): void {
  c.log.info('placed', id);
  c.messaging.publish('orders.placed', JSON.stringify({ id }));
}

export function again(id: string): void {
  c.messaging.publish('orders.again', id);
}
`,
};

describe('planBuild', () => {
  it('maps sql + kv to the exact interfaces of each target', () => {
    expect(plan(SQL_KV, 'wasmcloud')).toMatchObject({
      capabilities: ['kv', 'sql'],
      effectKinds: ['kv', 'sql'],
      imports: ['wasi:keyvalue/store@0.2.0-draft', 'wasmcloud:postgres/query@0.1.1-draft'],
      exports: ['wasi:http/incoming-handler@0.2.10'],
      unsupported: [],
    });
    expect(plan(SQL_KV, 'embedded').imports).toEqual([
      'wasi:keyvalue/store@0.2.0-draft',
      'wasmcloud:postgres/query@0.1.1-draft',
    ]);
    expect(plan(SQL_KV, 'spin').imports).toEqual([
      'spin:postgres/postgres@3.0.0',
      'wasi:keyvalue/store@0.2.0-draft2',
    ]);
  });

  it('records each use with its member and location', () => {
    const uses = plan(SQL_KV, 'wasmcloud').uses;
    expect(uses.map((u) => `${u.capability}.${u.member}@${u.file}:${u.line}`)).toEqual([
      'kv.get@src/repo.ts:4',
      'sql.query@src/repo.ts:6',
      'kv.bucket@src/repo.ts:7',
    ]);
  });

  it('rejects messaging on spin at the first publish, with the reason and the way out', () => {
    const result = plan(MESSAGING, 'spin');
    expect(result.imports).toEqual([]);
    expect(result.unsupported).toHaveLength(1);
    const [issue] = result.unsupported;
    expect(issue).toMatchObject({
      kind: 'publish',
      severity: 'blocker',
      count: 2,
      use: { capability: 'messaging', member: 'publish', file: 'src/events.ts', line: 5 },
    });
    expect(issue!.reason).toMatch(/NATS/);
    expect(issue!.wayOut).toMatch(/wasmCloud/);
    const error = createUnsupportedError(issue!, 'spin');
    expect(error.code).toBe('MIG_UNSUPPORTED');
    expect(error.message).toMatch(/caps\.messaging\.publish/);
    expect(error.location).toMatchObject({ file: 'src/events.ts', line: 5 });
    expect(error.hint).toBe(issue!.wayOut);
  });

  it('binds caps.redis to fermyon:spin/redis on spin and embedded, and rejects it on wasmcloud with the way out', () => {
    const files = {
      'src/repo.ts': `import { caps } from './caps/capabilities.ts';

export const find = (id: string) => caps.redis.hgetall(\`product:\${id}\`);
`,
    };
    expect(plan(files, 'embedded')).toMatchObject({
      effectKinds: ['redis'],
      imports: ['fermyon:spin/redis@2.0.0'],
      unsupported: [],
    });
    expect(plan(files, 'spin').imports).toEqual(['fermyon:spin/redis@2.0.0']);
    const [issue] = plan(files, 'wasmcloud').unsupported;
    expect(issue).toMatchObject({
      kind: 'redis',
      severity: 'port-needed',
      use: { member: 'hgetall', line: 3 },
    });
    expect(createUnsupportedError(issue!, 'wasmcloud').message).toMatch(
      /^caps\.redis\.hgetall needs the redis capability, which target wasmcloud does not support: wasmCloud has no Redis interface/,
    );
    expect(issue!.wayOut).toMatch(/target spin or embedded/);
  });

  it('logs to wasi:cli/stdout and reads Spin variables on spin', () => {
    expect(plan(MESSAGING, 'spin').unsupported.map((u) => u.kind)).toEqual(['publish']);
    const files = {
      'src/a.ts': `import { caps } from './caps/capabilities.ts';
caps.log.log('info', 'a', caps.config.get('x') ?? '');
`,
    };
    expect(plan(files, 'spin').imports).toEqual([
      'wasi:cli/stdout@0.2.10',
      'wasi:config/store@0.2.0-draft-2024-09-27',
    ]);
  });

  it('accepts messaging on wasmcloud', () => {
    expect(plan(MESSAGING, 'wasmcloud')).toMatchObject({
      effectKinds: ['clock', 'log', 'publish'],
      imports: [
        'wasi:clocks/wall-clock@0.2.10',
        'wasi:logging/logging@0.1.0-draft',
        'wasmcloud:messaging/consumer@0.2.0',
      ],
      exports: ['wasi:http/incoming-handler@0.2.10'],
      unsupported: [],
    });
  });

  it('exports the messaging handler for a subscription', () => {
    const result = plan(
      {
        'src/sub.ts': `import { caps } from '../caps/capabilities.ts';
caps.messaging.subscribe('orders.placed', () => undefined);
`,
      },
      'wasmcloud',
    );
    expect(result.imports).toEqual([]);
    expect(result.exports).toEqual([
      'wasi:http/incoming-handler@0.2.10',
      'wasmcloud:messaging/handler@0.2.0',
    ]);
  });

  it('ignores a `caps` that is not the facade, and a service with no capabilities', () => {
    const result = plan(
      { 'src/a.ts': `const caps = { sql: { query: () => 1 } };\nexport const x = caps.sql.query();\n` },
      'spin',
    );
    expect(result).toMatchObject({ uses: [], imports: [], exports: ['wasi:http/incoming-handler@0.2.10'] });
  });
});

describe('loadBuildPlan', () => {
  const dirs: string[] = [];
  afterAll(async () => Promise.all(dirs.map((d) => rm(d, { recursive: true, force: true }))));

  it('reads src/** and leaves out the copied facade', async () => {
    const dir = await mkdtemp(join(tmpdir(), 'migrate-plan-'));
    dirs.push(dir);
    const files = {
      ...MESSAGING,
      'src/caps/capabilities.ts': `export const caps = {} as any; caps.sql.query('x');\n`,
    };
    for (const [path, text] of Object.entries(files)) {
      await mkdir(dirname(join(dir, path)), { recursive: true });
      await writeFile(join(dir, path), text);
    }
    const result = loadBuildPlan(dir, 'spin');
    expect(result.capabilities).toEqual(['clock', 'log', 'messaging']);
    expect(result.unsupported[0]?.use).toMatchObject({ file: 'src/events.ts', line: 5 });
  });
});

describe('import checks (Wasmtime’s rule against each runtime’s host world)', () => {
  it('allows the runtime’s interfaces and Wasmtime’s WASI 0.2; names the rest', () => {
    const imports = [
      'wasi:cli/stderr@0.2.12',
      'wasi:io/streams@0.2.12',
      'wasi:http/types@0.2.10',
      'wasmcloud:postgres/query@0.1.1-draft',
      'wasmcloud:postgres/types@0.1.1-draft',
      'wasmcloud:messaging/consumer@0.2.0',
      'acme:unknown/thing@1.0.0',
    ];
    expect(findUnlinked(imports, 'wasmcloud')).toEqual(['acme:unknown/thing@1.0.0']);
    expect(findUnlinked(imports, 'spin')).toEqual([
      'wasmcloud:postgres/query@0.1.1-draft',
      'wasmcloud:postgres/types@0.1.1-draft',
      'wasmcloud:messaging/consumer@0.2.0',
      'acme:unknown/thing@1.0.0',
    ]);
  });

  it.each(REAL_TARGETS)('ships the WIT package of every interface the catalog binds on %s', (target) => {
    // wasmcloud:secrets has no facade capability: analyze scores it, build never binds it
    const bound = [...getSupportedInterfaces(target)].filter(
      (name) => !name.startsWith('wasmcloud:secrets/'),
    );
    expect(findMissingWitPackages(bound)).toEqual([]);
  });

  it('accepts what a Spin build of inventory-service imports', () => {
    const imports = [
      'spin:postgres/postgres@3.0.0',
      'wasi:cli/stderr@0.2.12',
      'wasi:clocks/wall-clock@0.2.12',
      'wasi:config/store@0.2.0-draft-2024-09-27',
      'wasi:http/outgoing-handler@0.2.10',
      'wasi:http/types@0.2.10',
      'wasi:io/streams@0.2.12',
      // the engine's stdio feature, on for worlds that log to wasi:cli/stdout
      'wasi:cli/stdout@0.2.12',
      'wasi:filesystem/types@0.2.12',
    ];
    expect(findUnlinked(imports, 'spin')).toEqual([]);
    expect(findUnlinked(imports, 'spin4')).toEqual([]);
    // Wasmtime serves wasi:cli and wasi:filesystem 0.2 in wasmCloud too; Spin's own interfaces it does not
    expect(findUnlinked(imports, 'wasmcloud')).toEqual([
      'spin:postgres/postgres@3.0.0',
      'wasi:config/store@0.2.0-draft-2024-09-27',
    ]);
  });

  it('names the WIT package folder of an interface', () => {
    expect(getWitPackageFolder('spin:postgres/postgres@3.0.0')).toBe('spin-postgres-3.0.0');
    expect(getWitPackageFolder('wasi:keyvalue/store@0.2.0-draft')).toBe('wasi-keyvalue-0.2.0-draft');
    expect(getWitPackageFolder('fermyon:spin/redis@2.0.0')).toBe('fermyon-spin-2.0.0');
  });
});
