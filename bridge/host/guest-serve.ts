/**
 * Calls a component instance's exports (wasi:http `incoming-handler.handle`, wasmcloud:messaging
 * `handler.handle-message`) and turns the outcome into the pool's reply. Shared by the worker (exports called
 * synchronously) and JSPI mode (exports return a promise while the guest is suspended on a capability call).
 */
import { IncomingRequest, ResponseOutparam, concat, type RequestParts } from './guest-http.ts';
import type { WorkerReply } from './worker-protocol.ts';

/** The exports of an instance as jco's glue gives them. */
export interface HandlerExports {
  incomingHandler?: { handle: (request: IncomingRequest, out: ResponseOutparam) => unknown };
  handler?: { handleMessage: (msg: unknown) => unknown };
}

type Reply = WorkerReply;

function describe(error: unknown): string {
  if (error instanceof Error) return `${error.name}: ${error.message}`;
  if (typeof error === 'object' && error !== null && 'payload' in error) return JSON.stringify(error.payload);
  return String(error);
}

const trapped = (error: unknown): Reply => ({ type: 'failed', reason: 'trap', message: describe(error) });

function readResponse(out: ResponseOutparam): Reply {
  const response = out.response;
  if (response === undefined)
    return { type: 'failed', reason: 'no-response', message: 'the guest set no response' };
  if (response.tag === 'err')
    return { type: 'failed', reason: 'guest-error', message: JSON.stringify(response.val) };
  const value = response.val;
  return {
    type: 'http-response',
    status: value.status,
    headers: value.headerFields.toPairs(),
    body: value.outgoingBody === undefined ? new Uint8Array() : concat(value.outgoingBody.stream.chunks),
  };
}

/** A guest error value (`{ payload }`) is the handler's `err`; anything else thrown is a trap. */
function readMessageError(error: unknown): Reply {
  if (typeof error === 'object' && error !== null && 'payload' in error)
    return { type: 'message-handled', error: String(error.payload) };
  return trapped(error);
}

/** Serves an HTTP request: the reply now when `handle` returns, or later when the promise it returns settles. */
export function serveHttp(instance: HandlerExports, parts: RequestParts): Reply | Promise<Reply> {
  const handler = instance.incomingHandler;
  if (handler === undefined)
    return {
      type: 'failed',
      reason: 'no-export',
      message: 'component exports no wasi:http/incoming-handler',
    };
  const out = new ResponseOutparam();
  let returned: unknown;
  try {
    returned = handler.handle(new IncomingRequest(parts), out);
  } catch (error) {
    return trapped(error);
  }
  if (returned instanceof Promise) return returned.then(() => readResponse(out), trapped);
  return readResponse(out);
}

/** Delivers a message to the instance's messaging handler. */
export function serveMessage(
  instance: HandlerExports,
  msg: { subject: string; body: Uint8Array; replyTo?: string },
): Reply | Promise<Reply> {
  const handler = instance.handler;
  if (handler === undefined)
    return {
      type: 'failed',
      reason: 'no-export',
      message: 'component exports no wasmcloud:messaging/handler',
    };
  const handled: Reply = { type: 'message-handled', error: undefined };
  let returned: unknown;
  try {
    returned = handler.handleMessage(msg);
  } catch (error) {
    return readMessageError(error);
  }
  if (returned instanceof Promise) return returned.then(() => handled, readMessageError);
  return handled;
}
