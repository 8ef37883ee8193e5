import type { NatsConnection } from 'nats';
import { message } from './sync-call.ts';

/** How long "no stream captures this subject" is believed before it is looked up again (a stream added later). */
const NO_STREAM_RECHECK_MS = 10_000;
/** How long a stream lookup waits for JetStream's answer. */
const LOOKUP_TIMEOUT_MS = 2000;

interface Entry {
  stream: string | undefined;
  checkedAt: number;
  /** A publish to the stream found no responders: look it up again before the next one. */
  stale: boolean;
}

/**
 * Which JetStream stream captures a subject, per server URL: looked up once per subject (the JetStream API's
 * stream names filtered by the subject) and remembered; "none" is looked up again after a while.
 */
export class CapturingStreams {
  readonly #known = new Map<string, Entry>();

  /**
   * The stream capturing `subject`, or undefined when none does or the server has no JetStream. Throws when
   * JetStream does not answer although a stream was known for the subject or the server says it runs
   * JetStream (a server starting or stopping): the caller holds the publish instead of sending it where no
   * stream stores it.
   */
  async streamFor(url: string, nc: NatsConnection, subject: string): Promise<string | undefined> {
    const key = `${url}\u0000${subject}`;
    const entry = this.#known.get(key);
    if (
      entry !== undefined &&
      !entry.stale &&
      (entry.stream !== undefined || Date.now() - entry.checkedAt < NO_STREAM_RECHECK_MS)
    ) {
      return entry.stream;
    }
    let stream: string | undefined;
    try {
      const jsm = await nc.jetstreamManager({ checkAPI: false, timeout: LOOKUP_TIMEOUT_MS });
      stream = await jsm.streams.find(subject);
    } catch (error) {
      const noStream = message(error) === 'no stream matches subject';
      if (!noStream && (entry?.stream !== undefined || nc.info?.jetstream === true)) throw error;
      stream = undefined;
    }
    this.#known.set(key, { stream, checkedAt: Date.now(), stale: false });
    return stream;
  }

  /** Looks `subject`'s stream up again before the next publish (the one known may be gone). */
  recheck(url: string, subject: string): void {
    const entry = this.#known.get(`${url}\u0000${subject}`);
    if (entry !== undefined) entry.stale = true;
  }
}

/** True for nats.js' "no responders" (503): nobody subscribes the request's subject, here no stream or API. */
export function isNoResponders(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === '503';
}
