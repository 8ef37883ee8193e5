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

/** Round robin over a side's origins. */
export class UpstreamSet {
  readonly origins: readonly string[];
  #next = 0;

  constructor(origins: readonly string[]) {
    this.origins = origins.map((o) => o.replace(/\/$/, ''));
  }

  get empty(): boolean {
    return this.origins.length === 0;
  }

  pick(): string {
    const origin = this.origins[this.#next % this.origins.length]!;
    this.#next = (this.#next + 1) % this.origins.length;
    return origin;
  }
}
