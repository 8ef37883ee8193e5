import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runVerify, type VerifyResult } from '../../verify/index.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';
import {
  PG_URL,
  startWidgetService,
  WIDGET_OPENAPI,
  WIDGET_SEED,
  type Change,
  type WidgetService,
} from './widget-service.ts';

const RUN = `verify_test_${process.pid}`;

describe('runVerify against real servers, Postgres and NATS', () => {
  let dir: string;
  let seed: string;
  const schemas: string[] = [];
  const started: WidgetService[] = [];

  /** Legacy and a component imitation with `change`, each on a schema and subject of its own. */
  async function sides(change: Change, label: string) {
    const legacyEnv = { DB_SCHEMA: `${RUN}_${label}_l`, NATS_SUBJECT: `${RUN}.${label}.l` };
    const componentEnv = { DB_SCHEMA: `${RUN}_${label}_c`, NATS_SUBJECT: `${RUN}.${label}.c` };
    schemas.push(legacyEnv.DB_SCHEMA, componentEnv.DB_SCHEMA);
    const legacy = await startWidgetService({
      schema: legacyEnv.DB_SCHEMA,
      subject: legacyEnv.NATS_SUBJECT,
      change: 'none',
    });
    const component = await startWidgetService({
      schema: componentEnv.DB_SCHEMA,
      subject: componentEnv.NATS_SUBJECT,
      change,
    });
    started.push(legacy, component);
    return {
      legacy: { target: legacy.url, env: legacyEnv },
      component: { target: component.url, env: componentEnv },
    };
  }

  async function verify(change: Change, label: string): Promise<VerifyResult> {
    return runVerify({
      service: 'widget-service',
      estate: dir,
      ...(await sides(change, label)),
      openapi: WIDGET_OPENAPI,
      seed: [seed],
    });
  }

  beforeAll(async () => {
    dir = await mkdtemp(join(tmpdir(), 'migrate-verify-'));
    seed = join(dir, 'seed.sql');
    await writeFile(seed, WIDGET_SEED);
  });

  afterAll(async () => {
    for (const service of started) await service.close();
    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    for (const schema of schemas) await db.query(`DROP SCHEMA IF EXISTS "${schema}" CASCADE`);
    await db.end();
    await rm(dir, { recursive: true, force: true });
  });

  it('finds equal services equivalent, with generated ids and timestamps learned as noise', async () => {
    const result = await verify('none', 'same');
    expect(result.mismatches).toEqual([]);
    expect(result.passed).toBe(true);
    expect(result.requests).toBeGreaterThanOrEqual(8);
    expect(result.notes.filter((n) => /not compared/.test(n))).toEqual([
      'keys not compared: set REDIS_DATABASE in --legacy-env and --component-env',
    ]);
    const learned = result.noise.filter((n) => n.explained > 0).map((n) => `${n.operation} ${n.pattern}`);
    expect(learned).toEqual(
      expect.arrayContaining([
        'POST /api/widget /body/code',
        'POST /api/widget /body/createdAt',
        'POST /api/widget /rows/t_widget/inserted/*/code',
        'POST /api/widget /messages/*/code',
        'GET /api/widget /body/*/code',
      ]),
    );
  });

  it.each([
    ['answer-field', '/body/price'],
    ['status', '/status'],
    ['row', '/rows/t_widget/inserted/0/name'],
    ['message', '/messages/0/source'],
  ] as const)('catches a component that differs in its %s (%s)', async (change, pointer) => {
    const result = await verify(change, change.replace('-', '_'));
    expect(result.passed).toBe(false);
    const named = result.mismatches.flatMap((m) => m.differences.map((d) => d.pointer));
    expect(named).toContain(pointer);
    const mismatch = result.mismatches.find((m) => m.differences.some((d) => d.pointer === pointer))!;
    expect(mismatch.request).toMatchObject({ method: 'POST', path: '/api/widget' });
  });

  it('exits 1 and names the field when a replayed request is answered differently (migrate verify --replay)', async () => {
    const { legacy, component } = await sides('answer-field', 'cli');
    const replay = join(dir, 'traffic.ndjson');
    const record = (body: string): string =>
      `${JSON.stringify({ v: 1, method: 'POST', path: '/api/widget', headers: { 'content-type': 'application/json' }, body })}\n`;
    await writeFile(replay, record('{"name":"gear","price":2.5}') + record('{"name":"bolt"}'));
    const flags = (option: string, env: Record<string, string>): string[] =>
      Object.entries(env).flatMap(([key, value]) => [option, `${key}=${value}`]);
    const run = await runCliCaptured([
      'verify',
      'widget-service',
      '--estate',
      dir,
      '--legacy',
      legacy.target,
      '--component',
      component.target,
      ...flags('--legacy-env', legacy.env),
      ...flags('--component-env', component.env),
      '--seed',
      seed,
      '--replay',
      replay,
      '--no-generate',
    ]);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/verify widget-service: DIFFERENT/);
    expect(run.stdout).toMatch(/MISMATCH replay-1 POST \/api\/widget \(recorded\)/);
    expect(run.stdout).toMatch(/differs {3}\/body\/price: legacy 2\.5, component 3\.5/);
    expect(run.stdout).toMatch(/2 requests, 1 equal, 1 with unexplained differences/);
    const json = await runCliCaptured([
      'verify',
      'widget-service',
      '--estate',
      dir,
      '--legacy',
      legacy.target,
      '--component',
      component.target,
      '--replay',
      replay,
      '--no-generate',
      '--json',
      '--ignore',
      '/body/price',
    ]);
    expect(json.code).toBe(0);
    expect(JSON.parse(json.stdout)).toMatchObject({
      schemaVersion: '1',
      passed: true,
      requests: 2,
      mismatches: [],
    });
  });
});
