import type { SourceFile } from 'ts-morph';

/** The effect kinds the transforms handle; `messaging` covers both publish and subscribe. */
export const TRANSFORM_KINDS = [
  'sql',
  'messaging',
  'kv',
  'http-out',
  'config',
  'clock',
  'random',
  'log',
] as const;
export type TransformKind = (typeof TRANSFORM_KINDS)[number];

/** Replace `[start, end)` of the file's current text with `text`. Positions come from the AST. */
export interface TextEdit {
  start: number;
  end: number;
  text: string;
  /** One line for the report, e.g. `pool.query → caps.sql.query`. */
  description: string;
}

/** A named import of a module (`{ module: 'nats', name: 'JSONCodec' }`). */
export interface ImportRef {
  module: string;
  name: string;
}

/** A recognised side effect the transform could not rewrite safely; left as it was and reported. */
export interface TransformNote {
  line: number;
  message: string;
}

/** What one transform wants done to one file. Pure data: the runner applies it. */
export interface TransformResult {
  edits: TextEdit[];
  /** Names to import from the facade module (`caps`, `JSONCodec`, …). */
  facadeImports: string[];
  /** Import specifiers to drop because the facade now provides them. */
  removeImports: ImportRef[];
  notes: TransformNote[];
}

/** One transform per effect kind: reads a file and returns the edits that move its side effects onto `caps`. */
export interface Transform {
  kind: TransformKind;
  run(file: SourceFile): TransformResult;
}

export function createResult(): TransformResult {
  return { edits: [], facadeImports: [], removeImports: [], notes: [] };
}
