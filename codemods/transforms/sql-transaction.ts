/**
 * The pg transaction idiom → `caps.sql.transaction`:
 *
 *     const client = await pool.connect();            return caps.sql.transaction(async (tx) => {
 *     try {                                              …tx.query(…)…
 *       await client.query('BEGIN');                     return entity;
 *       …client.query(…)…                      →       });
 *       await client.query('COMMIT');
 *       return entity;
 *     } catch (error) {
 *       await client.query('ROLLBACK');
 *       throw error;
 *     } finally {
 *       client.release();
 *     }
 *
 * (`await caps.sql.transaction(…)` when the body returns nothing). A component has no pool to check a client out
 * of, and BEGIN/COMMIT through `caps.sql.query` would not share a session in Node: the whole statement is
 * rewritten or, when something in it has no safe equivalent, left as it is with a note naming why.
 */
import {
  Node,
  SyntaxKind,
  type Block,
  type Identifier,
  type SourceFile,
  type Statement,
  type Symbol as TsSymbol,
  type TryStatement,
  type VariableDeclaration,
} from 'ts-morph';
import { getClientOrigin, isFrom, lineOf } from './resolve.ts';
import {
  findEscapingJump,
  getControlStatement,
  isControl,
  isOnClient,
  ownDescendants,
} from './sql-statements.ts';
import type { TextEdit, TransformNote } from './transform.ts';

interface Matched {
  /** The statements replaced: from the client's declaration to the try statement. */
  first: Statement;
  /** `await client.query('BEGIN')` between connect() and try, if there. */
  beginBefore: Statement | undefined;
  tryStatement: TryStatement;
  /** BEGIN and COMMIT statements inside the try block, removed. */
  removed: Statement[];
  /** Receivers of the client's queries inside the try block. */
  receivers: Identifier[];
  returns: boolean;
}

type MatchResult = { ok: true; matched: Matched } | { ok: false; reason: string };

const fail = (reason: string): MatchResult => ({ ok: false, reason });

/** BEGIN (unless it came before try) and COMMIT in the try block: the statements to remove, or why not. */
function findRemovedStatements(
  tryStatement: TryStatement,
  client: TsSymbol,
  beginBefore: Statement | undefined,
): Statement[] | string {
  const body = tryStatement.getTryBlock().getStatements();
  const removed: Statement[] = [];
  if (beginBefore === undefined) {
    if (!isControl(body[0], client, 'begin')) return 'the try block does not start with BEGIN';
    removed.push(body[0]!);
  }
  const last = body.at(-1);
  const commit = Node.isReturnStatement(last) ? body.at(-2) : last;
  if (commit === undefined || !isControl(commit, client, 'commit'))
    return 'COMMIT is not the last statement of the try block (or the one before its return)';
  return [...removed, commit];
}

/** The catch clause only rolls back and rethrows; finally only releases. Otherwise why not. */
function checkCatchAndFinally(tryStatement: TryStatement, client: TsSymbol): string | undefined {
  const catchClause = tryStatement.getCatchClause();
  if (catchClause !== undefined) {
    const name = catchClause.getVariableDeclaration()?.getName();
    const [rollback, rethrow, ...more] = catchClause.getBlock().getStatements();
    const rethrows =
      Node.isThrowStatement(rethrow) && name !== undefined && rethrow.getExpression().getText() === name;
    if (!isControl(rollback, client, 'rollback') || !rethrows || more.length > 0)
      return 'the catch clause does more than ROLLBACK and rethrow';
  }
  const [release, ...afterRelease] = tryStatement.getFinallyBlock()?.getStatements() ?? [];
  const releaseCall = Node.isExpressionStatement(release) ? release.getExpression() : undefined;
  const releaseCallee = Node.isCallExpression(releaseCall) ? releaseCall.getExpression() : undefined;
  const releases =
    Node.isPropertyAccessExpression(releaseCallee) &&
    releaseCallee.getName() === 'release' &&
    releaseCallee.getExpression().getSymbol() === client;
  if (!releases || afterRelease.length > 0) return 'the finally block does more than client.release()';
  return undefined;
}

