import { createServer, connect, type Server, type Socket } from 'node:net';
import type { AddressInfo } from 'node:net';
import { afterEach, describe, expect, it } from 'vitest';
import { Backends } from '../../../bridge/host/backends.ts';
import { retryWhileNotSent } from '../../../bridge/host/pg-connect-retry.ts';

const refused = Object.assign(new Error('connect ECONNREFUSED'), { code: 'ECONNREFUSED' });
const lostMidStatement = Object.assign(new Error('terminating connection'), { code: '57P01' });

describe('retryWhileNotSent', () => {
  /** A fake clock: sleeping moves time on, nothing waits. */
  function clock() {
    let t = 0;
    return { now: () => t, sleep: (ms: number) => Promise.resolve(void (t += ms)) };
  }

  it('tries again after refused connections and a starting server, and returns the first success', async () => {
    const c = clock();
    const failures = [refused, Object.assign(new Error('starting up'), { code: '57P03' })];
    let calls = 0;
    const result = await retryWhileNotSent(
      () => {
        calls += 1;
        const failure = failures.shift();
        return failure === undefined ? Promise.resolve('row') : Promise.reject(failure);
      },
      { waitMs: 5000, stepMs: 100 },
      c.now,
      c.sleep,
    );
    expect(result).toBe('row');
    expect(calls).toBe(3);
  });

  it('never repeats a statement whose connection was lost while it ran', async () => {
    const c = clock();
    let calls = 0;
    const work = (): Promise<never> => {
      calls += 1;
      return Promise.reject(lostMidStatement);
    };
    await expect(retryWhileNotSent(work, { waitMs: 5000, stepMs: 100 }, c.now, c.sleep)).rejects.toBe(
      lostMidStatement,
    );
    expect(calls).toBe(1);
  });

  it('gives up with the last error once the wait is over', async () => {
    const c = clock();
    let calls = 0;
    const work = (): Promise<never> => {
      calls += 1;
      return Promise.reject(refused);
    };
    await expect(retryWhileNotSent(work, { waitMs: 1000, stepMs: 100 }, c.now, c.sleep)).rejects.toBe(
      refused,
    );
    expect(calls).toBe(11); // at 0, 100, …, 1000 ms
  });
});

describe('a component statement while Postgres restarts', () => {
  const servers: Server[] = [];
  const sockets: Socket[] = [];
  afterEach(async () => {
    for (const s of sockets.splice(0)) s.destroy();
    await Promise.all(servers.splice(0).map((s) => new Promise((done) => s.close(done))));
  });

  it('waits for the server to accept connections again instead of failing', async () => {
    // a port nothing listens on (Postgres is down); a proxy to the real Postgres opens on it later
    const probe = createServer();
    await new Promise<void>((done) => probe.listen(0, '127.0.0.1', done));
    const port = (probe.address() as AddressInfo).port;
    await new Promise((done) => probe.close(done));

    const backends = new Backends({ log: () => undefined });
    const dispatch = backends.createDispatch({
      name: 'orders',
      capabilities: new Set(['sql']),
      allowedHosts: [],
      backends: { postgres: { url: `postgres://postgres@127.0.0.1:${port}/test`, poolSize: 2 } },
    });
    try {
      const pending = dispatch('sql.query', ['SELECT 41 + 1 AS answer', []], undefined);
      // the restart: down for a moment (connections refused meanwhile), then back
      await new Promise((done) => setTimeout(done, 300));
      const proxy = createServer((client) => {
        const server = connect(5432, '127.0.0.1');
        sockets.push(client, server);
        client.pipe(server).pipe(client);
        client.on('error', () => server.destroy());
        server.on('error', () => client.destroy());
      });
      servers.push(proxy);
      await new Promise<void>((done) => proxy.listen(port, '127.0.0.1', done));
      const outcome = await pending;
      if (!outcome.ok) throw new Error(`the statement failed: ${JSON.stringify(outcome.error)}`);
      const rows = outcome.value as { columnName: string; value: { val: unknown } }[][];
      expect(rows[0]!.map((c) => [c.columnName, String(c.value.val)])).toEqual([['answer', '42']]);
    } finally {
      await backends.close();
    }
  });
});
