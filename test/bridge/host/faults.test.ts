import { execFileSync, execSync } from 'node:child_process';
import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../bridge/host/host.ts';
import { parseHostConfig } from '../../../bridge/host/config.ts';
import { silentLogger } from '../../../bridge/host/logger.ts';
import { getFixtureWasm } from './helpers.ts';

// Restarts the machine's shared Postgres and NATS; every test restores the service in `finally`.
const run = `f${process.pid}${Date.now().toString(36)}`;
const PG_URL = 'postgres://postgres@127.0.0.1:5432/test';
let host: Host;
let dir: string;

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const call = async (name: string, method: string, path: string, body?: string) => {
  const response = await host.handle(name, {
    method,
    path,
    ...(body === undefined ? {} : { body: new TextEncoder().encode(body) }),
  });
  return { status: response.status, body: JSON.parse(new TextDecoder().decode(response.body) || 'null') };
};

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}

function pgCtl(action: 'restart' | 'start'): void {
  const version = execSync('ls /etc/postgresql').toString().trim().split('\n')[0]!;
  execFileSync('pg_ctlcluster', ['--skip-systemctl-redirect', version, 'main', action], { stdio: 'ignore' });
}

function startNats(): void {
  execFileSync(
    'start-stop-daemon',
    [
      '--start',
      '--oknodo',
      '--background',
      '--exec',
      '/usr/sbin/nats-server',
      '--',
      '-a',
      '127.0.0.1',
      '-p',
      '4222',
      '-js',
      '-sd',
      '/var/lib/nats-server',
      '-l',
      '/var/log/nats-server.log',
    ],
    { stdio: 'ignore' },
  );
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-host-faults-'));
  const sql = getFixtureWasm('sql');
  const messaging = getFixtureWasm('messaging');
  const db = new pg.Client({ connectionString: PG_URL });
  await db.connect();
  await db.query(
    `CREATE SCHEMA ${run}; CREATE TABLE ${run}.items (id serial PRIMARY KEY, name text NOT NULL)`,
  );
  await db.end();
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: { postgres: { url: PG_URL, poolSize: 2 }, nats: { url: 'nats://127.0.0.1:4222' } },
      components: [
        {
          name: 'sql',
          wasm: sql,
          capabilities: ['sql', 'config'],
          config: { table: `${run}.items` },
          limits: { instances: 1 },
        },
        { name: 'messaging', wasm: messaging, capabilities: ['messaging'], limits: { instances: 1 } },
      ],
    }),
    'faults.json',
  );
  host = await createHost({ config, logger: silentLogger });
});

afterAll(async () => {
  await host?.close();
  await until(async () => {
    const db = new pg.Client({ connectionString: PG_URL });
    await db.connect();
    await db.query(`DROP SCHEMA IF EXISTS ${run} CASCADE`);
    await db.end();
    return true;
  }, 20_000);
});

describe('backend faults', () => {
  it(
    'returns error values while Postgres restarts, then recovers without restarting the host',
    { timeout: 90_000 },
    async () => {
      expect((await call('sql', 'POST', '/items', '{"name":"before"}')).status).toBe(201);
      const statuses: number[] = [];
      const errors: unknown[] = [];
      let restarting = true;
      const load = (async () => {
        for (let i = 0; i < 400 && restarting; i += 1) {
          const result = await call('sql', 'POST', '/items', `{"name":"during-${i}"}`);
          statuses.push(result.status);
          if (result.status !== 201) errors.push(result.body);
          await sleep(20);
        }
      })();
      try {
        pgCtl('restart');
      } finally {
        restarting = false;
        await load;
        if (!(await until(async () => (await call('sql', 'GET', '/items')).status === 200, 30_000)))
          pgCtl('start');
      }
      // Every answer is a row or a clear error value from the capability, never a trap.
      expect(statuses.every((status) => status === 201 || status === 503)).toBe(true);
      for (const error of errors) {
        expect(error).toMatchObject({
          capabilityError: { tag: expect.stringMatching(/unexpected|invalid-query/) },
        });
      }
      expect(
        await until(
          async () => (await call('sql', 'POST', '/items', '{"name":"after"}')).status === 201,
          30_000,
        ),
      ).toBe(true);
    },
  );

  it('returns error values while NATS is down, then recovers', { timeout: 90_000 }, async () => {
    expect((await call('messaging', 'POST', `/publish/${run}.a`, 'x')).status).toBe(202);
    let down: { status: number; body: unknown } | undefined;
    try {
      const pid = execSync("pgrep -f '^/usr/sbin/nats-server .*-p 4222'").toString().trim().split('\n')[0]!;
      process.kill(Number(pid), 'SIGTERM');
      await until(async () => {
        down = await call('messaging', 'POST', `/publish/${run}.b`, 'y');
        return down.status === 503;
      }, 15_000);
    } finally {
      startNats();
    }
    expect(down?.status).toBe(503);
    expect(String((down?.body as { capabilityError: unknown }).capabilityError)).toMatch(/nats unavailable/);
    expect(
      await until(
        async () => (await call('messaging', 'POST', `/publish/${run}.c`, 'z')).status === 202,
        30_000,
      ),
    ).toBe(true);
  });
});
