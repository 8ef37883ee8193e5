/**
 * Reading pg statements for the transaction rewrite: which literal is BEGIN/COMMIT/ROLLBACK, whose `.query` a call
 * is, and what in a block could not move into a callback.
 */
import { Node, type Block, type CallExpression, type Statement, type Symbol as TsSymbol } from 'ts-morph';

export type ControlStatement = 'begin' | 'commit' | 'rollback';

/** BEGIN/COMMIT/ROLLBACK as a literal statement text; `begin-options` for a BEGIN with settings. */
export function getControlStatement(call: CallExpression): ControlStatement | 'begin-options' | undefined {
  const [text] = call.getArguments();
  if (!Node.isStringLiteral(text) && !Node.isNoSubstitutionTemplateLiteral(text)) return undefined;
  const words = text.getLiteralText().trim().replace(/;$/, '').trim().toLowerCase().split(/\s+/);
  const [first, second, ...rest] = words;
  const plain = (second === undefined || second === 'transaction' || second === 'work') && rest.length === 0;
  if (first === 'begin' || (first === 'start' && second === 'transaction'))
    return plain || (first === 'start' && rest.length === 0) ? 'begin' : 'begin-options';
  if ((first === 'commit' || first === 'end') && plain) return 'commit';
  if ((first === 'rollback' || first === 'abort') && plain) return 'rollback';
  return undefined;
}

/** A `.query(…)` call that is a whole statement (`await client.query('BEGIN');`), or undefined. */
function getQueryStatementCall(statement: Statement | undefined): CallExpression | undefined {
  if (!Node.isExpressionStatement(statement)) return undefined;
  let expression = statement.getExpression();
  if (Node.isAwaitExpression(expression)) expression = expression.getExpression();
  if (!Node.isCallExpression(expression)) return undefined;
  const callee = expression.getExpression();
  return Node.isPropertyAccessExpression(callee) && callee.getName() === 'query' ? expression : undefined;
}

/** The statement is `[await] client.query('<kind>')` on this client. */
export function isControl(
  statement: Statement | undefined,
  client: TsSymbol,
  kind: ControlStatement,
): boolean {
  const call = getQueryStatementCall(statement);
  return call !== undefined && isOnClient(call, client) && getControlStatement(call) === kind;
}

/** The call is `client.<method>(…)` on this client's symbol. */
export function isOnClient(call: CallExpression, client: TsSymbol): boolean {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return false;
  const receiver = callee.getExpression();
  return Node.isIdentifier(receiver) && receiver.getSymbol() === client;
}

/** Nodes inside `root` that belong to it, not to a function nested in it. */
export function ownDescendants(root: Node): Node[] {
  const found: Node[] = [];
  const visit = (node: Node): void => {
    for (const child of node.getChildren()) {
      found.push(child);
      if (!Node.isFunctionLikeDeclaration(child)) visit(child);
    }
  };
  visit(root);
  return found;
}

/** A `break` or `continue` in `body` that would jump out of it (it cannot cross the callback), if any. */
export function findEscapingJump(body: Block): Node | undefined {
  return ownDescendants(body).find((node) => {
    if (!Node.isBreakStatement(node) && !Node.isContinueStatement(node)) return false;
    const label = node.getLabel()?.getText();
    for (
      let parent: Node | undefined = node.getParent();
      parent !== undefined && parent !== body;
      parent = parent.getParent()
    ) {
      if (label !== undefined) {
        if (Node.isLabeledStatement(parent) && parent.getLabel().getText() === label) return false;
      } else if (
        Node.isIterationStatement(parent) ||
        (Node.isBreakStatement(node) && Node.isSwitchStatement(parent))
      ) {
        return false;
      }
    }
    return true;
  });
}
