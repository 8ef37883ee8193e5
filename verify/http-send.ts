/** Sends one request to one side and reads its answer (adapter). Never throws: a failure is status 0. */
import { request as sendRequest } from 'undici';
import { decodeBody } from '../shared/traffic-record.ts';
import type { Observation, VerifyRequest } from './model.ts';

/** Answers larger than this are compared by size and hash only. */
const MAX_BODY_BYTES = 4 * 1024 * 1024;

function mediaType(header: string | string[] | undefined): string {
  const value = Array.isArray(header) ? header[0] : header;
  return (value ?? '').split(';')[0]!.trim().toLowerCase();
}

/** The answer body as verify compares it: JSON parsed, text as text, anything else as base64. */
export function parseAnswerBody(bytes: Buffer, contentType: string): unknown {
  if (bytes.length === 0) return undefined;
  const text = bytes.toString('utf8');
  if (/json/.test(contentType)) {
    try {
      return JSON.parse(text) as unknown;
    } catch {
      return text;
    }
  }
  if (contentType === '' || contentType.startsWith('text/') || /xml|html/.test(contentType)) return text;
  return { base64: bytes.toString('base64') };
}

/** Sends `request` to `baseUrl` (an origin, optionally with a path prefix). */
export async function sendToSide(
  baseUrl: string,
  request: VerifyRequest,
  timeoutMs: number,
): Promise<Observation> {
  const url = `${baseUrl.replace(/\/$/, '')}${request.path}`;
  const body = decodeBody(request);
  try {
    const response = await sendRequest(url, {
      method: request.method as 'GET',
      headers: request.headers,
      ...(body.length === 0 ? {} : { body }),
      headersTimeout: timeoutMs,
      bodyTimeout: timeoutMs,
    });
    const chunks: Buffer[] = [];
    let size = 0;
    for await (const chunk of response.body) {
      size += (chunk as Buffer).length;
      if (size <= MAX_BODY_BYTES) chunks.push(chunk as Buffer);
    }
    const contentType = mediaType(response.headers['content-type']);
    const parsed =
      size > MAX_BODY_BYTES ? { tooLarge: size } : parseAnswerBody(Buffer.concat(chunks), contentType);
    return { status: response.statusCode, contentType, body: parsed };
  } catch (error) {
    return {
      status: 0,
      contentType: '',
      body: undefined,
      error: `${request.method} ${url}: ${error instanceof Error ? error.message : String(error)}`,
    };
  }
}
