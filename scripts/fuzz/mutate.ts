/**
 * Mutations of real input files (fixtures and samples) for the fuzzer: truncate, delete, duplicate, splice
 * from another seed, insert bytes/unicode/control characters or dictionary tokens (wrong types, huge numbers,
 * YAML anchors, path escapes), duplicate lines (duplicate keys), re-indent, change line endings, nest deeply.
 * Each mutation is data (`Mutation`) so that fast-check can shrink a crashing input to the fewest mutations.
 */
import fc from 'fast-check';

/** One real input a mutation starts from. */
export interface Seed {
  /** Where the text goes (a file name the reader recognises, e.g. `docker-compose.yml`). */
  readonly slot: string;
  readonly text: string;
}

/** Text that often breaks readers: wrong types, huge or odd numbers, YAML tricks, escapes, path escapes. */
export const DICTIONARY = [
  '[]',
  '{}',
  'null',
  '~',
  'true',
  '0',
  '-1',
  '1e309',
  '-1e309',
  '99999999999999999999999999',
  '0x7fffffff',
  '1.5',
  'NaN',
  '.inf',
  '-.inf',
  '.nan',
  '!!binary AAAA',
  '!!str',
  '!!int "x"',
  '!!map',
  '!!set',
  '!!omap',
  '!!timestamp 2001-12-14',
  '!custom',
  '&a',
  '*a',
  '*undefined',
  '<<: *a',
  '<<: [*a, *a]',
  '? complex key',
  '|',
  '>-',
  '---',
  '...',
  '%YAML 1.1',
  '%TAG ! tag:x,2000:',
  '"unterminated',
  "'",
  '#',
  '${',
  '${A:${B:${C}}}',
  '${}',
  '\\',
  '\\u',
  '\\\n',
  '"\\uD800"',
  '__proto__',
  'constructor',
  'toString',
  'hasOwnProperty',
  '__proto__: {polluted: 1}',
  '../../../../../../../../dev/zero',
  '/dev/stdin',
  '../..',
  'C:\\x',
  '\uFEFF',
  '\u2028',
  '\u0085',
  '\u0000',
  '\u001b[31m',
  '\uD800',
  '\uDFFF',
  '💥',
  'e\u0301',
  '@',
  '@@',
  '<>',
  '<<<',
  '::',
  ':',
  '{{',
  '}}',
  ';;',
  '/*',
  '*/',
  '//',
  '"""',
  'class',
  'record',
  'enum',
  'interface',
  '@interface',
  'sealed',
  'permits',
  'var',
  'yield',
  'switch',
  '->',
  'new',
  'this',
  'super',
  '...',
  'int[]',
  '<T extends Comparable<? super T>>',
  'RUN',
  'FROM',
  'ENV',
  'ARG',
  'EXPOSE',
  'ONBUILD',
  'HEALTHCHECK',
  'CMD ["a",',
  '# syntax=docker/dockerfile:1',
  '# escape=`',
  '`',
  '$',
  '${X:-y}',
  '65536',
  '-80',
  '8080/udp',
  '1-65535',
  '127.0.0.1::',
  '[::1]:80:80',
] as const;

export type Mutation =
  | { readonly kind: 'truncate'; readonly at: number }
  | { readonly kind: 'delete'; readonly at: number; readonly length: number }
  | { readonly kind: 'duplicate'; readonly at: number; readonly length: number; readonly to: number }
  | {
      readonly kind: 'splice';
      readonly from: number;
      readonly at: number;
      readonly length: number;
      readonly to: number;
    }
  | { readonly kind: 'insert'; readonly to: number; readonly text: string }
  | { readonly kind: 'replace-token'; readonly at: number; readonly text: string }
  | { readonly kind: 'duplicate-line'; readonly line: number; readonly times: number }
  | { readonly kind: 'indent'; readonly line: number; readonly by: number }
  | { readonly kind: 'line-endings'; readonly style: '\r\n' | '\r' | '\u2028' }
  | { readonly kind: 'nest'; readonly to: number; readonly depth: number; readonly style: number }
  | { readonly kind: 'repeat'; readonly at: number; readonly length: number; readonly times: number };

const position = fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true });

/** Bytes as text (latin1), unicode, control characters and dictionary tokens. */
const insertText = fc.oneof(
  { arbitrary: fc.constantFrom(...DICTIONARY), weight: 4 },
  { arbitrary: fc.string({ unit: 'binary', maxLength: 12 }), weight: 2 },
  { arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }), weight: 1 },
  {
    arbitrary: fc.string({
      unit: fc.constantFrom(
        '\0',
        '\t',
        '\r',
        '\n',
        '\v',
        '\f',
        '\u0085',
        '\u2028',
        '\uFEFF',
        '\u001b',
        '\x7f',
      ),
      maxLength: 6,
    }),
    weight: 2,
  },
  {
    arbitrary: fc.uint8Array({ maxLength: 12 }).map((bytes) => Buffer.from(bytes).toString('latin1')),
    weight: 1,
  },
);

/**
 * How big inputs get: `full` (the fuzz script) nests up to 1,500 levels and repeats up to 60 times; `quick` (the
 * vitest slice) stays small so that hundreds of inputs run in a few seconds.
 */
export type InputSize = 'full' | 'quick';

