/**
 * Compares what legacy and component did for each request, with noise learned the Diffy way: a field that
 * differs between two legacy answers to the same request (ids, timestamps) is noise for that operation, and
 * a difference there is explained, not a mismatch. Pure: exchanges in, classification out.
 */
import { diffValues, generalise, matchesPattern } from './json-pointer.ts';
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

/** Splits every exchange's differences into explained (noise, ignored) and unexplained ones. */
export function classifyExchanges(
  exchanges: readonly ExchangeRecord[],
  ignore: readonly string[],
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
    const differences = diffValues(toComparable(exchange.legacy), toComparable(exchange.component));
    const unexplained = [];
    const explained: string[] = [];
    for (const difference of differences) {
      const ignored = ignore.find((pattern) => matchesPattern(difference.pointer, pattern));
      const noisy =
        ignored === undefined ? noise.find((p) => matchesPattern(difference.pointer, p, 'index')) : undefined;
      const paired =
        isDistinctive(difference.legacy) &&
        isDistinctive(difference.component) &&
        pairs.get(difference.legacy)?.has(difference.component) === true;
      if (ignored !== undefined) count('*', ignored, 'ignored');
      else if (noisy !== undefined) count(operation, noisy, 'learned');
      else if (paired)
        count(operation, generalise(difference.pointer, toComparable(exchange.legacy)), 'correlated');
      else {
        unexplained.push(difference);
        continue;
      }
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
