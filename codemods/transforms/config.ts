/**
 * config: reads of `process.env.X` / `process.env['X']` → `caps.config.get('X')` (wasi:config/store), and
 * `const { X, Y = 'd', Z: z } = process.env` → `const X = caps.config.get('X'), Y = caps.config.get('Y') ?? 'd', …`.
 */
import { Node, SyntaxKind, type SourceFile, type VariableDeclaration } from 'ts-morph';
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

/**
 * `{ X, Y = 'd', Z: z }` destructured from process.env as declarators (`X = caps.config.get('X'), …`), or
 * undefined when a rest element, a nested pattern or a computed key makes it more than a list of reads.
 */
function toDeclarators(declaration: VariableDeclaration): string | undefined {
  const pattern = declaration.getNameNode();
  if (!Node.isObjectBindingPattern(pattern)) return undefined;
  const parts: string[] = [];
  for (const element of pattern.getElements()) {
    const name = element.getNameNode();
    const property = element.getPropertyNameNode();
    if (element.getDotDotDotToken() !== undefined || !Node.isIdentifier(name)) return undefined;
    if (property !== undefined && !Node.isIdentifier(property) && !Node.isStringLiteral(property)) {
      return undefined;
    }
    const key = property === undefined ? name.getText() : property.getText().replace(/^['"]|['"]$/g, '');
    const fallback = element.getInitializer();
    const read = `caps.config.get(${quote(declaration, key)})`;
    parts.push(`${name.getText()} = ${fallback === undefined ? read : `${read} ?? ${fallback.getText()}`}`);
  }
  return parts.length === 0 ? undefined : parts.join(', ');
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
      if (isProcessEnv(env) && Node.isVariableDeclaration(parent) && parent.getInitializer() === env) {
        const declarators = toDeclarators(parent);
        if (declarators !== undefined) {
          result.edits.push(replaceNode(parent, declarators));
          continue;
        }
      }
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
