import { readFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import type { Command } from 'commander';
import { createAdminClient, type RouteSnapshot, type WarmResult } from '../../bridge/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand, CommandContext } from '../command.ts';
import { configureClusterOptions } from './kube-options.ts';
import { runKubeShift } from './kube-observe.ts';

export const defaultAdminUrl = 'http://127.0.0.1:9901';

/** `--admin`, `--token` and `--run-dir`, shared by the commands that talk to a running gateway. */
export function configureAdminOptions(command: Command): void {
  command.option(
    '--admin <url>',
    `gateway admin API (default: the gateway migrate up started in --run-dir, else ${defaultAdminUrl})`,
  );
  command.option('--token <token>', 'admin bearer token (default: $MIGRATE_GATEWAY_TOKEN, or migrate up’s)');
  command.option(
    '--run-dir <dir>',
    'run directory of migrate up (its state file names the gateway)',
    '.migrate',
  );
}

/** The gateway `migrate up` started from this run directory, if any (its state file names admin URL and token). */
export function getUpGateway(
  context: CommandContext,
  options: Record<string, unknown>,
): { admin: string; token: string } | undefined {
  const file = join(
    resolve(context.cwd, typeof options.runDir === 'string' ? options.runDir : '.migrate'),
    'up-state.json',
  );
  try {
    const state = JSON.parse(readFileSync(file, 'utf8')) as {
      gateway?: { admin?: unknown; token?: unknown };
    };
    const { admin, token } = state.gateway ?? {};
    return typeof admin === 'string' && typeof token === 'string' ? { admin, token } : undefined;
  } catch {
    return undefined;
  }
}

export function createAdminClientFromOptions(context: CommandContext, options: Record<string, unknown>) {
  const up = options.admin === undefined ? getUpGateway(context, options) : undefined;
  const token =
    typeof options.token === 'string' ? options.token : (up?.token ?? context.env.MIGRATE_GATEWAY_TOKEN);
  if (token === undefined || token === '') {
    throw new AppError(ErrorCode.usage, 'no admin token', {
      hint: 'pass --token or set MIGRATE_GATEWAY_TOKEN to the token the gateway runs with',
    });
  }
  const url = typeof options.admin === 'string' ? options.admin : (up?.admin ?? defaultAdminUrl);
  if (!URL.canParse(url)) throw new AppError(ErrorCode.usage, `--admin is not a URL: ${url}`);
  return createAdminClient({ url, token, signal: context.signal });
}

/** A pure, one-line description of a route. */
export function formatRouteLine(route: RouteSnapshot): string {
  const shadow = route.shadow.enabled ? `shadow ${Math.round(route.shadow.sampleRate * 100)}%` : 'no shadow';
  return `${route.name} (${route.prefix}): wasm ${route.weight}%, ${shadow}${route.frozen ? ', frozen' : ''}`;
}

/** A pure, one-line description of a warm-up. */
export function formatWarmLine(warm: WarmResult): string {
  const timing =
    warm.firstMs === undefined
      ? ''
      : ` (first ${warm.firstMs.toFixed(1)} ms, last ${warm.lastMs?.toFixed(1)} ms)`;
  return `warmed ${warm.origins} wasm upstream(s) with ${warm.requests} GET ${warm.path}: ${warm.ok} ok, ${warm.failed} failed${timing}`;
}

/** `migrate shift`: moves a route's traffic through the running gateway's admin API. */
export const shiftCommand: CliCommand = {
  name: 'shift <route> <target>',
  summary: 'set a route to a wasm weight (0-100), turn shadowing on/off (shadow, unshadow), or roll back',
  group: 'shift',
  examples: [
    'migrate shift order 10          # warm the component up, then 10% of users (sticky) to it',
    'migrate shift order shadow --sample-rate 0.2',
    'migrate shift order 10 --kubernetes --estate samples/spring-orders   # gateway ConfigMap or HTTPRoute weights',
  ],
  reports: true,
  configure: (command) => {
    configureAdminOptions(command);
    command.option('--sample-rate <share>', 'with shadow: share of requests copied, 0-1');
    command.option('--force', 'raise the weight of a route a gate has frozen');
    command.option('--no-warm', 'raise the weight without sending warm-up requests to the wasm side first');
    configureClusterOptions(command, true);
  },
  async run(context, args, options) {
    const [route, target] = args as [string, string];
    if (options.kubernetes === true) return runKubeShift(context, route, target, options);
    const client = createAdminClientFromOptions(context, options);
    let result: { route: RouteSnapshot };
    let action: string;
    let warm: WarmResult | undefined;
    if (target === 'rollback') {
      action = 'rollback';
      result = await client.rollback(route, 'migrate shift');
    } else if (target === 'shadow' || target === 'unshadow') {
      action = target;
      let rate: number | undefined;
      if (options.sampleRate !== undefined) {
        rate = Number(options.sampleRate);
        if (!(rate >= 0 && rate <= 1)) {
          throw new AppError(ErrorCode.usage, `--sample-rate must be between 0 and 1, got ${rate}`);
        }
      }
      result = await client.setShadow(route, target === 'shadow', rate);
    } else {
      const weight = Number(target);
      if (target.trim() === '' || !Number.isFinite(weight) || weight < 0 || weight > 100) {
        throw new AppError(
          ErrorCode.usage,
          `target must be 0-100, shadow, unshadow or rollback; got "${target}"`,
          {
            hint: 'e.g. migrate shift order 10',
          },
        );
      }
      action = 'weight';
      // a cold component answers its first requests slowly: warm it before it gets users
      if (weight > 0 && options.warm !== false) warm = (await client.warm(route)).warm;
      result = await client.setWeight(route, weight, options.force === true);
    }
    if (context.output.json) {
      await context.output.resultJson({
        schemaVersion: '1',
        action,
        route: result.route,
        ...(warm === undefined ? {} : { warm }),
      });
    } else {
      if (warm !== undefined) context.output.log(formatWarmLine(warm));
      await context.output.result(formatRouteLine(result.route));
    }
  },
};
