/**
 * Runs one fuzz target in a worker thread so that the main thread can stop an input that hangs (a synchronous
 * parser cannot be interrupted from inside). The current input, its start time and the counts are kept in
 * shared memory: the main thread reads them when it has to terminate the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { runTarget, type TargetResult } from './run-target.ts';
import { createTarget, type TargetName } from './targets.ts';
import { writeShared, type SharedState } from './shared-state.ts';

export interface WorkerRequest {
  readonly target: TargetName;
  readonly seed: number;
  readonly inputs: number;
  readonly seconds: number;
  readonly shared: SharedArrayBuffer;
}

export type WorkerReply = { readonly type: 'done'; readonly result: TargetResult };

const request = workerData as WorkerRequest;
const state: SharedState = writeShared(request.shared);
const target = await createTarget(request.target);
try {
  const result = await runTarget(target, {
    seed: request.seed,
    inputs: request.inputs,
    seconds: request.seconds,
    watch: { start: (input) => state.start(input), end: () => state.end() },
    onProgress: (inputs, crashes) => state.progress(inputs, crashes),
  });
  const reply: WorkerReply = { type: 'done', result };
  parentPort?.postMessage(reply);
} finally {
  await target.close();
}
