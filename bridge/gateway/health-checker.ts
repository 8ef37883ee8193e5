import { Agent, request } from 'undici';
import type { Side } from './config-schema.ts';
import type { RouteState } from './route-state.ts';

/** What one check found: an answer below 500 is healthy; no answer, a timeout or a 5xx is not. */
export interface CheckResult {
  healthy: boolean;
  status?: number;
  error?: string;
}

export type HealthChange = (
  route: RouteState,
  side: Side,
  origin: string,
  change: 'down' | 'up' | 'restored',
  result: CheckResult,
) => void;

interface OriginState {
  failures: number;
  successes: number;
  inFlight: boolean;
}

const sides: readonly Side[] = ['container', 'wasm'];

/** The path a side's origins are checked on: configured, else the route's prefix. */
export function healthPath(route: RouteState, side: Side): string {
  const health = route.config.health;
  const base = health.path ?? route.config.prefix;
  return side === 'wasm' ? (health.wasmPath ?? base) : base;
}

/**
 * Active health checks for both sides of every route: each origin is asked `GET <path>` every interval, on its
 * own connection pool (a hung upstream does not hold up request traffic's connections). An origin goes out
 * after `unhealthyAfter` failed checks in a row and comes back after `healthyAfter` good ones; a good check
 * also ends a passive ejection at once.
 */
export class HealthChecker {
  readonly #agent = new Agent({ connections: 4, keepAliveTimeout: 10_000, connect: { timeout: 1000 } });
  readonly #timers = new Map<string, NodeJS.Timeout>();
  readonly #state = new Map<string, OriginState>();
  readonly #onChange: HealthChange;
  #stopped = false;

  constructor(onChange: HealthChange) {
    this.#onChange = onChange;
  }

  /** (Re)starts the timers for these routes; called at start and after every reload. */
  sync(routes: readonly RouteState[]): void {
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
    if (this.#stopped) return;
    for (const route of routes) {
      if (!route.config.health.enabled) continue;
      const tick = (): void => {
        for (const side of sides) {
          for (const origin of route.upstreams[side].origins) void this.#check(route, side, origin);
        }
      };
      const timer = setInterval(tick, route.config.health.intervalMs);
      timer.unref();
      this.#timers.set(route.config.name, timer);
      tick();
    }
  }

  async #check(route: RouteState, side: Side, origin: string): Promise<void> {
    const key = `${route.config.name} ${side} ${origin}`;
    let state = this.#state.get(key);
    if (state === undefined) {
      state = { failures: 0, successes: 0, inFlight: false };
      this.#state.set(key, state);
    }
    if (state.inFlight) return;
    state.inFlight = true;
    const result = await this.#probe(origin, healthPath(route, side), route.config.health.timeoutMs);
    state.inFlight = false;
    if (this.#stopped) return;
    const health = route.config.health;
    const set = route.upstreams[side];
    if (!set.origins.includes(origin)) return; // removed by a reload meanwhile
    if (result.healthy) {
      state.failures = 0;
      state.successes += 1;
      if (set.isDown(origin) && state.successes >= health.healthyAfter) {
        set.setDown(origin, false);
        this.#onChange(route, side, origin, 'up', result);
      }
      if (set.restore(origin)) this.#onChange(route, side, origin, 'restored', result);
    } else {
      state.successes = 0;
      state.failures += 1;
      if (!set.isDown(origin) && state.failures >= health.unhealthyAfter) {
        set.setDown(origin, true);
        this.#onChange(route, side, origin, 'down', result);
      }
    }
  }

  async #probe(origin: string, path: string, timeoutMs: number): Promise<CheckResult> {
    try {
      const response = await request(`${origin}${path}`, {
        dispatcher: this.#agent,
        method: 'GET',
        headers: { 'user-agent': 'migrate-gateway-health' },
        headersTimeout: timeoutMs,
        bodyTimeout: timeoutMs,
        signal: AbortSignal.timeout(timeoutMs),
      });
      await response.body.dump();
      return { healthy: response.statusCode < 500, status: response.statusCode };
    } catch (error) {
      const code = (error as { code?: unknown }).code;
      return { healthy: false, error: typeof code === 'string' ? code : (error as Error).name };
    }
  }

  async stop(): Promise<void> {
    this.#stopped = true;
    for (const timer of this.#timers.values()) clearInterval(timer);
    this.#timers.clear();
    await this.#agent.destroy().catch(() => undefined);
  }
}
