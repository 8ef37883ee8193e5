import { afterEach, describe, expect, it } from 'vitest';
import { bindCapabilities, type Message } from '../../../codemods/facade/capabilities.ts';
import { createComponentCapabilities } from '../../../codemods/facade/component.ts';
import {
  clearSubscriptions,
  createMessageHandler,
  matchesSubject,
} from '../../../codemods/facade/component-messaging.ts';

const encoder = new TextEncoder();

afterEach(() => clearSubscriptions());

describe('component messaging: subscriptions and the wasmcloud:messaging/handler export', () => {
  it.each([
    ['orders.placed', 'orders.placed', true],
    ['orders.placed', 'orders.cancelled', false],
    ['orders.*', 'orders.placed', true],
    ['orders.*', 'orders.placed.eu', false],
    ['orders.>', 'orders.placed.eu', true],
    ['orders.>', 'orders', false],
    ['*.placed', 'orders.placed', true],
    ['>', 'anything.at.all', true],
    ['orders', 'orders.placed', false],
  ])('matches %s against %s: %s', (pattern, subject, expected) => {
    expect(matchesSubject(pattern, subject)).toBe(expected);
  });

  it('composes first, then hands a message to every handler whose subject matches', () => {
    const binding = createComponentCapabilities({});
    bindCapabilities(binding);
    const received: string[] = [];
    let composed = 0;
    const handler = createMessageHandler(() => {
      if (composed++ > 0) return;
      binding.messaging.subscribe(
        'orders.*',
        (m: Message) => void received.push(`a ${m.subject} ${m.string()}`),
      );
      binding.messaging.subscribe(
        'orders.placed',
        (m: Message) => void received.push(`b ${m.json<{ n: number }>().n}`),
      );
      binding.messaging.subscribe('stock.>', () => void received.push('c'));
    });
    handler.handleMessage({ subject: 'orders.placed', body: encoder.encode('{"n":1}') });
    handler.handleMessage({ subject: 'orders.cancelled', body: encoder.encode('x') });
    expect(received).toEqual(['a orders.placed {"n":1}', 'b 1', 'a orders.cancelled x']);
    expect(composed).toBe(2);
  });

  it('answers err (a thrown payload, never an Error) when nothing matches or a handler throws', () => {
    const binding = createComponentCapabilities({});
    bindCapabilities(binding);
    binding.messaging.subscribe('bad', () => {
      throw new Error('cannot read');
    });
    const handler = createMessageHandler();
    expect(() => handler.handleMessage({ subject: 'none', body: new Uint8Array() })).toThrow(
      expect.objectContaining({ payload: 'no subscription matches none' }),
    );
    expect(() => handler.handleMessage({ subject: 'bad', body: new Uint8Array() })).toThrow(
      expect.objectContaining({ payload: 'cannot read' }),
    );
    const failing = createMessageHandler(() => {
      throw new Error('no config');
    });
    expect(() => failing.handleMessage({ subject: 'bad', body: new Uint8Array() })).toThrow(
      expect.objectContaining({ payload: 'cannot start the service: no config' }),
    );
  });
});
