import { Worker } from 'node:worker_threads';
import { createSyncBuffer, writeOutcome } from './sync-call.ts';
import type { Dispatch } from './backends.ts';
import type { HostLogger } from './logger.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker-protocol.ts';

const EXT = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
const WORKER_URL = new URL(`./worker${EXT}`, import.meta.url);
const JSPI_WORKER_URL = new URL(`./jspi-worker${EXT}`, import.meta.url);
/** How long past its limit a JSPI worker's request may run before the main thread stops the worker. */
const JSPI_GRACE_MS = 1000;

export interface PoolOptions {
  name: string;
  jsUrl: string;
  modules: Record<string, WebAssembly.Module>;
  declaredImports: string[];
  config: Record<string, string>;
  /** Worker mode: workers (each one instance, one request at a time). JSPI mode: requests at once per worker. */
  instances: number;
  /**
   * JSPI workers (jspi-worker.ts): this many workers, each serving up to `instances` requests at once in
   * instances suspended on their capability calls. Unset: worker mode.
   */
  jspiWorkers?: number;
  timeoutMs: number;
  memoryMb: number;
  /** Requests per instance before the worker swaps in a fresh one (0: never). */
  reuse?: number;
  dispatch: Dispatch;
  /**
   * Called when an instance's invocation ends (reply, timeout, trap, crash), with the instance object passed to
   * `dispatch`; resolves true when it rolled back a transaction the invocation left open.
   */
  endInvocation?: (instance: object) => Promise<boolean>;
  logger: HostLogger;
}

/** The outcome of one job: the worker's reply, or why the host stopped it. */
export type JobResult =
  | Exclude<WorkerReply, { type: 'ready' | 'call' | 'log' | 'end' }>
  | { type: 'timeout'; message: string }
  | { type: 'crashed'; message: string }
  | { type: 'closed'; message: string };

/** What a pool runs: a worker request without its id. */
export type JobRequest = WorkerRequest extends infer R
  ? R extends { id: number }
    ? Omit<R, 'id'>
    : never
  : never;

/** What the host needs of a component's instance pool (worker threads, or JSPI instances in the host's thread). */
export interface GuestPool {
  /** Milliseconds each instance took to instantiate, for diagnostics and the benchmark. */
  readonly instantiateTimes: number[];
  /** Waits until the pool's first instances are ready (or failed). */
  whenReady(timeoutMs?: number): Promise<void>;
  /** Runs one job; never rejects (failures are results). */
  run(request: JobRequest): Promise<JobResult>;
  close(): Promise<void>;
}

interface Job {
  request: JobRequest;
  resolve: (result: JobResult) => void;
}

interface Running {
  job: Job;
  timer: NodeJS.Timeout;
}

interface Slot {
  worker: Worker;
  sync: SharedArrayBuffer;
  ready: boolean;
  /** Jobs in progress by id: at most one in worker mode, up to `instances` in a JSPI worker. */
  jobs: Map<number, Running>;
  /** JSPI workers: the instance objects SQL sessions are keyed by, per instance id in the worker. */
  instances: Map<number, object>;
  retired: boolean;
}

/**
 * A pool of guest workers for one component. Requests queue until a worker has room: one request per worker
 * (worker mode), or up to `instances` per JSPI worker. A trapped (worker mode), timed-out or crashed worker is
 * discarded and replaced; the pool itself never fails.
 */
