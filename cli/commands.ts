import type { CliCommand } from './command.ts';

/**
 * Every command `migrate` offers, by the name it is invoked with, in the order of the workflow: `migrate --help`
 * shows them under their `group`, in this order within a group. Only commands that work are listed here. A
 * command's module (and what it imports: compilers, clients, engines) is loaded only when it is needed, so
 * `migrate host …` does not load the port's TypeScript compiler, nor `migrate status` the analyzer.
 */
export const COMMAND_MODULES: readonly { name: string; load: () => Promise<CliCommand> }[] = [
  { name: 'analyze', load: async () => (await import('./commands/analyze.ts')).analyzeCommand },
  { name: 'plan', load: async () => (await import('./commands/plan.ts')).planCommand },
  { name: 'port', load: async () => (await import('./commands/port.ts')).portCommand },
  { name: 'codemod', load: async () => (await import('./commands/codemod.ts')).codemodCommand },
  { name: 'build', load: async () => (await import('./commands/build.ts')).buildCommand },
  { name: 'verify', load: async () => (await import('./commands/verify.ts')).verifyCommand },
  { name: 'up', load: async () => (await import('./commands/up.ts')).upCommand },
  { name: 'manifests', load: async () => (await import('./commands/manifests.ts')).manifestsCommand },
  { name: 'host', load: async () => (await import('./commands/host.ts')).hostCommand },
  { name: 'gateway', load: async () => (await import('./commands/gateway.ts')).gatewayCommand },
  {
    name: 'split-messages',
    load: async () => (await import('./commands/split-messages.ts')).splitMessagesCommand,
  },
  { name: 'rollout', load: async () => (await import('./commands/rollout.ts')).rolloutCommand },
  { name: 'shift', load: async () => (await import('./commands/shift.ts')).shiftCommand },
  { name: 'status', load: async () => (await import('./commands/status.ts')).statusCommand },
  { name: 'down', load: async () => (await import('./commands/down.ts')).downCommand },
];

/** Every command, loaded, in workflow order (for the overall help, an unknown command's suggestions, tests). */
export function loadAllCommands(): Promise<CliCommand[]> {
  return Promise.all(COMMAND_MODULES.map((command) => command.load()));
}

/**
 * The commands a run of `argv` needs: only the one it names (its options and help are its own), or every command
 * when it names none (overall help, a mistyped name that gets suggestions); none for `--version` alone.
 */
export async function loadCommandsFor(argv: readonly string[]): Promise<CliCommand[]> {
  if (argv.length === 1 && (argv[0] === '--version' || argv[0] === '-V')) return [];
  const named = COMMAND_MODULES.find((command) => command.name === argv[0]);
  return named === undefined ? loadAllCommands() : [await named.load()];
}
