/**
 * YAML documents with line numbers: parses every document of a file with the `yaml` package and its
 * LineCounter, turns syntax errors into problems (file:line:col), and finds the line of any path in a document.
 */
import {
  isMap,
  isPair,
  isScalar,
  isSeq,
  LineCounter,
  parseAllDocuments,
  type Document,
  type Node,
} from 'yaml';
import { findCollectionKey } from '../../shared/yaml-keys.ts';
import type { InfraProblem } from './common.ts';

export interface YamlDoc {
  /** The document as plain data (merge keys `<<` resolved); undefined for an empty document. */
  value: unknown;
  /** 1-based line of the value at `path` (of its key when it is a map entry), or of the document start. */
  lineOf(path: ReadonlyArray<string | number>): number;
}

export interface YamlFile {
  docs: YamlDoc[];
  problems: InfraProblem[];
}

/** Parses all documents; a document with a syntax error is dropped and reported with where to look. */
export function parseYamlFile(text: string, file: string): YamlFile {
  const lineCounter = new LineCounter();
  const problems: InfraProblem[] = [];
  const docs: YamlDoc[] = [];
  let parsed: ReturnType<typeof parseAllDocuments>;
  try {
    parsed = parseAllDocuments(text, { lineCounter, merge: true, prettyErrors: false, uniqueKeys: false });
  } catch (error) {
    problems.push({
      code: 'yaml-invalid',
      file,
      line: 1,
      message: `YAML cannot be parsed: ${String(error)}`,
      severity: 'error',
    });
    return { docs, problems };
  }
  if (!Array.isArray(parsed)) {
    // An EmptyStream: nothing in the file.
    return { docs, problems };
  }
  for (const doc of parsed) {
    if (doc.errors.length > 0) {
      for (const err of doc.errors) {
        const pos = lineCounter.linePos(err.pos[0]);
        problems.push({
          code: 'yaml-invalid',
          file,
          line: pos.line,
          column: pos.col,
          message: `YAML syntax error: ${firstLine(err.message)} (fix the indentation or quoting here)`,
          severity: 'error',
        });
      }
      continue;
    }
    const collectionKey = findCollectionKey(doc);
    if (collectionKey !== undefined) {
      const pos = lineCounter.linePos(collectionKey);
      problems.push({
        code: 'yaml-invalid',
        file,
        line: pos.line,
        column: pos.col,
        message: 'a map key is a list or a map; use a plain scalar key',
        severity: 'error',
      });
      continue;
    }
    let value: unknown;
    try {
      value = doc.toJS({ maxAliasCount: 1000 });
    } catch (error) {
      const pos = lineCounter.linePos(doc.range?.[0] ?? 0);
      problems.push({
        code: 'yaml-invalid',
        file,
        line: pos.line,
        column: pos.col,
        message: `YAML cannot be loaded: ${firstLine(String(error))}`,
        severity: 'error',
      });
      continue;
    }
    docs.push({ value: value ?? undefined, lineOf: (path) => lineOfPath(doc, path, lineCounter) });
  }
  return { docs, problems };
}

function firstLine(message: string): string {
  return (message.split('\n')[0] ?? message).replace(/ at line \d+, column \d+:?$/, '');
}

function lineOfPath(doc: Document, path: ReadonlyArray<string | number>, lc: LineCounter): number {
  let node: unknown = doc.contents;
  let offset = doc.contents?.range?.[0] ?? doc.range?.[0] ?? 0;
  for (const key of path) {
    if (isMap(node)) {
      const pair = node.items.find(
        (p) => isPair(p) && isScalar(p.key) && String(p.key.value) === String(key),
      );
      if (!pair) break;
      offset = (pair.key as Node).range?.[0] ?? offset;
      node = pair.value;
    } else if (isSeq(node) && typeof key === 'number') {
      const item = node.items[key] as Node | undefined;
      if (!item) break;
      offset = item.range?.[0] ?? offset;
      node = item;
    } else break;
  }
  return lc.linePos(offset).line;
}

/** Narrowing helpers for untyped YAML data. */
export function asRecord(value: unknown): Record<string, unknown> | undefined {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : undefined;
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

export function asString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return undefined;
}
