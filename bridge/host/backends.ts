import pg from 'pg';
import { Redis } from 'ioredis';
import { randomUUID } from 'node:crypto';
import { connect, headers as natsHeaders, type NatsConnection, type Subscription } from 'nats';
import { retryWhileNotSent } from './pg-connect-retry.ts';
import { fromPgResult, toPgParam, type PgValue } from './pg-values.ts';
import { SqlSessions } from './sql-sessions.ts';
import { fail, message, ok, type CallOutcome } from './sync-call.ts';
import type { HostLogger } from './logger.ts';
import { sendOutbound, type OutboundRequest } from './http-out.ts';
import { runKeyValueOp, runRedisOp } from './redis-ops.ts';
import { CapturingStreams, isNoResponders } from './nats-streams.ts';

export type { OutboundRequest } from './http-out.ts';

/** Backend connection settings. */
export interface BackendSettings {
  postgres?: { url: string; poolSize?: number };
  nats?: { url: string };
  redis?: { url: string; keyPrefix?: string };
}

/** Answers an allowed outbound request in-process when a component of this host serves its URL, or undefined. */
export type LocalHttp = (url: URL, req: OutboundRequest) => Promise<CallOutcome> | undefined;

/** What one component may do; the dispatcher checks every call against it. */
export interface ComponentGrant {
  name: string;
  capabilities: ReadonlySet<string>;
  /** `host` or `host:port` entries; outbound HTTP to anything else is denied. */
  allowedHosts: readonly string[];
  backends: BackendSettings;
  /**
   * How long a publish is held for NATS to confirm it, across reconnects, before the guest gets an error value
   * (default NATS_PUBLISH_WAIT_MS). The host sets it below the component's request timeout, so that the guest
   * hears of the failure and answers with it instead of being stopped.
   */
  publishWaitMs?: number;
}

/**
 * Runs one capability call. `instance` identifies the calling component instance (the pool passes one object
 * per worker): SQL statements between BEGIN and COMMIT/ROLLBACK of one instance share a connection.
 */
export type Dispatch = (op: string, args: unknown[], instance?: object) => Promise<CallOutcome>;

/** How long a statement waits for a restarting Postgres to accept connections again (see pg-connect-retry.ts). */
const PG_RESTART_WAIT = { waitMs: 5000, stepMs: 100 };
/** How long a request (not a publish) waits for the NATS connection to come back after a disconnect. */
const NATS_RECONNECT_WAIT_MS = 5000;
/** How long a publish is held for NATS to confirm it when the grant does not say (see publishWaitMs). */
const NATS_PUBLISH_WAIT_MS = 8000;
/** Publishes held at once per server URL; one more while NATS is away fails at once instead of queueing. */
const NATS_PUBLISH_HELD_MAX = 1000;
/** How long one JetStream publish waits for its PubAck before it is sent again (same Nats-Msg-Id). */
const NATS_PUBACK_WAIT_MS = 2000;

/**
 * Connections shared by every component of one host (one pg pool per URL, one NATS and one Redis client per
 * URL), created on first use. Every failure becomes an error value for the guest; nothing throws.
 */
export class Backends {
  readonly #logger: HostLogger;
  readonly #pools = new Map<string, pg.Pool>();
  readonly #redis = new Map<string, Redis>();
  readonly #nats = new Map<string, Promise<NatsConnection>>();
  readonly #natsUp = new Map<string, boolean>();
  readonly #natsHeld = new Map<string, number>();
  readonly #streams = new CapturingStreams();
  readonly #prepared = new Map<string, { sql: string; component: string }>();
  readonly #sqlSessions = new SqlSessions();
  #nextToken = 0;
  #localHttp: LocalHttp | undefined;

  constructor(logger: HostLogger) {
    this.#logger = logger;
  }

  pool(settings: NonNullable<BackendSettings['postgres']>): pg.Pool {
    let pool = this.#pools.get(settings.url);
    if (pool === undefined) {
      pool = new pg.Pool({
        connectionString: settings.url,
        max: settings.poolSize ?? 10,
        connectionTimeoutMillis: 5000,
      });
      pool.on('error', (error) =>
        this.#logger.log('warn', 'host', `postgres client error: ${error.message}`),
      );
      this.#pools.set(settings.url, pool);
    }
    return pool;
  }

