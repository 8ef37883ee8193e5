/**
 * Imported first by every benchmark: a benchmark that cannot run ends with an `error` line (the message's further
 * lines below it, indented) and a hint on stderr and exit code 2, never a stack trace (BENCH_DEBUG=1 adds it). The
 * script's own `finally` cleanup has run by the time an error reaches this handler.
 */

/** A benchmark cannot run, for a reason the user can fix (the hint says how). */
export class BenchError extends Error {
  readonly hint: string;

  constructor(message: string, hint: string) {
    super(message);
    this.name = 'BenchError';
    this.hint = hint;
  }
}

function describe(error: unknown): { message: string; hint: string } {
  if (error instanceof BenchError) return { message: error.message, hint: error.hint };
  const first = error instanceof AggregateError ? (error.errors[0] as unknown) : error;
  const message =
    (error instanceof Error && error.message) || (first instanceof Error && first.message) || String(error);
  const code = (first as { code?: unknown } | undefined)?.code;
  if (code === 'ECONNREFUSED')
    return {
      message: `${message}: a service the benchmark needs is not running`,
      hint: 'start PostgreSQL, NATS and Redis with `bash scripts/ensure-services.sh` (as root), then run it again',
    };
  return { message, hint: 'run it again with BENCH_DEBUG=1 to see where it failed' };
}

process.on('uncaughtException', (error: unknown) => {
  const { message, hint } = describe(error);
  // The lines after the first are the detail (a child's last output, say): printed whole, never dropped.
  const [first, ...detail] = message.split('\n');
  const body = detail.length > 0 ? `\n${detail.map((line) => `  | ${line}`).join('\n')}` : '';
  process.stderr.write(`error MIG_BENCH ${first}${body}\nhint: ${hint}\n`);
  if (process.env.BENCH_DEBUG === '1' && error instanceof Error) process.stderr.write(`${error.stack}\n`);
  process.exit(2);
});