/** Every use of the client other than its declaration is a query in the try block, or the idiom's own calls. */
function collectReceivers(
  declaration: VariableDeclaration,
  client: TsSymbol,
  parts: {
    block: Block;
    tryStatement: TryStatement;
    beginBefore: Statement | undefined;
    removed: readonly Statement[];
  },
): Identifier[] | string {
  const { block, tryStatement, beginBefore, removed } = parts;
  const tryBlock = tryStatement.getTryBlock();
  const idiom = [beginBefore, tryStatement.getCatchClause(), tryStatement.getFinallyBlock()];
  const within = (node: Node | undefined, inner: Node): boolean =>
    node?.containsRange(inner.getPos(), inner.getEnd()) === true;
  const receivers: Identifier[] = [];
  for (const reference of block.getDescendantsOfKind(SyntaxKind.Identifier)) {
    if (reference.getSymbol() !== client || reference === declaration.getNameNode()) continue;
    if (!within(tryBlock, reference)) {
      if (idiom.some((node) => within(node, reference))) continue;
      return `the client is used outside the transaction (line ${lineOf(reference)})`;
    }
    const access = reference.getParentIfKind(SyntaxKind.PropertyAccessExpression);
    const call = access?.getParentIfKind(SyntaxKind.CallExpression);
    if (access?.getName() !== 'query' || call === undefined || call.getExpression() !== access)
      return `the client is used for more than query() (line ${lineOf(reference)})`;
    const args = call.getArguments();
    if (args.length === 0 || args.length > 2 || Node.isObjectLiteralExpression(args[0]))
      return `query() with a config object or callback (line ${lineOf(call)})`;
    const control = getControlStatement(call);
    if (control !== undefined && !removed.some((statement) => within(statement, call)))
      return `${control.toUpperCase()} inside the transaction (line ${lineOf(call)})`;
    receivers.push(reference);
  }
  return receivers;
}

/** Matches the idiom around the client declared by `declaration` (`const client = await pool.connect()`). */
function matchTransaction(declaration: VariableDeclaration, client: TsSymbol): MatchResult {
  const statement = declaration.getVariableStatement();
  const block = statement?.getParent();
  if (statement === undefined || statement.getDeclarations().length !== 1 || !Node.isBlock(block))
    return fail('connect() is not a statement of its own');
  const siblings = block.getStatements();
  let next = siblings.indexOf(statement) + 1;
  const beginBefore = isControl(siblings[next], client, 'begin') ? siblings[next] : undefined;
  if (beginBefore !== undefined) next += 1;
  const tryStatement = siblings[next];
  if (!Node.isTryStatement(tryStatement)) return fail('connect() is not followed by try { BEGIN … COMMIT }');
  const removed = findRemovedStatements(tryStatement, client, beginBefore);
  if (typeof removed === 'string') return fail(removed);
  const unsafe = checkCatchAndFinally(tryStatement, client);
  if (unsafe !== undefined) return fail(unsafe);
  const receivers = collectReceivers(declaration, client, { block, tryStatement, beginBefore, removed });
  if (typeof receivers === 'string') return fail(receivers);

  const own = ownDescendants(tryStatement.getTryBlock());
  if (own.some((node) => Node.isYieldExpression(node))) return fail('yield inside the transaction');
  const jump = findEscapingJump(tryStatement.getTryBlock());
  if (jump !== undefined) return fail(`${jump.getText()} leaves the transaction (line ${lineOf(jump)})`);
  const returns = own.some((node) => Node.isReturnStatement(node));
  const isBody = Node.isFunctionLikeDeclaration(block.getParent());
  if (returns && (!isBody || siblings.at(-1) !== tryStatement))
    return fail('the transaction returns, and code after it would run only when it does not');
  return { ok: true, matched: { first: statement, beginBefore, tryStatement, removed, receivers, returns } };
}

/** The range to cut for a statement: its whole line(s) when nothing else is on them, else just itself. */
function removalRange(text: string, start: number, end: number): [number, number] {
  const lineStart = text.lastIndexOf('\n', start - 1) + 1;
  const lineEnd = text.indexOf('\n', end);
  const alone = text.slice(lineStart, start).trim() === '' && text.slice(end, lineEnd).trim() === '';
  return alone && lineEnd !== -1 ? [lineStart, lineEnd + 1] : [start, end];
}

