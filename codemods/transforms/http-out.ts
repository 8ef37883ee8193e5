/**
 * http-out: the global `fetch(…)` and undici's `fetch` → `caps.http.fetch(…)` (wasi:http/outgoing-handler).
 * undici's `request` and axios have other shapes; they are reported, not rewritten.
 */
import { Node, SyntaxKind, type SourceFile } from 'ts-morph';
import { replaceCallee } from './edits.ts';
import { getExportReference, isFrom, isGlobalReference, lineOf } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

export const httpOutTransform: Transform = {
  kind: 'http-out',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      const isGlobalFetch =
        isGlobalReference(callee, 'fetch') ||
        (Node.isPropertyAccessExpression(callee) &&
          callee.getName() === 'fetch' &&
          isGlobalReference(callee.getExpression(), 'globalThis'));
      const reference = isGlobalFetch ? undefined : getExportReference(callee);
      if (isGlobalFetch || isFrom(reference, 'undici', ['fetch'])) {
        result.edits.push(replaceCallee(call, 'caps.http.fetch'));
      } else if (isFrom(reference, 'undici', ['request']) || reference?.module === 'axios') {
        result.notes.push({
          line: lineOf(call),
          message: `${callee.getText()}(…) is not rewritten: use fetch, which the facade provides as caps.http.fetch`,
        });
      }
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
