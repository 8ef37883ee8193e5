/**
 * Compares what legacy and component did for each request, with noise learned the Diffy way: a field that
 * differs between two legacy answers to the same request (ids, timestamps) is noise for that operation, and
 * a difference there is explained, not a mismatch. Pure: exchanges in, classification out.
 */
import {
  diffValues,
  generalise,
  matchesPattern,
  parsePointer,
  toPointer,
  type FieldDifference,
} from './json-pointer.ts';
import type { ExchangeRecord, Mismatch, NoiseField, Observation } from './model.ts';

/** The document compared per request: everything a caller or the data could tell apart. */
export function toComparable(observation: Observation): Record<string, unknown> {
  return {
    status: observation.status,
    contentType: observation.contentType,
    body: observation.body ?? null,
    ...(observation.rows === undefined ? {} : { rows: observation.rows }),
    ...(observation.keys === undefined ? {} : { keys: observation.keys }),
    ...(observation.messages === undefined ? {} : { messages: observation.messages }),
  };
}

/** Noise patterns per operation, learned from the legacy answer and its noise call. */
export function learnNoise(exchanges: readonly ExchangeRecord[]): Map<string, Set<string>> {
  const noise = new Map<string, Set<string>>();
  for (const exchange of exchanges) {
    if (exchange.noise === undefined || exchange.noise.status === 0) continue;
    const first = toComparable(exchange.legacy);
    const second = toComparable(exchange.noise);
    const patterns = noise.get(exchange.request.operation) ?? new Set<string>();
    for (const difference of diffValues(first, second)) patterns.add(generalise(difference.pointer, first));
    if (patterns.size > 0) noise.set(exchange.request.operation, patterns);
  }
  return noise;
}

/** Only distinctive values pair up (generated ids, timestamps): a small number could meet again by chance. */
function isDistinctive(value: unknown): value is string {
  return typeof value === 'string' && value.length >= 8;
}

type Pairs = Map<string, Set<string>>;

/**
 * Legacy value → component values seen at a noise field of the same request (the answer to the write and, in
 * replay mode, to its second call). A later difference between such a pair (a list read back) is the same noise.
 */
function pairNoiseValues(exchanges: readonly ExchangeRecord[], learned: Map<string, Set<string>>): Pairs {
  const pairs: Pairs = new Map();
  const add = (legacy: Observation, component: Observation, patterns: readonly string[]): void => {
    for (const d of diffValues(toComparable(legacy), toComparable(component))) {
      if (!isDistinctive(d.legacy) || !isDistinctive(d.component)) continue;
      if (!patterns.some((p) => matchesPattern(d.pointer, p, 'index'))) continue;
      const set = pairs.get(d.legacy) ?? new Set<string>();
      set.add(d.component);
      pairs.set(d.legacy, set);
    }
  };
  for (const exchange of exchanges) {
    const patterns = [...(learned.get(exchange.request.operation) ?? [])];
    if (patterns.length === 0) continue;
    add(exchange.legacy, exchange.component, patterns);
    if (exchange.noise !== undefined && exchange.componentNoise !== undefined)
      add(exchange.noise, exchange.componentNoise, patterns);
  }
  return pairs;
}

export interface Classification {
  matched: number;
  mismatches: Mismatch[];
  explainedDifferences: number;
  noise: NoiseField[];
}

/** How one difference is explained, or undefined when nothing explains it. */
type Explanation =
  { source: 'ignored'; pattern: string } | { source: 'learned'; pattern: string } | { source: 'correlated' };

function isArrayAt(pointer: string, pattern: string): boolean {
  return parsePointer(pattern).length === parsePointer(pointer).length && matchesPattern(pointer, pattern);
}

/**
 * The component document with its arrays at `unordered` patterns put in the legacy array's order: each legacy
 * item, in turn, takes the component item it differs from least, counting only what nothing explains (so a
 * generated id paired with the legacy one is no difference). Also returns the pointers of the arrays it reordered.
 * Only arrays of the same length on both sides are aligned; a missing or extra item stays a difference.
 */