/** The replacement text for a matched transaction. */
function rewrite(matched: Matched, txName: string): TextEdit {
  const { first, beginBefore, tryStatement, removed, receivers, returns } = matched;
  const file = first.getSourceFile();
  const text = file.getFullText();
  const tryBlock = tryStatement.getTryBlock();
  const innerStart = tryBlock.getStart() + 1;
  const innerEnd = tryBlock.getEnd() - 1;
  const cuts = [
    ...removed.map((s) => {
      const [start, end] = removalRange(text, s.getStart(), s.getEnd());
      return { start, end, text: '' };
    }),
    ...receivers
      .filter((r) => !removed.some((s) => s.containsRange(r.getPos(), r.getEnd())))
      .map((r) => ({ start: r.getStart(), end: r.getEnd(), text: txName })),
  ].sort((a, b) => a.start - b.start);
  let body = '';
  let cursor = innerStart;
  for (const cut of cuts) {
    body += text.slice(cursor, cut.start) + cut.text;
    cursor = cut.end;
  }
  body += text.slice(cursor, innerEnd);
  // Comments between connect() and try, kept above the new statement.
  const lineStart = text.lastIndexOf('\n', first.getStart() - 1) + 1;
  const indent = text.slice(lineStart, first.getStart());
  const comments = [beginBefore, tryStatement]
    .filter((node) => node !== undefined)
    .flatMap((node) => node.getLeadingCommentRanges().map((c) => `${c.getText()}\n${indent}`))
    .join('');
  const keyword = returns ? 'return' : 'await';
  return {
    start: first.getStart(),
    end: tryStatement.getEnd(),
    text: `${comments}${keyword} caps.sql.transaction(async (${txName}) => {${body}});`,
    description: `pool.connect() + BEGIN/COMMIT/ROLLBACK → ${keyword} caps.sql.transaction(async (${txName}) => …)`,
  };
}

export interface TransactionScan {
  edits: TextEdit[];
  notes: TransformNote[];
  /** Clients whose queries the plain query rewrite must leave alone (rewritten here, or left with a note). */
  skip: Set<TsSymbol>;
  /** Clients checked out of a pool with no transaction: their queries are pg queries even when untyped. */
  checkedOut: Set<TsSymbol>;
}

/** `const client = await <pg Pool>.connect()`: the client's name node. */
function getCheckedOutClient(declaration: VariableDeclaration): Identifier | undefined {
  const name = declaration.getNameNode();
  let initializer = declaration.getInitializer();
  if (!Node.isIdentifier(name) || !Node.isAwaitExpression(initializer)) return undefined;
  initializer = initializer.getExpression();
  if (!Node.isCallExpression(initializer)) return undefined;
  const callee = initializer.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'connect') return undefined;
  return isFrom(getClientOrigin(callee.getExpression()), 'pg', ['Pool']) ? name : undefined;
}

/** Finds the clients checked out of a pg pool in `file` and rewrites their transactions. */
export function scanTransactions(file: SourceFile): TransactionScan {
  const scan: TransactionScan = { edits: [], notes: [], skip: new Set(), checkedOut: new Set() };
  for (const declaration of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
    const name = getCheckedOutClient(declaration);
    const client = name?.getSymbol();
    if (name === undefined || client === undefined) continue;
    const scope = declaration.getFirstAncestor((node) => Node.isFunctionLikeDeclaration(node)) ?? file;
    const controls = scope
      .getDescendantsOfKind(SyntaxKind.CallExpression)
      .filter((call) => isOnClient(call, client) && getControlStatement(call) !== undefined);
    if (controls.length === 0) {
      scan.checkedOut.add(client);
      scan.notes.push({
        line: lineOf(declaration),
        message: `${declaration.getInitializerOrThrow().getText()} is left as it is: a component has no pool to check a client out of (its queries now go to caps.sql.query; drop connect() and release())`,
      });
      continue;
    }
    scan.skip.add(client);
    const result = controls.some((call) => getControlStatement(call) === 'begin-options')
      ? fail('BEGIN with options (isolation level, read only) has no equivalent in caps.sql.transaction')
      : matchTransaction(declaration, client);
    if (!result.ok) {
      scan.notes.push({
        line: lineOf(declaration),
        message: `pg transaction on ${name.getText()} not rewritten: ${result.reason}; move it to caps.sql.transaction(async (tx) => …) by hand`,
      });
      continue;
    }
    const body = result.matched.tryStatement.getTryBlock();
    const taken = body.getDescendantsOfKind(SyntaxKind.Identifier).some((id) => id.getText() === 'tx');
    scan.edits.push(rewrite(result.matched, taken ? name.getText() : 'tx'));
  }
  return scan;
}
