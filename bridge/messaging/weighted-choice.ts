import type { Side } from '../gateway/config-schema.ts';

/**
 * Chooses a side per message so that, over any run of messages at a constant weight, the share sent to wasm
 * is the weight to within one message (smooth weighted round robin with a credit carried between calls):
 * 0 sends every message to the container, 100 every message to wasm. Deterministic, so tests can count.
 */
export function createWeightedChoice(): (weight: number) => Side {
  let credit = 0;
  return (weight) => {
    const w = Math.min(100, Math.max(0, weight));
    if (w <= 0) return 'container';
    if (w >= 100) return 'wasm';
    credit += w;
    if (credit >= 100) {
      credit -= 100;
      return 'wasm';
    }
    return 'container';
  };
}
