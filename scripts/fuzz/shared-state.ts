/**
 * What a fuzz worker shares with the main thread: counts, whether an input is running and since when, and
 * the running input itself (truncated), so that a hang can be reported with its input after terminating.
 */
import type { FuzzInput } from './mutate.ts';

const HEADER = 32; // Int32 [busy, inputs, crashes, length] + Float64 startedAt
const INPUT_BYTES = 256 * 1024;

export function createSharedBuffer(): SharedArrayBuffer {
  return new SharedArrayBuffer(HEADER + INPUT_BYTES);
}

export interface SharedState {
  start(input: FuzzInput): void;
  end(): void;
  progress(inputs: number, crashes: number): void;
}

export function writeShared(buffer: SharedArrayBuffer): SharedState {
  const ints = new Int32Array(buffer, 0, 4);
  const time = new Float64Array(buffer, 16, 1);
  const bytes = new Uint8Array(buffer, HEADER);
  const encoder = new TextEncoder();
  return {
    start(input) {
      const { written } = encoder.encodeInto(`${input.slot}\0${input.text}`, bytes);
      Atomics.store(ints, 3, written);
      time[0] = Date.now();
      Atomics.store(ints, 0, 1);
    },
    end() {
      Atomics.store(ints, 0, 0);
    },
    progress(inputs, crashes) {
      Atomics.store(ints, 1, inputs);
      Atomics.store(ints, 2, crashes);
    },
  };
}

export interface SharedSnapshot {
  /** ms since the running input started; undefined when none runs. */
  runningFor: number | undefined;
  inputs: number;
  crashes: number;
  input: FuzzInput;
}

export function readShared(buffer: SharedArrayBuffer): SharedSnapshot {
  const ints = new Int32Array(buffer, 0, 4);
  const time = new Float64Array(buffer, 16, 1);
  const length = Atomics.load(ints, 3);
  const raw = new TextDecoder().decode(new Uint8Array(buffer, HEADER, length).slice());
  const cut = raw.indexOf('\0');
  return {
    runningFor: Atomics.load(ints, 0) === 1 ? Date.now() - (time[0] ?? 0) : undefined,
    inputs: Atomics.load(ints, 1),
    crashes: Atomics.load(ints, 2),
    input: { slot: raw.slice(0, cut), text: raw.slice(cut + 1) },
  };
}
