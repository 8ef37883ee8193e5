/**
 * Inputs generated from scratch for the fuzzer, shaped by the real seeds: YAML/JSON trees whose keys are the
 * seeds' keys (so schemas see their own fields with wrong types, huge numbers, deep nesting), token soups
 * from the seeds' words (Java, Dockerfiles, properties), and line-based files.
 */
import fc from 'fast-check';
import { stringify } from 'yaml';
import { DICTIONARY, type FuzzInput, type Seed } from './mutate.ts';

/** The keys (`word:`) the seeds use, for trees that look like the real files. */
export function keysOf(seeds: readonly Seed[]): string[] {
  const keys = new Set<string>();
  for (const seed of seeds) for (const match of seed.text.matchAll(/([\w.-]+)\s*[:=]/g)) keys.add(match[1]!);
  return [...keys].sort();
}

/** The words and punctuation of the seeds, for token soups. */
export function tokensOf(seeds: readonly Seed[]): string[] {
  const tokens = new Set<string>();
  for (const seed of seeds) for (const match of seed.text.matchAll(/\w+|[^\w\s]/g)) tokens.add(match[0]);
  return [...tokens].sort();
}

const scalar = (words: readonly string[]): fc.Arbitrary<unknown> =>
  fc.oneof(
    fc.constantFrom(...words),
    fc.string({ maxLength: 20 }),
    fc.string({ unit: 'binary', maxLength: 10 }),
    fc.integer(),
    fc.constantFrom(0, -1, 65535, 65536, 2 ** 31, 2 ** 53 + 1, Number.MAX_VALUE, -0),
    fc.double(),
    fc.boolean(),
    fc.constant(null),
    fc.constantFrom(...DICTIONARY),
  );

/** A YAML/JSON-like tree with the seeds' keys. */
export function treeArbitrary(keys: readonly string[], words: readonly string[]): fc.Arbitrary<unknown> {
  const key = fc.oneof(
    { arbitrary: fc.constantFrom(...keys), weight: 6 },
    { arbitrary: fc.string({ maxLength: 12 }), weight: 1 },
    { arbitrary: fc.constantFrom('__proto__', 'constructor', '', ' ', '<<'), weight: 1 },
  );
  const { tree } = fc.letrec((tie) => ({
    tree: fc.oneof(
      { depthSize: 'small', withCrossShrink: true },
      { arbitrary: scalar(words), weight: 3 },
      { arbitrary: fc.array(tie('tree'), { maxLength: 5 }), weight: 1 },
      { arbitrary: fc.dictionary(key, tie('tree'), { maxKeys: 6 }), weight: 2 },
    ),
  }));
  return tree;
}

/** A tree rendered as YAML (block or flow) or JSON, into one of the seeds' slots. */
export function yamlArbitrary(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  const keys = keysOf(seeds);
  const words = tokensOf(seeds).filter((t) => /\w/.test(t));
  const root = fc.oneof(
    fc.dictionary(fc.constantFrom(...keys), treeArbitrary(keys, words), { minKeys: 1, maxKeys: 8 }),
    treeArbitrary(keys, words),
  );
  return fc
    .record({
      slot: fc.constantFrom(...seeds.map((s) => s.slot)),
      root,
      style: fc.constantFrom('block', 'flow', 'json', 'multi'),
    })
    .map(({ slot, root, style }) => {
      let text: string;
      try {
        if (style === 'json') text = JSON.stringify(root) ?? 'null';
        else if (style === 'multi') text = `${stringify(root)}---\n${stringify(root)}`;
        else text = stringify(root, { collectionStyle: style === 'flow' ? 'flow' : 'any' });
      } catch {
        text = String(root);
      }
      return { slot, text };
    });
}

/** Tokens of the seeds (and dictionary entries) joined by spaces, newlines or nothing. */
export function tokenSoupArbitrary(seeds: readonly Seed[]): fc.Arbitrary<FuzzInput> {
  const tokens = tokensOf(seeds);
  const token = fc.oneof(
    { arbitrary: fc.constantFrom(...tokens), weight: 8 },
    { arbitrary: fc.constantFrom(...DICTIONARY), weight: 1 },
    { arbitrary: fc.string({ maxLength: 6 }), weight: 1 },
  );
  const separator = fc.constantFrom(' ', ' ', ' ', '\n', '', '\t', '\r\n');
  return fc
    .record({
      slot: fc.constantFrom(...seeds.map((s) => s.slot)),
      parts: fc.array(fc.tuple(token, separator), { maxLength: 300 }),
    })
    .map(({ slot, parts }) => ({ slot, text: parts.map(([t, s]) => t + s).join('') }));
}

/** Lines that start with one of `heads` (instructions, keys) followed by a soup of the seeds' tokens. */
export function linesArbitrary(seeds: readonly Seed[], heads: readonly string[]): fc.Arbitrary<FuzzInput> {
  const tokens = tokensOf(seeds);
  const word = fc.oneof(
    { arbitrary: fc.constantFrom(...tokens), weight: 6 },
    { arbitrary: fc.constantFrom(...DICTIONARY), weight: 1 },
    { arbitrary: fc.string({ maxLength: 8 }), weight: 1 },
  );
  const line = fc
    .tuple(
      fc.constantFrom(...heads),
      fc.array(word, { maxLength: 10 }),
      fc.constantFrom(' ', '', '=', ': ', ' \\'),
    )
    .map(([head, words, join]) => `${head}${join}${words.join(' ')}`);
  return fc
    .record({ slot: fc.constantFrom(...seeds.map((s) => s.slot)), lines: fc.array(line, { maxLength: 40 }) })
    .map(({ slot, lines }) => ({ slot, text: lines.join('\n') }));
}
