import { resolve } from 'node:path';
import { createHost, createNdjsonLogger, createTextLogger, loadHostConfig } from '../../bridge/index.ts';
import { AppError, ErrorCode } from '../../shared/errors.ts';
import type { CliCommand } from '../command.ts';

/** `migrate host`: runs components with real capability backends until SIGINT/SIGTERM. */
export const hostCommand: CliCommand = {
  name: 'host',
  summary: 'run WebAssembly components with real Postgres, NATS, Redis and HTTP backends (until Ctrl+C)',
  group: 'run',
  examples: [
    'migrate host --config host.yaml',
    'migrate host -c host.yaml --json 2> host.ndjson   # NDJSON logs (also the default when stderr is not a terminal)',
  ],
  reports: false,
  configure: (command) => {
    command.requiredOption(
      '-c, --config <file>',
      'host config (YAML or JSON): components, ports, capabilities, backends, limits',
    );
    command.option('--json', 'log NDJSON on stderr');
  },
  async run(context, _args, options) {
    if (typeof options.config !== 'string') {
      throw new AppError(ErrorCode.usage, 'missing --config <file>', {
        hint: 'migrate host --config host.yaml',
      });
    }
    const output = context.output;
    const write = (line: string): void => void output.stderr.write(line);
    const logger =
      options.json === true || !output.interactive ? createNdjsonLogger(write) : createTextLogger(write);
    const config = await loadHostConfig(resolve(context.cwd, options.config));
    if (context.signal.aborted) return;
    const host = await createHost({ config, logger });
    try {
      logger.log('info', 'host', `running ${host.components.size} component(s); Ctrl+C stops the host`);
      await new Promise<void>((done) => {
        if (context.signal.aborted) done();
        else context.signal.addEventListener('abort', () => done(), { once: true });
      });
    } finally {
      logger.log('info', 'host', 'stopping');
      await host.close();
    }
  },
};
