/**
 * Waiting out a database that is restarting. A statement whose connection could not even be opened (refused:
 * the server is down; 57P03: it is starting up or shutting down) was never sent, so it is safe to try again,
 * whatever it does. The host keeps trying for a while, as a JVM's connection pool waits for a connection,
 * instead of failing the guest's statement during a restart of a second or two. Anything else (a connection
 * lost while a statement ran) is not retried: that statement may have run.
 */

/** Connection failures that happen before any statement is sent. */
const NOT_SENT = new Set(['ECONNREFUSED', '57P03']);

export function isNotSent(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && NOT_SENT.has(code);
}

export interface ConnectRetryOptions {
  /** Keep trying until this long after the first attempt. */
  waitMs: number;
  /** Pause between attempts. */
  stepMs: number;
}

/** Runs `work`, again after each not-sent failure until `waitMs` have passed; then the last error stands. */
export async function retryWhileNotSent<T>(
  work: () => Promise<T>,
  options: ConnectRetryOptions,
  now: () => number = Date.now,
  sleep: (ms: number) => Promise<void> = (ms) => new Promise((done) => setTimeout(done, ms)),
): Promise<T> {
  const deadline = now() + options.waitMs;
  for (;;) {
    try {
      return await work();
    } catch (error) {
      if (!isNotSent(error) || now() + options.stepMs > deadline) throw error;
      await sleep(options.stepMs);
    }
  }
}
