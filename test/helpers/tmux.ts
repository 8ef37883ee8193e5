/**
 * Drives a command in a real terminal, as a person would: tmux on a private socket, keys sent with send-keys,
 * the screen read with capture-pane. Waits poll the screen (or a file) with a generous bound, never a fixed sleep.
 */
import { execFile } from 'node:child_process';
import { readFile } from 'node:fs/promises';
import { promisify } from 'node:util';

const exec = promisify(execFile);

export interface TmuxSession {
  /** Sends tmux key names (`Enter`, `Down`, `C-c`) or literal text. */
  keys(...keys: string[]): Promise<void>;
  screen(): Promise<string>;
  /** Resolves with the screen once `pattern` appears on it; rejects with the screen after `timeoutMs`. */
  waitFor(pattern: RegExp, timeoutMs?: number): Promise<string>;
  /** Resolves with the command's exit code, written by the session's shell to `exitFile`. */
  waitForExit(timeoutMs?: number): Promise<number>;
  close(): Promise<void>;
}

let counter = 0;

async function poll<T>(
  what: string,
  read: () => Promise<T | undefined>,
  timeoutMs: number,
  describe: () => Promise<string>,
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await read();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; screen:\n${await describe()}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Starts `command` (a shell line) in a 200×50 terminal; its exit code goes to `exitFile`. */
export async function startTmux(command: string, exitFile: string): Promise<TmuxSession> {
  counter += 1;
  const socket = `migrate-test-${process.pid}-${counter}`;
  const name = 'main';
  const tmux = (...args: string[]) => exec('tmux', ['-L', socket, ...args]);
  await tmux(
    'new-session',
    '-d',
    '-s',
    name,
    '-x',
    '200',
    '-y',
    '50',
    `${command}; echo $? > ${exitFile}; sleep 600`,
  );
  const screen = async (): Promise<string> => (await tmux('capture-pane', '-p', '-t', name)).stdout;
  return {
    keys: async (...keys) => {
      for (const key of keys) await tmux('send-keys', '-t', name, key);
    },
    screen,
    waitFor: (pattern, timeoutMs = 90_000) =>
      poll(
        `${pattern}`,
        async () => {
          const text = await screen();
          return pattern.test(text) ? text : undefined;
        },
        timeoutMs,
        screen,
      ),
    waitForExit: (timeoutMs = 90_000) =>
      poll(
        'the command to exit',
        async () => {
          const text = await readFile(exitFile, 'utf8').catch(() => '');
          return text.trim() === '' ? undefined : Number(text.trim());
        },
        timeoutMs,
        screen,
      ),
    close: async () => {
      await tmux('kill-server').catch(() => undefined);
    },
  };
}
