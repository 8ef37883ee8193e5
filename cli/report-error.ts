import { AppError, ErrorCode, formatLocation, isAppError } from '../shared/errors.ts';
import type { Output } from '../shared/output.ts';

/** Prints an error for a person on stderr (and as a JSON document on stdout with --json). Never a stack trace unless --debug. */
export function reportError(output: Output, error: unknown): void {
  const appError = isAppError(error)
    ? error
    : new AppError(ErrorCode.internal, error instanceof Error ? error.message : String(error), {
        cause: error,
        hint: 'this is a bug in migrate; run again with --debug and report the output',
      });
  const lines = [
    `${output.style(['red', 'bold'], 'error')} ${output.style('dim', appError.code)} ${appError.message}`,
  ];
  if (appError.location !== undefined) {
    lines.push(`  --> ${formatLocation(appError.location)}`);
    if (appError.location.excerpt !== undefined) lines.push(`   | ${appError.location.excerpt.trimEnd()}`);
  }
  if (appError.hint !== undefined) lines.push(`${output.style('cyan', 'hint')}: ${appError.hint}`);
  if (output.debug) {
    const stack = (appError.cause instanceof Error ? appError.cause : appError).stack;
    if (stack !== undefined) lines.push(output.style('dim', stack));
  }
  output.log(lines.join('\n'));
  if (output.json && output.outputFile === undefined) {
    const document = {
      schemaVersion: '1',
      error: {
        code: appError.code,
        message: appError.message,
        ...(appError.hint === undefined ? {} : { hint: appError.hint }),
        ...(appError.location === undefined ? {} : { location: appError.location }),
      },
    };
    output.stdout.write(`${JSON.stringify(document, null, 2)}\n`);
  }
}
