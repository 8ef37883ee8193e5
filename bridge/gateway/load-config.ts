import { readFile } from 'node:fs/promises';
import { isNode, LineCounter, parseDocument, type Document } from 'yaml';
import { AppError, ErrorCode, wrapError, type SourceLocation } from '../../shared/errors.ts';
import { gatewayConfigSchema, type GatewayConfig } from './config-schema.ts';

/** Reads and validates a gateway config file; errors carry file:line:col and the line. */
export async function loadGatewayConfig(file: string): Promise<GatewayConfig> {
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    throw wrapError(ErrorCode.config, `cannot read gateway config ${file}`, error, 'check the --config path');
  }
  return parseGatewayConfig(text, file);
}

/** Parses YAML (or JSON) text into a validated config. Pure. */
export function parseGatewayConfig(text: string, file: string): GatewayConfig {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  const locate = (offset: number): SourceLocation => {
    const { line, col } = lineCounter.linePos(offset);
    return { file, line, column: col, excerpt: text.split('\n')[line - 1] ?? '' };
  };
  const syntax = doc.errors[0];
  if (syntax !== undefined) {
    throw new AppError(ErrorCode.config, `invalid YAML in gateway config: ${syntax.message.split('\n')[0]}`, {
      location: locate(syntax.pos[0]),
      hint: 'fix the YAML syntax at the location shown',
    });
  }
  const result = gatewayConfigSchema.safeParse(doc.toJS());
  if (result.success) return result.data;
  const issue = result.error.issues[0]!;
  const path = issue.path.map((part) => (typeof part === 'symbol' ? String(part) : part));
  const where = path.length === 0 ? '(top level)' : formatPath(path);
  throw new AppError(ErrorCode.config, `invalid gateway config at ${where}: ${issue.message}`, {
    location: locate(findOffset(doc, path)),
    hint:
      result.error.issues.length > 1
        ? `${result.error.issues.length - 1} more problem(s) after this one; see docs/gateway.md for every field`
        : 'see docs/gateway.md for every field',
  });
}

/** The offset of the deepest node that exists along `path` (a missing key points at its parent). */
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
