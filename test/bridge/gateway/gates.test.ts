import { afterEach, describe, expect, it } from 'vitest';
import type { Gateway, GatewayEvent } from '../../../bridge/index.ts';
import {
  echo,
  startGateway,
  startLoad,
  startUpstream,
  testConfig,
  waitFor,
  type Upstream,
} from './helpers.ts';

describe('gateway gates', () => {
  const cleanup: (() => Promise<void>)[] = [];
  afterEach(async () => {
    for (const step of cleanup.splice(0).reverse()) await step();
  });

  async function setup(gates: Record<string, unknown>): Promise<{ gateway: Gateway; wasm: Upstream }> {
    const container = await startUpstream(echo('container'));
    const wasm = await startUpstream(echo('wasm'));
    const gateway = await startGateway(
      testConfig({
        sticky: { from: 'header', name: 'x-user-id' },
        routes: [
          {
            name: 'order',
            prefix: '/api/order',
            container: [container.url],
            wasm: [wasm.url],
            weight: 50,
            // these tests are about judging, not warm-up or failover grace: gates arm at once (see the
            // warm-up test), and every request failed over from a dead side counts at once (gate-judgement)
            gates: { warmup: { minMs: 0, minRequests: 0 }, failoverGraceMs: 0, ...gates },
          },
        ],
      }),
    );
    cleanup.push(
      () => container.close(),
      () => wasm.close(),
      () => gateway.stop(),
    );
    await waitFor(() => (gateway.getState().routes[0]!.gatesArmed ? true : undefined));
    return { gateway, wasm };
  }

  it('rolls back when the wasm upstream dies, with no failed idempotent request', async () => {
    const { gateway, wasm } = await setup({
      windowMs: 5000,
      minSamples: 20,
      errorRate: { maxIncrease: 0.05 },
    });
    const load = startLoad(gateway.url, {
      workers: 4,
      maxRequests: 4000,
      path: '/api/order/1',
      keyCount: 200,
    });
    await waitFor(() => (load.results.filter((r) => r.side === 'wasm').length > 50 ? true : undefined));
    const killedAt = Date.now();
    await wasm.kill();
    const rollback = await waitFor(() =>
      gateway.events.recent(200).find((e) => e.type === 'route.rolled-back'),
    );
    await new Promise((done) => setTimeout(done, 300));
    await load.stop();

    expect(rollback).toMatchObject({ route: 'order', from: 50, to: 0, source: 'gate', gates: ['errorRate'] });
    const breach = gateway.events.recent(200).find((e) => e.type === 'gate.breach') as GatewayEvent;
    const detail = (breach.breaches as { detail: { firstFailureAt: number; windowMs: number } }[])[0]!.detail;
    expect(detail.windowMs).toBe(5000);
    // the decision is recorded with its timing: the first wasm failure came after the kill, the rollback after it
    // (how fast is a figure for a benchmark, not a bound a busy machine could break)
    expect(detail.firstFailureAt).toBeGreaterThanOrEqual(killedAt);
    expect(rollback.at).toBeGreaterThanOrEqual(detail.firstFailureAt);
    expect(gateway.getState().routes[0]!.weight).toBe(0);
    // every client request succeeded: wasm connection errors were retried on container
    expect(load.results.filter((r) => r.status !== 200)).toEqual([]);
    expect(gateway.events.recent(200).some((e) => e.type === 'request.retried')).toBe(true);
    expect(gateway.events.recent(200).find((e) => e.type === 'upstream.ejected')).toMatchObject({
      side: 'wasm',
      forMs: 1000,
    });
  });

  it('freezes instead of rolling back when the route says so', async () => {
    const { gateway, wasm } = await setup({
      windowMs: 5000,
      minSamples: 20,
      action: 'freeze',
      errorRate: { maxIncrease: 0.05 },
    });
    const load = startLoad(gateway.url, { workers: 2, maxRequests: 2000, path: '/api/order', keyCount: 100 });
    await waitFor(() => (load.results.length > 40 ? true : undefined));
    await wasm.kill();
    const frozen = await waitFor(() => gateway.events.recent(200).find((e) => e.type === 'route.frozen'));
    await load.stop();
    expect(frozen).toMatchObject({ route: 'order', weight: 50 });
    expect(() => gateway.setWeight('order', 60, 'test')).toThrow(/frozen/);
    expect(load.results.filter((r) => r.status !== 200)).toEqual([]);
  });

  it('does not decide below the minimum sample size', async () => {
    const { gateway, wasm } = await setup({
      windowMs: 5000,
      minSamples: 1000,
      errorRate: { maxIncrease: 0.05 },
    });
    await wasm.kill();
    const load = startLoad(gateway.url, { workers: 2, maxRequests: 100, path: '/api/order', keyCount: 50 });
    await load.stop();
    gateway.checkGates();
    expect(gateway.events.recent(200).some((e) => e.type === 'gate.breach')).toBe(false);
    expect(gateway.getState().routes[0]!.weight).toBe(50);
  });
});
