// @migrate-runtime logger: written by `migrate port`; `migrate codemod` replaces it with a caps-backed module.
/** SLF4J-style logging: `log.info("Order {} placed", id)` with the same `{}` placeholders, to stderr. */
export interface Logger {
  debug(message: string, ...args: unknown[]): void;
  info(message: string, ...args: unknown[]): void;
  warn(message: string, ...args: unknown[]): void;
  error(message: string, ...args: unknown[]): void;
}

const LEVELS = ['debug', 'info', 'warn', 'error'] as const;
type Level = (typeof LEVELS)[number];

function format(message: string, args: unknown[]): string {
  let i = 0;
  const text = message.replace(/\{\}/g, () => (i < args.length ? show(args[i++]) : '{}'));
  // As in SLF4J, a trailing Throwable beyond the placeholders is printed after the message.
  const rest = args.slice(i);
  const error = rest.find((a): a is Error => a instanceof Error);
  return error === undefined ? text : `${text}\n${error.stack ?? error.message}`;
}

function show(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(show).join(', ')}]`;
  if (value instanceof Error) return value.message;
  if (typeof value === 'object' && value !== null) return JSON.stringify(value);
  return String(value);
}

export function createLogger(name: string): Logger {
  // LOG_LEVEL is read on the first write, not when the logger is made (often at module load): a WebAssembly
  // component may not read its config while it is initialised.
  let threshold: number | undefined;
  const write = (level: Level, message: string, args: unknown[]): void => {
    threshold ??= LEVELS.indexOf(((process.env.LOG_LEVEL ?? 'info').toLowerCase() as Level) ?? 'info');
    if (LEVELS.indexOf(level) < threshold) return;
    process.stderr.write(
      `${new Date().toISOString()} ${level.toUpperCase().padEnd(5)} ${name} : ${format(message, args)}\n`,
    );
  };
  return {
    debug: (message, ...args) => write('debug', message, args),
    info: (message, ...args) => write('info', message, args),
    warn: (message, ...args) => write('warn', message, args),
    error: (message, ...args) => write('error', message, args),
  };
}
