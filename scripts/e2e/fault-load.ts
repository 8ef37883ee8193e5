/**
 * The load and the write ledger of `npm run e2e:faults`: bounded mixed GET/POST traffic through the gateway,
 * every POST /api/order carrying a unique price so its row can be found, and the check that every answer
 * matches what was written (rows in Postgres, events on NATS).
 */
import { Pool } from 'undici';

export interface Outcome {
  scenario: string;
  method: 'GET' | 'POST';
  status: number;
  ambiguous: boolean;
  /** The gateway's error code when it answered itself (`MIG_*`), or the client error. */
  error?: string;
  /** POST only: the unique price that marks its order line. */
  price?: number;
  orderNumber?: string;
  /** When the request was sent and when its answer (or error) was complete, epoch ms. */
  at: number;
  endedAt: number;
  /** The side that answered (`x-migrate-side`), when an upstream did. */
  side?: string;
}

export interface LoadOptions {
  workers: number;
  /** Share of requests that are POST /api/order. */
  postShare: number;
  /** Pause of each worker between two requests (keeps the load bounded on a shared machine). */
  pauseMs: number;
  scenario: () => string;
  inventoryPath: string;
  sku: string;
}

export function startMixedLoad(url: string, options: LoadOptions) {
  const pool = new Pool(url, { connections: options.workers, headersTimeout: 60_000, bodyTimeout: 60_000 });
  const outcomes: Outcome[] = [];
  let stopped = false;
  let nextPrice = 100_000;
  const one = async (worker: number, n: number): Promise<void> => {
    const post = Math.random() < options.postShare;
    const scenario = options.scenario();
    const headers: Record<string, string> = { 'x-user-id': `user-${(n * 31 + worker) % 400}` };
    const outcome: Outcome = {
      scenario,
      method: post ? 'POST' : 'GET',
      status: 0,
      ambiguous: false,
      at: Date.now(),
      endedAt: 0,
    };
    let body: string | null = null;
    if (post) {
      outcome.price = nextPrice++;
      headers['content-type'] = 'application/json';
      body = JSON.stringify({
        orderLineItemsDtoList: [{ skuCode: options.sku, price: outcome.price, quantity: 1 }],
      });
    }
    try {
      const response = await pool.request({
        path: post ? '/api/order' : options.inventoryPath,
        method: outcome.method,
        headers,
        body,
      });
      const text = await response.body.text();
      outcome.status = response.statusCode;
      outcome.ambiguous = response.headers['x-migrate-ambiguous'] === 'true';
      const side = response.headers['x-migrate-side'];
      if (typeof side === 'string') outcome.side = side;
      if (response.statusCode === 201) {
        outcome.orderNumber = (JSON.parse(text) as { orderNumber?: string }).orderNumber;
      } else if (response.statusCode >= 400) {
        const gatewayError = /"code":"(MIG_[A-Z_]+)","message":"([^"]*)"/.exec(text);
        outcome.error =
          gatewayError === null
            ? `${outcome.method} HTTP ${response.statusCode}: ${text.slice(0, 100)}`
            : `${outcome.method} ${gatewayError[1]}: ${gatewayError[2]}`;
      }
    } catch (error) {
      outcome.error = `${outcome.method} client: ${(error as { code?: string }).code ?? (error as Error).message}`;
    }
    outcome.endedAt = Date.now();
    outcomes.push(outcome);
  };
  const worker = async (w: number): Promise<void> => {
    for (let n = 0; !stopped; n += 1) {
      await one(w, n);
      await new Promise((done) => setTimeout(done, options.pauseMs));
    }
  };
  const done = Promise.all(Array.from({ length: options.workers }, (_, w) => worker(w)));
  let closed: Promise<void> | undefined;
  return {
    outcomes,
    /** Stops the workers and closes the pool; again (the run's cleanup after its own stop) it waits for that. */
    stop(): Promise<void> {
      stopped = true;
      closed ??= done.then(() => pool.close());
      return closed;
    },
  };
}

/** A failed request: anything but a 2xx that is not a counted ambiguous one. */
export function isFailed(outcome: Outcome): boolean {
  return !outcome.ambiguous && !(outcome.status >= 200 && outcome.status < 300);
}

/**
 * A failure of a dependency both sides share, not of the split: an answer the service itself gave (5xx with an
 * `x-migrate-side`, not a gateway `MIG_*` error) to a request in flight while that dependency was down
 * (`outage` from its stop to a grace after it was back). No gateway could have answered it from the other side.
 */
