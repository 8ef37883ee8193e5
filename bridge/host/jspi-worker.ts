/**
 * A JSPI worker (`limits.mode: jspi` with `workers` > 0): a JspiPool inside a worker thread. It serves up to
 * `concurrency` requests at once, each in an instance of its own that is suspended while its capability call
 * is in flight; a call is a message to the main thread answered by an `outcome` message (nothing blocks). A
 * guest that computes past its time limit is stopped by the main thread terminating this worker.
 */
import { parentPort, workerData } from 'node:worker_threads';
import type { CallOutcome } from './sync-call.ts';
import { JspiPool } from './jspi-pool.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker-protocol.ts';

// No stack traces in this thread: jco's async runtime (1.35) builds and drops an Error on every completed
// capability call (Waitable#drop of a subtask that still holds its event, caught by its caller), and capturing its
// stack took 10 % of this thread's CPU under load (bench:host profile). The host reports messages, never stacks.
Error.stackTraceLimit = 0;
const data = workerData as WorkerData;
const port = parentPort!;
const post = (reply: WorkerReply & { id?: number }): void => port.postMessage(reply);

const pending = new Map<number, (outcome: CallOutcome) => void>();
const instanceIds = new WeakMap<object, number>();
let nextCall = 1;
let nextInstance = 1;
const idOf = (instance: object): number => {
  let id = instanceIds.get(instance);
  if (id === undefined) instanceIds.set(instance, (id = nextInstance++));
  return id;
};

const pool = new JspiPool({
  name: data.name,
  jsUrl: data.jsUrl,
  modules: data.modules,
  declaredImports: data.declaredImports,
  config: data.config,
  instances: data.concurrency ?? 1,
  timeoutMs: data.timeoutMs ?? 10_000,
  memoryMb: 0,
  reuse: data.reuse,
  dispatch: (op, args, instance) =>
    new Promise((resolve) => {
      const callId = nextCall++;
      pending.set(callId, resolve);
      post({ type: 'call', op, args, callId, instance: idOf(instance!) });
    }),
  endInvocation: (instance) => {
    post({ type: 'end', instance: idOf(instance) });
    return Promise.resolve(false);
  },
  logger: {
    log: (level, _name, message, fields) =>
      post({
        type: 'log',
        level,
        context: typeof fields?.context === 'string' ? fields.context : '',
        message,
      }),
  },
});

port.on('message', (message: WorkerRequest) => {
  if (message.type === 'outcome') {
    pending.get(message.callId)?.(message.outcome);
    pending.delete(message.callId);
    return;
  }
  const { id, ...request } = message;
  void pool.run(request).then((result) => post({ ...(result as WorkerReply), id }));
});

await pool.whenReady();
// like a worker whose instantiation throws: the pool replaces it, with back-off
if (pool.instantiateTimes.length === 0) throw new Error(`component ${data.name} could not be instantiated`);
post({ type: 'ready', instantiateMs: pool.instantiateTimes[0]! });
