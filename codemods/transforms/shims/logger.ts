// @migrate-runtime logger-caps: written by `migrate codemod` over the ported runtime/logger.ts; the same API on caps.
/**
 * SLF4J-style logging: `log.info("Order {} placed", id)` with the same `{}` placeholders, to `caps.log`
 * (wasi:logging/logging in a component, stdout/stderr in Node). The logger's name is the log record's context;
 * the time is the host's to add.
 */
import { caps } from '../../facade/capabilities.ts';

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
  return error === undefined ? text : `${text}\n${describeError(error)}`;
}

/**
 * `Name: message`, the stack (an engine's stack, e.g. SpiderMonkey's, may not start with the message) and, as
 * Logback prints them, the causes.
 */
function describeError(error: Error): string {
  const head = `${error.name}: ${error.message}`;
  const stack = error.stack ?? '';
  const text = (stack.startsWith(head) ? stack : `${head}\n${stack}`).trimEnd();
  const { cause } = error;
  if (cause === undefined) return text;
  return `${text}\nCaused by: ${cause instanceof Error ? describeError(cause) : show(cause)}`;
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
    threshold ??= Math.max(
      0,
      LEVELS.indexOf((caps.config.get('LOG_LEVEL') ?? 'info').toLowerCase() as Level),
    );
    if (LEVELS.indexOf(level) < threshold) return;
    caps.log.log(level, name, format(message, args));
  };
  return {
    debug: (message, ...args) => write('debug', message, args),
    info: (message, ...args) => write('info', message, args),
    warn: (message, ...args) => write('warn', message, args),
    error: (message, ...args) => write('error', message, args),
  };
}