  redis(settings: NonNullable<BackendSettings['redis']>): Redis {
    let client = this.#redis.get(settings.url);
    if (client === undefined) {
      client = new Redis(settings.url, {
        maxRetriesPerRequest: 1,
        enableOfflineQueue: true,
        connectTimeout: 3000,
      });
      client.on('error', (error: Error) => this.#logger.log('warn', 'host', `redis error: ${error.message}`));
      this.#redis.set(settings.url, client);
    }
    return client;
  }

  nats(settings: NonNullable<BackendSettings['nats']>): Promise<NatsConnection> {
    let connection = this.#nats.get(settings.url);
    if (connection === undefined) {
      connection = connect({
        servers: settings.url,
        maxReconnectAttempts: -1,
        reconnectTimeWait: 250,
        waitOnFirstConnect: true,
      });
      this.#nats.set(settings.url, connection);
      connection.then(
        (nc) => {
          this.#natsUp.set(settings.url, true);
          void (async () => {
            for await (const status of nc.status()) {
              if (String(status.type) === 'disconnect') this.#natsUp.set(settings.url, false);
              if (String(status.type) === 'reconnect') this.#natsUp.set(settings.url, true);
            }
          })();
        },
        () => this.#nats.delete(settings.url),
      );
    }
    return connection;
  }

  /** Subscribes `subject` for a component; `onMessage` runs the component's handler. */
  async subscribe(
    settings: NonNullable<BackendSettings['nats']>,
    subject: string,
    onMessage: (msg: { subject: string; body: Uint8Array; replyTo?: string }) => Promise<void>,
  ): Promise<Subscription> {
    const nc = await this.nats(settings);
    const subscription = nc.subscribe(subject);
    void (async () => {
      for await (const msg of subscription) {
        await onMessage({
          subject: msg.subject,
          body: msg.data,
          ...(msg.reply ? { replyTo: msg.reply } : {}),
        });
      }
    })();
    return subscription;
  }

  /**
   * Outbound HTTP to a component this host serves goes through `local` instead of the network: the same
   * request and response, without a loopback connection, an HTTP client and a second HTTP parse per call.
   */
  setLocalHttp(local: LocalHttp): void {
    this.#localHttp = local;
  }

  /** The capability dispatcher for one component. */
  createDispatch(grant: ComponentGrant): Dispatch {
    return async (op, args, instance) => {
      try {
        return await this.#dispatch(grant, op, args, instance);
      } catch (error) {
        return fail(errorFor(op, message(error)));
      }
    };
  }

  /**
   * Ends an instance's SQL session when its invocation ends (see SqlSessions): rolls back and releases a
   * transaction it left open. Resolves true when there was one.
   */
  endSqlSession(instance: object): Promise<boolean> {
    return this.#sqlSessions.end(instance);
  }

  async #dispatch(
    grant: ComponentGrant,
    op: string,
    args: unknown[],
    instance: object | undefined,
  ): Promise<CallOutcome> {
    const [family] = op.split('.');
    const needed = { sql: 'sql', kv: 'kv', redis: 'redis', msg: 'messaging', http: 'http-out' }[family!];
    if (needed !== undefined && needed !== 'http-out' && !grant.capabilities.has(needed)) {
      return fail(errorFor(op, `capability ${needed} is not granted to ${grant.name}`));
    }
    switch (family) {
      case 'sql':
        return this.#sql(grant, op, args, instance);
      case 'kv':
        return this.#kv(grant, op, args);
      case 'redis':
        return this.#redisCommand(grant, op, args);
      case 'msg':
        return this.#msg(grant, op, args);
      case 'http':
        return this.#http(grant, args[0] as OutboundRequest);
      default:
        return fail(errorFor(op, `unknown capability call ${op}`));
    }
  }

