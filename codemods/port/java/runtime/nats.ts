// @migrate-runtime nats: written by `migrate port`; `migrate codemod` replaces it with a caps-backed module.
/**
 * jnats' `Nats.connect(options)`, `Connection.publish`, `createDispatcher(handler).subscribe(subject)` on top
 * of the `nats` npm client. Connecting is asynchronous in Node: the connection queues work until it is open,
 * and `whenConnected()` lets the composition root wait for it before serving.
 */
import { connect, type Msg, type NatsConnection } from 'nats';

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
