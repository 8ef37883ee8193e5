/* eslint-disable @typescript-eslint/only-throw-error -- jco turns a thrown `{ payload }` into a WIT `err`; an Error would trap the guest */
import { randomBytes } from 'node:crypto';
import {
  Fields,
  FutureIncomingResponse,
  FutureTrailers,
  IncomingBody,
  IncomingRequest,
  IncomingResponse,
  InputStream,
  IoError,
  OutgoingBody,
  OutgoingRequest,
  OutgoingResponse,
  OutputStream,
  Pollable,
  RequestOptions,
  ResponseOutparam,
  errValue,
  fromWitMethod,
  httpErrorCode,
  monotonicClock,
  poll,
} from './guest-http.ts';
import type { CallOutcome } from './sync-call.ts';
import { createSpinPostgres } from './spin-postgres.ts';

/**
 * Runs one capability call. In a worker it blocks until the main thread has done the I/O and returns the
 * outcome; in JSPI mode (see jspi-pool.ts) it returns a promise, and the import that made the call returns a
 * promise too, on which the engine suspends the guest (the transpile lists those imports as async).
 */
export type GuestCall = (op: string, args: unknown[]) => CallOutcome | Promise<CallOutcome>;

/** A value now (worker mode) or later (JSPI mode). */
export type Eventually<T> = T | Promise<T>;

/** Applies `then` to an outcome now, or when it arrives. */
export function afterCall<T>(
  outcome: CallOutcome | Promise<CallOutcome>,
  then: (outcome: CallOutcome) => Eventually<T>,
): Eventually<T> {
  return outcome instanceof Promise ? outcome.then(then) : then(outcome);
}

/**
 * The imports whose functions call a capability (and so may suspend in JSPI mode), by unversioned interface,
 * as jco names functions in its `asyncImports` (WIT names; resource methods `[method]res.fn`).
 */
export const CAPABILITY_FUNCTIONS: Readonly<Record<string, readonly string[]>> = {
  'wasi:keyvalue/store': [
    'open',
    '[method]bucket.get',
    '[method]bucket.set',
    '[method]bucket.delete',
    '[method]bucket.exists',
    '[method]bucket.list-keys',
  ],
  // cas.current answers what [static]cas.new read: no call
  'wasi:keyvalue/atomics': ['increment', '[static]cas.new', 'swap'],
  'wasi:keyvalue/batch': ['get-many', 'set-many', 'delete-many'],
  'fermyon:spin/redis': [
    '[static]connection.open',
    ...['publish', 'get', 'set', 'incr', 'del', 'sadd', 'smembers', 'srem', 'execute'].map(
      (name) => `[method]connection.${name}`,
    ),
  ],
  'spin:postgres/postgres': ['[method]connection.query', '[method]connection.execute'],
  'wasmcloud:postgres/query': ['query', 'query-batch'],
  'wasmcloud:postgres/prepared': ['prepare', 'exec'],
  'wasmcloud:messaging/consumer': ['publish', 'request'],
  // outbound HTTP is sent when the guest first asks for the response
  'wasi:http/types': ['[method]future-incoming-response.get'],
};

export interface GuestImportOptions {
  call: GuestCall;
  /** Sends a log record to the main thread without waiting. */
  log: (level: string, context: string, message: string) => void;
  /** The config keys this component may read, with their values. */
  config: Record<string, string>;
}

/** Returns the value, or throws the error value the way jco turns into a WIT `err`. */
function unwrapNow(outcome: CallOutcome): unknown {
  if (outcome.ok) return outcome.value;
  throw errValue(outcome.error);
}

/** The value of a call (now or later); a failed call is the error value jco turns into a WIT `err`. */
function unwrap(outcome: CallOutcome | Promise<CallOutcome>): Eventually<unknown> {
  return afterCall(outcome, unwrapNow);
}

/** A call that returns nothing. */
function unwrapVoid(outcome: CallOutcome | Promise<CallOutcome>): Eventually<void> {
  return afterCall(outcome, (o) => void unwrapNow(o));
}

/**
 * Every import a guest may have, keyed by unversioned and versioned interface name (jco reads the
 * unversioned key; its .d.ts shows the versioned one). The host checks a component's imports against its
 * configured capabilities before it gets here.
 */
