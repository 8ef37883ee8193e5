import type { CliCommand } from './command.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { buildCommand } from './commands/build.ts';
import { codemodCommand } from './commands/codemod.ts';
import { gatewayCommand } from './commands/gateway.ts';
import { hostCommand } from './commands/host.ts';
import { manifestsCommand } from './commands/manifests.ts';
import { portCommand } from './commands/port.ts';
import { shiftCommand } from './commands/shift.ts';
import { statusCommand } from './commands/status.ts';

/** Every command `migrate` offers. Only commands that work are listed here. */
export const commands: readonly CliCommand[] = [
  analyzeCommand,
  buildCommand,
  codemodCommand,
  gatewayCommand,
  hostCommand,
  manifestsCommand,
  portCommand,
  shiftCommand,
  statusCommand,
];
