/**
 * Subscriptions in a component: the host owns the NATS subscriptions (component config `subscriptions`) and calls
 * the exported `wasmcloud:messaging/handler`; `caps.messaging.subscribe(subject, handler)` only records which
 * function handles which subjects. `createMessageHandler` is that export: it dispatches a message to every handler
 * whose subject pattern matches (NATS wildcards: `*` one token, `>` one or more trailing tokens).
 */
import { caps, createMessage, formatLogArgs, type MessageHandler } from './capabilities.ts';

interface Subscription {
  tokens: string[];
  handler: MessageHandler;
}

const subscriptions: Subscription[] = [];

/** True when `subject` matches the NATS subject pattern `pattern`. */
export function matchesSubject(pattern: string, subject: string): boolean {
  return matchTokens(pattern.split('.'), subject.split('.'));
}

function matchTokens(pattern: readonly string[], subject: readonly string[]): boolean {
  for (let i = 0; i < pattern.length; i += 1) {
    const token = pattern[i]!;
    if (token === '>') return i === pattern.length - 1 && subject.length > i;
    if (i >= subject.length || (token !== '*' && token !== subject[i])) return false;
  }
  return pattern.length === subject.length;
}

/** Records a handler (the component binding's `caps.messaging.subscribe`). */
export function addSubscription(subject: string, handler: MessageHandler): void {
  subscriptions.push({ tokens: subject.split('.'), handler });
}

/** The handlers whose pattern matches `subject`, in subscription order. */
export function getSubscribers(subject: string): MessageHandler[] {
  const tokens = subject.split('.');
  return subscriptions.filter((s) => matchTokens(s.tokens, tokens)).map((s) => s.handler);
}

/** Forgets every subscription (tests). */
export function clearSubscriptions(): void {
  subscriptions.length = 0;
}

/** `wasmcloud:messaging` `broker-message` as componentize-js hands it to an export. */
export interface WitBrokerMessage {
  subject: string;
  body: Uint8Array;
  replyTo?: string | undefined;
}

/** A WIT `err(string)` from an export: componentize-js returns a thrown value's `payload` as the error. */
function failure(reason: string): { payload: string } {
  return { payload: reason };
}

const describe = (error: unknown): string =>
  error instanceof Error ? error.message : formatLogArgs([error]);

/**
 * The `handler` export (`handle-message(msg) -> result<_, string>`). `prepare` runs first, on every message: the
 * component entry composes the service there (which makes its subscriptions) when no request has done it yet. A
 * message no subscription matches, or a handler that throws, is an `err`; a handler's rejected promise is logged
 * (the export has returned by then). Nothing else escapes: an exception would trap the instance.
 */
export function createMessageHandler(prepare: () => void = () => undefined): {
  handleMessage(message: WitBrokerMessage): void;
} {
  return {
    handleMessage(message) {
      try {
        prepare();
      } catch (error) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a WIT err, not an exception
        throw failure(`cannot start the service: ${describe(error)}`);
      }
      const handlers = getSubscribers(message.subject);
      if (handlers.length === 0) {
        // eslint-disable-next-line @typescript-eslint/only-throw-error -- a WIT err, not an exception
        throw failure(`no subscription matches ${message.subject}`);
      }
      const failures: string[] = [];
      for (const handler of handlers) {
        try {
          const done = handler(createMessage(message.subject, message.body, message.replyTo ?? undefined));
          if (done instanceof Promise) {
            done.catch((error: unknown) =>
              caps.log.error(`message on ${message.subject} failed: ${describe(error)}`),
            );
          }
        } catch (error) {
          failures.push(describe(error));
        }
      }
      // eslint-disable-next-line @typescript-eslint/only-throw-error -- a WIT err, not an exception
      if (failures.length > 0) throw failure(failures.join('; '));
    },
  };
}
