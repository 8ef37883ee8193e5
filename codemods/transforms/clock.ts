/** clock: `Date.now()` → `caps.clock.nowMs()`, `new Date()` → `new Date(caps.clock.nowMs())` (wasi:clocks/wall-clock). */
import { Node, type SourceFile } from 'ts-morph';
import { replaceNode } from './edits.ts';
import { isGlobalReference } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

export const clockTransform: Transform = {
  kind: 'clock',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const node of file.getDescendants()) {
      if (Node.isCallExpression(node)) {
        const callee = node.getExpression();
        if (
          Node.isPropertyAccessExpression(callee) &&
          callee.getName() === 'now' &&
          isGlobalReference(callee.getExpression(), 'Date') &&
          node.getArguments().length === 0
        ) {
          result.edits.push(replaceNode(node, 'caps.clock.nowMs()'));
        }
      } else if (Node.isNewExpression(node)) {
        const args = node.getArguments();
        if (isGlobalReference(node.getExpression(), 'Date') && args.length === 0) {
          result.edits.push(replaceNode(node, 'new Date(caps.clock.nowMs())'));
        }
      }
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
