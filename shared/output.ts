import { styleText } from 'node:util';
import type { Writable } from 'node:stream';
import { writeFileAtomic } from './fs.ts';

type Style = Parameters<typeof styleText>[0];

/** Where a command writes: results to `stdout`, logs and progress to `stderr`. Injectable for tests. */
export interface Output {
  readonly stdout: Writable;
  readonly stderr: Writable;
  /** True when `--json` was given: results are one JSON document, no colour. */
  readonly json: boolean;
  readonly color: boolean;
  /** True when stderr is an interactive terminal (progress bars, prompts). */
  readonly interactive: boolean;
  /** `--output <file>`: where the result goes instead of stdout (`-` means stdout). */
  readonly outputFile: string | undefined;
  readonly debug: boolean;
  style(style: Style, text: string): string;
  /** A log line on stderr. */
  log(message: string): void;
  warn(message: string): void;
  /**
   * Writes the command's result: to `--output` if given (a regular file atomically; a device, FIFO or socket in
   * place; a symlink's target), else, or for `-`, to stdout.
   */
  result(text: string): Promise<void>;
  /** Writes a versioned JSON document as the result. */
  resultJson(document: { schemaVersion: string } & Record<string, unknown>): Promise<void>;
  /** A transient progress line; shown only on a TTY. Call `progress(undefined)` to clear. */
  progress(message: string | undefined): void;
}

export interface OutputOptions {
  stdout?: Writable & { isTTY?: boolean };
  stderr?: Writable & { isTTY?: boolean };
  json?: boolean;
  color?: boolean;
  outputFile?: string;
  debug?: boolean;
  env?: NodeJS.ProcessEnv;
}

/** Colour is on only for a TTY, without NO_COLOR, and never with --json. */
export function resolveColor(options: OutputOptions): boolean {
  const env = options.env ?? process.env;
  if (options.json === true || options.color === false) return false;
  if (env.NO_COLOR !== undefined && env.NO_COLOR !== '') return false;
  if (env.FORCE_COLOR !== undefined && env.FORCE_COLOR !== '0') return true;
  return options.stdout?.isTTY === true;
}

export function createOutput(options: OutputOptions = {}): Output {
  const stdout = options.stdout ?? process.stdout;
  const stderr = options.stderr ?? process.stderr;
  const color = resolveColor({ ...options, stdout });
  const interactive =
    (stderr as { isTTY?: boolean }).isTTY === true && (options.env ?? process.env).CI !== 'true';
  let progressShown = false;
  const clearProgress = (): void => {
    if (progressShown) {
      stderr.write('\r\u001b[2K');
      progressShown = false;
    }
  };
  const output: Output = {
    stdout,
    stderr,
    json: options.json === true,
    color,
    interactive,
    outputFile: options.outputFile,
    debug: options.debug === true,
    style: (style, text) => (color ? styleText(style, text, { validateStream: false }) : text),
    log(message) {
      clearProgress();
      stderr.write(`${message}\n`);
    },
    warn(message) {
      clearProgress();
      stderr.write(`${output.style('yellow', 'warning')} ${message}\n`);
    },
    async result(text) {
      clearProgress();
      const body = text.endsWith('\n') ? text : `${text}\n`;
      // `-` is stdout, as for most CLIs; everything else goes through the never-destroy rule of writeFileAtomic
      if (options.outputFile !== undefined && options.outputFile !== '-')
        await writeFileAtomic(options.outputFile, body);
      else stdout.write(body);
    },
    async resultJson(document) {
      await output.result(`${JSON.stringify(document, null, 2)}\n`);
    },
    progress(message) {
      if (!interactive) return;
      if (message === undefined) return clearProgress();
      const width = (stderr as { columns?: number }).columns ?? 80;
      stderr.write(`\r\u001b[2K${message.slice(0, Math.max(10, width - 1))}`);
      progressShown = true;
    },
  };
  return output;
}