function alignUnordered(
  legacy: unknown,
  component: unknown,
  patterns: readonly string[],
  explain: (difference: FieldDifference) => Explanation | undefined,
): { component: unknown; reordered: string[] } {
  const reordered: string[] = [];
  const visit = (a: unknown, b: unknown, path: (string | number)[]): unknown => {
    if (Array.isArray(a) && Array.isArray(b)) {
      const pointer = toPointer(path);
      let items = b.map((item, i) => visit(a[i], item, [...path, i]));
      if (a.length === b.length && patterns.some((pattern) => isArrayAt(pointer, pattern))) {
        const unexplained = (i: number, j: number): number =>
          diffValues(a[i], items[j]).filter(
            (d) => explain({ ...d, pointer: `${toPointer([...path, i])}${d.pointer}` }) === undefined,
          ).length;
        const free = new Set(items.keys());
        const order: number[] = [];
        for (let i = 0; i < a.length; i += 1) {
          let best = -1;
          let bestCount = Infinity;
          for (const j of free) {
            const count = unexplained(i, j);
            if (count < bestCount) [best, bestCount] = [j, count];
            if (count === 0) break;
          }
          free.delete(best);
          order.push(best);
        }
        if (order.some((j, i) => j !== i)) {
          reordered.push(pointer);
          items = order.map((j) => items[j]);
        }
      }
      return items;
    }
    if (typeof a === 'object' && a !== null && typeof b === 'object' && b !== null && !Array.isArray(b))
      return Object.fromEntries(
        Object.entries(b).map(([key, value]) => [
          key,
          visit((a as Record<string, unknown>)[key], value, [...path, key]),
        ]),
      );
    return b;
  };
  return { component: visit(legacy, component, []), reordered };
}

/**
 * Splits every exchange's differences into explained (noise, ignored, arrays of unspecified order) and unexplained
 * ones. `unordered`: patterns of arrays whose order the service does not define (e.g. a Redis set read back):
 * compared as collections, each reordering counted as an explained difference.
 */
export function classifyExchanges(
  exchanges: readonly ExchangeRecord[],
  ignore: readonly string[],
  unordered: readonly string[] = [],
): Classification {
  const learned = learnNoise(exchanges);
  const pairs = pairNoiseValues(exchanges, learned);
  const counts = new Map<string, NoiseField>();
  const count = (operation: string, pattern: string, source: NoiseField['source']): void => {
    const key = `${source}\0${operation}\0${pattern}`;
    const field = counts.get(key) ?? { operation, pattern, source, explained: 0 };
    field.explained += 1;
    counts.set(key, field);
  };
  for (const [operation, patterns] of learned)
    for (const pattern of patterns)
      counts.set(`learned\0${operation}\0${pattern}`, {
        operation,
        pattern,
        source: 'learned',
        explained: 0,
      });
  const mismatches: Mismatch[] = [];
  let matched = 0;
  let explainedDifferences = 0;
  for (const exchange of exchanges) {
    const { operation } = exchange.request;
    const noise = [...(learned.get(operation) ?? [])];
    const explain = (difference: FieldDifference): Explanation | undefined => {
      const ignored = ignore.find((pattern) => matchesPattern(difference.pointer, pattern));
      if (ignored !== undefined) return { source: 'ignored', pattern: ignored };
      const noisy = noise.find((p) => matchesPattern(difference.pointer, p, 'index'));
      if (noisy !== undefined) return { source: 'learned', pattern: noisy };
      const paired =
        isDistinctive(difference.legacy) &&
        isDistinctive(difference.component) &&
        pairs.get(difference.legacy)?.has(difference.component) === true;
      return paired ? { source: 'correlated' } : undefined;
    };
    const legacy = toComparable(exchange.legacy);
    const aligned =
      unordered.length === 0
        ? { component: toComparable(exchange.component), reordered: [] }
        : alignUnordered(legacy, toComparable(exchange.component), unordered, explain);
    const unexplained = [];
    const explained: string[] = [];
    for (const pointer of aligned.reordered) {
      count('*', unordered.find((pattern) => isArrayAt(pointer, pattern)) ?? pointer, 'unordered');
      explained.push(pointer);
    }
    for (const difference of diffValues(legacy, aligned.component)) {
      const explanation = explain(difference);
      if (explanation === undefined) {
        unexplained.push(difference);
        continue;
      }
      if (explanation.source === 'ignored') count('*', explanation.pattern, 'ignored');
      else if (explanation.source === 'learned') count(operation, explanation.pattern, 'learned');
      else count(operation, generalise(difference.pointer, legacy), 'correlated');
      explained.push(difference.pointer);
    }
    explainedDifferences += explained.length;
    if (unexplained.length === 0) matched += 1;
    else
      mismatches.push({
        request: exchange.request,
        legacy: exchange.legacy,
        component: exchange.component,
        differences: unexplained,
        explained,
      });
  }
  const noiseFields = [...counts.values()].sort(
    (a, b) =>
      a.source.localeCompare(b.source) ||
      a.operation.localeCompare(b.operation) ||
      a.pattern.localeCompare(b.pattern),
  );
  return { matched, mismatches, explainedDifferences, noise: noiseFields };
}
