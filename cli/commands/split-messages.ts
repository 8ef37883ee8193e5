import { resolve } from 'node:path';
import { createAdminClient, messageSplitConfigSchema, startMessageSplitter } from '../../bridge/index.ts';
import { parseConfigText, readConfigText } from '../../shared/config-file.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand } from '../command.ts';
import { defaultAdminUrl } from './shift.ts';

/** How often the route weights are read from the gateway. */
const POLL_MS = 250;

/**
 * `migrate split-messages`: forwards each message of a subject to exactly one side of a migrated subscriber,
 * as the gateway's weight for its route says. `migrate up` runs it; it is a command so that it can run anywhere.
 */
export const splitMessagesCommand: CliCommand = {
  name: 'split-messages',
  summary:
    "send each message of a subscriber's subject to its container or its component, by the gateway's weight",
  group: 'run',
  examples: [
    'MIGRATE_GATEWAY_TOKEN=… migrate split-messages --config .migrate/messages.json --admin http://127.0.0.1:9901',
    'migrate split-messages -c messages.yaml   # {nats, queue, splits: [{route, subject, container, wasm}]}',
  ],
  reports: false,
  configure: (command) => {
    command.requiredOption('-c, --config <file>', 'splits (YAML or JSON): nats, queue, splits');
    command.option('--admin <url>', 'gateway admin API the weights come from', defaultAdminUrl);
  },
  async run(context, _args, options) {
    const file = resolve(context.cwd, String(options.config));
    const kind = { label: 'message split config', docs: 'bridge/messaging/message-splitter.ts' };
    const config = parseConfigText(await readConfigText(file, kind), file, messageSplitConfigSchema, kind);
    const token = context.env.MIGRATE_GATEWAY_TOKEN ?? '';
    if (token === '')
      throw new AppError(ErrorCode.usage, 'no admin token', { hint: 'set MIGRATE_GATEWAY_TOKEN' });
    const admin = createAdminClient({
      url: typeof options.admin === 'string' ? options.admin : defaultAdminUrl,
      token,
      signal: context.signal,
    });
    const weights = new Map<string, number>();
    const refresh = async (): Promise<void> => {
      const state = await admin.getState();
      for (const route of state.routes) weights.set(route.name, route.weight);
    };
    await refresh();
    const splitter = await startMessageSplitter(config, (route) => weights.get(route) ?? 0);
    let failing = false;
    const timer = setInterval(() => {
      refresh().then(
        () => {
          if (failing) context.output.log('gateway reachable again');
          failing = false;
        },
        (error: unknown) => {
          // keep the last weights: each message still goes to exactly one side
          if (!failing) context.output.warn(`cannot read weights: ${(error as Error).message}`);
          failing = true;
        },
      );
    }, POLL_MS);
    context.output.log(`ready: splitting ${config.splits.map((s) => s.subject).join(', ')}`);
    try {
      await new Promise<void>((done) => {
        if (context.signal.aborted) done();
        else context.signal.addEventListener('abort', () => done(), { once: true });
      });
    } finally {
      clearInterval(timer);
      await splitter.close();
      context.output.log(`stopped; forwarded ${JSON.stringify(splitter.counts())}`);
    }
  },
};
