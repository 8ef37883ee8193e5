// @migrate-runtime nats-caps: written by `migrate codemod` over the ported runtime/nats.ts; the same API on caps.
/**
 * jnats' `Nats.connect(options)`, `Connection.publish`, `createDispatcher(handler).subscribe(subject)` on the
 * capability facade: publish is `caps.messaging.publish` (wasmcloud:messaging/consumer), a dispatcher's
 * subscription is `caps.messaging.subscribe` (in a component, the exported wasmcloud:messaging/handler calls it).
 * The connection itself belongs to the facade's binding (NATS_URL in Node, the host in a component): the server
 * URL given to `Nats.connect` is not used, and there is nothing to wait for or to close.
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

export class Connection {
  /** Resolves at once: the binding opened the connection before the service started. */
  async whenConnected(): Promise<void> {}

  publish(subject: string, data: Uint8Array | string): void {
    caps.messaging.publish(subject, data);
  }

  createDispatcher(handler: (message: Message) => void | Promise<void>): Dispatcher {
    return new Dispatcher(handler);
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
