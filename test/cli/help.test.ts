import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { COMMAND_GROUPS, type CliCommand, type CommandGroup } from '../../cli/command.ts';
import { COMMAND_MODULES, loadAllCommands, loadCommandsFor } from '../../cli/commands.ts';
import { createProgram } from '../../cli/program.ts';
import { ExitCode } from '../../shared/errors.ts';
import { runCliCaptured } from '../helpers/run-cli.ts';

const commands = await loadAllCommands();

/** The help's sections: heading (an unindented line ending in ':') → the first word of each indented line. */
function sections(help: string): Map<string, string[]> {
  const result = new Map<string, string[]>();
  let current: string[] | undefined;
  for (const line of help.split('\n')) {
    if (/^\S.*:$/.test(line)) result.set(line.slice(0, -1), (current = []));
    else if (/^ {2}\S/.test(line) && current !== undefined) current.push(line.trim().split(/\s+/)[0]!);
  }
  return result;
}

function fakeCommand(name: string, group: CommandGroup): CliCommand {
  return {
    name,
    summary: `the ${name} command`,
    group,
    examples: [`migrate ${name}`, `migrate ${name} --json`],
    reports: false,
    run: () => Promise.resolve(ExitCode.ok),
  };
}

function helpOf(list: readonly CliCommand[]): string {
  const io = {
    stdout: new PassThrough(),
    stderr: new PassThrough(),
    env: {},
    cwd: process.cwd(),
    signal: new AbortController().signal,
  };
  return createProgram(list, '0.0.0', io, { exitCode: ExitCode.ok, context: undefined }).helpInformation();
}

describe('migrate --help', () => {
  it('lists every command under its workflow group, the groups in workflow order', async () => {
    const run = await runCliCaptured(['--help']);
    expect(run.code).toBe(0);
    const found = sections(run.stdout);
    const titles = COMMAND_GROUPS.map((group) => group.title);
    const shown = [...found.keys()].filter((heading) => (titles as readonly string[]).includes(heading));
    expect(shown).toEqual(titles.filter((title) => shown.includes(title))); // fixed order
    for (const command of commands) {
      const title = COMMAND_GROUPS.find((group) => group.id === command.group)!.title;
      expect(found.get(title), `${command.name} under ${title}`).toContain(command.name.split(' ')[0]);
    }
    expect(found.get('Assess')?.[0]).toBe('analyze');
    expect(found.get('Transform')?.slice(0, 3)).toEqual(['port', 'codemod', 'build']);
    expect(found.get('Other')).toEqual(['help']);
    expect(found.has('Commands')).toBe(false);
  });

  it('orders groups by the workflow whatever the list order, and skips groups without commands', () => {
    const help = helpOf([
      fakeCommand('status', 'observe'),
      fakeCommand('verify', 'check'),
      fakeCommand('plan', 'assess'),
      fakeCommand('analyze', 'assess'),
    ]);
    expect([...sections(help).entries()].filter(([heading]) => heading !== 'Options')).toEqual([
      ['Assess', ['plan', 'analyze']],
      ['Check', ['verify']],
      ['Observe and clean up', ['status']],
      ['Other', ['help']],
    ]);
  });

  it('shows two or three examples in every command help', async () => {
    for (const command of commands) {
      const name = command.name.split(' ')[0]!;
      expect(command.examples.length, name).toBeGreaterThanOrEqual(2);
      expect(command.examples.length, name).toBeLessThanOrEqual(3);
      const run = await runCliCaptured([name, '--help']);
      expect(run.code).toBe(0);
      const examples = run.stdout.slice(run.stdout.indexOf('Examples:'));
      for (const example of command.examples) expect(examples).toContain(`$ ${example}`);
    }
  });

  it('shows help for a command through `migrate help <command>`', async () => {
    const run = await runCliCaptured(['help', 'analyze']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: migrate analyze');
  });
});

describe('loading commands', () => {
  it('lists each command module under the name it is invoked with', () => {
    expect(COMMAND_MODULES.map((entry) => entry.name)).toEqual(commands.map((c) => c.name.split(' ')[0]));
  });

  it('loads only the named command for a run of it, and every command otherwise', async () => {
    expect((await loadCommandsFor(['status', '--json'])).map((c) => c.name.split(' ')[0])).toEqual([
      'status',
    ]);
    expect(await loadCommandsFor(['--help'])).toHaveLength(commands.length);
    expect(await loadCommandsFor(['stauts'])).toHaveLength(commands.length);
    expect(await loadCommandsFor(['--version'])).toEqual([]);
  });
});
