/**
 * One side of a verify run (legacy, its twin, or the component): where it answers, and the observers of its
 * data (rows, keys, messages) that turn one request into an Observation. Adapter.
 */
import type { Observation, VerifyRequest } from './model.ts';
import { MessageCapture } from './effects/nats-messages.ts';
import { diffSnapshots, RowsReader, type SchemaSnapshot } from './effects/pg-rows.ts';
import { diffKeys, KeysReader, type KeySnapshot } from './effects/redis-keys.ts';
import { sendToSide } from './http-send.ts';
import type { SideData } from './side-env.ts';

/** Which observations a run compares: only those every side involved can make. */
export interface Watch {
  rows: boolean;
  keys: boolean;
  messages: boolean;
}

export class Side {
  readonly label: string;
  readonly url: string;
  readonly data: SideData;
  #rows: RowsReader | undefined;
  #keys: KeysReader | undefined;
  #messages: MessageCapture | undefined;
  #rowsNow: SchemaSnapshot | undefined;
  #keysNow: KeySnapshot | undefined;

  constructor(label: string, url: string, data: SideData) {
    this.label = label;
    this.url = url;
    this.data = data;
  }

  /** Connects the observers `watch` asks for; takes the first snapshots. */
  async open(watch: Watch): Promise<void> {
    const { postgres, redis, nats } = this.data;
    if (watch.rows && postgres !== undefined) {
      this.#rows = new RowsReader(postgres.url, postgres.schema);
      this.#rowsNow = await this.#rows.snapshot();
    }
    if (watch.keys && redis !== undefined) {
      this.#keys = new KeysReader(redis.url, redis.db);
      this.#keysNow = await this.#keys.snapshot();
    }
    if (watch.messages && nats !== undefined) {
      this.#messages = await MessageCapture.open(nats.url, nats.subject);
    }
  }

  /** Notes of the observers (a table too large to compare…). */
  get notes(): string[] {
    return [...(this.#rows?.notes ?? []), ...(this.#keys?.notes ?? [])];
  }

  /** Sends the request and observes what it did: the answer, then rows, keys and messages since the last call. */
  async call(request: VerifyRequest, timeoutMs: number, settleMs: number): Promise<Observation> {
    const observation = await sendToSide(this.url, request, timeoutMs);
    if (this.#rows !== undefined) {
      const after = await this.#rows.snapshot();
      observation.rows = diffSnapshots(this.#rowsNow ?? (new Map() as SchemaSnapshot), after);
      this.#rowsNow = after;
    }
    if (this.#keys !== undefined) {
      const after = await this.#keys.snapshot();
      observation.keys = diffKeys(this.#keysNow ?? (new Map() as KeySnapshot), after);
      this.#keysNow = after;
    }
    if (this.#messages !== undefined) observation.messages = await this.#messages.take(settleMs);
    return observation;
  }

  async close(): Promise<void> {
    await this.#rows?.close().catch(() => undefined);
    this.#keys?.close();
    await this.#messages?.close().catch(() => undefined);
  }
}
