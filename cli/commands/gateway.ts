import { resolve } from 'node:path';
import { Gateway, type GatewayEvent } from '../../bridge/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand } from '../command.ts';

function describeEvent(event: GatewayEvent): string {
  const { time, at: _at, type, route, ...rest } = event;
  const details = Object.entries(rest)
    .map(([key, value]) => `${key}=${typeof value === 'string' ? value : JSON.stringify(value)}`)
    .join(' ');
  return `${time} ${type}${route === undefined ? '' : ` ${route}`} ${details}`.trimEnd();
}

/** `migrate gateway`: runs the traffic-shift gateway until SIGINT/SIGTERM; SIGHUP reloads the config. */
export const gatewayCommand: CliCommand = {
  name: 'gateway',
  summary: 'run the traffic-shift gateway between container and wasm upstreams (until Ctrl+C)',
  group: 'run',
  examples: [
    'MIGRATE_GATEWAY_TOKEN=$(openssl rand -hex 16) migrate gateway --config bridge/gateway/examples/spring-orders.yaml',
    'migrate gateway -c gateway.yaml 2> events.ndjson   # NDJSON events on stderr when not a terminal',
    'kill -HUP <pid>   # reload the config (it also reloads when the file changes)',
  ],
  reports: false,
  configure: (command) => {
    command.requiredOption('-c, --config <file>', 'gateway config (YAML); see docs/gateway.md');
    command.option('--no-watch', 'do not reload when the config file changes (SIGHUP still reloads)');
  },
  async run(context, _args, options) {
    if (typeof options.config !== 'string') {
      throw new AppError(ErrorCode.usage, 'missing --config <file>', {
        hint: 'migrate gateway --config gateway.yaml',
      });
    }
    const file = resolve(context.cwd, options.config);
    const gateway = await Gateway.fromFile(file, { env: context.env, watch: options.watch !== false });
    const output = context.output;
    const ndjson = !output.interactive;
    const unsubscribe = gateway.events.subscribe((line, event) => {
      if (ndjson) output.stderr.write(`${line}\n`);
      else output.log(describeEvent(event));
    });
    const onHangup = (): void => void gateway.reload('SIGHUP');
    process.on('SIGHUP', onHangup);
    try {
      if (context.signal.aborted) return;
      const stopped = new Promise<void>((done) =>
        context.signal.addEventListener('abort', () => done(), { once: true }),
      );
      await gateway.start();
      if (!ndjson) {
        output.log(
          `gateway on ${gateway.url}, admin and live page on ${gateway.adminUrl}/#token=<token>; Ctrl+C stops it`,
        );
      }
      await stopped;
    } finally {
      process.off('SIGHUP', onHangup);
      await gateway.stop();
      unsubscribe();
    }
  },
};
