import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import { describe, expect, it } from 'vitest';
import { runCliCaptured } from '../helpers/run-cli.ts';
import { loadAllCommands } from '../../cli/commands.ts';

const commands = await loadAllCommands();

const exec = promisify(execFile);

describe('migrate CLI', () => {
  it('prints help with examples and exit 0', async () => {
    const run = await runCliCaptured(['--help']);
    expect(run.code).toBe(0);
    expect(run.stdout).toContain('Usage: migrate');
    expect(run.stdout).toContain('Examples:');
    for (const command of commands) expect(run.stdout).toContain(command.name.split(' ')[0]);
  });

  it('prints the package version', async () => {
    const run = await runCliCaptured(['--version']);
    expect(run.code).toBe(0);
    expect(run.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });

  it('exits 2 with a hint and no stack trace on an unknown command', async () => {
    const run = await runCliCaptured(['frobnicate']);
    expect(run.code).toBe(2);
    expect(run.stderr).toMatch(/error MIG_USAGE/);
    expect(run.stderr).toMatch(/hint: /);
    expect(run.stderr).not.toMatch(/\n\s+at /);
  });

  it('every command has --help with examples', async () => {
    for (const command of commands) {
      const run = await runCliCaptured([command.name.split(' ')[0]!, '--help']);
      expect(run.code).toBe(0);
      expect(run.stdout).toContain('Examples:');
    }
  });

  it('runs as a real process through bin/migrate.js', async () => {
    const { stdout } = await exec(process.execPath, ['bin/migrate.js', '--version']);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    const failed = await exec(process.execPath, ['bin/migrate.js', 'nope']).catch(
      (e: { code: number; stderr: string }) => e,
    );
    expect(failed).toMatchObject({ code: 2 });
  }, 180_000); // two cold starts that load every command from source: slow on a busy machine
});
