import { deserialize, serialize } from 'node:v8';

/**
 * The synchronous bridge between a guest's worker and the main thread. The worker posts a call and blocks on
 * `Atomics.wait` over a SharedArrayBuffer; the main thread does the async I/O, writes the v8-serialized
 * result into the buffer and wakes the worker. One call in flight per worker.
 *
 * Layout: Int32 [0] state (0 idle, 1 result ready), Int32 [1] byte length, then the payload.
 */
export const SYNC_HEADER_BYTES = 8;
/** Payload capacity per worker; larger results are answered with an error value. */
export const SYNC_BUFFER_BYTES = 8 * 1024 * 1024;

/** A capability call as posted by a worker. */
export interface CapabilityCall {
  type: 'call';
  op: string;
  args: unknown[];
}

/** What the main thread answers: a value, or an error value the worker turns into a WIT `err`. */
export type CallOutcome = { ok: true; value: unknown } | { ok: false; error: unknown };

/** A successful capability call. */
export const ok = (value: unknown): CallOutcome => ({ ok: true, value });
/** A failed capability call: `error` is the interface's error value (never thrown across the boundary). */
export const fail = (error: unknown): CallOutcome => ({ ok: false, error });
/** The text of anything thrown. */
export const message = (error: unknown): string => (error instanceof Error ? error.message : String(error));

export function createSyncBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(SYNC_HEADER_BYTES + SYNC_BUFFER_BYTES);
}

/** Main thread: writes an outcome and wakes the worker. */
export function writeOutcome(buffer: SharedArrayBuffer, outcome: CallOutcome): void {
  let bytes: Uint8Array = serialize(outcome);
  if (bytes.byteLength > SYNC_BUFFER_BYTES) {
    bytes = serialize({
      ok: false,
      error: { kind: 'too-large', message: `result of ${bytes.byteLength} bytes exceeds the bridge buffer` },
    } satisfies CallOutcome);
  }
  const state = new Int32Array(buffer, 0, 2);
  new Uint8Array(buffer, SYNC_HEADER_BYTES, bytes.byteLength).set(bytes);
  Atomics.store(state, 1, bytes.byteLength);
  Atomics.store(state, 0, 1);
  Atomics.notify(state, 0);
}

/** Worker: blocks until the main thread has written an outcome, then reads it and resets the state. */
export function waitOutcome(buffer: SharedArrayBuffer): CallOutcome {
  const state = new Int32Array(buffer, 0, 2);
  while (Atomics.load(state, 0) === 0) Atomics.wait(state, 0, 0);
  const length = Atomics.load(state, 1);
  const copy = new Uint8Array(length);
  copy.set(new Uint8Array(buffer, SYNC_HEADER_BYTES, length));
  Atomics.store(state, 0, 0);
  return deserialize(copy) as CallOutcome;
}
