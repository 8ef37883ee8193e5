import type { CallExpression, Node } from 'ts-morph';
import type { TextEdit } from './transform.ts';

/** Replaces a call's callee (`pool.query` in `pool.query<Row>(sql, [id])`), keeping type arguments and arguments. */
export function replaceCallee(call: CallExpression, text: string): TextEdit {
  const callee = call.getExpression();
  return {
    start: callee.getStart(),
    end: callee.getEnd(),
    text,
    description: `${callee.getText()} → ${text}`,
  };
}

/** Replaces a whole node. */
export function replaceNode(node: Node, text: string, description?: string): TextEdit {
  return {
    start: node.getStart(),
    end: node.getEnd(),
    text,
    description: description ?? `${node.getText()} → ${text}`,
  };
}
