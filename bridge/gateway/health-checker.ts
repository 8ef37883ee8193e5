import { Agent, request } from 'undici';
import type { Side } from './config-schema.ts';
import type { RouteState } from './route-state.ts';

/** What one check found: an answer below 500 is healthy; no answer, a timeout or a 5xx is not. */
export interface CheckResult {
  healthy: boolean;
  status?: number;
  error?: string;
  /** For `error: 'hung'`: how long nothing came back from the origin. */
  silentMs?: number;
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
  /** When the check still waiting for its answer was sent; undefined when none is. */
  pendingSince: number | undefined;
}

/**
 * True when an origin is hung: it answered before, a check has been waiting at least `hungAfterMs`, and nothing
 * came back from the origin (to a check or a client request) in that time. Answers of any kind, however slow,
 * mean it is alive. An origin that never answered (`lastAnswerAt` 0) is left to the check timeouts: a first
 * check can be slow (connecting, a cold process) without anything being wrong.
 *
 * Silence counts only from `awakeSince`, the end of the gateway's own last stall (its event loop blocked or the
 * process not scheduled): during a stall answers wait unread in the sockets, and the timer that asks "hung?"
 * runs before they are read, so every origin would look silent at once (seen at load 20: both sides of both
 * routes "hung" within 200 ms during a Postgres restart).
 */
export function isHung(
  pendingSince: number | undefined,
  lastAnswerAt: number,
  now: number,
  hungAfterMs: number,
  awakeSince = 0,
): boolean {
  if (pendingSince === undefined || hungAfterMs <= 0 || lastAnswerAt === 0) return false;
  return now - Math.max(pendingSince, lastAnswerAt, awakeSince) >= hungAfterMs;
}

/**
 * The gateway's own stall, seen by a timer that should fire every `intervalMs`: when it fired more than
 * `max(intervalMs, 100)` ms late, the loop was not running in between; returns the new `awakeSince` (now), or
 * the old one when the timer was on time.
 */
export function resolveAwakeSince(
  awakeSince: number,
  lastTickAt: number | undefined,
  now: number,
  intervalMs: number,
): number {
  if (lastTickAt === undefined) return awakeSince;
  const late = now - lastTickAt - intervalMs;
  return late > Math.max(intervalMs, 100) ? now : awakeSince;
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
  /** When the gateway's last stall ended (see isHung): silence before it is not evidence. */
  #awakeSince = 0;
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
      let lastTickAt: number | undefined;
      const tick = (): void => {
        const now = Date.now();
        this.#awakeSince = resolveAwakeSince(
          this.#awakeSince,
          lastTickAt,
          now,
          route.config.health.intervalMs,
        );
        lastTickAt = now;
        for (const side of sides) {
          for (const origin of route.upstreams[side].origins) {
            this.#checkHung(route, side, origin);
            void this.#check(route, side, origin);
          }
        }
      };
      const timer = setInterval(tick, route.config.health.intervalMs);
      timer.unref();
      this.#timers.set(route.config.name, timer);
      tick();
    }
  }

  #stateOf(route: RouteState, side: Side, origin: string): OriginState {
    const key = `${route.config.name} ${side} ${origin}`;
    let state = this.#state.get(key);
    if (state === undefined) {
      state = { failures: 0, successes: 0, pendingSince: undefined };
      this.#state.set(key, state);
    }
    return state;
  }

  /** Takes an origin out at once when its pending check and its client traffic have both gone silent. */
  #checkHung(route: RouteState, side: Side, origin: string, now = Date.now()): void {
    const state = this.#stateOf(route, side, origin);
    const set = route.upstreams[side];
    const hungAfterMs = route.config.health.hungAfterMs;
    const lastAnswerAt = set.lastAnswerAt(origin);
    if (set.isDown(origin) || !isHung(state.pendingSince, lastAnswerAt, now, hungAfterMs, this.#awakeSince))
      return;
    set.setDown(origin, true);
    state.successes = 0;
    const silentMs = now - Math.max(state.pendingSince ?? now, lastAnswerAt, this.#awakeSince);
    this.#onChange(route, side, origin, 'down', { healthy: false, error: 'hung', silentMs });
  }

  async #check(route: RouteState, side: Side, origin: string): Promise<void> {
    const state = this.#stateOf(route, side, origin);
    if (state.pendingSince !== undefined) return;
    state.pendingSince = Date.now();
    const result = await this.#probe(origin, healthPath(route, side), route.config.health.timeoutMs);
    state.pendingSince = undefined;
    if (this.#stopped) return;
    const health = route.config.health;
    const set = route.upstreams[side];
    if (!set.origins.includes(origin)) return; // removed by a reload meanwhile
    if (result.status !== undefined) set.noteAnswer(origin);
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
