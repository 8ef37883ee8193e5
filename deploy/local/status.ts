/** What `migrate status` shows for a local run: each service's container, component and traffic. */
import type { GatewayState } from '../../bridge/index.ts';
import { inspectContainer, type Engine } from './docker-engine.ts';
import { isAlive } from './processes.ts';
import { isListening } from './readiness.ts';
import type { UpState } from './state.ts';

interface SideTraffic {
  requests: number;
  errorRate: number;
  p99Ms?: number;
}

export interface LocalServiceStatus {
  id: string;
  route: string;
  prefix: string;
  container: { name: string; port: number; state: string; health: string };
  component?: { name: string; port: number; listening: boolean };
  /** Share of traffic (0-100) the gateway sends to the component; undefined when the gateway does not answer. */
  weight?: number;
  traffic?: { container: SideTraffic; wasm: SideTraffic };
}

export interface LocalStatus {
  runId: string;
  estate: string;
  phase: UpState['phase'];
  createdAt: string;
  gateway: { url: string; admin: string; reachable: boolean };
  processes: { role: string; pid: number; alive: boolean; log: string }[];
  services: LocalServiceStatus[];
  /** True when every container is healthy (or running without a healthcheck), every process and component up. */
  healthy: boolean;
  warnings: string[];
}

function side(summary: { requests: number; errorRate: number; p99Ms?: number }): SideTraffic {
  return {
    requests: summary.requests,
    errorRate: summary.errorRate,
    ...(summary.p99Ms === undefined ? {} : { p99Ms: summary.p99Ms }),
  };
}

export async function getLocalStatus(
  state: UpState,
  engine: Engine | undefined,
  gateway: GatewayState | undefined,
): Promise<LocalStatus> {
  const services: LocalServiceStatus[] = [];
  for (const service of state.services) {
    const recorded = state.containers.find((c) => c.service === service.id);
    const health =
      recorded === undefined || engine === undefined
        ? undefined
        : await inspectContainer(engine, recorded.id);
    const route = gateway?.routes.find((r) => r.name === service.route);
    services.push({
      id: service.id,
      route: service.route,
      prefix: service.prefix,
      container: {
        name: service.container.name,
        port: service.container.port,
        state:
          recorded === undefined
            ? 'not created'
            : (health?.status ?? (engine === undefined ? 'unknown' : 'gone')),
        health: health?.health ?? 'unknown',
      },
      ...(service.component === undefined
        ? {}
        : {
            component: {
              ...service.component,
              listening: await isListening('127.0.0.1', service.component.port),
            },
          }),
      ...(route === undefined
        ? {}
        : {
            weight: route.weight,
            traffic: { container: side(route.window.container), wasm: side(route.window.wasm) },
          }),
    });
  }
  const processes = state.processes.map((p) => ({ role: p.role, pid: p.pid, alive: isAlive(p), log: p.log }));
  const healthy =
    state.phase === 'up' &&
    gateway !== undefined &&
    processes.every((p) => p.alive) &&
    services.every(
      (s) =>
        s.container.state === 'running' &&
        (s.container.health === 'healthy' || s.container.health === 'none') &&
        (s.component === undefined || s.component.listening),
    );
  return {
    runId: state.runId,
    estate: state.estate,
    phase: state.phase,
    createdAt: state.createdAt,
    gateway: { url: state.gateway.url, admin: state.gateway.admin, reachable: gateway !== undefined },
    processes,
    services,
    healthy,
    warnings: state.warnings,
  };
}

const pct = (x: number): string => `${(x * 100).toFixed(1)}%`;
const ms = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(1)} ms`);

/** Human text of a local status. Pure. */
export function formatLocalStatus(status: LocalStatus): string {
  const lines = [
    `${status.estate} (run ${status.runId}, ${status.phase}${status.healthy ? ', healthy' : ', NOT healthy'}): gateway ${status.gateway.url}${status.gateway.reachable ? '' : ' (not answering)'}`,
  ];
  for (const s of status.services) {
    const component =
      s.component === undefined
        ? 'no component'
        : `component :${s.component.port} ${s.component.listening ? 'up' : 'DOWN'}`;
    const traffic =
      s.traffic === undefined
        ? ''
        : `; container ${s.traffic.container.requests} req ${pct(s.traffic.container.errorRate)} err p99 ${ms(s.traffic.container.p99Ms)}, wasm ${s.traffic.wasm.requests} req ${pct(s.traffic.wasm.errorRate)} err p99 ${ms(s.traffic.wasm.p99Ms)}`;
    lines.push(
      `  ${s.route} ${s.prefix}: wasm ${s.weight ?? '?'}%; container ${s.container.name} :${s.container.port} ${s.container.state}/${s.container.health}; ${component}${traffic}`,
    );
  }
  for (const p of status.processes)
    lines.push(`  ${p.role} pid ${p.pid} ${p.alive ? 'running' : 'STOPPED'} (log ${p.log})`);
  return lines.join('\n');
}