  async #sql(
    grant: ComponentGrant,
    op: string,
    args: unknown[],
    instance: object | undefined,
  ): Promise<CallOutcome> {
    const settings = grant.backends.postgres;
    if (settings === undefined) return fail({ tag: 'unexpected', val: 'no postgres backend configured' });
    const pool = this.pool(settings);
    const run = async (sql: string, params: PgValue[]): Promise<pg.QueryResult> => {
      let values: unknown[];
      try {
        values = params.map(toPgParam);
      } catch (error) {
        throw Object.assign(new Error(message(error)), {
          witError: { tag: 'invalid-params', val: message(error) },
        });
      }
      return retryWhileNotSent(
        () => this.#sqlSessions.run(instance, pool, sql, (target) => target.query({ text: sql, values })),
        PG_RESTART_WAIT,
      );
    };
    try {
      if (op === 'sql.query') {
        const result = await run(args[0] as string, args[1] as PgValue[]);
        const rows = result.rows as Record<string, unknown>[];
        return ok(
          rows.map((row) =>
            result.fields.map((field) => ({
              columnName: field.name,
              value: fromPgResult(row[field.name], field.dataTypeID),
            })),
          ),
        );
      }
      if (op === 'sql.queryBatch') {
        const sql = args[0] as string;
        await retryWhileNotSent(
          () => this.#sqlSessions.run(instance, pool, sql, (target) => target.query(sql)),
          PG_RESTART_WAIT,
        );
        return ok(undefined);
      }
      if (op === 'sql.prepare') {
        const token = `stmt-${grant.name}-${(this.#nextToken += 1)}`;
        this.#prepared.set(token, { sql: args[0] as string, component: grant.name });
        return ok(token);
      }
      if (op === 'sql.exec') {
        const entry = this.#prepared.get(args[0] as string);
        if (entry === undefined || entry.component !== grant.name)
          return fail({ tag: 'unknown-prepared-query' });
        const result = await run(entry.sql, args[1] as PgValue[]);
        return ok(BigInt(result.rowCount ?? 0));
      }
      return fail({ tag: 'unexpected', val: `unknown op ${op}` });
    } catch (error) {
      const wit = (error as { witError?: unknown }).witError;
      const queryError =
        wit ??
        ((error as { code?: string }).code?.length === 5
          ? { tag: 'invalid-query', val: `postgres: ${message(error)}` }
          : { tag: 'unexpected', val: `postgres unavailable: ${message(error)}` });
      return fail(op === 'sql.exec' ? { tag: 'query-error', val: queryError } : queryError);
    }
  }

  async #kv(grant: ComponentGrant, op: string, args: unknown[]): Promise<CallOutcome> {
    const settings = grant.backends.redis;
    if (settings === undefined) return fail({ tag: 'no-such-store' });
    const redis = this.redis(settings);
    return runKeyValueOp(redis, `${settings.keyPrefix ?? ''}${args[0] as string}:`, op, args);
  }

  /** A client for `fermyon:spin/redis`: keys as the component names them, behind `keyPrefix` only when set. */
  #redisClient(settings: NonNullable<BackendSettings['redis']>): Redis {
    const keyPrefix = settings.keyPrefix ?? '';
    if (keyPrefix === '') return this.redis(settings);
    const id = `${settings.url}\u0000${keyPrefix}`;
    let client = this.#redis.get(id);
    if (client === undefined) {
      // ioredis prefixes every key argument it knows the position of (EVAL's KEYS included), not channels.
      client = new Redis(settings.url, { keyPrefix, maxRetriesPerRequest: 1, connectTimeout: 3000 });
      client.on('error', (error: Error) => this.#logger.log('warn', 'host', `redis error: ${error.message}`));
      this.#redis.set(id, client);
    }
    return client;
  }

  async #redisCommand(grant: ComponentGrant, op: string, args: unknown[]): Promise<CallOutcome> {
    const settings = grant.backends.redis;
    if (settings === undefined) return fail({ tag: 'other', val: 'no redis backend configured' });
    if (op === 'redis.open') {
      // The guest cannot pick its Redis: '' (or the configured URL itself) means the configured backend.
      const address = args[0] as string;
      if (address !== '' && address !== settings.url) {
        this.#logger.log('warn', grant.name, `redis address ${address} denied (not the configured backend)`);
        return fail({ tag: 'invalid-address' });
      }
      return ok('backend');
    }
    return runRedisOp(this.#redisClient(settings), op, args);
  }

  /** True once the connection to `url` is up (at once when it is), false after `ms` without it. */
  async #waitForNats(url: string, ms: number): Promise<boolean> {
    const deadline = Date.now() + ms;
    while (this.#natsUp.get(url) === false) {
      if (Date.now() >= deadline) return false;
      await new Promise((done) => setTimeout(done, 50));
    }
    return true;
  }

  async #msg(grant: ComponentGrant, op: string, args: unknown[]): Promise<CallOutcome> {
    const settings = grant.backends.nats;
    if (settings === undefined) return fail('no NATS backend configured');
    let nc: NatsConnection;
    try {
      nc = await withTimeout(this.nats(settings), 3000, 'connecting to NATS');
    } catch (error) {
      return fail(`nats unavailable: ${message(error)}`);
    }
    if (op === 'msg.publish') {
      const msg = args[0] as { subject: string; body: Uint8Array; replyTo?: string };
      return this.#publish(settings.url, nc, msg, grant.publishWaitMs ?? NATS_PUBLISH_WAIT_MS);
    }
    // a server restart is a second or two: wait for the reconnect rather than fail the request at once
    if (!(await this.#waitForNats(settings.url, NATS_RECONNECT_WAIT_MS)) || nc.isClosed())
      return fail('nats unavailable: disconnected, reconnecting');
    try {
      const reply = await nc.request(args[0] as string, args[1] as Uint8Array, { timeout: Number(args[2]) });
      return ok({ subject: reply.subject, body: reply.data, replyTo: reply.reply || undefined });
    } catch (error) {
      return fail(`nats: ${message(error)}`);
    }
  }

  /**
   * Publishes and answers ok only once the message is where it is going, for at most `waitMs`: nats.js sends a
   * PUB on a socket that may be dying, and drops what it buffered while disconnected when it reconnects, so a
   * bare `publish` is lost in a server restart without a trace.
   *
   * When a JetStream stream captures the subject, the publish goes through JetStream and answers ok on the
   * stream's PubAck: the server confirming a core publish is not the stream storing it (a server that is
   * shutting down stops JetStream first and still takes PUBs from its clients). Without a PubAck (a restart, a
   * timeout, JetStream not answering) it is sent again, with the same `Nats-Msg-Id` (one per guest publish), so
   * the stream keeps one copy when the first did arrive. When no stream captures the subject (or the guest asked
   * for a reply subject), it is a core publish confirmed by a flush (the server's PONG comes after it has the
   * PUB), sent again once the connection is back when it drops first.
   */
  async #publish(
    url: string,
    nc: NatsConnection,
    msg: { subject: string; body: Uint8Array; replyTo?: string },
    waitMs: number,
  ): Promise<CallOutcome> {
    const held = this.#natsHeld.get(url) ?? 0;
    if (held >= NATS_PUBLISH_HELD_MAX && this.#natsUp.get(url) === false) {
      return fail(`nats unavailable: disconnected, ${held} publishes already held`);
    }
    this.#natsHeld.set(url, held + 1);
    const msgID = randomUUID();
    const deadline = Date.now() + waitMs;
    let lastError = 'disconnected, reconnecting';
    try {
      while (Date.now() < deadline && !nc.isClosed()) {
        if (!(await this.#waitForNats(url, deadline - Date.now()))) break;
        const left = Math.max(deadline - Date.now(), 1);
        try {
          const stream =
            msg.replyTo === undefined
              ? await withTimeout(this.#streams.streamFor(url, nc, msg.subject), left, 'finding the stream')
              : undefined;
          if (stream === undefined) {
            const h = natsHeaders();
            h.set('Nats-Msg-Id', msgID);
            nc.publish(msg.subject, msg.body, { headers: h, ...(msg.replyTo ? { reply: msg.replyTo } : {}) });
            await withTimeout(nc.flush(), left, 'waiting for NATS to confirm');
          } else {
            await nc.jetstream().publish(msg.subject, msg.body, {
              msgID,
              timeout: Math.min(left, NATS_PUBACK_WAIT_MS),
            });
          }
          return ok(undefined);
        } catch (error) {
          lastError = message(error);
          // no responders: the stream (or JetStream) is gone or not back yet; look it up again next time
          if (isNoResponders(error)) this.#streams.recheck(url, msg.subject);
          // the status stream may not have told of the disconnect yet: a short pause, not a busy loop
          await new Promise((done) => setTimeout(done, isNoResponders(error) ? 250 : 50));
        }
      }
      this.#logger.log('warn', 'host', `publish on ${msg.subject} not confirmed by NATS: ${lastError}`);
      return fail(`nats unavailable: publish not confirmed within ${waitMs} ms (${lastError})`);
    } finally {
      this.#natsHeld.set(url, (this.#natsHeld.get(url) ?? 1) - 1);
    }
  }

  async #http(grant: ComponentGrant, req: OutboundRequest): Promise<CallOutcome> {
    let url: URL;
    try {
      url = new URL(req.url);
    } catch {
      return fail({ tag: 'HTTP-request-URI-invalid' });
    }
    const allowed =
      grant.capabilities.has('http-out') &&
      grant.allowedHosts.some((entry) => entry === url.host || entry === url.hostname || entry === '*');
    if (!allowed) {
      this.#logger.log('warn', grant.name, `outbound HTTP to ${url.host} denied (not in allowedHosts)`);
      return fail({ tag: 'HTTP-request-denied' });
    }
    return this.#localHttp?.(url, req) ?? sendOutbound(url, req);
  }

  async close(): Promise<void> {
    await this.#sqlSessions.closeAll();
    await Promise.allSettled([
      ...[...this.#pools.values()].map((pool) => pool.end()),
      ...[...this.#redis.values()].map((client) => client.quit().catch(() => client.disconnect())),
      ...[...this.#nats.values()].map(async (connection) => (await connection).close()),
    ]);
    this.#pools.clear();
    this.#redis.clear();
    this.#nats.clear();
  }
}

/** The error value shape each interface expects, from a message. */
function errorFor(op: string, text: string): unknown {
  if (op.startsWith('sql.'))
    return op === 'sql.exec' ? { tag: 'unexpected', val: text } : { tag: 'unexpected', val: text };
  if (op.startsWith('kv.')) return { tag: 'other', val: text };
  if (op.startsWith('redis.')) return { tag: 'other', val: text };
  if (op.startsWith('http.')) return { tag: 'internal-error', val: text };
  return text;
}

async function withTimeout<T>(promise: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  try {
    return await Promise.race([
      promise,
      new Promise<never>((_, reject) => {
        timer = setTimeout(() => reject(new Error(`timed out ${what}`)), ms);
      }),
    ]);
  } finally {
    clearTimeout(timer);
  }
}
