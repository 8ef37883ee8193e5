/**
 * Where Java's nullable references show: a variable compared with `null`, a `return null;`. TypeScript's strict
 * mode needs `| null` there, and only there (elsewhere a Java reference is taken as set, as Spring code means).
 */
import type { Node } from 'web-tree-sitter';

/** True when `scope` (a method body or block) compares the variable `name` with `null` (`==`, `!=`). */
export function isNullChecked(name: string, scope: Node): boolean {
  return scope.descendantsOfType('binary_expression').some((b) => {
    const op = b?.childForFieldName('operator')?.text;
    if (op !== '==' && op !== '!=') return false;
    const left = b?.childForFieldName('left');
    const right = b?.childForFieldName('right');
    return (
      (left?.type === 'null_literal' && right?.text === name) ||
      (right?.type === 'null_literal' && left?.text === name)
    );
  });
}

/** True when the body returns `null` itself (not from a lambda inside it). */
export function returnsNull(body: Node): boolean {
  return body.descendantsOfType('return_statement').some((r) => {
    if (r?.namedChildren[0]?.type !== 'null_literal') return false;
    for (let up = r.parent; up !== null && up.id !== body.id; up = up.parent)
      if (up.type === 'lambda_expression') return false;
    return true;
  });
}
