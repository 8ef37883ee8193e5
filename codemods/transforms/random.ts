/**
 * random: `crypto.randomUUID()` (global or node:crypto) and an imported `randomUUID()` → `caps.random.uuid()`;
 * `Math.random()` → `caps.random.float()` (wasi:random/random). Without this a component's ids repeat.
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { replaceNode } from './edits.ts';
import { getExportReference, getImportOrigin, isFrom, isGlobalReference } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

function isCryptoModule(node: Node): boolean {
  if (isGlobalReference(node, 'crypto')) return true;
  return Node.isIdentifier(node) && isFrom(getImportOrigin(node), 'crypto', ['default', '*', 'webcrypto']);
}

export const randomTransform: Transform = {
  kind: 'random',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (call.getArguments().length !== 0) continue;
      const callee = call.getExpression();
      if (Node.isPropertyAccessExpression(callee)) {
        const name = callee.getName();
        if (name === 'randomUUID' && isCryptoModule(callee.getExpression())) {
          result.edits.push(replaceNode(call, 'caps.random.uuid()'));
        } else if (name === 'random' && isGlobalReference(callee.getExpression(), 'Math')) {
          result.edits.push(replaceNode(call, 'caps.random.float()'));
        }
      } else if (Node.isIdentifier(callee) && isFrom(getExportReference(callee), 'crypto', ['randomUUID'])) {
        result.edits.push(replaceNode(call, 'caps.random.uuid()'));
      }
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
