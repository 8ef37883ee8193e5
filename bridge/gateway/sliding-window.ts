const slotCount = 10;
const latencyBuckets = 100;
const latencyBase = 0.05; // ms, upper bound of the first latency bucket
const latencyGrowth = 1.15;
const logGrowth = Math.log(latencyGrowth);

/** Counts for one side of a route inside one slot of the window. */
interface Slot {
  start: number;
  requests: number;
  errors: number;
  firstErrorAt: number;
  /** Latencies of answered requests only: a refused connection or a failover is fast and says nothing. */
  latency: Uint32Array;
  answered: number;
}

/** What a side looked like over the window. */
export interface WindowSummary {
  requests: number;
  errors: number;
  errorRate: number;
  /** p99 in ms (upper bound of its histogram bucket), or undefined without samples. */
  p99Ms: number | undefined;
  /** Wall-clock time of the earliest error still inside the window. */
  firstErrorAt: number | undefined;
}

function latencyIndex(ms: number): number {
  if (ms <= latencyBase) return 0;
  return Math.min(latencyBuckets - 1, Math.ceil(Math.log(ms / latencyBase) / logGrowth));
}

/**
 * Sliding window of request outcomes: ten slots, each a tenth of the window, reused in a ring. A request is
 * counted only when it started at or after the window's last reset: one that started before (under the old
 * weight, or queued in a process that hung and resumed) carries conditions the window is not about.
 */
export class SlidingWindow {
  readonly #slotMs: number;
  readonly #slots: Slot[];
  /** Requests that started before this instant (the last reset) are not counted. */
  #since = 0;

  constructor(windowMs: number) {
    this.#slotMs = Math.max(100, Math.floor(windowMs / slotCount));
    this.#slots = Array.from({ length: slotCount }, () => ({
      start: 0,
      requests: 0,
      errors: 0,
      firstErrorAt: 0,
      latency: new Uint32Array(latencyBuckets),
      answered: 0,
    }));
  }

  #slot(now: number): Slot {
    const start = now - (now % this.#slotMs);
    const slot = this.#slots[Math.floor(start / this.#slotMs) % slotCount]!;
    if (slot.start !== start) {
      slot.start = start;
      slot.requests = 0;
      slot.errors = 0;
      slot.firstErrorAt = 0;
      slot.latency.fill(0);
      slot.answered = 0;
    }
    return slot;
  }

  /**
   * Records one outcome that took `ms` and ended `now`; `answered` false (no answer at all) counts as an error
   * without a latency. False when it was not counted: it started before the last reset.
   */
  record(ms: number, failed: boolean, now = Date.now(), answered = true): boolean {
    if (now - ms < this.#since) return false;
    const slot = this.#slot(now);
    slot.requests += 1;
    if (failed) {
      if (slot.errors === 0) slot.firstErrorAt = now;
      slot.errors += 1;
    }
    if (!answered) return true;
    slot.latency[latencyIndex(ms)]! += 1;
    slot.answered += 1;
    return true;
  }

  /** Forgets every outcome, and from now on counts only requests that start at or after `now`. */
  reset(now = Date.now()): void {
    for (const slot of this.#slots) slot.start = 0;
    this.#since = now;
  }

  summarize(now = Date.now()): WindowSummary {
    const oldest = now - this.#slotMs * slotCount;
    let requests = 0;
    let errors = 0;
    let firstErrorAt: number | undefined;
    let answered = 0;
    const latency = new Uint32Array(latencyBuckets);
    for (const slot of this.#slots) {
      if (slot.start === 0 || slot.start <= oldest) continue;
      requests += slot.requests;
      errors += slot.errors;
      if (slot.errors > 0 && (firstErrorAt === undefined || slot.firstErrorAt < firstErrorAt)) {
        firstErrorAt = slot.firstErrorAt;
      }
      answered += slot.answered;
      for (let i = 0; i < latencyBuckets; i += 1) latency[i]! += slot.latency[i]!;
    }
    return {
      requests,
      errors,
      errorRate: requests === 0 ? 0 : errors / requests,
      p99Ms: percentile(latency, answered, 0.99),
      firstErrorAt,
    };
  }

  /** Answered requests in the window whose latency may be above `ms` (their bucket reaches past it). */
  countSlowerThan(ms: number, now = Date.now()): number {
    const oldest = now - this.#slotMs * slotCount;
    let count = 0;
    for (const slot of this.#slots) {
      if (slot.start === 0 || slot.start <= oldest) continue;
      for (let i = latencyBuckets - 1; i >= 0 && bucketUpperMs(i) > ms; i -= 1) count += slot.latency[i]!;
    }
    return count;
  }
}

/** Upper bound (ms) of a latency bucket: the value a percentile in it is reported as. */
function bucketUpperMs(i: number): number {
  return Number((latencyBase * latencyGrowth ** i).toFixed(3));
}

function percentile(latency: Uint32Array, total: number, q: number): number | undefined {
  if (total === 0) return undefined;
  const rank = Math.ceil(total * q);
  let seen = 0;
  for (let i = 0; i < latencyBuckets; i += 1) {
    seen += latency[i]!;
    if (seen >= rank) return bucketUpperMs(i);
  }
  return undefined;
}

/** Counts of shadow comparisons over the same kind of window. */
export class CountWindow {
  readonly #slotMs: number;
  readonly #starts = new Float64Array(slotCount);
  readonly #totals = new Float64Array(slotCount);
  readonly #hits = new Float64Array(slotCount);

  constructor(windowMs: number) {
    this.#slotMs = Math.max(100, Math.floor(windowMs / slotCount));
  }

  record(hit: boolean, now = Date.now()): void {
    const start = now - (now % this.#slotMs);
    const i = Math.floor(start / this.#slotMs) % slotCount;
    if (this.#starts[i] !== start) {
      this.#starts[i] = start;
      this.#totals[i] = 0;
      this.#hits[i] = 0;
    }
    this.#totals[i]! += 1;
    if (hit) this.#hits[i]! += 1;
  }

  reset(): void {
    this.#starts.fill(0);
  }

  summarize(now = Date.now()): { total: number; hits: number } {
    const oldest = now - this.#slotMs * slotCount;
    let total = 0;
    let hits = 0;
    for (let i = 0; i < slotCount; i += 1) {
      if (this.#starts[i] === 0 || this.#starts[i]! <= oldest) continue;
      total += this.#totals[i]!;
      hits += this.#hits[i]!;
    }
    return { total, hits };
  }
}
