import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import type { z } from 'zod';
import { AppError, ErrorCode, wrapError, type SourceLocation } from './errors.ts';
import { findCollectionKey } from './yaml-keys.ts';

/** How a config file is named in messages and where its fields are documented. */
export interface ConfigKind {
  /** e.g. `gateway config`. */
  label: string;
  /** Where every field is explained, e.g. `docs/gateway.md`. */
  docs: string;
}

/** Reads a config file's text; an unreadable file is a MIG_CONFIG error naming it. */
export async function readConfigText(file: string, kind: ConfigKind): Promise<string> {
  try {
    return await readFile(file, 'utf8');
  } catch (error) {
    throw wrapError(ErrorCode.config, `cannot read ${kind.label} ${file}`, error, 'check the --config path');
  }
}

/**
 * Parses YAML (or JSON, a subset) text and validates it with a zod schema. Pure. Syntax and schema errors are
 * AppErrors located at file:line:col with the line's text; a missing key points at its parent.
 */
export function parseConfigText<S extends z.ZodType>(
  text: string,
  file: string,
  schema: S,
  kind: ConfigKind,
): z.output<S> {
  const lineCounter = new LineCounter();
  // logLevel error: a collection used as a key is reported by the schema, not as a Node warning on stderr
  const doc = parseDocument(text, { lineCounter, prettyErrors: false, logLevel: 'error' });
  const locate = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, excerpt: text.split('\n')[line - 1] ?? '' };
  };
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    throw new AppError(ErrorCode.config, `invalid YAML in ${kind.label}: ${syntax.message.split('\n')[0]}`, {
      location: locate(syntax.pos[0]),
      hint: 'fix the YAML syntax at the location shown',
    });
  }
  const collectionKey = findCollectionKey(doc);
  if (collectionKey !== undefined) {
    throw new AppError(ErrorCode.config, `invalid YAML in ${kind.label}: a map key is a list or a map`, {
      location: locate(collectionKey),
      hint: 'use a plain scalar key (a name) there',
    });
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 1000 });
  } catch (error) {
    // an alias to an anchor that is not defined (yet), or an alias bomb: syntax-valid YAML that cannot load
    const detail = error instanceof Error ? error.message.split('\n')[0] : String(error);
    throw new AppError(ErrorCode.config, `invalid YAML in ${kind.label}: ${detail}`, {
      location: locate(findAliasOffset(doc)),
      hint: 'define each anchor (&name) before its aliases (*name), and do not nest aliases to blow up the size',
    });
  }
  const result = schema.safeParse(data);
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const where = path.length === 0 ? '(top level)' : formatPath(path);
  const more = result.error.issues.length - 1;
  throw new AppError(ErrorCode.config, `invalid ${kind.label} at ${where}: ${issue.message}`, {
    location: locate(findOffset(doc, path)),
    hint: `${more > 0 ? `${more} more problem(s) after this one; ` : ''}see ${kind.docs} for every field`,
  });
}

/** The offset of the first alias that does not resolve, else of the first alias, else 0. */
function findAliasOffset(doc: Document): number {
  let first: number | undefined;
  let unresolved: number | undefined;
  visit(doc, {
    Alias(_, node) {
      const offset = node.range?.[0] ?? 0;
      first ??= offset;
      if (node.resolve(doc) === undefined) {
        unresolved = offset;
        return visit.BREAK;
      }
      return undefined;
    },
  });
  return unresolved ?? first ?? 0;
}

/** The offset of the deepest node that exists along `path`. */
function findOffset(doc: Document, path: (string | number)[]): number {
  for (let depth = path.length; depth >= 0; depth -= 1) {
    const node: unknown = depth === 0 ? doc.contents : doc.getIn(path.slice(0, depth), true);
    if (isNode(node) && node.range) return node.range[0];
  }
  return 0;
}

function formatPath(path: (string | number)[]): string {
  return path
    .map((part, i) => (typeof part === 'number' ? `[${part}]` : i === 0 ? part : `.${part}`))
    .join('');
}
