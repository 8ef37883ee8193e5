/**
 * JSPI mode (`limits.mode: jspi`): a component's instances live in the host's own thread. The component is
 * transpiled with jco's JSPI mode, so a capability import is a `WebAssembly.Suspending` function: the guest's
 * call returns a promise, V8 suspends the guest's stack until the backend answers, and the host's event loop
 * runs other instances meanwhile. Each request has an instance of its own (up to `instances` at once; more
 * wait in a queue), so requests of one component interleave while they wait on I/O, with no worker thread and
 * no Atomics round trip.
 *
 * What it cannot do: stop a guest that computes without end. There is no worker to terminate, and V8 offers
 * no way to interrupt the host's own thread (see docs/host-density.md): such a guest stops the whole host.
 * `timeoutMs` therefore only bounds a request that waits (on a capability or in the queue): it is answered
 * 503 and its instance discarded. The worker mode stays the default for that reason.
 */
import { performance } from 'node:perf_hooks';
import { createGuestImports, withVersionedKeys } from './guest-imports.ts';
import { serveHttp, serveMessage, type HandlerExports } from './guest-serve.ts';
import type { GuestPool, JobRequest, JobResult, PoolOptions } from './pool.ts';
import { fail, type CallOutcome } from './sync-call.ts';

type Instantiate = (
  getCoreModule: (path: string) => WebAssembly.Module,
  imports: Record<string, unknown>,
) => HandlerExports;

interface Member {
  exports: HandlerExports;
  served: number;
  /** Set once the instance is discarded: its late capability calls are refused, its reply ignored. */
  retired: boolean;
}

/**
 * How long the pool keeps the instances a burst made once every request is done: after it, all but one are
 * dropped (an instance holds its linear memory, ~6–10 MB for a StarlingMonkey guest, until it goes).
 */
const IDLE_TRIM_MS = 10_000;

interface Job {
  request: JobRequest;
  resolve: (result: JobResult) => void;
}

/** An instance pool for one component in the host's thread (see the file comment). */
export class JspiPool implements GuestPool {
  readonly #options: PoolOptions;
  readonly #idle: Member[] = [];
  readonly #queue: Job[] = [];
  /** Instances made for the benchmark of idle density only. */
  readonly #extra: HandlerExports[] = [];
  readonly #loading: Promise<Instantiate | undefined>;
  #instantiate: Instantiate | undefined;
  #busy = 0;
  #closed = false;
  #trimTimer: NodeJS.Timeout | undefined;
  /** Ends each request in progress as `closed` (used by `close`). */
  readonly #inProgress = new Set<() => void>();
  readonly instantiateTimes: number[] = [];

  constructor(options: PoolOptions) {
    this.#options = options;
    this.#loading = this.#load();
  }

  async #load(): Promise<Instantiate | undefined> {
    try {
      const { instantiate } = (await import(this.#options.jsUrl)) as { instantiate: Instantiate };
      this.#instantiate = instantiate;
      // one instance up front: a component that cannot instantiate says so at start, as in a worker
      this.#idle.push(this.#create());
      return instantiate;
    } catch (error) {
      this.#options.logger.log(
        'error',
        this.#options.name,
        `cannot instantiate the component: ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  async whenReady(): Promise<void> {
    await this.#loading;
  }

  #create(): Member {
    const options = this.#options;
    const member: Member = { exports: {}, served: 0, retired: false };
    const call = (op: string, args: unknown[]): Promise<CallOutcome> =>
      member.retired
        ? Promise.resolve(fail({ tag: 'unexpected', val: 'the instance was stopped' }))
        : options.dispatch(op, args, member);
    const imports = withVersionedKeys(
      createGuestImports({
        call,
        config: options.config,
        log: (level, context, message) =>
          options.logger.log(level, options.name, message, context ? { context } : undefined),
      }),
      options.declaredImports,
    );
    const started = performance.now();
    member.exports = this.#instantiate!((path) => {
      const module = options.modules[path];
      if (module === undefined) throw new Error(`missing core module ${path}`);
      return module;
    }, imports);
    this.instantiateTimes.push(performance.now() - started);
    return member;
  }

  run(request: JobRequest): Promise<JobResult> {
    if (this.#closed) return Promise.resolve({ type: 'closed', message: 'the host is shutting down' });
    if (request.type === 'instances') return this.#makeIdle(request.count);
    return new Promise((resolve) => {
      this.#queue.push({ request, resolve });
      const timer = setTimeout(() => {
        const index = this.#queue.findIndex((job) => job.resolve === resolve);
        if (index < 0) return;
        this.#queue.splice(index, 1);
        resolve({ type: 'timeout', message: `request waited ${this.#options.timeoutMs} ms for an instance` });
      }, this.#options.timeoutMs);
      timer.unref();
      void this.#pump();
    });
  }

