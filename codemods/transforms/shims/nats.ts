// @migrate-runtime nats-caps: written by `migrate codemod` over the ported runtime/nats.ts; the same API on caps.
/**
 * jnats' `Nats.connect(options)`, `Connection.publish`, `createDispatcher(handler).subscribe(subject)` and its
 * JetStream publish on the capability facade: publish is `caps.messaging.publish` (wasmcloud:messaging/consumer),
 * a dispatcher's subscription is `caps.messaging.subscribe` (in a component, the exported
 * wasmcloud:messaging/handler calls it). The connection itself belongs to the facade's binding (NATS_URL in Node,
 * the host in a component): the server URL given to `Nats.connect` is not used, and there is nothing to wait
 * for or to close.
 *
 * A JetStream publish is that same capability publish: the host publishes through JetStream when a stream
 * captures the subject and returns only on the stream's acknowledgement, sending again with one `Nats-Msg-Id`
 * of its own until then (within its wait); with no stream, once the server confirmed it. So a component's
 * publish is as durable as the subject allows whichever call made it, and it cannot list streams:
 * `getStreamNames` answers an empty list, and the code's own core-publish path is the durable one. The
 * capability carries no headers (a `Nats-Msg-Id` the code set is the host's own one per publish) and no
 * acknowledgement details (`stream` ''), and a publish that fails is the host's final answer: a plain Error,
 * not an `IOException` a caller would send again.
 *
 * `migrate codemod` copies this module over the port's runtime/nats.ts, the facade import rewritten, and leaves
 * out `publish` or the dispatcher when the service does not use them (so a component imports or exports only
 * what it needs).
 */
import { caps } from '../../facade/capabilities.ts';

/** What a handler receives: the parts of nats.js' `Msg` the ported code reads. */
export interface Message {
  readonly subject: string;
  readonly data: Uint8Array;
  readonly reply: string | undefined;
  /** The body as UTF-8 text. */
  string(): string;
  /** The body parsed as JSON. */
  json<T = unknown>(): T;
}

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
  readonly #handler: (message: Message) => void | Promise<void>;

  constructor(handler: (message: Message) => void | Promise<void>) {
    this.#handler = handler;
  }

  subscribe(subject: string): this {
    caps.messaging.subscribe(subject, (m) =>
      this.#handler({
        subject: m.subject,
        data: m.data,
        reply: m.replyTo,
        string: () => m.string(),
        json: <T>() => m.json<T>(),
      }),
    );
    return this;
  }
}

/** jnats' `JetStreamApiException` (the capability has no JetStream errors of its own; kept for `catch`). */
export class JetStreamApiException extends Error {
  constructor(message: string, options?: ErrorOptions) {
    super(message, options);
    this.name = 'JetStreamApiException';
  }
}

/** jnats' message `Headers`: kept for the code's sake; the capability sends none (see above). */
export class Headers {
  add(_name: string, ..._values: string[]): this {
    return this;
  }
}

/** What a JetStream publish resolves with; the host keeps the stream's answer, so `stream` is ''. */
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

export class JetStream {
  /** `publish(subject, body)` or `publish(subject, headers, body)`: the capability publish (see above). */
  publish(
    subject: string,
    headers: Headers | Uint8Array | string,
    body?: Uint8Array | string,
  ): Promise<PublishAck> {
    caps.messaging.publish(subject, headers instanceof Headers ? (body ?? new Uint8Array()) : headers);
    return Promise.resolve(new PublishAck('', 0, false));
  }
}

export class JetStreamManagement {
  /** An empty list: a component cannot ask NATS for streams (see above). */
  getStreamNames(_subject?: string): Promise<string[]> {
    return Promise.resolve([]);
  }
}

export class Connection {
  /** Resolves at once: the binding opened the connection before the service started. */
  async whenConnected(): Promise<void> {}

  publish(subject: string, data: Uint8Array | string): void {
    caps.messaging.publish(subject, data);
  }

  createDispatcher(handler: (message: Message) => void | Promise<void>): Dispatcher {
    return new Dispatcher(handler);
  }

  jetStream(): JetStream {
    return new JetStream();
  }

  jetStreamManagement(): JetStreamManagement {
    return new JetStreamManagement();
  }

  /** Settled at once: a capability call returns once the host has taken the message. */
  async flush(_timeoutMs = 2000): Promise<void> {}

  /** Nothing to close: the binding owns the connection. */
  async close(): Promise<void> {}
}

/** Resolves at once (see `Connection.whenConnected`). */
export async function whenAllConnected(): Promise<void> {}

export const Nats = {
  connect(_options: Options | string): Connection {
    return new Connection();
  },
};
