import { resolve } from 'node:path';
import { connectEngine, readUpState, runDown } from '../../deploy/local/index.ts';
import type { CliCommand } from '../command.ts';
import { configureClusterOptions } from './kube-options.ts';
import { runKubeDown } from './kube-observe.ts';

/** `migrate down`: removes exactly what `migrate up` created (its state file and run labels say what). */
export const downCommand: CliCommand = {
  name: 'down',
  summary:
    'stop what migrate up started: gateway, host, splitter, containers, networks (volumes with --volumes)',
  group: 'observe',
  examples: [
    'migrate down',
    'migrate down --volumes    # also the run’s volumes and the Postgres schema it created',
    'migrate down --kubernetes --estate samples/spring-orders   # only what up --kubernetes applied',
  ],
  reports: true,
  configure: (command) => {
    command.option('--run-dir <dir>', 'run directory of migrate up', '.migrate');
    command.option('--volumes', 'also remove the run’s volumes and the Postgres schema up created');
    configureClusterOptions(command, true);
  },
  async run(context, _args, options) {
    if (options.kubernetes === true) return runKubeDown(context, options);
    const runDir = resolve(context.cwd, String(options.runDir));
    const state = await readUpState(runDir);
    const started = Date.now();
    if (state === undefined) {
      if (context.output.json)
        await context.output.resultJson({ schemaVersion: '1', removed: false, reason: 'nothing is up here' });
      else await context.output.result(`nothing is up (no ${resolve(runDir, 'up-state.json')})`);
      return;
    }
    const engine = await connectEngine(state.dockerHost);
    const result = await runDown({
      state,
      engine,
      runDir,
      volumes: options.volumes === true,
      progress: (m) => context.output.progress(m),
    });
    const seconds = Number(((Date.now() - started) / 1000).toFixed(1));
    if (context.output.json)
      await context.output.resultJson({
        schemaVersion: '1',
        removed: true,
        runId: state.runId,
        ...result,
        seconds,
      });
    else
      await context.output.result(
        `${state.estate} (run ${state.runId}) is down: ${result.processes} process(es), ${result.containers} container(s), ${result.networks} network(s)${options.volumes === true ? `, ${result.volumes} volume(s)${result.schemaDropped === undefined ? '' : `, schema ${result.schemaDropped}`}` : ''} removed in ${seconds} s`,
      );
  },
};
