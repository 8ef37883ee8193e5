import type { CliCommand } from './command.ts';
import { analyzeCommand } from './commands/analyze.ts';
import { buildCommand } from './commands/build.ts';
import { codemodCommand } from './commands/codemod.ts';
import { downCommand } from './commands/down.ts';
import { gatewayCommand } from './commands/gateway.ts';
import { hostCommand } from './commands/host.ts';
import { manifestsCommand } from './commands/manifests.ts';
import { planCommand } from './commands/plan.ts';
import { portCommand } from './commands/port.ts';
import { rolloutCommand } from './commands/rollout.ts';
import { shiftCommand } from './commands/shift.ts';
import { splitMessagesCommand } from './commands/split-messages.ts';
import { statusCommand } from './commands/status.ts';
import { upCommand } from './commands/up.ts';
import { verifyCommand } from './commands/verify.ts';

/**
 * Every command `migrate` offers. Only commands that work are listed here, in the order of the workflow:
 * `migrate --help` shows them under their `group`, in this order within a group.
 */
export const commands: readonly CliCommand[] = [
  analyzeCommand,
  planCommand,
  portCommand,
  codemodCommand,
  buildCommand,
  verifyCommand,
  upCommand,
  manifestsCommand,
  hostCommand,
  gatewayCommand,
  splitMessagesCommand,
  rolloutCommand,
  shiftCommand,
  statusCommand,
  downCommand,
];
