/**
 * sql: pg `Pool`/`Client`/`PoolClient` `.query(text, values)` → `caps.sql.query(text, values)`
 * (wasmcloud:postgres/query). Type arguments and `.rows` code stay as they are. A transaction on a client checked
 * out of a pool becomes `caps.sql.transaction` (sql-transaction.ts); BEGIN/COMMIT/ROLLBACK anywhere else is left,
 * with every query on that receiver, and noted: through `caps.sql.query` they would not share a session.
 */
import { Node, SyntaxKind, type SourceFile, type Symbol as TsSymbol } from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { getClientOrigin, isFrom, lineOf } from './resolve.ts';
import { getControlStatement } from './sql-statements.ts';
import { scanTransactions } from './sql-transaction.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const PG_CLIENTS = ['Pool', 'Client', 'PoolClient', 'ClientBase'] as const;

export const sqlTransform: Transform = {
  kind: 'sql',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    const transactions = scanTransactions(file);
    result.edits.push(...transactions.edits);
    result.notes.push(...transactions.notes);
    const skip = new Set<TsSymbol>(transactions.skip);
    const calls = file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call) => {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'query') return [];
      const receiver = callee.getExpression();
      const symbol = receiver.getSymbol();
      const isPg =
        (symbol !== undefined && transactions.checkedOut.has(symbol)) ||
        isFrom(getClientOrigin(receiver), 'pg', PG_CLIENTS);
      return isPg ? [{ call, callee, symbol }] : [];
    });
    for (const { call, callee, symbol } of calls) {
      if (symbol === undefined || skip.has(symbol) || getControlStatement(call) === undefined) continue;
      skip.add(symbol);
      result.notes.push({
        line: lineOf(call),
        message: `${callee.getText()}(…) runs transaction control outside the pool.connect() idiom: its queries are left as they are; use caps.sql.transaction(async (tx) => …)`,
      });
    }
    for (const { call, callee, symbol } of calls) {
      if (symbol !== undefined && skip.has(symbol)) continue;
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
