/** Messages a side publishes on its subject, collected per request (adapter over nats). */
import { connect, type NatsConnection, type Subscription } from 'nats';
import { wrapError, ErrorCode } from '../../shared/errors.ts';

export class MessageCapture {
  readonly #connection: NatsConnection;
  readonly #subscription: Subscription;
  #pending: unknown[] = [];

  private constructor(connection: NatsConnection, subject: string) {
    this.#connection = connection;
    this.#subscription = connection.subscribe(subject, {
      callback: (error, message) => {
        if (error !== null) return;
        const text = new TextDecoder().decode(message.data);
        try {
          this.#pending.push(JSON.parse(text) as unknown);
        } catch {
          this.#pending.push(text);
        }
      },
    });
  }

  static async open(url: string, subject: string): Promise<MessageCapture> {
    try {
      return new MessageCapture(await connect({ servers: url, name: 'migrate-verify' }), subject);
    } catch (error) {
      throw wrapError(
        ErrorCode.backend,
        `cannot connect to NATS at ${url}`,
        error,
        'check NATS_URL of the side',
      );
    }
  }

  /**
   * The messages received since the last call. A round trip to the server first: everything published before
   * the request's answer (a service that publishes, flushes, then answers) has been delivered by then.
   */
  async take(settleMs: number): Promise<unknown[]> {
    await this.#connection.flush();
    if (settleMs > 0) {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      await this.#connection.flush();
    }
    const out = this.#pending;
    this.#pending = [];
    return out;
  }

  async close(): Promise<void> {
    this.#subscription.unsubscribe();
    await this.#connection.close();
  }
}
