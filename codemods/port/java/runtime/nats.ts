// @migrate-runtime nats: written by `migrate port`; `migrate codemod` replaces it with a caps-backed module.
/**
 * jnats' `Nats.connect(options)`, `Connection.publish`, `createDispatcher(handler).subscribe(subject)`, and its
 * JetStream publish (`connection.jetStream().publish(subject, headers, body)` → `PublishAck`,
 * `connection.jetStreamManagement().getStreamNames(subject)`) on top of the `nats` npm client. Connecting is
 * asynchronous in Node: the connection queues work until it is open, and `whenConnected()` lets the
 * composition root wait for it before serving. As in jnats, a JetStream call that gets no answer in time (or
 * no responders) throws an `IOException`, and an error JetStream answers with a `JetStreamApiException`.
 */
import { connect, headers as natsHeaders, type Msg, type MsgHdrs, type NatsConnection } from 'nats';
import { IOException } from './java.ts';

export type Message = Msg;

export class Options {
  readonly servers: string[];
  readonly name: string | undefined;
  readonly maxReconnectAttempts: number;

  constructor(servers: string[], name: string | undefined, maxReconnectAttempts: number) {
    this.servers = servers;
    this.name = name;
    this.maxReconnectAttempts = maxReconnectAttempts;
  }

  static builder(): OptionsBuilder {
    return new OptionsBuilder();
  }
}

export class OptionsBuilder {
  #servers: string[] = [];
  #name: string | undefined;
  #maxReconnects = 60;

  server(url: string): this {
    this.#servers.push(url);
    return this;
  }

  connectionName(name: string): this {
    this.#name = name;
    return this;
  }

  maxReconnects(count: number): this {
    this.#maxReconnects = count;
    return this;
  }

  build(): Options {
    return new Options(this.#servers, this.#name, this.#maxReconnects);
  }
}

export class Dispatcher {
  readonly #connection: Promise<NatsConnection>;
  readonly #handler: (message: Message) => void | Promise<void>;

  constructor(connection: Promise<NatsConnection>, handler: (message: Message) => void | Promise<void>) {
    this.#connection = connection;
    this.#handler = handler;
  }

  subscribe(subject: string): this {
    const pending = this.#connection.then((nc) => {
      nc.subscribe(subject, {
        callback: (error, message) => void (error ? undefined : this.#handler(message)),
      });
    });
    pending.catch(() => undefined);
    return this;
  }
}

/** jnats' `JetStreamApiException`: JetStream answered with an error (the stream refused the message). */
export class JetStreamApiException extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JetStreamApiException';
  }
}

/** A JetStream failure as jnats throws it: an API error JetStream answered, or an I/O failure. */
function asJetStreamError(error: unknown): Error {
  const text = error instanceof Error ? error.message : String(error);
  return (error as { api_error?: unknown } | null)?.api_error !== undefined
    ? new JetStreamApiException(text, { cause: error })
    : new IOException(text, { cause: error });
}

/** jnats' message `Headers`: `new Headers().add(name, value)`. */
export class Headers {
  readonly #entries: [string, string][] = [];

  add(name: string, ...values: string[]): this {
    for (const value of values) this.#entries.push([name, value]);
    return this;
  }

  /** The headers for the `nats` client. */
  toNats(): MsgHdrs {
    const h = natsHeaders();
    for (const [name, value] of this.#entries) h.append(name, value);
    return h;
  }
}

/** What a stream answered to a JetStream publish (`ack.getStream()` reads `stream`). */
export class PublishAck {
  readonly stream: string;
  readonly seqno: number;
  readonly #duplicate: boolean;

  constructor(stream: string, seqno: number, duplicate: boolean) {
    this.stream = stream;
    this.seqno = seqno;
    this.#duplicate = duplicate;
  }