export function mutationArbitrary(size: InputSize): fc.Arbitrary<Mutation> {
  const quick = size === 'quick';
  return fc.oneof(
    fc.record({ kind: fc.constant('truncate' as const), at: position }),
    fc.record({ kind: fc.constant('delete' as const), at: position, length: fc.nat({ max: 200 }) }),
    fc.record({
      kind: fc.constant('duplicate' as const),
      at: position,
      length: fc.nat({ max: 200 }),
      to: position,
    }),
    fc.record({
      kind: fc.constant('splice' as const),
      from: position,
      at: position,
      length: fc.nat({ max: 400 }),
      to: position,
    }),
    fc.record({ kind: fc.constant('insert' as const), to: position, text: insertText }),
    fc.record({ kind: fc.constant('insert' as const), to: position, text: insertText }),
    fc.record({ kind: fc.constant('replace-token' as const), at: position, text: insertText }),
    fc.record({
      kind: fc.constant('duplicate-line' as const),
      line: position,
      times: fc.integer({ min: 1, max: 3 }),
    }),
    fc.record({ kind: fc.constant('indent' as const), line: position, by: fc.integer({ min: -4, max: 6 }) }),
    fc.record({
      kind: fc.constant('line-endings' as const),
      style: fc.constantFrom('\r\n' as const, '\r' as const, '\u2028' as const),
    }),
    fc.record({
      kind: fc.constant('nest' as const),
      to: position,
      depth: quick
        ? fc.integer({ min: 1, max: 200 })
        : fc.oneof(fc.integer({ min: 1, max: 64 }), fc.integer({ min: 200, max: 1500 })),
      style: fc.nat({ max: 5 }),
    }),
    fc.record({
      kind: fc.constant('repeat' as const),
      at: position,
      length: fc.integer({ min: 1, max: 40 }),
      times: fc.integer({ min: 2, max: quick ? 10 : 60 }),
    }),
  );
}

function at(text: string, p: number): number {
  return Math.floor(p * (text.length + 1));
}

/** Deep nesting in a shape a YAML, JSON, Java or Dockerfile reader meets. */
function nesting(depth: number, style: number): string {
  switch (style) {
    case 0:
      return `${'['.repeat(depth)}1${']'.repeat(depth)}`;
    case 1:
      return `${'{a: '.repeat(depth)}1${'}'.repeat(depth)}`;
    case 2:
      return `\n${Array.from({ length: Math.min(depth, 400) }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n')} 1\n`;
    case 3:
      return `${'- '.repeat(depth)}x\n`;
    case 4:
      return `${'('.repeat(depth)}x${')'.repeat(depth)}`;
    default:
      return `${'{ if (a) '.repeat(depth)}{}${'}'.repeat(depth)}`;
  }
}

/** Applies one mutation; `others` are the other seeds a splice may take text from. */
export function applyMutation(text: string, mutation: Mutation, others: readonly Seed[]): string {
  switch (mutation.kind) {
    case 'truncate':
      return text.slice(0, at(text, mutation.at));
    case 'delete': {
      const start = at(text, mutation.at);
      return text.slice(0, start) + text.slice(start + mutation.length);
    }
    case 'duplicate': {
      const start = at(text, mutation.at);
      const piece = text.slice(start, start + mutation.length);
      const to = at(text, mutation.to);
      return text.slice(0, to) + piece + text.slice(to);
    }
    case 'splice': {
      const donor = others.length === 0 ? text : others[Math.floor(mutation.from * others.length)]!.text;
      const start = at(donor, mutation.at);
      const to = at(text, mutation.to);
      return text.slice(0, to) + donor.slice(start, start + mutation.length) + text.slice(to);
    }
    case 'insert': {
      const to = at(text, mutation.to);
      return text.slice(0, to) + mutation.text + text.slice(to);
    }
    case 'replace-token': {
      // the word (or number) at the position becomes the text: a wrong type, a huge number…
      const start = at(text, mutation.at);
      const match = /[\w.$-]+/.exec(text.slice(start));
      if (match === null) return text + mutation.text;
      const from = start + match.index;
      return text.slice(0, from) + mutation.text + text.slice(from + match[0].length);
    }
    case 'duplicate-line': {
      const lines = text.split('\n');
      const index = Math.floor(mutation.line * lines.length);
      lines.splice(index, 0, ...Array<string>(mutation.times).fill(lines[index] ?? ''));
      return lines.join('\n');
    }
    case 'indent': {
      const lines = text.split('\n');
      const index = Math.floor(mutation.line * lines.length);
      const line = lines[index] ?? '';
      lines[index] = mutation.by >= 0 ? ' '.repeat(mutation.by) + line : line.slice(-mutation.by);
      return lines.join('\n');
    }
    case 'line-endings':
      return text.replaceAll('\n', mutation.style);
    case 'nest': {
      const to = at(text, mutation.to);
      return text.slice(0, to) + nesting(mutation.depth, mutation.style) + text.slice(to);
    }
    case 'repeat': {
      const start = at(text, mutation.at);
      const piece = text.slice(start, start + mutation.length);
      return text.slice(0, start) + piece.repeat(mutation.times) + text.slice(start + mutation.length);
    }
  }
}

/** A fuzz input: which file slot the text goes to, and the text. */
export interface FuzzInput {
  readonly slot: string;
  readonly text: string;
}

/** Seeds with 1-6 mutations applied in order. */
export function mutatedArbitrary(seeds: readonly Seed[], size: InputSize = 'full'): fc.Arbitrary<FuzzInput> {
  return fc
    .record({
      seed: fc.nat({ max: seeds.length - 1 }),
      mutations: fc.array(mutationArbitrary(size), { minLength: 1, maxLength: size === 'quick' ? 4 : 6 }),
    })
    .map(({ seed, mutations }) => {
      const base = seeds[seed]!;
      const text = mutations.reduce((t, m) => applyMutation(t, m, seeds), base.text);
      return { slot: base.slot, text };
    });
}
