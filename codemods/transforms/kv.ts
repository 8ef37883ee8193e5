/**
 * kv: ioredis `get`, `set(key, value)`, `del(key)` and `exists(key)` → `caps.kv.get/set/delete/exists`
 * (wasi:keyvalue/store). Calls whose Redis-specific results are used, TTL options and other commands are
 * reported, not rewritten.
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile } from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { getClientOrigin, isFrom, isResultUnused, lineOf } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const REDIS_CLIENTS = ['default', 'Redis', 'Cluster'] as const;

/** `if (await redis.exists(k))`, `!…`, `… ? a : b`, `&&`/`||` operands: where a boolean serves as the count did. */
function isBooleanContext(call: CallExpression): boolean {
  let node: Node = call;
  let parent = node.getParent();
  while (parent !== undefined && (Node.isAwaitExpression(parent) || Node.isParenthesizedExpression(parent))) {
    node = parent;
    parent = parent.getParent();
  }
  if (parent === undefined) return false;
  if (Node.isIfStatement(parent) || Node.isWhileStatement(parent)) return parent.getExpression() === node;
  if (Node.isConditionalExpression(parent)) return parent.getCondition() === node;
  if (Node.isPrefixUnaryExpression(parent)) return parent.getOperatorToken() === SyntaxKind.ExclamationToken;
  return false;
}

/** Which calls can be rewritten: method → facade method, when the call's shape allows it. */
function getFacadeMethod(call: CallExpression, method: string): string | undefined {
  const count = call.getArguments().length;
  if (method === 'get' && count === 1) return 'get';
  if (method === 'set' && count === 2 && isResultUnused(call)) return 'set';
  if (method === 'del' && count === 1 && isResultUnused(call)) return 'delete';
  if (method === 'exists' && count === 1 && isBooleanContext(call)) return 'exists';
  return undefined;
}

export const kvTransform: Transform = {
  kind: 'kv',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      if (!isFrom(getClientOrigin(callee.getExpression()), 'ioredis', REDIS_CLIENTS)) continue;
      const target = getFacadeMethod(call, callee.getName());
      if (target !== undefined) result.edits.push(replaceCallee(call, `caps.kv.${target}`));
      else {
        result.notes.push({
          line: lineOf(call),
          message: `${callee.getText()}(…) has no wasi:keyvalue equivalent in this form (TTL options, counts, other commands)`,
        });
      }
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
