import { Worker } from 'node:worker_threads';
import { createSyncBuffer, writeOutcome } from './sync-call.ts';
import type { Dispatch } from './backends.ts';
import type { HostLogger } from './logger.ts';
import type { WorkerData, WorkerReply, WorkerRequest } from './worker-protocol.ts';

const WORKER_URL = new URL('./worker' + (import.meta.url.endsWith('.ts') ? '.ts' : '.js'), import.meta.url);

export interface PoolOptions {
  name: string;
  jsUrl: string;
  modules: Record<string, WebAssembly.Module>;
  declaredImports: string[];
  config: Record<string, string>;
  /** Workers (each one instance, one request at a time). */
  instances: number;
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
  | Exclude<WorkerReply, { type: 'ready' | 'call' | 'log' }>
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

interface Slot {
  worker: Worker;
  sync: SharedArrayBuffer;
  ready: boolean;
  job: Job | undefined;
  timer: NodeJS.Timeout | undefined;
  retired: boolean;
}

/**
 * A pool of guest workers for one component. Requests queue until a worker is idle. A trapped, timed-out or
 * crashed worker is discarded and replaced; the pool itself never fails.
 */
export class ComponentPool implements GuestPool {
  readonly #options: PoolOptions;
  readonly #slots = new Set<Slot>();
  readonly #queue: Job[] = [];
  #closed = false;
  #nextId = 1;
  #failuresInARow = 0;
  /** Milliseconds each worker took to instantiate its component, for diagnostics and the benchmark. */
  readonly instantiateTimes: number[] = [];

  constructor(options: PoolOptions) {
    this.#options = options;
    for (let i = 0; i < Math.max(1, options.instances); i += 1) this.#spawn();
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
    };
    const worker = new Worker(WORKER_URL, {
      workerData: data,
      resourceLimits: {
        maxOldGenerationSizeMb: Math.max(64, options.memoryMb),
        maxYoungGenerationSizeMb: 16,
      },
      stdout: true,
      stderr: true,
    });
    const slot: Slot = { worker, sync, ready: false, job: undefined, timer: undefined, retired: false };
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

  #onMessage(slot: Slot, reply: WorkerReply & { id?: number }): void {
    switch (reply.type) {
      case 'ready':
        slot.ready = true;
        this.#failuresInARow = 0;
        this.instantiateTimes.push(reply.instantiateMs);
        this.#pump();
        return;
      case 'call':
        // A retired worker is being terminated: a call now would open state nothing ends.
        if (slot.retired) return;
        void this.#options.dispatch(reply.op, reply.args, slot).then((outcome) => {
          if (!slot.retired) writeOutcome(slot.sync, outcome);
        });
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
        const job = slot.job;
        clearTimeout(slot.timer);
        slot.job = undefined;
        this.#endInvocation(slot);
        if (reply.type === 'failed' && reply.reason === 'trap') {
          this.#options.logger.log(
            'error',
            this.#options.name,
            `guest trapped: ${reply.message}; replacing the instance`,
          );
          job?.resolve(reply);
          this.#retire(slot, undefined);
          return;
        }
        job?.resolve(reply);
        this.#pump();
      }
    }
  }

  /** The invocation on `slot` is over: a transaction it left open is rolled back (logged as a warning). */
  #endInvocation(slot: Slot): void {
    void this.#options.endInvocation?.(slot).then((rolledBack) => {
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
    clearTimeout(slot.timer);
    this.#endInvocation(slot);
    this.#slots.delete(slot);
    if (slot.job !== undefined && result !== undefined) {
      this.#options.logger.log(
        'error',
        this.#options.name,
        `worker stopped: ${'message' in result ? result.message : result.type}`,
      );
      slot.job.resolve(result);
    }
    slot.job = undefined;
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
    for (const slot of this.#slots) {
      if (this.#queue.length === 0) return;
      if (!slot.ready || slot.job !== undefined || slot.retired) continue;
      const job = this.#queue.shift()!;
      slot.job = job;
      const id = this.#nextId++;
      slot.timer = setTimeout(
        () => {
          this.#options.logger.log(
            'error',
            this.#options.name,
            `request exceeded ${this.#options.timeoutMs} ms; stopping the worker`,
          );
          const current = slot.job;
          slot.job = undefined;
          current?.resolve({ type: 'timeout', message: `request exceeded ${this.#options.timeoutMs} ms` });
          this.#retire(slot, undefined);
        },
        job.request.type === 'instances' ? 600_000 : this.#options.timeoutMs,
      );
      slot.worker.postMessage({ ...job.request, id });
    }
  }

  async close(): Promise<void> {
    this.#closed = true;
    for (const job of this.#queue.splice(0))
      job.resolve({ type: 'closed', message: 'the host is shutting down' });
    await Promise.all(
      [...this.#slots].map(async (slot) => {
        slot.retired = true;
        clearTimeout(slot.timer);
        slot.job?.resolve({ type: 'closed', message: 'the host is shutting down' });
        await slot.worker.terminate();
      }),
    );
    this.#slots.clear();
  }
}
