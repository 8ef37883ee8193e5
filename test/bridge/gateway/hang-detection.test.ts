import type { ServerResponse } from 'node:http';
import { Pool } from 'undici';
import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway, GatewayEvent } from '../../../bridge/index.ts';
import { isHung, resolveAwakeSince } from '../../../bridge/gateway/health-checker.ts';
import { echo, send, startGateway, startUpstream, testConfig, waitFor, type Upstream } from './helpers.ts';

function eventsOf(gateway: Gateway, type: string): GatewayEvent[] {
  return gateway.events.recent(200).filter((e) => e.type === type);
}

describe('hang detection by silence', () => {
  it('is hung once a check has waited hungAfterMs with nothing answered since', () => {
    // a check pending since 1000, the last answer of any kind at 1100
    expect(isHung(1000, 1100, 1599, 500)).toBe(false);
    expect(isHung(1000, 1100, 1600, 500)).toBe(true);
    // an answer older than the pending check: silence counts from the check
    expect(isHung(1000, 900, 1499, 500)).toBe(false);
    expect(isHung(1000, 900, 1500, 500)).toBe(true);
    // nothing pending, the rule off, or an origin that never answered (left to check timeouts): never hung
    expect(isHung(undefined, 900, 1_000_000, 500)).toBe(false);
    expect(isHung(1000, 900, 1_000_000, 0)).toBe(false);
    expect(isHung(1000, 0, 1_000_000, 500)).toBe(false);
  });

  it('counts no silence from a stall of the gateway itself: it starts again when the loop is awake again', () => {
    // every 100 ms a tick; one came 700 ms late (the loop blocked, answers unread in the sockets)
    expect(resolveAwakeSince(0, 1000, 1100, 100)).toBe(0);
    expect(resolveAwakeSince(0, 1000, 1190, 100)).toBe(0);
    expect(resolveAwakeSince(0, 1100, 1900, 100)).toBe(1900);
    expect(resolveAwakeSince(1900, undefined, 1950, 100)).toBe(1900);
    // a check pending since 1000 and the last answer at 1100: 800 ms of silence, but the loop was stalled
    expect(isHung(1000, 1100, 1900, 500)).toBe(true);
    expect(isHung(1000, 1100, 1900, 500, 1900)).toBe(false);
    expect(isHung(1000, 1100, 2399, 500, 1900)).toBe(false);
    // still nothing 500 ms after the stall, with the loop running: hung
    expect(isHung(1000, 1100, 2400, 500, 1900)).toBe(true);
  });
});

describe('gateway with a hung upstream', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function upstream(behaviour: Parameters<typeof startUpstream>[0]): Promise<Upstream> {
    const u = await startUpstream(behaviour);
    cleanup.push(() => u.close());
    return u;
  }

  async function gatewayFor(route: Record<string, unknown>) {
    const gateway = await startGateway(
      testConfig({
        sticky: { from: 'header', name: 'x-user-id' },
        routes: [{ name: 'order', prefix: '/api/order', ...route }],
      }),
    );
    const pool = new Pool(gateway.url, { connections: 4 });
    cleanup.push(
      () => gateway.stop(),
      () => pool.close(),
    );
    return { gateway, pool };
  }

  it('takes out a stopped origin by silence, before its check times out, and puts it back when it answers', async () => {
    let stopped = false;
    const held: (() => void)[] = [];
    const container = await upstream((req, res, body) => {
      const answer = (): void => echo('container')(req, res, body);
      // like SIGSTOP: connections are accepted, nothing comes back until SIGCONT
      if (stopped) held.push(answer);
      else answer();
    });
    const wasm = await upstream(echo('wasm'));
    const { gateway, pool } = await gatewayFor({
      container: [container.url],
      wasm: [wasm.url],
      weight: 0,
      // the check timeout cannot fire within the test: only silence can take the origin out
      // two seconds of silence: on a busy machine (load 47 seen) a check of the idle wasm side took over 1 s
      health: { intervalMs: 50, timeoutMs: 600_000, unhealthyAfter: 1, hungAfterMs: 2000 },
    });
    expect((await send(pool, '/api/order')).side).toBe('container');
    stopped = true;
    const down = await waitFor(() =>
      eventsOf(gateway, 'upstream.unhealthy').find((e) => e.side === 'container'),
    );
    expect(down).toMatchObject({ origin: container.url, healthy: false, error: 'hung' });
    expect(down.silentMs).toBeGreaterThanOrEqual(2000);
    expect(gateway.getState().routes[0]!.unhealthy.container).toEqual([container.url]);
    // weight 0, yet the answer comes from wasm: a failover, recorded as such
    expect((await send(pool, '/api/order')).side).toBe('wasm');
    expect(eventsOf(gateway, 'failover')[0]).toMatchObject({ from: 'container', to: 'wasm', weight: 0 });

    stopped = false;
    for (const answer of held.splice(0)) answer();
    await waitFor(() => eventsOf(gateway, 'upstream.healthy').find((e) => e.side === 'container'));
    const order = gateway.events
      .recent(200)
      .filter((e) => e.side === 'container' || e.from === 'container')
      .map((e) => e.type)
      .filter((type) => type !== 'failover.ended');
    expect(order).toEqual(['upstream.unhealthy', 'failover', 'upstream.healthy']);
    await waitFor(() => (gateway.getState().routes[0]!.failover.container.active ? undefined : true));
    expect((await send(pool, '/api/order')).side).toBe('container');
  });

  it('does not call an origin hung while it answers client requests, however long its check waits', async () => {
    let checks = 0;
    let checkSentAt: number | undefined;
    const pending: ServerResponse[] = [];
    const container = await upstream((req, res, body) => {
      if (req.headers['user-agent'] === 'migrate-gateway-health' && ++checks > 1) {
        // the first check is answered (the origin was alive); the next never is while the test runs
        checkSentAt ??= Date.now();
        pending.push(res);
        return;
      }
      echo('container')(req, res, body);
    });
    const wasm = await upstream(echo('wasm'));
    const hungAfterMs = 1000;
    const { gateway, pool } = await gatewayFor({
      container: [container.url],
      wasm: [wasm.url],
      weight: 0,
      health: { intervalMs: 50, timeoutMs: 600_000, unhealthyAfter: 1, hungAfterMs },
    });
    cleanup.push(() => {
      for (const res of pending) res.end();
      return Promise.resolve();
    });
    let answered = 0;
    // client traffic keeps coming back while the check waits three times hungAfterMs
    while (checkSentAt === undefined || Date.now() - checkSentAt < 3 * hungAfterMs) {
      const result = await send(pool, '/api/order');
      expect(result.side).toBe('container');
      answered += 1;
    }
    expect(answered).toBeGreaterThan(0);
    expect(eventsOf(gateway, 'upstream.unhealthy').filter((e) => e.side === 'container')).toEqual([]);
    expect(gateway.getState().routes[0]!.unhealthy.container).toEqual([]);
  });
});
