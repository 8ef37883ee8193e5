/**
 * The recorded-traffic format: NDJSON, one HTTP exchange per line. The gateway's recorder writes it
 * (bridge/gateway/recorder.ts) and `migrate verify --replay` reads it. Documented in docs/verify.md.
 *
 *   {"v":1,"method":"POST","path":"/api/order","headers":{"content-type":"application/json"},"body":"{…}",
 *    "response":{"status":201,"headers":{"content-type":"application/json"},"body":"{…}"}}
 *
 * A body is UTF-8 text in `body`, or base64 in `bodyBase64` when it is not valid UTF-8 (binary).
 */
import { z } from 'zod';
import { AppError, ErrorCode } from './errors.ts';

export const TRAFFIC_RECORD_VERSION = 1;

const headersSchema = z.record(z.string(), z.string());

/** A response as it was observed when the request was recorded (optional). */
const observedSchema = z
  .object({
    status: z.number().int().min(100).max(599),
    headers: headersSchema.default({}),
    body: z.string().optional(),
    bodyBase64: z.string().optional(),
  })
  .strict();

export const trafficRecordSchema = z
  .object({
    /** Format version; this file reads 1. */
    v: z.literal(TRAFFIC_RECORD_VERSION),
    method: z.string().regex(/^[A-Z]+$/, 'an upper-case HTTP method such as GET'),
    /** Path with its query string, e.g. `/api/inventory?skuCode=a`. */
    path: z.string().startsWith('/'),
    /** Request headers, lower-case names; credentials (authorization, cookie) are never recorded. */
    headers: headersSchema.default({}),
    body: z.string().optional(),
    bodyBase64: z.string().optional(),
    /** When the request was recorded (ISO 8601). */
    at: z.string().optional(),
    /** The gateway route it came through. */
    route: z.string().optional(),
    /** The answer the recording side gave, for reference. */
    response: observedSchema.optional(),
  })
  .strict();

export type TrafficRecord = z.infer<typeof trafficRecordSchema>;

/** Headers a recording never keeps: credentials and hop-by-hop headers. */
const DROPPED_HEADERS = new Set([
  'authorization',
  'proxy-authorization',
  'cookie',
  'set-cookie',
  'connection',
  'keep-alive',
  'transfer-encoding',
  'content-length',
  'host',
  'upgrade',
  'te',
  'trailer',
  'x-forwarded-for',
  'x-forwarded-host',
]);

/** Lower-cases names and leaves out credentials and hop-by-hop headers. */
export function toRecordedHeaders(
  headers: Readonly<Record<string, string | readonly string[] | undefined>>,
): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    const lower = name.toLowerCase();
    if (value === undefined || DROPPED_HEADERS.has(lower)) continue;
    out[lower] = typeof value === 'string' ? value : value.join(', ');
  }
  return out;
}

/** `{ body }` for UTF-8 text, `{ bodyBase64 }` for anything else, `{}` for an empty body. */
export function encodeBody(bytes: Uint8Array | undefined): { body?: string; bodyBase64?: string } {
  if (bytes === undefined || bytes.length === 0) return {};
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const text = new TextDecoder('utf-8', { fatal: false }).decode(buffer);
  if (!text.includes('\uFFFD') || buffer.includes(Buffer.from('\uFFFD'))) return { body: text };
  return { bodyBase64: buffer.toString('base64') };
}

/** The body bytes of a record or observed response (empty when it has none). */
export function decodeBody(part: { body?: string | undefined; bodyBase64?: string | undefined }): Buffer {
  if (part.bodyBase64 !== undefined) return Buffer.from(part.bodyBase64, 'base64');
  return Buffer.from(part.body ?? '', 'utf8');
}

/** One NDJSON line (with its newline). */
export function formatTrafficRecord(record: TrafficRecord): string {
  return `${JSON.stringify(record)}\n`;
}

/** Parses NDJSON text; a bad line is an AppError at file:line naming the problem. Blank lines are skipped. Pure. */
export function parseTrafficRecords(text: string, file: string): TrafficRecord[] {
  const records: TrafficRecord[] = [];
  const lines = text.split('\n');
  for (const [index, raw] of lines.entries()) {
    const line = raw.trim();
    if (line === '') continue;
    const location = { file, line: index + 1, excerpt: raw.slice(0, 200) };
    let value: unknown;
    try {
      value = JSON.parse(line);
    } catch (error) {
      throw new AppError(ErrorCode.input, `not a JSON object: ${(error as Error).message}`, {
        location,
        hint: 'each line of a replay file is one JSON object (see docs/verify.md, "Recorded traffic")',
      });
    }
    const result = trafficRecordSchema.safeParse(value);
    if (!result.success) {
      const issue = result.error.issues[0]!;
      const at = issue.path.length === 0 ? '' : ` at ${issue.path.join('.')}`;
      throw new AppError(ErrorCode.input, `invalid traffic record${at}: ${issue.message}`, {
        location,
        hint: 'fields: v (1), method, path, headers, body or bodyBase64, response (see docs/verify.md)',
      });
    }
    records.push(result.data);
  }
  return records;
}
