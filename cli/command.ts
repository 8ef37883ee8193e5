import type { Command } from 'commander';
import type { ExitCode } from '../shared/errors.ts';
import type { Output } from '../shared/output.ts';

/** What every command receives: where to write, and the environment it runs in. */
export interface CommandContext {
  output: Output;
  cwd: string;
  env: NodeJS.ProcessEnv;
  /** Aborted on SIGINT/SIGTERM; long-running commands stop cleanly when it fires. */
  signal: AbortSignal;
}

/**
 * One CLI command. Adding a command is adding a file with one of these and listing it in `commands.ts`.
 * Options arrive as commander parsed them; each command validates its own (shared validators with prompts).
 */
export interface CliCommand {
  /** Commander syntax, e.g. `analyze <dir>`. */
  name: string;
  summary: string;
  /** Shown under "Examples:" in --help; two or three. */
  examples: readonly string[];
  /** True when the command reports a result: adds `--json` and `--output <file>`. */
  reports: boolean;
  configure?: (command: Command) => void;
  run: (
    context: CommandContext,
    args: string[],
    options: Record<string, unknown>,
  ) => Promise<ExitCode | void>;
}
