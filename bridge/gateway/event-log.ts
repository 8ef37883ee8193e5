import { appendFileSync } from 'node:fs';

/** One decision of the gateway, written as one NDJSON line. */
export interface GatewayEvent {
  /** ISO time the decision was taken. */
  time: string;
  /** Milliseconds since the epoch, same instant as `time` (for arithmetic). */
  at: number;
  type: string;
  route?: string;
  [field: string]: unknown;
}

export type EventSink = (line: string, event: GatewayEvent) => void;

/** Keeps recent events for the admin API and the live page, and hands every event to the sinks. */
export class EventLog {
  readonly #recent: GatewayEvent[] = [];
  readonly #limit: number;
  readonly #sinks = new Set<EventSink>();
  #file: string | undefined;

  constructor(limit = 200) {
    this.#limit = limit;
  }

  /** Also append every event to this file (undefined stops). Errors writing it are reported once as events. */
  setFile(file: string | undefined): void {
    this.#file = file;
  }

  subscribe(sink: EventSink): () => void {
    this.#sinks.add(sink);
    return () => this.#sinks.delete(sink);
  }

  emit(type: string, fields: Record<string, unknown> = {}): GatewayEvent {
    const at = Date.now();
    const event: GatewayEvent = { time: new Date(at).toISOString(), at, type, ...fields };
    this.#recent.push(event);
    if (this.#recent.length > this.#limit) this.#recent.shift();
    const line = JSON.stringify(event);
    for (const sink of this.#sinks) sink(line, event);
    if (this.#file !== undefined) {
      try {
        appendFileSync(this.#file, `${line}\n`);
      } catch (error) {
        const file = this.#file;
        this.#file = undefined;
        this.emit('events.file-error', {
          file,
          message: error instanceof Error ? error.message : String(error),
        });
      }
    }
    return event;
  }

  recent(count = 50): GatewayEvent[] {
    return this.#recent.slice(-count);
  }
}
