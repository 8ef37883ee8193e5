import { mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, StorageType, type JetStreamManager, type NatsConnection } from 'nats';
import pg from 'pg';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createHost, type Host } from '../../../bridge/host/host.ts';
import { parseHostConfig } from '../../../bridge/host/config.ts';
import { silentLogger } from '../../../bridge/host/logger.ts';
import { getFixtureWasm } from './helpers.ts';
import {
  startPrivateNats,
  startPrivatePostgres,
  type PrivateNats,
  type PrivatePostgres,
} from '../../helpers/private-services.ts';

// Restarts Postgres and stops NATS: a cluster and a server of this test's own (the machine's shared ones serve
// every other test file running beside this one).
const run = `f${process.pid}${Date.now().toString(36)}`;
let postgres: PrivatePostgres | undefined;
let nats: PrivateNats | undefined;
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

/** A client of this test's NATS server that follows it across restarts. */
const follow = (): Promise<NatsConnection> =>
  connect({ servers: nats!.url, maxReconnectAttempts: -1, reconnectTimeWait: 100 });

/** The bodies `stream` holds, in order. */
async function storedBodies(jsm: JetStreamManager, stream: string): Promise<string[]> {
  const info = await jsm.streams.info(stream);
  const bodies: string[] = [];
  for (let seq = info.state.first_seq; seq <= info.state.last_seq && info.state.messages > 0; seq += 1) {
    bodies.push((await jsm.streams.getMessage(stream, { seq })).string());
  }
  return bodies;
}

async function until(check: () => Promise<boolean>, ms: number): Promise<boolean> {
  const deadline = Date.now() + ms;
  while (Date.now() < deadline) {
    if (await check().catch(() => false)) return true;
    await sleep(250);
  }
  return false;
}

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'migrate-host-faults-'));
  const sql = getFixtureWasm('sql');
  const messaging = getFixtureWasm('messaging');
  [postgres, nats] = await Promise.all([startPrivatePostgres(), startPrivateNats()]);
  const db = new pg.Client({ connectionString: postgres.url });
  await db.connect();
  await db.query(
    `CREATE SCHEMA ${run}; CREATE TABLE ${run}.items (id serial PRIMARY KEY, name text NOT NULL)`,
  );
  await db.end();
  const config = parseHostConfig(
    JSON.stringify({
      cacheDir: join(dir, 'cache'),
      backends: { postgres: { url: postgres.url, poolSize: 2 }, nats: { url: nats.url } },
      components: [
        {
          name: 'sql',
          wasm: sql,
          capabilities: ['sql', 'config'],
          config: { table: `${run}.items` },
          limits: { instances: 1 },
        },
        { name: 'messaging', wasm: messaging, capabilities: ['messaging'], limits: { instances: 1 } },
        // a publish held across two server restarts: a wait budget no loaded machine runs out of
        {
          name: 'durable',
          wasm: messaging,
          capabilities: ['messaging'],
          limits: { instances: 1, timeoutMs: 120_000 },
        },
      ],
    }),
    'faults.json',
  );
  host = await createHost({ config, logger: silentLogger });
});

afterAll(async () => {
  await host?.close();
  await Promise.all([postgres?.stop(), nats?.stop()]);
});

