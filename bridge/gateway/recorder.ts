import { createWriteStream, mkdirSync, type WriteStream } from 'node:fs';
import { dirname } from 'node:path';
import type { IncomingHttpHeaders } from 'node:http';
import {
  encodeBody,
  formatTrafficRecord,
  toRecordedHeaders,
  TRAFFIC_RECORD_VERSION,
  type TrafficRecord,
} from '../../shared/traffic-record.ts';
import type { RecordConfig } from './config-schema.ts';
import type { CapturedResponse } from './shadow-tracker.ts';

/** A shadowed exchange as the request path hands it over. */
export interface RecordedExchange {
  route: string;
  method: string;
  /** Path with query, as the client sent it. */
  url: string;
  headers: IncomingHttpHeaders;
  body: Buffer | null;
  response: CapturedResponse | undefined;
}

/**
 * Appends sampled shadowed exchanges to an NDJSON file in the format `migrate verify --replay` reads
 * (shared/traffic-record.ts). Credentials are never written. A failing file stops the recorder and is reported
 * once through `onError`; it never fails a request.
 */
export class TrafficRecorder {
  readonly #config: RecordConfig;
  readonly #onError: (message: string) => void;
  #stream: WriteStream | undefined;
  recorded = 0;

  constructor(path: string, config: RecordConfig, onError: (message: string) => void) {
    this.#config = config;
    this.#onError = onError;
    try {
      mkdirSync(dirname(path), { recursive: true });
      this.#stream = createWriteStream(path, { flags: 'a' });
      this.#stream.on('error', (error) => this.#fail(error.message));
    } catch (error) {
      this.#fail((error as Error).message);
    }
  }

  #fail(message: string): void {
    if (this.#stream === undefined) return;
    this.#stream.destroy();
    this.#stream = undefined;
    this.#onError(message);
  }

  /** Writes the exchange when sampled and small enough (a request without its whole body cannot be replayed). */
  record(exchange: RecordedExchange): void {
    if (this.#stream === undefined || Math.random() >= this.#config.sampleRate) return;
    const max = this.#config.maxBodyBytes;
    if (exchange.body !== null && exchange.body.length > max) return;
    const response = exchange.response;
    const record: TrafficRecord = {
      v: TRAFFIC_RECORD_VERSION,
      method: exchange.method,
      path: exchange.url,
      headers: toRecordedHeaders(exchange.headers),
      ...encodeBody(exchange.body ?? undefined),
      at: new Date().toISOString(),
      route: exchange.route,
      ...(response === undefined
        ? {}
        : {
            response: {
              status: response.status,
              headers: toRecordedHeaders(response.headers),
              ...(response.body !== undefined && response.body.length <= max
                ? encodeBody(response.body)
                : {}),
            },
          }),
    };
    this.recorded += 1;
    this.#stream.write(formatTrafficRecord(record));
  }

  /** Flushes and closes the file. */
  close(): Promise<void> {
    const stream = this.#stream;
    this.#stream = undefined;
    if (stream === undefined) return Promise.resolve();
    return new Promise((resolve) => stream.end(() => resolve()));
  }
}
