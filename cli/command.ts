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
 * The stages of a migration, in the order `migrate --help` lists them (kubectl-style groups). A command names
 * its stage with `group`; a stage without commands is not shown.
 */
export const COMMAND_GROUPS = [
  { id: 'assess', title: 'Assess' },
  { id: 'transform', title: 'Transform' },
  { id: 'check', title: 'Check' },
  { id: 'run', title: 'Run side by side' },
  { id: 'shift', title: 'Shift traffic' },
  { id: 'observe', title: 'Observe and clean up' },
] as const;

export type CommandGroup = (typeof COMMAND_GROUPS)[number]['id'];

/**
 * One CLI command. Adding a command is adding a file with one of these and listing it in `commands.ts`.
 * Options arrive as commander parsed them; each command validates its own (shared validators with prompts).
 */
export interface CliCommand {
  /** Commander syntax, e.g. `analyze <dir>`. */
  name: string;
  summary: string;
  /** The workflow stage `migrate --help` lists it under (see COMMAND_GROUPS). */
  group: CommandGroup;
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