export class ComponentPool implements GuestPool {
  readonly #options: PoolOptions;
  readonly #jspi: boolean;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #closed = false;
  #nextId = 1;
  #failuresInARow = 0;
  /** Milliseconds each worker took to instantiate its component, for diagnostics and the benchmark. */
  readonly instantiateTimes: number[] = [];

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#jspi = options.jspiWorkers !== undefined;
    const workers = this.#jspi ? options.jspiWorkers! : options.instances;
    for (let i = 0; i < Math.max(1, workers); i += 1) this.#spawn();
  }

  /** Waits until every worker has instantiated its component (or failed). */
  async whenReady(timeoutMs = 60_000): Promise<void> {
    const deadline = Date.now() + timeoutMs;
    while (![...this.#slots].every((slot) => slot.ready) && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  }

  run(request: JobRequest): Promise<JobResult> {
    if (this.#closed) return Promise.resolve({ type: 'closed', message: 'the host is shutting down' });
    return new Promise((resolve) => {
      this.#queue.push({ request, resolve });
      this.#pump();
    });
  }

  #spawn(): void {
    if (this.#closed) return;
    const options = this.#options;
    const sync = createSyncBuffer();
    const data: WorkerData = {
      name: options.name,
      jsUrl: options.jsUrl,
      modules: options.modules,
      sync,
      config: options.config,
      declaredImports: options.declaredImports,
      reuse: options.reuse ?? 0,
      ...(this.#jspi ? { concurrency: Math.max(1, options.instances), timeoutMs: options.timeoutMs } : {}),
    };
    const worker = new Worker(this.#jspi ? JSPI_WORKER_URL : WORKER_URL, {
      workerData: data,
      resourceLimits: {
        maxOldGenerationSizeMb: Math.max(64, options.memoryMb),
        maxYoungGenerationSizeMb: 16,
      },
      stdout: true,
      stderr: true,
    });
    const slot: Slot = { worker, sync, ready: false, jobs: new Map(), instances: new Map(), retired: false };
    this.#slots.add(slot);
    worker.stdout.on('data', (chunk: Buffer) =>
      options.logger.log('info', options.name, chunk.toString().trimEnd(), { stream: 'stdout' }),
    );
    worker.stderr.on('data', (chunk: Buffer) =>
      options.logger.log('warn', options.name, chunk.toString().trimEnd(), { stream: 'stderr' }),
    );
    worker.on('message', (reply: WorkerReply & { id?: number }) => this.#onMessage(slot, reply));
    worker.on('error', (error) => this.#retire(slot, { type: 'crashed', message: error.message }));
    worker.on('exit', (code) =>
      this.#retire(slot, { type: 'crashed', message: `worker exited with code ${code}` }),
    );
  }

  /** The object SQL sessions of the instance that made a call are keyed by: the worker, or a JSPI instance. */
  #instanceKey(slot: Slot, instance: number | undefined): object {
    if (instance === undefined) return slot;
    let key = slot.instances.get(instance);
    if (key === undefined) slot.instances.set(instance, (key = {}));
    return key;
  }

  #onMessage(slot: Slot, reply: WorkerReply & { id?: number }): void {
    switch (reply.type) {
      case 'ready':
        slot.ready = true;
        this.#failuresInARow = 0;
        this.instantiateTimes.push(reply.instantiateMs);
        this.#pump();
        return;
      case 'call': {
        // A retired worker is being terminated: a call now would open state nothing ends.
        if (slot.retired) return;
        const { callId } = reply;
        void this.#options
          .dispatch(reply.op, reply.args, this.#instanceKey(slot, reply.instance))
          .then((outcome) => {
            if (slot.retired) return;
            if (callId === undefined) writeOutcome(slot.sync, outcome);
            else slot.worker.postMessage({ type: 'outcome', callId, outcome } satisfies WorkerRequest);
          });
        return;
      }
      case 'end':
        this.#endInvocation(this.#instanceKey(slot, reply.instance));
        return;
      case 'log':
        this.#options.logger.log(
          reply.level,
          this.#options.name,
          reply.message,
          reply.context ? { context: reply.context } : undefined,
        );
        return;
      default: {
        const running = reply.id === undefined ? undefined : slot.jobs.get(reply.id);
        if (running === undefined) return;
        clearTimeout(running.timer);
        slot.jobs.delete(reply.id!);
        const { id: _id, ...result } = reply;
        // a JSPI worker ends its instances' invocations itself and replaces a trapped instance
        if (!this.#jspi) this.#endInvocation(slot);
        if (!this.#jspi && reply.type === 'failed' && reply.reason === 'trap') {
          this.#options.logger.log(
            'error',
            this.#options.name,
            `guest trapped: ${reply.message}; replacing the instance`,
          );
          running.job.resolve(result);
          this.#retire(slot, undefined);
          return;
        }
        running.job.resolve(result);
        this.#pump();
      }
    }
  }

  /** An invocation is over: a transaction it left open is rolled back (logged as a warning). */
  #endInvocation(key: object): void {
    void this.#options.endInvocation?.(key).then((rolledBack) => {
      if (rolledBack)
        this.#options.logger.log(
          'warn',
          this.#options.name,
          'rolled back a SQL transaction the invocation left open',
        );
    });
  }

  #retire(slot: Slot, result: JobResult | undefined): void {
    if (slot.retired) return;
    slot.retired = true;
    this.#endInvocation(slot);
    for (const key of slot.instances.values()) this.#endInvocation(key);
    this.#slots.delete(slot);
    for (const running of slot.jobs.values()) {
      clearTimeout(running.timer);
      if (result === undefined) continue;
      this.#options.logger.log(
        'error',
        this.#options.name,
        `worker stopped: ${'message' in result ? result.message : result.type}`,
      );
      running.job.resolve(result);
    }
    slot.jobs.clear();
    if (!slot.ready) this.#failuresInARow += 1;
    void slot.worker.terminate();
    if (this.#closed) return;
    // A component that cannot even start is retried with back-off, never in a tight loop.
    const delay = this.#failuresInARow === 0 ? 0 : Math.min(5000, 100 * 2 ** this.#failuresInARow);
    setTimeout(() => {
      this.#spawn();
      this.#pump();
    }, delay).unref();
  }

  #pump(): void {
    const capacity = this.#jspi ? Math.max(1, this.#options.instances) : 1;
    for (const slot of this.#slots) {
      while (this.#queue.length > 0 && slot.ready && !slot.retired && slot.jobs.size < capacity) {
        this.#start(slot, this.#queue.shift()!);
      }
      if (this.#queue.length === 0) return;
    }
  }

  #start(slot: Slot, job: Job): void {
    const id = this.#nextId++;
    // A JSPI worker answers `timeout` itself for a request suspended on a call; one still running after the
    // grace is computing, and only stopping the worker (and the other requests it serves) ends it.
    const limit = this.#options.timeoutMs + (this.#jspi ? JSPI_GRACE_MS : 0);
    const timer = setTimeout(
      () => {
        this.#options.logger.log(
          'error',
          this.#options.name,
          `request exceeded ${this.#options.timeoutMs} ms; stopping the worker`,
        );
        slot.jobs.delete(id);
        job.resolve({ type: 'timeout', message: `request exceeded ${this.#options.timeoutMs} ms` });
        this.#retire(slot, {
          type: 'crashed',
          message: 'another request on its worker ran past its time limit',
        });
      },
      job.request.type === 'instances' ? 600_000 : limit,
    );
    slot.jobs.set(id, { job, timer });
    slot.worker.postMessage({ ...job.request, id });
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0))
      job.resolve({ type: 'closed', message: 'the host is shutting down' });
    await Promise.all(
      [...this.#slots].map(async (slot) => {
        slot.retired = true;
        for (const running of slot.jobs.values()) {
          clearTimeout(running.timer);
          running.job.resolve({ type: 'closed', message: 'the host is shutting down' });
        }
        slot.jobs.clear();
        await slot.worker.terminate();
      }),
    );
    this.#slots.clear();
  }
}
