/** config: reads of `process.env.X` / `process.env['X']` → `caps.config.get('X')` (wasi:config/store). */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { replaceNode } from './edits.ts';
import { getImportOrigin, isFrom, isGlobalReference, lineOf, quote } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

function isProcess(node: Node): boolean {
  if (isGlobalReference(node, 'process')) return true;
  return Node.isIdentifier(node) && isFrom(getImportOrigin(node), 'process', ['default', '*']);
}

/** `process.env` itself. */
function isProcessEnv(node: Node): boolean {
  return Node.isPropertyAccessExpression(node) && node.getName() === 'env' && isProcess(node.getExpression());
}

/** True when the access is written to, deleted or destructured rather than read. */
function isWritten(node: Node): boolean {
  const parent = node.getParent();
  if (parent === undefined) return false;
  if (Node.isBinaryExpression(parent) && parent.getLeft() === node) {
    return (
      parent.getOperatorToken().getKind() >= SyntaxKind.FirstAssignment &&
      parent.getOperatorToken().getKind() <= SyntaxKind.LastAssignment
    );
  }
  return (
    Node.isDeleteExpression(parent) ||
    Node.isPrefixUnaryExpression(parent) ||
    Node.isPostfixUnaryExpression(parent)
  );
}

export const configTransform: Transform = {
  kind: 'config',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const access of file.getDescendants()) {
      if (!Node.isPropertyAccessExpression(access) && !Node.isElementAccessExpression(access)) continue;
      if (!isProcessEnv(access.getExpression())) continue;
      if (isWritten(access)) {
        result.notes.push({
          line: lineOf(access),
          message: `${access.getText()} is written; config is read-only in a component`,
        });
        continue;
      }
      const key = Node.isPropertyAccessExpression(access)
        ? quote(access, access.getName())
        : access.getArgumentExpression()?.getText();
      if (key === undefined) continue;
      result.edits.push(replaceNode(access, `caps.config.get(${key})`));
    }
    for (const env of file.getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)) {
      const parent = env.getParent();
      if (
        !isProcessEnv(env) ||
        Node.isPropertyAccessExpression(parent) ||
        Node.isElementAccessExpression(parent)
      )
        continue;
      result.notes.push({
        line: lineOf(env),
        message: 'process.env used as a whole; read keys with caps.config.get(key) or caps.config.getAll()',
      });
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