describe('backend faults', () => {
  it('returns error values while Postgres restarts, then recovers without restarting the host', async () => {
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
      await postgres!.restart();
    } finally {
      restarting = false;
      await load;
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
        120_000,
      ),
    ).toBe(true);
  });

  it('holds a publish while NATS restarts and sends it once the connection is back', async () => {
    expect((await call('messaging', 'POST', `/publish/${run}.warm`, 'x')).status).toBe(202);
    await nats!.kill();
    // sent while the server is down: it waits for the reconnect instead of failing at once
    const publishing = call('messaging', 'POST', `/publish/${run}.restart`, 'during');
    await nats!.start();
    expect(await publishing).toMatchObject({ status: 202 });
  });

  it('answers a publish only once NATS has it: a stalled server that crashes loses nothing confirmed', async () => {
    const nc = await follow();
    try {
      const jsm = await nc.jetstreamManager();
      const stream = `STALL_${run}`;
      await jsm.streams.add({ name: stream, subjects: [`${run}.stall`], storage: StorageType.File });
      expect((await call('messaging', 'POST', `/publish/${run}.stall`, 'before')).status).toBe(202);
      nats!.stall();
      // the PUB reaches the stalled server's socket and is never read: a publish that answered at once is lost
      const publishing = call('messaging', 'POST', `/publish/${run}.stall`, 'stalled');
      let answer: unknown;
      void publishing.then((result) => (answer = result));
      await sleep(500);
      const answeredWhileStalled = answer;
      await nats!.crash();
      await nats!.start();
      expect(answeredWhileStalled, 'the publish was answered while NATS was stopped').toBeUndefined();
      expect(await publishing).toMatchObject({ status: 202 });
      await until(async () => (await jsm.streams.info(stream)).state.messages >= 2, 30_000);
      expect(await storedBodies(jsm, stream)).toEqual(['before', 'stalled']);
    } finally {
      await nc.close();
    }
  });

  it('answers a publish to a stream only once the stream stored it, not when a server without it took it', async () => {
    const nc = await follow();
    try {
      const jsm = await nc.jetstreamManager();
      const stream = `ACKED_${run}`;
      const subject = `${run}.acked`;
      await jsm.streams.add({ name: stream, subjects: [subject], storage: StorageType.File });
      expect((await call('durable', 'POST', `/publish/${subject}`, 'before')).status).toBe(202);
      // a core subscription sees the host's message whichever way it is sent (a JetStream publish is a PUB too)
      const seen = nc.subscribe(subject);
      // the server comes back without JetStream: it takes PUBs and stores nothing, as a server that is shutting
      // down does (it stops JetStream before it closes its clients' connections)
      await nats!.kill();
      await nats!.start({ jetstream: false });
      expect(await until(async () => (await nc.flush(), true), 60_000)).toBe(true);
      const publishing = call('durable', 'POST', `/publish/${subject}`, 'during');
      for await (const m of seen) if (m.string() === 'during') break;
      seen.unsubscribe();
      await nats!.kill();
      await nats!.start();
      expect(await publishing).toMatchObject({ status: 202 });
      expect(await storedBodies(jsm, stream)).toEqual(['before', 'during']);
    } finally {
      await nc.close();
    }
  });

  it('delivers every publish it confirmed exactly once when NATS restarts under load', async () => {
    // a JetStream stream (stored in the server's directory, kept across the restart) captures the subject
    const nc = await follow();
    try {
      const jsm = await nc.jetstreamManager();
      await jsm.streams.add({ name: `LEDGER_${run}`, subjects: [`${run}.load`], storage: StorageType.File });
      const answers = new Map<string, number>();
      let restarting = true;
      const load = (async () => {
        // publishes before, across and after the restart: some race the server's exit
        for (let i = 0; restarting || i < 20; i += 1) {
          const body = `m${i}`;
          answers.set(body, (await call('messaging', 'POST', `/publish/${run}.load`, body)).status);
          await sleep(5);
        }
      })();
      try {
        await sleep(300);
        await nats!.kill();
        await nats!.start();
        await sleep(300);
      } finally {
        restarting = false;
        await load;
      }
      const confirmed = [...answers].filter(([, status]) => status === 202).map(([body]) => body);
      // the stream stores behind the server's PONG: read it once it holds at least what was confirmed
      await until(
        async () => (await jsm.streams.info(`LEDGER_${run}`)).state.messages >= confirmed.length,
        30_000,
      );
      const stored = new Map<string, number>();
      for (const body of await storedBodies(jsm, `LEDGER_${run}`))
        stored.set(body, (stored.get(body) ?? 0) + 1);
      expect(confirmed.length).toBeGreaterThanOrEqual(20);
      expect(confirmed.filter((body) => stored.get(body) !== 1)).toEqual([]);
      // nothing a guest was told failed is in the stream twice either
      expect([...stored].filter(([, count]) => count > 1)).toEqual([]);
    } finally {
      await nc.close();
    }
  });

  it('returns error values while NATS is down, then recovers', async () => {
    expect((await call('messaging', 'POST', `/publish/${run}.a`, 'x')).status).toBe(202);
    let down: { status: number; body: unknown } | undefined;
    try {
      await nats!.kill();
      await until(async () => {
        down = await call('messaging', 'POST', `/publish/${run}.b`, 'y');
        return down.status === 503;
      }, 60_000);
    } finally {
      await nats!.start();
    }
    expect(down?.status).toBe(503);
    expect(String((down?.body as { capabilityError: unknown }).capabilityError)).toMatch(/nats unavailable/);
    expect(
      await until(
        async () => (await call('messaging', 'POST', `/publish/${run}.c`, 'z')).status === 202,
        120_000,
      ),
    ).toBe(true);
  });
});