  async #pump(): Promise<void> {
    if (this.#instantiate === undefined && (await this.#loading) === undefined) {
      for (const job of this.#queue.splice(0))
        job.resolve({ type: 'crashed', message: 'the component could not be instantiated' });
      return;
    }
    while (this.#queue.length > 0 && !this.#closed) {
      let member = this.#idle.pop();
      if (member === undefined) {
        if (this.#busy >= Math.max(1, this.#options.instances)) return;
        try {
          member = this.#create();
        } catch (error) {
          const job = this.#queue.shift()!;
          job.resolve({ type: 'crashed', message: `cannot instantiate: ${(error as Error).message}` });
          continue;
        }
      }
      this.#serve(member, this.#queue.shift()!);
    }
  }

  #serve(member: Member, job: Job): void {
    const options = this.#options;
    this.#busy += 1;
    let settled = false;
    const finish = (result: JobResult, keep: boolean): void => {
      if (settled) return;
      settled = true;
      this.#inProgress.delete(close);
      clearTimeout(timer);
      this.#busy -= 1;
      void options.endInvocation?.(member).then((rolledBack) => {
        if (rolledBack)
          options.logger.log('warn', options.name, 'rolled back a SQL transaction the invocation left open');
      });
      member.served += 1;
      const reused = options.reuse === undefined || options.reuse === 0 || member.served < options.reuse;
      if (keep && reused && !this.#closed) this.#idle.push(member);
      else member.retired = true;
      job.resolve(result);
      void this.#pump();
      this.#scheduleTrim();
    };
    const close = (): void => finish({ type: 'closed', message: 'the host is shutting down' }, false);
    this.#inProgress.add(close);
    // Only a guest that is suspended (waiting on a capability) can be timed out: one that computes holds the
    // thread, and this timer cannot fire until it yields.
    const timer = setTimeout(() => {
      options.logger.log(
        'error',
        options.name,
        `request exceeded ${options.timeoutMs} ms; discarding the instance`,
      );
      finish({ type: 'timeout', message: `request exceeded ${options.timeoutMs} ms` }, false);
    }, options.timeoutMs);
    const request = job.request;
    const reply =
      request.type === 'http'
        ? serveHttp(member.exports, request.request)
        : request.type === 'message'
          ? serveMessage(member.exports, request.message)
          : ({ type: 'failed', reason: 'no-export', message: `cannot run ${request.type}` } as const);
    void Promise.resolve(reply).then((result) => {
      const trap = result.type === 'failed' && result.reason === 'trap';
      if (trap)
        options.logger.log('error', options.name, `guest trapped: ${result.message}; replacing the instance`);
      finish(result as JobResult, !trap);
    });
  }

  /** Once the pool has been idle for IDLE_TRIM_MS, keeps one idle instance and lets the others go. */
  #scheduleTrim(): void {
    clearTimeout(this.#trimTimer);
    if (this.#busy > 0 || this.#idle.length <= 1) return;
    this.#trimTimer = setTimeout(() => {
      if (this.#busy > 0) return;
      for (const member of this.#idle.splice(1)) member.retired = true;
    }, IDLE_TRIM_MS);
    this.#trimTimer.unref();
  }

  /** Makes `count` idle instances beside the pool (the benchmark's density figure). */
  #makeIdle(count: number): Promise<JobResult> {
    return this.#loading.then(() => {
      const times: number[] = [];
      for (let i = 0; i < count; i += 1) {
        const started = performance.now();
        this.#extra.push(this.#create().exports);
        times.push(performance.now() - started);
      }
      return { type: 'instances', times, memory: process.memoryUsage() };
    });
  }

  close(): Promise<void> {
    this.#closed = true;
    clearTimeout(this.#trimTimer);
    for (const job of this.#queue.splice(0))
      job.resolve({ type: 'closed', message: 'the host is shutting down' });
    for (const member of this.#idle.splice(0)) member.retired = true;
    for (const close of [...this.#inProgress]) close();
    this.#extra.length = 0;
    return Promise.resolve();
  }
}
