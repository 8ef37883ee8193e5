import type { CliCommand } from './command.ts';

/** Every command `migrate` offers. Only commands that work are listed here. */
export const commands: readonly CliCommand[] = [];
