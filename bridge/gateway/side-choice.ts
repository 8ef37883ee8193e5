import type { IncomingMessage } from 'node:http';
import { bucketCount, isWasmBucket, resolveBucket } from './bucket.ts';
import type { GatewayConfig, Side } from './config-schema.ts';
import type { RouteState } from './route-state.ts';

/** Why a side was chosen: `override` (QA header/cookie), `sticky` (hashed key), `spread` (no key, random). */
export type ChoiceReason = 'override' | 'sticky' | 'spread' | 'fixed';

export type SideChoice = { side: Side; reason: ChoiceReason } | { error: string };

/** Returns the named cookie's value from a Cookie header, without parsing the others. */
export function getCookie(header: string | undefined, name: string): string | undefined {
  if (header === undefined) return undefined;
  let from = 0;
  while (from < header.length) {
    const at = header.indexOf(name, from);
    if (at === -1) return undefined;
    const before = at === 0 ? ' ' : header[at - 1];
    if ((before === ' ' || before === ';') && header[at + name.length] === '=') {
      const end = header.indexOf(';', at);
      return header.slice(at + name.length + 1, end === -1 ? undefined : end).trim();
    }
    from = at + name.length;
  }
  return undefined;
}

/** The sticky key of a request, or undefined when it has none. */
export function getStickyKey(req: IncomingMessage, sticky: GatewayConfig['sticky']): string | undefined {
  if (sticky.from === 'header') {
    const value = req.headers[sticky.name];
    return typeof value === 'string' && value !== '' ? value : undefined;
  }
  if (sticky.from === 'cookie') return getCookie(req.headers.cookie, sticky.name) || undefined;
  return req.socket.remoteAddress;
}

function parseOverride(value: string, token: string | undefined): SideChoice | undefined {
  const colon = value.indexOf(':');
  const side = colon === -1 ? value : value.slice(0, colon);
  if (side !== 'wasm' && side !== 'container')
    return { error: `override must be wasm or container, got "${side}"` };
  if (token !== undefined && (colon === -1 || value.slice(colon + 1) !== token)) {
    return { error: 'override needs a valid token: send <side>:<token>' };
  }
  return { side, reason: 'override' };
}

/**
 * Picks container or wasm for a request. Sticky keys hash to a fixed bucket, and a weight w sends buckets below
 * w × 100 to wasm, so a key only ever moves container → wasm while the weight rises.
 */
export function chooseSide(
  route: RouteState,
  req: IncomingMessage,
  config: GatewayConfig,
  overrideToken: string | undefined,
): SideChoice {
  const override = config.override;
  if (override.enabled) {
    const header = req.headers[override.header];
    const value = typeof header === 'string' ? header : getCookie(req.headers.cookie, override.cookie);
    if (value !== undefined && value !== '') {
      const choice = parseOverride(value, overrideToken);
      if (choice !== undefined) {
        if ('side' in choice && choice.side === 'wasm' && route.upstreams.wasm.empty) {
          return { error: `route ${route.config.name} has no wasm upstream` };
        }
        return choice;
      }
    }
  }
  const weight = route.upstreams.wasm.empty ? 0 : route.weight;
  if (weight <= 0) return { side: 'container', reason: 'fixed' };
  if (weight >= 100) return { side: 'wasm', reason: 'fixed' };
  const key = getStickyKey(req, config.sticky);
  if (key === undefined) {
    const bucket = Math.floor(Math.random() * bucketCount);
    return { side: isWasmBucket(bucket, weight) ? 'wasm' : 'container', reason: 'spread' };
  }
  return { side: isWasmBucket(resolveBucket(key), weight) ? 'wasm' : 'container', reason: 'sticky' };
}
