/** Bounded, cancellable waiting for the things `up` starts: ports, containers, processes. */
import { createServer, connect } from 'node:net';
import { AppError, ErrorCode } from '../../shared/errors.ts';

export function sleep(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal.aborted) {
      reject(cancelled());
      return;
    }
    const timer = setTimeout(() => {
      signal.removeEventListener('abort', onAbort);
      resolve();
    }, ms);
    const onAbort = (): void => {
      clearTimeout(timer);
      reject(cancelled());
    };
    signal.addEventListener('abort', onAbort, { once: true });
  });
}

export function cancelled(): AppError {
  return new AppError(ErrorCode.cancelled, 'migrate up was cancelled; what it had created is removed');
}

export function throwIfCancelled(signal: AbortSignal): void {
  if (signal.aborted) throw cancelled();
}

/** Whether 127.0.0.1:`port` can be listened on right now. */
export function isPortFree(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = createServer();
    server.once('error', () => resolve(false));
    server.listen({ port, host: '127.0.0.1', exclusive: true }, () => server.close(() => resolve(true)));
  });
}

/** Whether something accepts TCP connections on host:port. */
export function isListening(host: string, port: number, timeoutMs = 1000): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect({ host, port });
    const done = (ok: boolean): void => {
      socket.destroy();
      resolve(ok);
    };
    socket.setTimeout(timeoutMs, () => done(false));
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
  });
}

/**
 * Polls `probe` until it returns a value (or throws), at most `timeoutMs`; the timeout error says what did
 * not happen and what `describeFailure` finds (e.g. the last log lines).
 */
export async function waitFor<T>(
  what: string,
  timeoutMs: number,
  signal: AbortSignal,
  probe: () => Promise<T | undefined>,
  describeFailure: () => Promise<string> = () => Promise.resolve(''),
): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    throwIfCancelled(signal);
    const found = await probe();
    if (found !== undefined) return found;
    if (Date.now() > deadline) {
      const detail = await describeFailure();
      throw new AppError(
        ErrorCode.backend,
        `${what} did not happen within ${Math.round(timeoutMs / 1000)} s${detail === '' ? '' : `:\n${detail}`}`,
        {
          hint: 'see the output above; raise --timeout on a slow machine',
        },
      );
    }
    await sleep(500, signal);
  }
}