export function isSharedOutage(outcome: Outcome, outage: { from: number; to: number } | undefined): boolean {
  if (outage === undefined || !isFailed(outcome) || outcome.side === undefined) return false;
  return outcome.status >= 500 && outcome.endedAt >= outage.from && outcome.at <= outage.to;
}

/** A fault's window: from the instant its signal was sent to the instant its target was gone (epoch ms). */
export interface FaultWindow {
  from: number;
  to: number;
}

/**
 * Requests in flight at any point of a fault's window: sent before it ended and answered after it began. A
 * request written to a killed process that is not gone yet (a JVM's teardown takes a while, and its sockets
 * close last) is lost with it as much as one written before the signal: neither the gateway nor the client can
 * tell whether it ran. For a fault without such a tail (`from` = `to`) it is the requests in flight at the
 * instant of the fault.
 */
export function countInFlight(outcomes: readonly Outcome[], window: FaultWindow, method?: string): number {
  return outcomes.filter(
    (o) => o.at <= window.to && o.endedAt > window.from && (method === undefined || o.method === method),
  ).length;
}

export interface LedgerResult {
  posts: number;
  ordersWithout201: number;
  /**
   * Service 5xx answers during a shared Postgres/NATS restart (`sharedOutage`) whose row exists: the commit
   * reached the database and the connection was cut before the service heard back. Either side's service
   * answers so (a JDBC pool too); the gateway passed the service's answer on. Apart from ordersWithout201.
   */
  sharedOutageWithOrder: number;
  /** ordersWithout201 and sharedOutageWithOrder by answering side and scenario. */
  ordersWithout201By: Record<string, number>;
  created201WithoutOrder: number;
  duplicateOrders: number;
  /** 201s whose order number was not published exactly once. */
  eventsNotOnce: number;
  /** Those 201s by answering side, scenario and kind (`missing`: no event, `duplicate`: more than one). */
  eventsNotOnceBy: Record<string, number>;
  ambiguousWithOrder: number;
  ambiguousWithoutOrder: number;
}

/**
 * For every POST: a 201 ⇒ exactly one order row (by its unique price, with the answered order number) and one
 * NATS event; a failure ⇒ no row, unless it is one of the counted ambiguous ones (a service 5xx during a shared
 * outage whose row exists is counted apart: sharedOutageWithOrder).
 */
export function checkLedger(
  outcomes: readonly Outcome[],
  rows: readonly { price: number; orderNumber: string }[],
  events: ReadonlyMap<string, number>,
  sharedOutage?: ReadonlySet<Outcome>,
): LedgerResult {
  const byPrice = new Map<number, string[]>();
  for (const row of rows) byPrice.set(row.price, [...(byPrice.get(row.price) ?? []), row.orderNumber]);
  const result: LedgerResult = {
    posts: 0,
    ordersWithout201: 0,
    sharedOutageWithOrder: 0,
    ordersWithout201By: {},
    created201WithoutOrder: 0,
    duplicateOrders: 0,
    eventsNotOnce: 0,
    eventsNotOnceBy: {},
    ambiguousWithOrder: 0,
    ambiguousWithoutOrder: 0,
  };
  for (const outcome of outcomes) {
    if (outcome.method !== 'POST' || outcome.price === undefined) continue;
    result.posts += 1;
    const found = byPrice.get(outcome.price) ?? [];
    if (found.length > 1) result.duplicateOrders += 1;
    if (outcome.status === 201) {
      if (outcome.orderNumber === undefined || !found.includes(outcome.orderNumber)) {
        result.created201WithoutOrder += 1;
      }
      const published = outcome.orderNumber === undefined ? 0 : (events.get(outcome.orderNumber) ?? 0);
      if (published !== 1) {
        result.eventsNotOnce += 1;
        const key = `${outcome.side ?? '?'} ${outcome.scenario} ${published === 0 ? 'missing' : 'duplicate'}`;
        result.eventsNotOnceBy[key] = (result.eventsNotOnceBy[key] ?? 0) + 1;
      }
    } else if (outcome.ambiguous) {
      if (found.length > 0) result.ambiguousWithOrder += 1;
      else result.ambiguousWithoutOrder += 1;
    } else if (found.length > 0) {
      const shared = sharedOutage?.has(outcome) === true;
      if (shared) result.sharedOutageWithOrder += 1;
      else result.ordersWithout201 += 1;
      const key = `${outcome.side ?? 'gateway'} ${outcome.scenario} ${outcome.status}${shared ? ' shared-outage' : ''}`;
      result.ordersWithout201By[key] = (result.ordersWithout201By[key] ?? 0) + 1;
    }
  }
  return result;
}
