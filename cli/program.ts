import { Command, CommanderError, Option } from 'commander';
import { resolve } from 'node:path';
import { AppError, ErrorCode, ExitCode } from '../shared/errors.ts';
import { createOutput, type OutputOptions } from '../shared/output.ts';
import { COMMAND_GROUPS, type CliCommand, type CommandContext } from './command.ts';

export interface ProgramIo {
  stdout: NonNullable<OutputOptions['stdout']>;
  stderr: NonNullable<OutputOptions['stderr']>;
  env: NodeJS.ProcessEnv;
  cwd: string;
  signal: AbortSignal;
}

export interface ProgramState {
  exitCode: ExitCode;
  /** Set once a command has created its output, so errors honour its --json/--debug/colour. */
  context: CommandContext | undefined;
}

/** Builds the commander program from the command list. Pure wiring; runs nothing. */
export function createProgram(
  commands: readonly CliCommand[],
  version: string,
  io: ProgramIo,
  state: ProgramState,
): Command {
  const program = new Command('migrate')
    .description('Move a container microservice estate to WebAssembly components, one service at a time.')
    .version(version, '-V, --version', 'print the version')
    .helpOption('-h, --help', 'show help')
    .showSuggestionAfterError(true)
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: () => undefined, // reported once by the entry, with a hint
    })
    .exitOverride()
    // kubectl-style: names only in the command list; each command's own --help shows its arguments
    .configureHelp({ subcommandTerm: (command) => command.name() })
    .addHelpCommand(
      new Command('help')
        .argument('[command]')
        .description('show help for a command')
        .helpOption(false)
        .helpGroup('Other:'),
    );
  program.addHelpText(
    'after',
    `\nExamples:\n  $ migrate analyze samples/spring-orders\n  $ migrate port order-service --estate samples/spring-orders --out ported/order-service --build\n  $ migrate <command> --help\n\nExit codes: 0 ok, 1 findings over --fail-on threshold, 2 usage or runtime error, 130 cancelled.`,
  );

  for (const spec of inWorkflowOrder(commands)) {
    const command = program
      .command(spec.name)
      .description(spec.summary)
      .helpGroup(`${COMMAND_GROUPS.find((group) => group.id === spec.group)?.title ?? 'Other'}:`)
      .helpOption('-h, --help', 'show help')
      .exitOverride()
      .configureOutput({ outputError: () => undefined });
    spec.configure?.(command);
    if (spec.reports) {
      command.option('--json', 'print one versioned JSON document instead of text');
      command.option(
        '-o, --output <file>',
        'write the result to a file (atomically; a device, FIFO or `-` is written to directly) instead of stdout',
      );
    }
    command.option('--debug', 'show stack traces and internal details');
    command.addOption(new Option('--no-color', 'disable colour (also NO_COLOR)'));
    command.addHelpText('after', `\nExamples:\n${spec.examples.map((e) => `  $ ${e}`).join('\n')}`);
    command.action(async (...raw: unknown[]) => {
      const cmd = raw[raw.length - 1] as Command;
      const options = cmd.opts();
      const args = cmd.processedArgs.filter((a): a is string => typeof a === 'string');
      const context: CommandContext = {
        output: createOutput({
          stdout: io.stdout,
          stderr: io.stderr,
          json: options.json === true,
          color: options.color !== false,
          outputFile:
            typeof options.output === 'string'
              ? options.output === '-'
                ? '-'
                : resolve(io.cwd, options.output)
              : undefined,
          debug: options.debug === true,
          env: io.env,
        }),
        cwd: io.cwd,
        env: io.env,
        signal: io.signal,
      };
      state.context = context;
      const code = await spec.run(context, args, options);
      state.exitCode = code ?? ExitCode.ok;
    });
  }
  return program;
}

/**
 * The commands sorted by their group's place in COMMAND_GROUPS, keeping the list's order within a group; commander
 * then prints one heading per group in order of first appearance, so groups without commands do not show.
 */
export function inWorkflowOrder(commands: readonly CliCommand[]): CliCommand[] {
  const rank = (spec: CliCommand): number => COMMAND_GROUPS.findIndex((group) => group.id === spec.group);
  return [...commands].sort((a, b) => rank(a) - rank(b));
}

/** Turns commander's own errors into ours: usage errors with a hint, or a clean exit for help/version. */
export function translateCommanderError(error: CommanderError): AppError | undefined {
  if (
    error.code === 'commander.helpDisplayed' ||
    error.code === 'commander.version' ||
    error.code === 'commander.help'
  ) {
    return undefined;
  }
  const message = error.message.replace(/^error:\s*/, '');
  const hint =
    error.code === 'commander.unknownCommand'
      ? 'run `migrate --help` to see the commands'
      : 'run the command with --help to see its arguments and options';
  return new AppError(ErrorCode.usage, message, { hint, cause: error });
}
