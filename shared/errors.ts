/**
 * The one error type the CLI knows how to show. Every failure a user can cause or fix is an AppError with a
 * stable `code`; anything else reaching the CLI's entry is a bug and is shown as MIG_INTERNAL.
 */

/** Stable error codes. Append only: users and scripts match on them. */
export const ErrorCode = {
  usage: 'MIG_USAGE',
  config: 'MIG_CONFIG',
  input: 'MIG_INPUT',
  notFound: 'MIG_NOT_FOUND',
  io: 'MIG_IO',
  backend: 'MIG_BACKEND',
  docker: 'MIG_DOCKER',
  kubernetes: 'MIG_KUBERNETES',
  build: 'MIG_BUILD',
  unsupported: 'MIG_UNSUPPORTED',
  cancelled: 'MIG_CANCELLED',
  internal: 'MIG_INTERNAL',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** A place in a source or config file, 1-based line and column. */
export interface SourceLocation {
  file: string;
  line: number;
  column?: number;
  /** The text of the line, shown under the message. */
  excerpt?: string;
}

export interface AppErrorOptions {
  /** What the user can do about it, one sentence. */
  hint?: string;
  cause?: unknown;
  location?: SourceLocation;
}

export class AppError extends Error {
  readonly code: ErrorCode;
  readonly hint: string | undefined;
  readonly location: SourceLocation | undefined;

  constructor(code: ErrorCode, message: string, options: AppErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = 'AppError';
    this.code = code;
    this.hint = options.hint;
    this.location = options.location;
  }
}

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}

/** Exit codes; only the CLI entry maps errors to them. */
export const ExitCode = { ok: 0, findings: 1, error: 2, cancelled: 130 } as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

export function getExitCode(error: unknown): ExitCode {
  if (isAppError(error) && error.code === ErrorCode.cancelled) return ExitCode.cancelled;
  return ExitCode.error;
}

/** Formats `file:line:col` for messages. */
export function formatLocation(location: SourceLocation): string {
  return `${location.file}:${location.line}${location.column === undefined ? '' : `:${location.column}`}`;
}

/** Wraps a foreign error where it enters our code, keeping it as `cause`. */
export function wrapError(code: ErrorCode, message: string, cause: unknown, hint?: string): AppError {
  if (isAppError(cause)) return cause;
  const detail = cause instanceof Error ? cause.message : String(cause);
  return new AppError(code, `${message}: ${detail}`, { cause, ...(hint === undefined ? {} : { hint }) });
}