  /** The stream had a message with this `Nats-Msg-Id` already and kept the first. */
  isDuplicate(): boolean {
    return this.#duplicate;
  }
}

/** How long a JetStream call waits for its answer (jnats' default request timeout). */
const JETSTREAM_TIMEOUT_MS = 2000;

export class JetStream {
  readonly #connection: Promise<NatsConnection>;

  constructor(connection: Promise<NatsConnection>) {
    this.#connection = connection;
  }

  /** `publish(subject, body)` or `publish(subject, headers, body)`; resolves with the stream's acknowledgement. */
  async publish(
    subject: string,
    headers: Headers | Uint8Array | string,
    body?: Uint8Array | string,
  ): Promise<PublishAck> {
    const nc = await this.#connection;
    const data = headers instanceof Headers ? (body ?? new Uint8Array()) : headers;
    try {
      const ack = await nc
        .jetstream()
        .publish(subject, typeof data === 'string' ? new TextEncoder().encode(data) : data, {
          timeout: JETSTREAM_TIMEOUT_MS,
          ...(headers instanceof Headers ? { headers: headers.toNats() } : {}),
        });
      return new PublishAck(ack.stream, ack.seq, ack.duplicate);
    } catch (error) {
      throw asJetStreamError(error);
    }
  }
}

export class JetStreamManagement {
  readonly #connection: Promise<NatsConnection>;

  constructor(connection: Promise<NatsConnection>) {
    this.#connection = connection;
  }

  /** The names of the streams (capturing `subject`, when given). */
  async getStreamNames(subject?: string): Promise<string[]> {
    const nc = await this.#connection;
    try {
      const jsm = await nc.jetstreamManager({ checkAPI: false, timeout: JETSTREAM_TIMEOUT_MS });
      const names: string[] = [];
      for await (const name of jsm.streams.names(subject)) names.push(name);
      return names;
    } catch (error) {
      throw asJetStreamError(error);
    }
  }
}

export class Connection {
  readonly #connection: Promise<NatsConnection>;

  constructor(connection: Promise<NatsConnection>) {
    this.#connection = connection;
    connection.catch(() => undefined);
  }

  /** Resolves once the connection is open; rejects if it could not be opened. */
  async whenConnected(): Promise<void> {
    await this.#connection;
  }

  publish(subject: string, data: Uint8Array | string): void {
    void this.#connection.then((nc) => nc.publish(subject, data)).catch(() => undefined);
  }

  createDispatcher(handler: (message: Message) => void | Promise<void>): Dispatcher {
    return new Dispatcher(this.#connection, handler);
  }

  jetStream(): JetStream {
    return new JetStream(this.#connection);
  }

  jetStreamManagement(): JetStreamManagement {
    return new JetStreamManagement(this.#connection);
  }

  /** Round trip to the server; `timeoutMs` bounds the wait. */
  async flush(timeoutMs = 2000): Promise<void> {
    const nc = await this.#connection;
    let timer: NodeJS.Timeout | undefined;
    const timeout = new Promise<never>((_, reject) => {
      timer = setTimeout(() => reject(new Error(`NATS flush timed out after ${timeoutMs} ms`)), timeoutMs);
    });
    try {
      await Promise.race([nc.flush(), timeout]);
    } finally {
      clearTimeout(timer);
    }
  }

  async close(): Promise<void> {
    const nc = await this.#connection.catch(() => undefined);
    await nc?.drain();
  }
}

const opened: Connection[] = [];

/** Resolves once every connection opened so far is up; the service serves only then, as the Spring bean did. */
export async function whenAllConnected(): Promise<void> {
  await Promise.all(opened.map((c) => c.whenConnected()));
}

export const Nats = {
  connect(options: Options | string): Connection {
    const opts = typeof options === 'string' ? new Options([options], undefined, 60) : options;
    const servers = opts.servers.map((s) => s.replace(/^nats:\/\//, ''));
    const connection = new Connection(
      connect({ servers, name: opts.name, maxReconnectAttempts: opts.maxReconnectAttempts }),
    );
    opened.push(connection);
    return connection;
  },
};
