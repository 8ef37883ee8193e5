import { readFileSync } from 'node:fs';
import { CommanderError } from 'commander';
import { ExitCode, getExitCode } from '../shared/errors.ts';
import { createOutput } from '../shared/output.ts';
import { loadCommandsFor } from './commands.ts';
import { createProgram, translateCommanderError, type ProgramIo, type ProgramState } from './program.ts';
import { reportError } from './report-error.ts';

function readVersion(): string {
  for (const candidate of ['../package.json', '../../package.json']) {
    try {
      const pkg = JSON.parse(readFileSync(new URL(candidate, import.meta.url), 'utf8')) as {
        name?: string;
        version?: string;
      };
      if (pkg.name === 'wasm-migrate' && typeof pkg.version === 'string') return pkg.version;
    } catch {
      // try the next location (source tree vs dist/)
    }
  }
  return '0.0.0';
}

/** Runs the CLI with injectable streams; returns the exit code. The only place that decides exit codes. */
export async function runCli(argv: readonly string[], io: Partial<ProgramIo> = {}): Promise<ExitCode> {
  const full: ProgramIo = {
    stdout: io.stdout ?? process.stdout,
    stderr: io.stderr ?? process.stderr,
    env: io.env ?? process.env,
    cwd: io.cwd ?? process.cwd(),
    signal: io.signal ?? new AbortController().signal,
  };
  const state: ProgramState = { exitCode: ExitCode.ok, context: undefined };
  const program = createProgram(await loadCommandsFor(argv), readVersion(), full, state);
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return state.exitCode;
  } catch (error) {
    const output =
      state.context?.output ?? createOutput({ stdout: full.stdout, stderr: full.stderr, env: full.env });
    if (error instanceof CommanderError) {
      const translated = translateCommanderError(error);
      if (translated === undefined) return ExitCode.ok;
      reportError(output, translated);
      return ExitCode.error;
    }
    reportError(output, error);
    return getExitCode(error);
  }
}
