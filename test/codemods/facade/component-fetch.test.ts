import { describe, expect, it } from 'vitest';
import { CapabilityError } from '../../../codemods/facade/capabilities.ts';
import {
  createComponentFetch,
  type WitHttpTypes,
  type WitOutgoingHandler,
} from '../../../codemods/facade/component-fetch.ts';

const encoder = new TextEncoder();
const decoder = new TextDecoder();

/** What the fake wasi:http saw of one request. */
interface Sent {
  method?: unknown;
  scheme?: unknown;
  authority?: string;
  path?: string;
  headers: [string, string][];
  body: string;
  finished: boolean;
}

/** wasi:http types and outgoing-handler as componentize-js hands them to a guest; `get` answers `outcome`. */
function createFakeHttp(outcome: (sent: Sent) => unknown): {
  types: WitHttpTypes;
  handler: WitOutgoingHandler;
  sent: Sent[];
} {
  const sent: Sent[] = [];
  class Fields {
    readonly entries: [string, Uint8Array][];
    constructor(entries: [string, Uint8Array][]) {
      this.entries = entries;
    }
    static fromList(entries: [string, Uint8Array][]): Fields {
      return new Fields(entries);
    }
  }
  class OutgoingBody {
    readonly record: Sent;
    constructor(record: Sent) {
      this.record = record;
    }
    write() {
      return {
        blockingWriteAndFlush: (bytes: Uint8Array) => void (this.record.body += decoder.decode(bytes)),
      };
    }
    static finish(body: OutgoingBody): void {
      body.record.finished = true;
    }
  }
  class OutgoingRequest {
    readonly record: Sent;
    constructor(headers: Fields) {
      this.record = {
        headers: headers.entries.map(([k, v]) => [k, decoder.decode(v)]),
        body: '',
        finished: false,
      };
      sent.push(this.record);
    }
    setMethod(method: unknown): void {
      this.record.method = method;
    }
    setScheme(scheme: unknown): void {
      this.record.scheme = scheme;
    }
    setAuthority(authority: string): void {
      this.record.authority = authority;
    }
    setPathWithQuery(path: string): void {
      this.record.path = path;
    }
    body(): OutgoingBody {
      return new OutgoingBody(this.record);
    }
  }
  const handler: WitOutgoingHandler = {
    handle: (request) => {
      const record = (request as OutgoingRequest).record;
      return { subscribe: () => ({ block: () => undefined }), get: () => outcome(record) };
    },
  };
  return { types: { Fields, OutgoingRequest, OutgoingBody } as unknown as WitHttpTypes, handler, sent };
}

function incomingResponse(status: number, body: string, headers: [string, string][] = []) {
  const chunks = [encoder.encode(body)];
  return {
    status: () => status,
    headers: () => ({ entries: () => headers.map(([k, v]): [string, Uint8Array] => [k, encoder.encode(v)]) }),
    consume: () => ({
      stream: () => ({
        blockingRead: () => {
          const chunk = chunks.shift();
          if (chunk === undefined) throw Object.assign(new Error('closed'), { payload: { tag: 'closed' } });
          return chunk;
        },
      }),
    }),
  };
}

describe('component fetch over wasi:http/outgoing-handler', () => {
  it('sends method, scheme, authority, path, headers and body, and returns a settled Response', async () => {
    const http = createFakeHttp(() => ({
      tag: 'ok',
      val: { tag: 'ok', val: incomingResponse(201, '{"ok":true}', [['content-type', 'application/json']]) },
    }));
    const fetch = createComponentFetch(http.handler, http.types);
    const response = await fetch(new URL('http://inventory:8080/api/inventory?skuCode=a&skuCode=b'), {
      method: 'POST',
      headers: { Accept: 'application/json' },
      body: '{"x":1}',
    });
    expect(response.status).toBe(201);
    expect(response.ok).toBe(true);
    expect(response.headers.get('content-type')).toBe('application/json');
    expect(await response.json()).toEqual({ ok: true });
    expect(http.sent).toEqual([
      {
        method: { tag: 'post' },
        scheme: { tag: 'HTTP' },
        authority: 'inventory:8080',
        path: '/api/inventory?skuCode=a&skuCode=b',
        headers: [['accept', 'application/json']],
        body: '{"x":1}',
        finished: true,
      },
    ]);
  });

  it('returns an HTTP error status as a response, not a rejection', async () => {
    const http = createFakeHttp(() => ({ tag: 'ok', val: { tag: 'ok', val: incomingResponse(404, 'no') } }));
    const response = await createComponentFetch(http.handler, http.types)('https://x.test/a');
    expect(response.status).toBe(404);
    expect(response.ok).toBe(false);
    expect(await response.text()).toBe('no');
    expect(http.sent[0]?.scheme).toEqual({ tag: 'HTTPS' });
  });

  it('rejects with a CapabilityError naming the wasi:http error code', async () => {
    const refused = createFakeHttp(() => ({
      tag: 'ok',
      val: { tag: 'err', val: { tag: 'connection-refused' } },
    }));
    await expect(createComponentFetch(refused.handler, refused.types)('http://x/')).rejects.toMatchObject({
      kind: 'http',
      reason: 'connection-refused',
    });
    const denied = createFakeHttp(() => undefined);
    denied.handler.handle = () => {
      throw Object.assign(new Error('ComponentError'), { payload: { tag: 'HTTP-request-denied' } });
    };
    const failed = createComponentFetch(denied.handler, denied.types)('http://x/');
    await expect(failed).rejects.toBeInstanceOf(CapabilityError);
    await expect(failed).rejects.toMatchObject({ reason: 'HTTP-request-denied' });
    await expect(createComponentFetch(undefined, undefined)('http://x/')).rejects.toMatchObject({
      reason: 'this component does not import wasi:http/outgoing-handler',
    });
  });
});
