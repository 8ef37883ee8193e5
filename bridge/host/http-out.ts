/** The host's outbound HTTP for guests (`wasi:http/outgoing-handler`), once the grant allows the URL. */
import { request as httpRequest } from 'undici';
import { fail, message, ok, type CallOutcome } from './sync-call.ts';

export interface OutboundRequest {
  method: string;
  url: string;
  headers: [string, string][];
  body: Uint8Array | undefined;
}

/** Sends `req` to `url`; transport failures become `wasi:http` error codes, HTTP statuses are responses. */
export async function sendOutbound(url: URL, req: OutboundRequest): Promise<CallOutcome> {
  try {
    const response = await httpRequest(url, {
      method: req.method as 'GET',
      headers: Object.fromEntries(req.headers.filter(([k]) => k !== 'host' && k !== 'content-length')),
      body: req.body && req.body.byteLength > 0 ? Buffer.from(req.body) : null,
      headersTimeout: 10_000,
      bodyTimeout: 10_000,
    });
    const body = new Uint8Array(await response.body.arrayBuffer());
    const headers: [string, string][] = [];
    for (const [name, value] of Object.entries(response.headers)) {
      for (const item of Array.isArray(value) ? value : [value ?? '']) headers.push([name, item]);
    }
    return ok({ status: response.statusCode, headers, body });
  } catch (error) {
    const code = (error as { code?: string }).code;
    if (code === 'ECONNREFUSED') return fail({ tag: 'connection-refused' });
    if (code === 'UND_ERR_HEADERS_TIMEOUT' || code === 'UND_ERR_CONNECT_TIMEOUT')
      return fail({ tag: 'connection-timeout' });
    return fail({ tag: 'internal-error', val: message(error) });
  }
}
