/**
 * log: `console.log/info/warn/error/debug/trace(…)` and pino logger calls → `caps.log.<level>(…)`
 * (wasi:logging/logging). Arguments are kept; the facade formats them into one message.
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { getClientOrigin, isFrom, isGlobalReference } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const CONSOLE_LEVELS: Readonly<Record<string, string>> = {
  log: 'info',
  info: 'info',
  warn: 'warn',
  error: 'error',
  debug: 'debug',
  trace: 'trace',
};
const PINO_LEVELS: Readonly<Record<string, string>> = {
  trace: 'trace',
  debug: 'debug',
  info: 'info',
  warn: 'warn',
  error: 'error',
  fatal: 'error',
};

export const logTransform: Transform = {
  kind: 'log',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const receiver = callee.getExpression();
      const name = callee.getName();
      const level = isGlobalReference(receiver, 'console')
        ? CONSOLE_LEVELS[name]
        : isFrom(getClientOrigin(receiver), 'pino', ['default', 'pino'])
          ? PINO_LEVELS[name]
          : undefined;
      if (level !== undefined) result.edits.push(replaceCallee(call, `caps.log.${level}`));
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
