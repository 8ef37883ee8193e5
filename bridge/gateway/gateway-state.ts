import type { Side } from './config-schema.ts';
import type { GatewayEvent } from './event-log.ts';
import type { RouteState } from './route-state.ts';
import type { DiffSample } from './shadow-tracker.ts';
import type { WindowSummary } from './sliding-window.ts';

/** One route as the admin API shows it. */
export interface RouteSnapshot {
  name: string;
  prefix: string;
  weight: number;
  frozen: boolean;
  shadow: { enabled: boolean; sampleRate: number; compared: number; differing: number; diffRate: number };
  upstreams: { container: readonly string[]; wasm: readonly string[] };
  window: { windowMs: number; container: WindowSummary; wasm: WindowSummary };
  /** Fields that differed (after noise) and how often. */
  diffFields: Record<string, number>;
  /** Fields learned as noise and the share of primary-vs-primary comparisons they differed in. */
  noise: Record<string, number>;
  diffSamples: readonly DiffSample[];
  gatesBreached: string[];
  /** False during the warm-up after a weight change: gates do not judge yet. */
  gatesArmed: boolean;
  weightChangedAt: string;
  rollbacks: number;
  retries: number;
  /** Per side: whether its requests go to the other side now (every origin out), and totals. */
  failover: Record<Side, { active: boolean; since: string | undefined; episodes: number; requests: number }>;
  /** Non-idempotent requests lost after being sent, by side. */
  ambiguous: Record<Side, number>;
  /** Origins that are out now (passively ejected or failing health checks). */
  unhealthy: Record<Side, string[]>;
}

/** The admin API's `GET /api/state` document. */
export interface GatewayState {
  schemaVersion: '1';
  listen: string;
  admin: string;
  startedAt: string;
  routes: RouteSnapshot[];
  events: GatewayEvent[];
}

export function getRouteSnapshot(route: RouteState): RouteSnapshot {
  const now = Date.now();
  const tracker = route.tracker;
  return {
    name: route.config.name,
    prefix: route.config.prefix,
    weight: route.weight,
    frozen: route.frozen,
    shadow: {
      enabled: route.shadowEnabled,
      sampleRate: route.shadowSampleRate,
      compared: tracker.compared,
      differing: tracker.differing,
      diffRate: tracker.compared === 0 ? 0 : Number((tracker.differing / tracker.compared).toFixed(4)),
    },
    upstreams: { container: route.upstreams.container.origins, wasm: route.upstreams.wasm.origins },
    window: {
      windowMs: route.config.gates.windowMs,
      container: route.windows.container.summarize(now),
      wasm: route.windows.wasm.summarize(now),
    },
    diffFields: Object.fromEntries([...tracker.fieldCounts].sort(([a], [b]) => a.localeCompare(b))),
    noise: tracker.noise(route.config.shadow),
    diffSamples: tracker.samples,
    gatesBreached: [...route.breached].sort(),
    gatesArmed: route.armed,
    weightChangedAt: new Date(route.changedAt).toISOString(),
    rollbacks: route.rollbacks,
    retries: route.retries,
    failover: {
      container: failoverOf(route, 'container'),
      wasm: failoverOf(route, 'wasm'),
    },
    ambiguous: { ...route.ambiguous },
    unhealthy: {
      container: route.upstreams.container.origins.filter(
        (o) => !route.upstreams.container.isHealthy(o, now),
      ),
      wasm: route.upstreams.wasm.origins.filter((o) => !route.upstreams.wasm.isHealthy(o, now)),
    },
  };
}

function failoverOf(route: RouteState, side: Side): RouteSnapshot['failover'][Side] {
  const since = route.failoverSince[side];
  return {
    active: since !== undefined,
    since: since === undefined ? undefined : new Date(since).toISOString(),
    episodes: route.failovers[side],
    requests: route.failoverRequests[side],
  };
}
