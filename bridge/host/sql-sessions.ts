import type pg from 'pg';

/** What a statement does to a session's transaction. */
export type TransactionControl = 'begin' | 'commit' | 'rollback' | undefined;

/** The statement without leading comments and whitespace or trailing semicolons. */
function stripStatement(sql: string): string {
  let text = sql.trim();
  for (;;) {
    if (text.startsWith('--')) {
      const end = text.indexOf('\n');
      text = end === -1 ? '' : text.slice(end + 1).trim();
    } else if (text.startsWith('/*')) {
      const end = text.indexOf('*/');
      text = end === -1 ? '' : text.slice(end + 2).trim();
    } else break;
  }
  return text.replace(/[\s;]+$/, '');
}

/**
 * Whether one statement opens or ends a transaction. Several statements in one text, `ROLLBACK TO SAVEPOINT`,
 * `COMMIT AND CHAIN` and two-phase `COMMIT PREPARED` are none of these: they run in whatever session is current.
 */
export function getTransactionControl(sql: string): TransactionControl {
  const text = stripStatement(sql);
  if (text.includes(';')) return undefined;
  const words = text.toLowerCase().split(/\s+/);
  const [first, second] = words;
  if (first === 'begin' || (first === 'start' && second === 'transaction')) return 'begin';
  if (second === 'prepared') return undefined;
  const chains = words.includes('chain') && !words.includes('no');
  if ((first === 'commit' || first === 'end') && !chains) return 'commit';
  if ((first === 'rollback' || first === 'abort') && !chains && !words.includes('to')) return 'rollback';
  return undefined;
}

/**
 * A failure that leaves the connection unusable: no SQLSTATE (a socket error), or class 08 (connection
 * exception) or 57P (the server ended the session, e.g. `pg_terminate_backend`).
 */
function isConnectionLost(error: unknown): boolean {
  const code = (error as { code?: unknown } | null)?.code;
  if (typeof code !== 'string' || code.length !== 5) return true;
  return code.startsWith('08') || code.startsWith('57P');
}

interface Session {
  /** The client pinned between BEGIN and COMMIT/ROLLBACK. */
  client: pg.PoolClient | undefined;
  /** Removes the pinned client's error listener. */
  detach: (() => void) | undefined;
  /** The pinned connection failed mid-transaction: statements fail until the guest ends the transaction. */
  lost: boolean;
  /** The session's statements run one after another (the last one's settlement). */
  tail: Promise<unknown>;
  /** Cancels the statement running on the pinned client, if one is (its pool asks the server). */
  cancel: (() => void) | undefined;
}

export type SessionTarget = pg.Pool | pg.PoolClient;

/**
 * Database sessions of component instances. `wasmcloud:postgres/query` has no transaction calls, so a guest sends
 * BEGIN, COMMIT and ROLLBACK as statements; for them to mean anything, the statements in between must run on the
 * same connection. When an instance sends BEGIN its session pins one client of the pool until COMMIT or
 * ROLLBACK, and its statements meanwhile go to that client; without an open transaction they go to the pool.
 * Each pinned client is checked out for one instance only, so instances never share a transaction. The pool
 * calls `end` when an instance's invocation ends (response sent, timeout, trap, worker replaced): a transaction
 * still open is rolled back and its client released.
 *
 * This is the embedded host's behaviour. A wasmCloud postgres provider does not promise it: it may run every
 * statement on any pooled connection, and then BEGIN/COMMIT from a component do not make a transaction.
 */
export class SqlSessions {
  readonly #sessions = new Map<object, Session>();

