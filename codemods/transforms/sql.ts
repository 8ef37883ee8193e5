/**
 * sql: pg `Pool`/`Client`/`PoolClient` `.query(text, values)` → `caps.sql.query(text, values)`
 * (wasmcloud:postgres/query). Type arguments and `.rows` code stay as they are.
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { getClientOrigin, isFrom, lineOf } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const PG_CLIENTS = ['Pool', 'Client', 'PoolClient', 'ClientBase'] as const;

export const sqlTransform: Transform = {
  kind: 'sql',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'query') continue;
      if (!isFrom(getClientOrigin(callee.getExpression()), 'pg', PG_CLIENTS)) continue;
      const [text, ...rest] = call.getArguments();
      if (text === undefined || Node.isObjectLiteralExpression(text) || rest.length > 1) {
        result.notes.push({
          line: lineOf(call),
          message: `${callee.getText()}(…) with a config object or callback is not rewritten; use query(text, values)`,
        });
        continue;
      }
      result.edits.push(replaceCallee(call, 'caps.sql.query'));
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
