/**
 * sql: pg `Pool`/`Client`/`PoolClient` `.query(text, values)` → `caps.sql.query(text, values)`
 * (wasmcloud:postgres/query). Type arguments and `.rows` code stay as they are. A transaction on a client checked
 * out of a pool becomes `caps.sql.transaction` (sql-transaction.ts); BEGIN/COMMIT/ROLLBACK anywhere else is left,
 * with every query on that receiver, and noted: through `caps.sql.query` they would not share a session.
 * A callback-style query or a statement object (sql-shapes.ts) leaves its client whole, noted; so does Prisma.
 */
import { SyntaxKind, type SourceFile, type Symbol as TsSymbol } from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { lineOf } from './resolve.ts';
import {
  findBlockedClients,
  getClientKey,
  getPgQueryReceiver,
  getUnrewritableReason,
  noteConnectCallbacks,
  notePrismaClients,
} from './sql-shapes.ts';
import { getControlStatement } from './sql-statements.ts';
import { scanTransactions } from './sql-transaction.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

export const sqlTransform: Transform = {
  kind: 'sql',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    result.notes.push(...notePrismaClients(file), ...noteConnectCallbacks(file));
    const transactions = scanTransactions(file);
    result.edits.push(...transactions.edits);
    result.notes.push(...transactions.notes);
    const skip = new Set<TsSymbol>(transactions.skip);
    const blocked = findBlockedClients(file);
    const calls = file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call) => {
      const receiver = getPgQueryReceiver(call, (r) => {
        const symbol = r.getSymbol();
        return symbol !== undefined && transactions.checkedOut.has(symbol);
      });
      if (receiver === undefined) return [];
      const callee = call.getExpression();
      return [{ call, callee, receiver, symbol: receiver.getSymbol() }];
    });
    for (const { call, callee, symbol } of calls) {
      if (symbol === undefined || skip.has(symbol) || getControlStatement(call) === undefined) continue;
      skip.add(symbol);
      result.notes.push({
        line: lineOf(call),
        message: `${callee.getText()}(…) runs transaction control outside the pool.connect() idiom: its queries are left as they are; use caps.sql.transaction(async (tx) => …)`,
      });
    }
    for (const { call, callee, receiver, symbol } of calls) {
      if (symbol !== undefined && skip.has(symbol)) continue;
      const reason = getUnrewritableReason(call);
      const key = getClientKey(receiver);
      const blocker = key === undefined ? undefined : blocked.get(key);
      if (reason !== undefined) {
        result.notes.push({
          line: lineOf(call),
          message: `${callee.getText()}(…) ${reason}: it and every query on ${receiver.getText()} are left as they are; make it \`await ${callee.getText()}(text, values)\``,
        });
      } else if (blocker !== undefined) {
        result.notes.push({
          line: lineOf(call),
          message: `${callee.getText()}(…) is left as it is: ${receiver.getText()} has a query at ${blocker} that cannot be rewritten, and a client is moved whole or not at all`,
        });
      } else {
        result.edits.push(replaceCallee(call, 'caps.sql.query'));
      }
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    result.notes.sort((a, b) => a.line - b.line);
    return result;
  },
};