  /**
   * Runs one statement for `instance` on its pinned client, or on the pool when no transaction is open.
   * Without an instance (a caller outside any component instance) BEGIN is refused: nothing would end it.
   */
  run<T>(
    instance: object | undefined,
    pool: pg.Pool,
    sql: string,
    execute: (target: SessionTarget) => Promise<T>,
  ): Promise<T> {
    const control = getTransactionControl(sql);
    if (instance === undefined) {
      if (control === 'begin')
        return Promise.reject(new Error('a transaction needs a calling instance to keep its session'));
      return execute(pool);
    }
    let session = this.#sessions.get(instance);
    if (session === undefined) {
      session = {
        client: undefined,
        detach: undefined,
        lost: false,
        tail: Promise.resolve(),
        cancel: undefined,
      };
      this.#sessions.set(instance, session);
    }
    return serialize(session, () =>
      runInSession(session, pool, control, () => execute(session.client ?? pool)),
    );
  }

  /** Ends an instance's session: rolls back a transaction left open. Resolves true when there was one. */
  async end(instance: object): Promise<boolean> {
    const session = this.#sessions.get(instance);
    if (session === undefined) return false;
    this.#sessions.delete(instance);
    // A statement still running (the request timed out waiting on a lock, say) would hold the ROLLBACK back.
    session.cancel?.();
    return serialize(session, async () => {
      const client = session.client;
      if (client === undefined) return false;
      try {
        await client.query('ROLLBACK');
        unpin(session);
      } catch (error) {
        unpin(session, error);
      }
      return true;
    });
  }

  /** Ends every session (host shutdown). */
  async closeAll(): Promise<void> {
    await Promise.allSettled([...this.#sessions.keys()].map((instance) => this.end(instance)));
  }
}

function serialize<T>(session: Session, work: () => Promise<T>): Promise<T> {
  const result = session.tail.then(work);
  session.tail = result.catch(() => undefined);
  return result;
}

/**
 * Pins a client to the session. A checked-out pg client whose connection dies emits `error`, which would crash
 * the host without a listener; the listener marks the transaction lost instead.
 */
async function pin(session: Session, pool: pg.Pool): Promise<void> {
  // The listener goes on inside the pool's callback, in the same tick as the pool takes its own off: awaiting
  // the promise form left a gap in which a server shutting down (57P01 right after a new connection's first
  // ReadyForQuery, in the same socket read) emitted `error` with no listener and crashed the host.
  await new Promise<void>((resolve, reject) =>
    pool.connect((error, client) => {
      if (error || client === undefined) return reject(error ?? new Error('no client from the pool'));
      const onError = (): void => {
        if (session.client === client) session.lost = true;
      };
      client.on('error', onError);
      session.client = client;
      session.detach = () => client.off('error', onError);
      resolve();
    }),
  );
}

/** Releases the pinned client; after an error it is destroyed (its listener stays, as it may still emit). */
function unpin(session: Session, error?: unknown): void {
  const client = session.client;
  session.client = undefined;
  if (client === undefined) return;
  if (error === undefined) session.detach?.();
  session.detach = undefined;
  client.release(error === undefined ? undefined : error instanceof Error ? error : true);
}

async function runInSession<T>(
  session: Session,
  pool: pg.Pool,
  control: TransactionControl,
  execute: () => Promise<T>,
): Promise<T> {
  if (session.lost) {
    unpin(session, true);
    if (control === undefined || control === 'commit')
      throw new Error('the connection of this transaction was lost, so it was rolled back; send ROLLBACK');
    session.lost = false;
  }
  const pinnedNow = control === 'begin' && session.client === undefined;
  if (pinnedNow) await pin(session, pool);
  if (session.client === undefined) return execute();
  const pid = (session.client as { processID?: number }).processID;
  session.cancel = () => {
    if (pid !== undefined) pool.query('SELECT pg_cancel_backend($1)', [pid]).catch(() => undefined);
  };
  try {
    const result = await execute();
    if (control === 'commit' || control === 'rollback') unpin(session);
    return result;
  } catch (error) {
    if (isConnectionLost(error)) {
      unpin(session, error);
      // The transaction is gone: later statements fail until the guest ends it.
      session.lost = control === undefined || (control === 'begin' && !pinnedNow);
    } else if (control === 'commit' || control === 'rollback') unpin(session, error);
    else if (pinnedNow) unpin(session);
    throw error;
  } finally {
    session.cancel = undefined;
  }
}
