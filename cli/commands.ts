import type { CliCommand } from './command.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { buildCommand } from './commands/build.ts';
import { codemodCommand } from './commands/codemod.ts';
import { downCommand } from './commands/down.ts';
import { gatewayCommand } from './commands/gateway.ts';
import { hostCommand } from './commands/host.ts';
import { portCommand } from './commands/port.ts';
import { shiftCommand } from './commands/shift.ts';
import { splitMessagesCommand } from './commands/split-messages.ts';
import { statusCommand } from './commands/status.ts';
import { upCommand } from './commands/up.ts';

/** Every command `migrate` offers. Only commands that work are listed here. */
export const commands: readonly CliCommand[] = [
  analyzeCommand,
  buildCommand,
  codemodCommand,
  downCommand,
  gatewayCommand,
  hostCommand,
  portCommand,
  shiftCommand,
  splitMessagesCommand,
  statusCommand,
  upCommand,
];
