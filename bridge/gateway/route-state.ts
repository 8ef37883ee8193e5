import type { GateName, GatewayConfig, RouteConfig, Side } from './config-schema.ts';
import { ShadowTracker } from './shadow-tracker.ts';
import { SlidingWindow } from './sliding-window.ts';
import { UpstreamSet } from './upstream-pools.ts';

/** Upper bounds (seconds) of the Prometheus latency histogram. */
export const latencyBoundsSeconds = [
  0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10,
] as const;

/** Lifetime counters of one side of a route, for /metrics. */
export class SideMetrics {
  requests = 0;
  errors = 0;
  shadowRequests = 0;
  latencySum = 0;
  readonly latencyCounts = new Float64Array(latencyBoundsSeconds.length + 1);

  observe(seconds: number, failed: boolean): void {
    this.requests += 1;
    if (failed) this.errors += 1;
    this.latencySum += seconds;
    let i = 0;
    while (i < latencyBoundsSeconds.length && seconds > latencyBoundsSeconds[i]!) i += 1;
    this.latencyCounts[i]! += 1;
  }
}

/** Retries allowed: a floor per second plus a share of the last ten seconds' requests. */
export class RetryBudget {
  readonly #requests = new Float64Array(10);
  readonly #retries = new Float64Array(10);
  readonly #seconds = new Float64Array(10);

  #slot(now: number): number {
    const second = Math.floor(now / 1000);
    const i = second % 10;
    if (this.#seconds[i] !== second) {
      this.#seconds[i] = second;
      this.#requests[i] = 0;
      this.#retries[i] = 0;
    }
    return i;
  }

  recordRequest(now = Date.now()): void {
    this.#requests[this.#slot(now)]! += 1;
  }

  /** Takes one retry from the budget when there is one. */
  tryAcquire(config: GatewayConfig['retry'], now = Date.now()): boolean {
    const i = this.#slot(now);
    const second = Math.floor(now / 1000);
    let requests = 0;
    let retries = 0;
    for (let j = 0; j < 10; j += 1) {
      if (this.#seconds[j]! > second - 10) {
        requests += this.#requests[j]!;
        retries += this.#retries[j]!;
      }
    }
    if (this.#retries[i]! >= config.minPerSecond && retries >= requests * config.budgetRatio) return false;
    this.#retries[i]! += 1;
    return true;
  }
}

/** The live state of one route: its config, the weight and shadow settings in force, and what it has seen. */
export class RouteState {
  config: RouteConfig;
  weight: number;
  shadowEnabled: boolean;
  shadowSampleRate: number;
  frozen = false;
  upstreams: Record<Side, UpstreamSet>;
  windows: Record<Side, SlidingWindow>;
  readonly metrics: Record<Side, SideMetrics> = { container: new SideMetrics(), wasm: new SideMetrics() };
  tracker: ShadowTracker;
  readonly retryBudget = new RetryBudget();
  /** Gates currently in breach (by name), so each breach is reported once. */
  readonly breached = new Set<GateName>();
  rollbacks = 0;
  retries = 0;
  shadowDiffs = 0;
  shadowCompared = 0;
  /** Since when every origin of a side is out and its requests go to the other side (undefined: not now). */
  readonly failoverSince: Record<Side, number | undefined> = { container: undefined, wasm: undefined };
  /** Failover episodes, by the side that was out. */
  readonly failovers: Record<Side, number> = { container: 0, wasm: 0 };
  /** Requests sent to the other side because every origin of this side was out. */
  readonly failoverRequests: Record<Side, number> = { container: 0, wasm: 0 };
  /** Non-idempotent requests sent to this side and lost (answered 502 with x-migrate-ambiguous). */
  readonly ambiguous: Record<Side, number> = { container: 0, wasm: 0 };
  /** When the weight last changed (start, admin, reload, rollback); gates wait for the warm-up after it. */
  changedAt = Date.now();
  /** Wasm requests (shadow copies included) since the weight last changed. */
  wasmSinceChange = 0;
  /** True once the warm-up after the last weight change is over; gates judge only then. */
  armed = false;

  constructor(config: RouteConfig) {
    this.config = config;
    this.weight = config.weight;
    this.shadowEnabled = config.shadow.enabled;
    this.shadowSampleRate = config.shadow.sampleRate;
    this.upstreams = { container: new UpstreamSet(config.container), wasm: new UpstreamSet(config.wasm) };
    this.windows = this.#newWindows(config.gates.windowMs);
    this.tracker = new ShadowTracker(config.gates.windowMs);
  }

  #newWindows(windowMs: number): Record<Side, SlidingWindow> {
    return { container: new SlidingWindow(windowMs), wasm: new SlidingWindow(windowMs) };
  }

  /**
   * Applies a reloaded config. Weight and shadow settings changed at run time (admin API, a gate) survive a
   * reload unless the file itself changed them.
   */
  applyConfig(next: RouteConfig): void {
    const previous = this.config;
    this.config = next;
    const weight = this.weight;
    if (next.weight !== previous.weight) this.weight = next.weight;
    if (next.wasm.length === 0) this.weight = 0;
    if (this.weight !== weight) this.markWeightChange();
    if (next.shadow.enabled !== previous.shadow.enabled) this.shadowEnabled = next.shadow.enabled;
    if (next.shadow.sampleRate !== previous.shadow.sampleRate) this.shadowSampleRate = next.shadow.sampleRate;
    if (next.container.join() !== previous.container.join())
      this.upstreams.container = new UpstreamSet(next.container);
    if (next.wasm.join() !== previous.wasm.join()) this.upstreams.wasm = new UpstreamSet(next.wasm);
    if (next.gates.windowMs !== previous.gates.windowMs) {
      this.windows = this.#newWindows(next.gates.windowMs);
      this.tracker = new ShadowTracker(next.gates.windowMs);
    }
  }

  /** A new weight: the gates wait for the warm-up again and judge only traffic after it. */
  markWeightChange(now = Date.now()): void {
    this.changedAt = now;
    this.wasmSinceChange = 0;
    this.armed = false;
    this.resetWindow(now);
  }

  /**
   * Arms the gates once the warm-up is over (time since the weight change and wasm requests since it). Both
   * windows start empty at that instant, so the two sides are compared over the same time. True when it
   * armed them now.
   */
  tryArm(now = Date.now()): boolean {
    if (this.armed) return false;
    const warmup = this.config.gates.warmup;
    if (now - this.changedAt < warmup.minMs || this.wasmSinceChange < warmup.minRequests) return false;
    this.armed = true;
    this.resetWindow(now);
    return true;
  }

  /**
   * A request of `from` goes to the other side because every origin of `from` is out. It counts as a failure
   * of `from` in the window (no answer) once the failover has lasted `gates.failoverGraceMs`: a blip of a side
   * that only looked out (a busy machine) is not judged by requests it never saw. True when this request
   * starts a failover episode.
   */
  noteFailover(from: Side, now = Date.now()): boolean {
    this.failoverRequests[from] += 1;
    const since = this.failoverSince[from];
    if (since === undefined) {
      this.failoverSince[from] = now;
      this.failovers[from] += 1;
    }
    if (now - (since ?? now) >= this.config.gates.failoverGraceMs)
      this.windows[from].record(0, true, now, false);
    return since === undefined;
  }

  /** Forgets the window (after a rollback), so a new step is judged on new traffic. */
  resetWindow(now = Date.now()): void {
    this.windows.container.reset(now);
    this.windows.wasm.reset(now);
    this.tracker.window.reset();
    this.breached.clear();
  }
}
