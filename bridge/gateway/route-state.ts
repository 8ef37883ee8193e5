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
    if (next.weight !== previous.weight) this.weight = next.weight;
    if (next.wasm.length === 0) this.weight = 0;
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

  /** Forgets the window (after a rollback), so a new step is judged on new traffic. */
  resetWindow(): void {
    this.windows.container.reset();
    this.windows.wasm.reset();
    this.tracker.window.reset();
    this.breached.clear();
  }
}
