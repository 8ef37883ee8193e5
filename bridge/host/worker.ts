/**
 * A guest's worker thread: instantiates one component instance from pre-compiled core modules, serves
 * requests posted by the pool one at a time, and calls capabilities synchronously through the main thread.
 * The instance serves request after request (its guest's globals persist) unless the host config's `reuse`
 * bounds that: then a spare instance made between requests takes over after `reuse` requests.
 * A trap poisons the instance for good: the worker reports it and the pool replaces the worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { performance } from 'node:perf_hooks';
import { createGuestImports, withVersionedKeys } from './guest-imports.ts';
import { serveHttp, serveMessage, type HandlerExports } from './guest-serve.ts';
import { waitOutcome, type CallOutcome } from './sync-call.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker-protocol.ts';

const data = workerData as WorkerData;
const port = parentPort!;

const call = (op: string, args: unknown[]): CallOutcome => {
  port.postMessage({ type: 'call', op, args } satisfies WorkerReply);
  return waitOutcome(data.sync);
};

const imports = withVersionedKeys(
  createGuestImports({
    call,
    config: data.config,
    log: (level, context, message) =>
      port.postMessage({ type: 'log', level, context, message } satisfies WorkerReply),
  }),
  data.declaredImports,
);

type Instantiate = (
  getCoreModule: (path: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
) => Record<string, unknown>;

const { instantiate } = (await import(data.jsUrl)) as { instantiate: Instantiate };

function createInstance(): HandlerExports {
  return instantiate((path) => {
    const module = data.modules[path];
    if (module === undefined) throw new Error(`missing core module ${path}`);
    return module;
  }, imports);
}

const started = performance.now();
let instance = createInstance();
const instantiateMs = performance.now() - started;
/** Requests the current instance has served, and the fresh one waiting to replace it (when `reuse` > 0). */
let served = 0;
let spare: HandlerExports | undefined;

/** Makes the spare instance after the reply has gone, so a fresh instance never costs a request its start. */
function prepareSpare(): void {
  if (data.reuse > 0 && spare === undefined) setImmediate(() => (spare ??= createInstance()));
}

/** Counts a served request; past `reuse` requests the spare (or a new instance) takes over. */
function countServed(): void {
  served += 1;
  if (data.reuse === 0 || served < data.reuse) return;
  instance = spare ?? createInstance();
  spare = undefined;
  served = 0;
  prepareSpare();
}
/** Extra idle instances (benchmark of instance density only). */
const idle: HandlerExports[] = [];

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'outcome') return; // this worker's calls are answered through the sync buffer
  let reply: WorkerReply;
  // the worker's transpile has synchronous exports: the reply is never a promise
  if (message.type === 'http') reply = serveHttp(instance, message.request) as WorkerReply;
  else if (message.type === 'message') reply = serveMessage(instance, message.message) as WorkerReply;
  else {
    const times: number[] = [];
    for (let i = 0; i < message.count; i += 1) {
      const t = performance.now();
      idle.push(createInstance());
      times.push(performance.now() - t);
    }
    reply = { type: 'instances', times, memory: process.memoryUsage() };
  }
  port.postMessage({ ...reply, id: message.id });
  if (message.type !== 'instances') countServed();
});

port.postMessage({ type: 'ready', instantiateMs } satisfies WorkerReply);
prepareSpare();
