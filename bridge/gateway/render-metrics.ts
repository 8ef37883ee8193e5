import type { Side } from './config-schema.ts';
import { latencyBoundsSeconds, type RouteState } from './route-state.ts';

const sides: readonly Side[] = ['container', 'wasm'];

function label(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

/** Prometheus text exposition (version 0.0.4) of every route's counters. Pure. */
export function renderMetrics(routes: readonly RouteState[]): string {
  const lines: string[] = [];
  const family = (name: string, type: string, help: string): void => {
    lines.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
  };
  family(
    'migrate_gateway_requests_total',
    'counter',
    'Upstream requests by route and side (shadow copies included).',
  );
  for (const r of routes) {
    for (const side of sides) {
      const m = r.metrics[side];
      lines.push(
        `migrate_gateway_requests_total{route="${label(r.config.name)}",side="${side}"} ${m.requests}`,
      );
    }
  }
  family('migrate_gateway_errors_total', 'counter', 'Upstream requests that failed (5xx or no answer).');
  for (const r of routes) {
    for (const side of sides) {
      lines.push(
        `migrate_gateway_errors_total{route="${label(r.config.name)}",side="${side}"} ${r.metrics[side].errors}`,
      );
    }
  }
  family('migrate_gateway_shadow_requests_total', 'counter', 'Shadow copies sent to the candidate side.');
  for (const r of routes) {
    for (const side of sides) {
      lines.push(
        `migrate_gateway_shadow_requests_total{route="${label(r.config.name)}",side="${side}"} ${r.metrics[side].shadowRequests}`,
      );
    }
  }
  family(
    'migrate_gateway_request_duration_seconds',
    'histogram',
    'Upstream request duration by route and side.',
  );
  for (const r of routes) {
    for (const side of sides) {
      const m = r.metrics[side];
      const base = `route="${label(r.config.name)}",side="${side}"`;
      let cumulative = 0;
      latencyBoundsSeconds.forEach((bound, i) => {
        cumulative += m.latencyCounts[i]!;
        lines.push(`migrate_gateway_request_duration_seconds_bucket{${base},le="${bound}"} ${cumulative}`);
      });
      cumulative += m.latencyCounts[latencyBoundsSeconds.length]!;
      lines.push(`migrate_gateway_request_duration_seconds_bucket{${base},le="+Inf"} ${cumulative}`);
      lines.push(`migrate_gateway_request_duration_seconds_sum{${base}} ${m.latencySum}`);
      lines.push(`migrate_gateway_request_duration_seconds_count{${base}} ${m.requests}`);
    }
  }
  const perSide = (
    name: string,
    type: string,
    help: string,
    value: (r: RouteState, side: Side) => number,
  ): void => {
    family(name, type, help);
    for (const r of routes) {
      for (const side of sides)
        lines.push(`${name}{route="${label(r.config.name)}",side="${side}"} ${value(r, side)}`);
    }
  };
  perSide(
    'migrate_gateway_failover_active',
    'gauge',
    '1 while every upstream of this side is out and its requests go to the other side.',
    (r, side) => (r.failoverSince[side] === undefined ? 0 : 1),
  );
  perSide(
    'migrate_gateway_failovers_total',
    'counter',
    'Failover episodes: every upstream of this side went out.',
    (r, side) => r.failovers[side],
  );
  perSide(
    'migrate_gateway_failover_requests_total',
    'counter',
    'Requests meant for this side and sent to the other one because this side was out.',
    (r, side) => r.failoverRequests[side],
  );
  perSide(
    'migrate_gateway_ambiguous_total',
    'counter',
    'Non-idempotent requests sent to this side and lost (answered 502, x-migrate-ambiguous: true).',
    (r, side) => r.ambiguous[side],
  );
  perSide(
    'migrate_gateway_upstreams_healthy',
    'gauge',
    'Upstream origins of this side that are in use (not ejected, passing health checks).',
    (r, side) => r.upstreams[side].origins.filter((o) => r.upstreams[side].isHealthy(o)).length,
  );
  const perRoute = (name: string, type: string, help: string, value: (r: RouteState) => number): void => {
    family(name, type, help);
    for (const r of routes) lines.push(`${name}{route="${label(r.config.name)}"} ${value(r)}`);
  };
  perRoute(
    'migrate_gateway_shadow_comparisons_total',
    'counter',
    'Shadowed exchanges compared.',
    (r) => r.shadowCompared,
  );
  perRoute(
    'migrate_gateway_shadow_diffs_total',
    'counter',
    'Compared exchanges that differed (after noise).',
    (r) => r.shadowDiffs,
  );
  perRoute(
    'migrate_gateway_weight',
    'gauge',
    'Percentage of sticky buckets routed to wasm.',
    (r) => r.weight,
  );
  perRoute('migrate_gateway_shadow_enabled', 'gauge', '1 when shadowing is on.', (r) =>
    r.shadowEnabled ? 1 : 0,
  );
  perRoute('migrate_gateway_frozen', 'gauge', '1 when a gate froze the route.', (r) => (r.frozen ? 1 : 0));
  perRoute('migrate_gateway_rollbacks_total', 'counter', 'Rollbacks (gate or admin).', (r) => r.rollbacks);
  perRoute(
    'migrate_gateway_retries_total',
    'counter',
    'Requests sent again on the other side (never delivered, idempotent, or with an idempotency key).',
    (r) => r.retries,
  );
  return `${lines.join('\n')}\n`;
}