export function createGuestImports(options: GuestImportOptions): Record<string, Record<string, unknown>> {
  const { call } = options;
  const stderr = new (class extends OutputStream {
    override write(contents: Uint8Array): void {
      options.log('warn', 'stderr', new TextDecoder().decode(contents).trimEnd());
    }
  })();
  // Spin components log to stdout (Spin has no wasi:logging): one record per line.
  const stdout = new (class extends OutputStream {
    override write(contents: Uint8Array): void {
      for (const line of new TextDecoder().decode(contents).trimEnd().split('\n')) {
        options.log('info', 'stdout', line);
      }
    }
  })();

  /** A `wasi:keyvalue/atomics@0.2.0-draft2` `cas` handle: a key and the value read when it was made. */
  class Cas {
    readonly bucket: string;
    readonly key: string;
    readonly read: Uint8Array | undefined;
    constructor(bucket: string, key: string, read: Uint8Array | undefined) {
      this.bucket = bucket;
      this.key = key;
      this.read = read;
    }
    static new(bucket: Bucket, key: string): Eventually<Cas> {
      return afterCall(
        call('kv.get', [bucket.id, key]),
        (outcome) => new Cas(bucket.id, key, unwrapNow(outcome) as Uint8Array | undefined),
      );
    }
    current(): Uint8Array | undefined {
      return this.read;
    }
  }

  class Bucket {
    readonly id: string;
    constructor(id: string) {
      this.id = id;
    }
    get(key: string): Eventually<unknown> {
      return unwrap(call('kv.get', [this.id, key]));
    }
    set(key: string, value: Uint8Array): Eventually<void> {
      return unwrapVoid(call('kv.set', [this.id, key, value]));
    }
    delete(key: string): Eventually<void> {
      return unwrapVoid(call('kv.delete', [this.id, key]));
    }
    exists(key: string): Eventually<boolean> {
      return unwrap(call('kv.exists', [this.id, key])) as Eventually<boolean>;
    }
    listKeys(cursor: bigint | undefined): Eventually<unknown> {
      return unwrap(call('kv.listKeys', [this.id, cursor]));
    }
  }

  /** A `fermyon:spin/redis` connection: a handle the main thread maps to its Redis client. */
  class Connection {
    readonly id: string;
    constructor(id: string) {
      this.id = id;
    }
    static open(address: string): Eventually<Connection> {
      return afterCall(call('redis.open', [address]), (o) => new Connection(unwrapNow(o) as string));
    }
    publish(channel: string, payload: Uint8Array): Eventually<void> {
      return unwrapVoid(call('redis.publish', [this.id, channel, payload]));
    }
    get(key: string): Eventually<unknown> {
      return unwrap(call('redis.get', [this.id, key]));
    }
    set(key: string, value: Uint8Array): Eventually<void> {
      return unwrapVoid(call('redis.set', [this.id, key, value]));
    }
    incr(key: string): Eventually<bigint> {
      return unwrap(call('redis.incr', [this.id, key])) as Eventually<bigint>;
    }
    del(keys: string[]): Eventually<number> {
      return unwrap(call('redis.del', [this.id, keys])) as Eventually<number>;
    }
    sadd(key: string, values: string[]): Eventually<number> {
      return unwrap(call('redis.sadd', [this.id, key, values])) as Eventually<number>;
    }
    smembers(key: string): Eventually<string[]> {
      return unwrap(call('redis.smembers', [this.id, key])) as Eventually<string[]>;
    }
    srem(key: string, values: string[]): Eventually<number> {
      return unwrap(call('redis.srem', [this.id, key, values])) as Eventually<number>;
    }
    execute(command: string, args: unknown[]): Eventually<unknown> {
      return unwrap(call('redis.execute', [this.id, command, args]));
    }
  }

  const outgoingHandle = (request: OutgoingRequest, _options: RequestOptions | undefined): unknown =>
    new FutureIncomingResponse(() => {
      const sent = call('http.send', [
        {
          method: fromWitMethod(request.methodValue),
          url: request.url(),
          headers: request.headerFields.toPairs(),
          body: request.outgoingBody?.stream.bytes(),
        },
      ]);
      return afterCall(sent, (outcome) => {
        if (!outcome.ok) return { tag: 'err', val: outcome.error };
        const value = outcome.value as { status: number; headers: [string, string][]; body: Uint8Array };
        return { tag: 'ok', val: new IncomingResponse(value.status, value.headers, value.body) };
      });
    });

  const byName: Record<string, Record<string, unknown>> = {
    'wasi:http/types': {
      Fields,
      FutureIncomingResponse,
      FutureTrailers,
      IncomingBody,
      IncomingRequest,
      IncomingResponse,
      OutgoingBody,
      OutgoingRequest,
      OutgoingResponse,
      RequestOptions,
      ResponseOutparam,
      httpErrorCode,
    },
    'wasi:http/outgoing-handler': {
      handle(request: OutgoingRequest, opts: RequestOptions | undefined): unknown {
        // The host checks the allow-list before sending; a denied host is an error value at `get`.
        return outgoingHandle(request, opts);
      },
    },
    'wasi:io/error': { Error: IoError },
    'wasi:cli/stderr': { getStderr: () => stderr },
    // The engine's `stdio` feature (components that log to stdout): empty stdin, no terminals, no directories.
    'wasi:cli/stdout': { getStdout: () => stdout },
    'wasi:cli/stdin': { getStdin: () => new InputStream(new Uint8Array()) },
    'wasi:cli/terminal-input': { TerminalInput: class TerminalInput {} },
    'wasi:cli/terminal-output': { TerminalOutput: class TerminalOutput {} },
    'wasi:cli/terminal-stdin': { getTerminalStdin: () => undefined },
    'wasi:cli/terminal-stdout': { getTerminalStdout: () => undefined },
    'wasi:cli/terminal-stderr': { getTerminalStderr: () => undefined },
    'wasi:filesystem/preopens': { getDirectories: () => [] },
    'wasi:filesystem/types': {
      Descriptor: class Descriptor {},
      DirectoryEntryStream: class DirectoryEntryStream {},
      filesystemErrorCode: () => undefined,
    },
    'wasi:io/poll': { Pollable, poll },
    'wasi:io/streams': { InputStream, OutputStream },
    'wasi:clocks/monotonic-clock': monotonicClock,
    'wasi:clocks/wall-clock': {
      now: () => {
        const ms = Date.now();
        return { seconds: BigInt(Math.floor(ms / 1000)), nanoseconds: (ms % 1000) * 1_000_000 };
      },
      resolution: () => ({ seconds: 0n, nanoseconds: 1_000_000 }),
    },
    'wasi:random/random': {
      getRandomBytes: (len: bigint) => new Uint8Array(randomBytes(Number(len))),
      getRandomU64: () => randomBytes(8).readBigUInt64LE(),
    },
    'wasi:random/insecure': {
      getInsecureRandomBytes: (len: bigint) => new Uint8Array(randomBytes(Number(len))),
      getInsecureRandomU64: () => randomBytes(8).readBigUInt64LE(),
    },
    'wasi:logging/logging': {
      log(level: string, context: string, message: string): void {
        options.log(level, context, message);
      },
    },
    'wasi:config/store': {
      get(key: string): string | undefined {
        return Object.hasOwn(options.config, key) ? options.config[key] : undefined;
      },
      getAll(): [string, string][] {
        return Object.entries(options.config);
      },
    },
    'wasi:keyvalue/store': {
      Bucket,
      open(identifier: string): Eventually<Bucket> {
        return afterCall(call('kv.open', [identifier]), (o) => new Bucket(unwrapNow(o) as string));
      },
    },
    'wasi:keyvalue/atomics': {
      Cas,
      increment(bucket: Bucket, key: string, delta: bigint): Eventually<bigint> {
        return unwrap(call('kv.increment', [bucket.id, key, delta])) as Eventually<bigint>;
      },
      // draft2: sets the value when the key still holds what the handle read; otherwise `cas-failed` with a
      // handle on the value it holds now, to retry with
      swap(cas: Cas, value: Uint8Array): Eventually<void> {
        return afterCall(call('kv.swap', [cas.bucket, cas.key, cas.read, value]), (outcome) => {
          if (outcome.ok) return undefined;
          const error = outcome.error as { tag: string; val?: unknown };
          throw errValue(
            error.tag === 'cas-failed'
              ? { tag: 'cas-failed', val: new Cas(cas.bucket, cas.key, error.val as Uint8Array | undefined) }
              : { tag: 'store-error', val: error },
          );
        });
      },
    },
    'wasi:keyvalue/batch': {
      getMany(bucket: Bucket, keys: string[]): Eventually<unknown> {
        return unwrap(call('kv.getMany', [bucket.id, keys]));
      },
      setMany(bucket: Bucket, pairs: [string, Uint8Array][]): Eventually<void> {
        return unwrapVoid(call('kv.setMany', [bucket.id, pairs]));
      },
      deleteMany(bucket: Bucket, keys: string[]): Eventually<void> {
        return unwrapVoid(call('kv.deleteMany', [bucket.id, keys]));
      },
    },
    'fermyon:spin/redis': { Connection },
    'spin:postgres/postgres': createSpinPostgres(call),
    'wasmcloud:postgres/types': {},
    'wasmcloud:postgres/query': {
      query(sql: string, params: unknown[]): Eventually<unknown> {
        return unwrap(call('sql.query', [sql, params]));
      },
      queryBatch(sql: string): Eventually<void> {
        return unwrapVoid(call('sql.queryBatch', [sql]));
      },
    },
    'wasmcloud:postgres/prepared': {
      prepare(sql: string): Eventually<string> {
        return unwrap(call('sql.prepare', [sql])) as Eventually<string>;
      },
      exec(token: string, params: unknown[]): Eventually<bigint> {
        return unwrap(call('sql.exec', [token, params])) as Eventually<bigint>;
      },
    },
    'wasmcloud:messaging/types': {},
    'wasmcloud:messaging/consumer': {
      publish(msg: { subject: string; body: Uint8Array; replyTo?: string }): Eventually<void> {
        return unwrapVoid(call('msg.publish', [msg]));
      },
      request(subject: string, body: Uint8Array, timeoutMs: number): Eventually<unknown> {
        return unwrap(call('msg.request', [subject, body, timeoutMs]));
      },
    },
  };
  return byName;
}

/** Adds the versioned keys (`ns:pkg/iface@version`) the component declares, pointing at the same objects. */
export function withVersionedKeys(
  imports: Record<string, Record<string, unknown>>,
  declared: readonly string[],
): Record<string, Record<string, unknown>> {
  const out = { ...imports };
  for (const name of declared) {
    const bare = name.split('@')[0]!;
    if (imports[bare] !== undefined) out[name] = imports[bare];
  }
  return out;
}
