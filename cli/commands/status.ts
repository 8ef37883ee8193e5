import type { GatewayState } from '../../bridge/index.ts';
import { resolve } from 'node:path';
import { formatLocalStatus, readUpState } from '../../deploy/local/index.ts';
import type { CliCommand } from '../command.ts';
import { readLocalStatus } from './local-status.ts';
import { configureClusterOptions } from './kube-options.ts';
import { runKubeStatus } from './kube-observe.ts';
import { configureAdminOptions, createAdminClientFromOptions, formatRouteLine } from './shift.ts';

const percent = (x: number): string => `${(x * 100).toFixed(2)}%`;
const millis = (x: number | undefined): string => (x === undefined ? '-' : `${x.toFixed(2)} ms`);

/** Human text for `migrate status`. Pure. */
export function formatStatus(state: GatewayState): string {
  const lines = [`gateway ${state.listen} (admin ${state.admin}, since ${state.startedAt})`];
  for (const route of state.routes) {
    const { container, wasm } = route.window;
    lines.push(`  ${formatRouteLine(route)}`);
    lines.push(
      `    window ${route.window.windowMs / 1000}s: container ${container.requests} req, ${percent(container.errorRate)} errors, p99 ${millis(container.p99Ms)}; wasm ${wasm.requests} req, ${percent(wasm.errorRate)} errors, p99 ${millis(wasm.p99Ms)}`,
    );
    if (route.shadow.compared > 0) {
      const fields = Object.keys(route.diffFields);
      lines.push(
        `    shadow: ${route.shadow.differing} of ${route.shadow.compared} differ${fields.length > 0 ? ` (${fields.join(', ')})` : ''}; noise: ${Object.keys(route.noise).join(', ') || 'none'}`,
      );
    }
    if (route.gatesBreached.length > 0) lines.push(`    gates breached: ${route.gatesBreached.join(', ')}`);
    if (route.rollbacks > 0) lines.push(`    rollbacks: ${route.rollbacks}`);
    if (!route.gatesArmed)
      lines.push(`    gates: warming up since the weight change at ${route.weightChangedAt}`);
    for (const side of ['container', 'wasm'] as const) {
      const failover = route.failover?.[side];
      if (failover?.active === true) {
        lines.push(
          `    FAILOVER: every ${side} upstream is out since ${failover.since}; its requests go to the other side`,
        );
      }
      const out = route.unhealthy?.[side] ?? [];
      if (out.length > 0) lines.push(`    ${side} upstreams out: ${out.join(', ')}`);
    }
    const ambiguous = (route.ambiguous?.container ?? 0) + (route.ambiguous?.wasm ?? 0);
    if (ambiguous > 0) lines.push(`    ambiguous (sent and lost, answered 502): ${ambiguous}`);
  }
  const recent = state.events.filter((e) => e.type !== 'request.retried').slice(-5);
  if (recent.length > 0) {
    lines.push('  recent decisions:');
    for (const e of recent)
      lines.push(`    ${e.time} ${e.type}${e.route === undefined ? '' : ` ${e.route}`}`);
  }
  return lines.join('\n');
}

/** `migrate status`: what the running gateway is doing; with a `migrate up` run, each service's two sides too. */
export const statusCommand: CliCommand = {
  name: 'status',
  summary:
    'show the running gateway (weights, error rates, p99, shadow diffs, decisions); after migrate up, each service’s container and component too',
  group: 'observe',
  examples: [
    'migrate status                      # the run of migrate up in .migrate/, else the gateway at 127.0.0.1:9901',
    'migrate status --admin http://127.0.0.1:9901 --json',
    'migrate status --kubernetes --estate samples/spring-orders --context prod',
  ],
  reports: true,
  configure: (command) => {
    configureAdminOptions(command);
    configureClusterOptions(command, true);
  },
  async run(context, _args, options) {
    if (options.kubernetes === true) return runKubeStatus(context, options);
    const runDir = resolve(context.cwd, typeof options.runDir === 'string' ? options.runDir : '.migrate');
    const up = options.admin === undefined ? await readUpState(runDir) : undefined;
    if (up !== undefined) {
      const status = await readLocalStatus(up, context);
      if (context.output.json) {
        const { gatewayState, ...local } = status;
        await context.output.resultJson({ ...gatewayState, schemaVersion: '1', local });
      } else {
        const { gatewayState } = status;
        await context.output.result(
          `${formatLocalStatus(status)}${gatewayState === undefined ? '' : `\n${formatStatus(gatewayState)}`}`,
        );
      }
      return;
    }
    const state = await createAdminClientFromOptions(context, options).getState();
    if (context.output.json) await context.output.resultJson({ ...state });
    else await context.output.result(formatStatus(state));
  },
};
