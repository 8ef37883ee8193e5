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
import { IncomingRequest, ResponseOutparam, concat, type RequestParts } from './guest-http.ts';
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

interface HandlerExports {
  incomingHandler?: { handle: (request: IncomingRequest, out: ResponseOutparam) => void };
  handler?: { handleMessage: (msg: unknown) => void };
}

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

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && 'payload' in error) return JSON.stringify(error.payload);
  return String(error);
}

function serveHttp(parts: RequestParts): WorkerReply {
  const handler = instance.incomingHandler;
  if (handler === undefined)
    return {
      type: 'failed',
      reason: 'no-export',
      message: 'component exports no wasi:http/incoming-handler',
    };
  const out = new ResponseOutparam();
  try {
    handler.handle(new IncomingRequest(parts), out);
  } catch (error) {
    return { type: 'failed', reason: 'trap', message: describe(error) };
  }
  const response = out.response;
  if (response === undefined)
    return { type: 'failed', reason: 'no-response', message: 'the guest set no response' };
  if (response.tag === 'err')
    return { type: 'failed', reason: 'guest-error', message: JSON.stringify(response.val) };
  const value = response.val;
  return {
    type: 'http-response',
    status: value.status,
    headers: value.headerFields.toPairs(),
    body: value.outgoingBody === undefined ? new Uint8Array() : concat(value.outgoingBody.stream.chunks),
  };
}

function serveMessage(msg: { subject: string; body: Uint8Array; replyTo?: string }): WorkerReply {
  const handler = instance.handler;
  if (handler === undefined)
    return {
      type: 'failed',
      reason: 'no-export',
      message: 'component exports no wasmcloud:messaging/handler',
    };
  try {
    handler.handleMessage(msg);
    return { type: 'message-handled', error: undefined };
  } catch (error) {
    if (typeof error === 'object' && error !== null && 'payload' in error) {
      return { type: 'message-handled', error: String(error.payload) };
    }
    return { type: 'failed', reason: 'trap', message: describe(error) };
  }
}

port.on('message', (message: WorkerRequest) => {
  let reply: WorkerReply;
  if (message.type === 'http') reply = serveHttp(message.request);
  else if (message.type === 'message') reply = serveMessage(message.message);
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
