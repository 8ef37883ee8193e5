import { Pool } from 'undici';

export interface PoolOptions {
  connections: number;
  connectMs: number;
}

/**
 * Keep-alive connection pools, one per upstream origin, shared by every route that uses the origin. A reload
 * keeps the pools of origins still in use; pools no longer used are closed gracefully (queued requests finish).
 */
export class UpstreamPools {
  readonly #pools = new Map<string, Pool>();
  #options: PoolOptions;

  constructor(options: PoolOptions) {
    this.#options = options;
  }

  get(origin: string): Pool {
    let pool = this.#pools.get(origin);
    if (pool === undefined) {
      pool = new Pool(origin, {
        connections: this.#options.connections,
        pipelining: 1,
        keepAliveTimeout: 4_000,
        connect: { timeout: this.#options.connectMs },
      });
      this.#pools.set(origin, pool);
    }
    return pool;
  }

  /** Closes the pools of origins not in `keep`, after their in-flight requests complete. */
  async retain(keep: ReadonlySet<string>): Promise<void> {
    const closing: Promise<void>[] = [];
    for (const [origin, pool] of this.#pools) {
      if (keep.has(origin)) continue;
      this.#pools.delete(origin);
      closing.push(pool.close().catch(() => undefined));
    }
    await Promise.all(closing);
  }

  async close(): Promise<void> {
    await this.retain(new Set());
  }
}

/**
 * Round robin over a side's origins, with two ways to take an origin out:
 * - passive ejection: an origin that could not be reached is skipped for a while (1 s, doubling while it keeps
 *   failing, at most 30 s) and put back when it answers again;
 * - active health checks: an origin whose checks failed `unhealthyAfter` times in a row is out until a check
 *   succeeds again (see health-checker.ts).
 */
export class UpstreamSet {
  readonly origins: readonly string[];
  #next = 0;
  readonly #ejectedUntil = new Map<string, number>();
  readonly #failures = new Map<string, number>();
  /** Origins the active health checks took out. */
  readonly #down = new Set<string>();
  /** When each origin last answered anything (a client request or a check): silence is how a hang shows. */
  readonly #lastAnswer = new Map<string, number>();

  constructor(origins: readonly string[]) {
    this.origins = origins.map((o) => o.replace(/\/$/, ''));
  }

  get empty(): boolean {
    return this.origins.length === 0;
  }

  #usable(origin: string, now: number): boolean {
    if (this.#down.size > 0 && this.#down.has(origin)) return false;
    return this.#ejectedUntil.size === 0 || !((this.#ejectedUntil.get(origin) ?? 0) > now);
  }

  /** True when at least one origin is neither ejected nor down. */
  hasHealthy(now = Date.now()): boolean {
    if (this.#ejectedUntil.size === 0 && this.#down.size === 0) return this.origins.length > 0;
    return this.origins.some((o) => this.#usable(o, now));
  }

  /** True when the origin would be picked now. */
  isHealthy(origin: string, now = Date.now()): boolean {
    return this.#usable(origin, now);
  }

  /** The next origin that is neither ejected nor down, or undefined when there is none. */
  pick(now = Date.now()): string | undefined {
    const count = this.origins.length;
    for (let tries = 0; tries < count; tries += 1) {
      const origin = this.origins[this.#next]!;
      this.#next = (this.#next + 1) % count;
      if (this.#usable(origin, now)) return origin;
    }
    return undefined;
  }

  /** The next origin whatever its state (when nothing anywhere looks usable, trying beats refusing). */
  pickAny(): string | undefined {
    const count = this.origins.length;
    if (count === 0) return undefined;
    const origin = this.origins[this.#next % count]!;
    this.#next = (this.#next + 1) % count;
    return origin;
  }

  /** Ejects an origin after a connection failure; returns how long, or undefined if it already was. */
  eject(origin: string, now = Date.now()): number | undefined {
    if ((this.#ejectedUntil.get(origin) ?? 0) > now) return undefined;
    const failures = (this.#failures.get(origin) ?? 0) + 1;
    this.#failures.set(origin, failures);
    const ms = Math.min(30_000, 1000 * 2 ** (failures - 1));
    this.#ejectedUntil.set(origin, now + ms);
    return ms;
  }

  /** Forgets an origin's failures after it answered; true when it had been ejected. */
  restore(origin: string): boolean {
    if (this.#failures.size === 0 || !this.#failures.has(origin)) return false;
    this.#failures.delete(origin);
    this.#ejectedUntil.delete(origin);
    return true;
  }

  /** Records an active check's verdict; true when it changed the origin's state. */
  setDown(origin: string, down: boolean): boolean {
    if (down === this.#down.has(origin)) return false;
    if (down) this.#down.add(origin);
    else this.#down.delete(origin);
    return true;
  }

  isDown(origin: string): boolean {
    return this.#down.has(origin);
  }

  /** Records that the origin answered (response headers of a request or a check). */
  noteAnswer(origin: string, now = Date.now()): void {
    this.#lastAnswer.set(origin, now);
  }

  /** When the origin last answered anything; 0 when never. */
  lastAnswerAt(origin: string): number {
    return this.#lastAnswer.get(origin) ?? 0;
  }
}
