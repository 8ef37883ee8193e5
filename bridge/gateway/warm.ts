import type { GatewayConfig } from './config-schema.ts';
import { healthPath } from './health-checker.ts';
import type { RouteState } from './route-state.ts';
import type { UpstreamPools } from './upstream-pools.ts';

/** What a warm-up did: synthetic GETs per wasm origin and how they went. */
export interface WarmResult {
  path: string;
  origins: number;
  requests: number;
  ok: number;
  failed: number;
  /** Slowest and last answer (ms): a cold component's first answers are much slower than its last. */
  firstMs: number | undefined;
  lastMs: number | undefined;
}

/** The path warm-up requests use: `warm.path`, else the wasm health path, else the prefix. */
export function warmPath(route: RouteState): string {
  return route.config.warm.path ?? healthPath(route, 'wasm');
}

/**
 * Sends `requests` synthetic GETs, one after another, to every usable wasm origin of the route, through the
 * same keep-alive pools as real traffic (so connections are open too). They are not counted by the gates or
 * the metrics: their only purpose is to get the component past its first, slow requests.
 */
export async function warmRoute(
  route: RouteState,
  pools: UpstreamPools,
  config: GatewayConfig,
  requests: number,
): Promise<WarmResult> {
  const path = warmPath(route);
  const origins = route.upstreams.wasm.origins.filter((o) => route.upstreams.wasm.isHealthy(o));
  const result: WarmResult = {
    path,
    origins: origins.length,
    requests: 0,
    ok: 0,
    failed: 0,
    firstMs: undefined,
    lastMs: undefined,
  };
  await Promise.all(
    origins.map(async (origin) => {
      for (let i = 0; i < requests; i += 1) {
        const started = performance.now();
        result.requests += 1;
        try {
          const response = await pools.get(origin).request({
            origin,
            path,
            method: 'GET',
            headers: { 'user-agent': 'migrate-gateway-warm', 'x-migrate-warm': '1' },
            headersTimeout: config.timeouts.headersMs,
            bodyTimeout: config.timeouts.bodyMs,
          });
          await response.body.dump();
          if (response.statusCode < 500) result.ok += 1;
          else result.failed += 1;
        } catch {
          result.failed += 1;
        }
        const ms = Number((performance.now() - started).toFixed(2));
        if (i === 0) result.firstMs = Math.max(result.firstMs ?? 0, ms);
        result.lastMs = ms;
      }
    }),
  );
  return result;
}
