/**
 * The pg and Prisma shapes the sql transform cannot move onto `caps.sql.query` safely, found before anything is
 * rewritten. `caps.sql.query(text, values)` returns a promise of rows: a query that hands its result to a callback,
 * or takes a statement object (`SQL\`…\`` from sql-template-strings, a `{ text, values }` config), would compile
 * to a call whose callback never runs and whose values are not an array ("params is not iterable"). Such a query
 * blocks its client: every query on that client, in every file, is left as it is, so a service is never
 * half-rewritten (some queries on `caps`, others on a pool whose settings the rewrite moved away).
 */
import { Node, SyntaxKind, type CallExpression, type SourceFile, type Type } from 'ts-morph';
import { getClientOrigin, getExportReference, isFrom, lineOf } from './resolve.ts';
import type { TransformNote } from './transform.ts';

export const PG_CLIENTS = ['Pool', 'Client', 'PoolClient', 'ClientBase'] as const;

/** The declaration a query's receiver names (`pool` in `pool.query`), the same node from every file. */
export function getClientKey(receiver: Node): Node | undefined {
  let symbol = receiver.getSymbol();
  if (symbol?.isAlias() === true) symbol = symbol.getAliasedSymbol() ?? symbol;
  return symbol?.getDeclarations()[0];
}

/** True for an argument that is a function: a literal one, or a value whose type can be called. */
function isCallback(node: Node): boolean {
  if (Node.isArrowFunction(node) || Node.isFunctionExpression(node)) return true;
  return node.getType().getCallSignatures().length > 0;
}

function isText(type: Type): boolean {
  if (type.isAny() || type.isUnknown()) return true; // JavaScript, or untyped: nothing says otherwise
  if (type.isUnion()) return type.getUnionTypes().every(isText);
  return type.isString() || type.isStringLiteral() || type.isTemplateLiteral();
}

/** Why `call` (a pg `.query`) cannot become `caps.sql.query` as written, or undefined when it can. */
export function getUnrewritableReason(call: CallExpression): string | undefined {
  const [text, ...rest] = call.getArguments();
  if (text === undefined) return 'has no query text';
  if (rest.some(isCallback)) {
    return 'hands its result to a callback (caps.sql.query returns a promise and calls no callback)';
  }
  if (Node.isObjectLiteralExpression(text)) return 'takes a config object instead of text';
  if (Node.isTaggedTemplateExpression(text)) {
    return `takes a ${text.getTag().getText()}\`…\` statement object (text and values in one) instead of text`;
  }
  if (!isText(text.getType())) return `takes a ${text.getType().getText(text)} instead of text`;
  if (rest.length > 1) return 'takes more than text and values';
  return undefined;
}

/** The receiver of a pg `.query(…)` call, or undefined when `call` is not one. */
export function getPgQueryReceiver(
  call: CallExpression,
  checkedOut: (receiver: Node) => boolean,
): Node | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'query') return undefined;
  const receiver = callee.getExpression();
  if (checkedOut(receiver) || isFrom(getClientOrigin(receiver), 'pg', PG_CLIENTS)) return receiver;
  return isPgType(receiver.getType()) ? receiver : undefined;
}

/** A value typed by pg's own declarations (a callback's `client` parameter, contextually a `PoolClient`). */
function isPgType(type: Type): boolean {
  const symbol = type.getSymbol();
  if (symbol === undefined || !(PG_CLIENTS as readonly string[]).includes(symbol.getName())) return false;
  return symbol
    .getDeclarations()
    .some((d) => /[/\\]node_modules[/\\](@types[/\\])?pg[/\\]/.test(d.getSourceFile().getFilePath()));
}

/**
 * The clients, across the whole project, with a query that cannot be rewritten, and where: `pool.connect(cb)`
 * blocks its pool as well, as the client it hands the callback is that pool's.
 */
export function findBlockedClients(file: SourceFile): Map<Node, string> {
  const blocked = new Map<Node, string>();
  for (const source of file.getProject().getSourceFiles()) {
    if (source.isDeclarationFile() || source.isInNodeModules()) continue;
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      const receiver = callee.getExpression();
      const at = `${source.getBaseName()}:${lineOf(call)}`;
      if (callee.getName() === 'connect' && call.getArguments().some(isCallback)) {
        if (isFrom(getClientOrigin(receiver), 'pg', PG_CLIENTS)) addBlocked(blocked, receiver, at);
        continue;
      }
      const pg = getPgQueryReceiver(call, () => false);
      if (pg !== undefined && getUnrewritableReason(call) !== undefined) addBlocked(blocked, pg, at);
    }
  }
  return blocked;
}

function addBlocked(blocked: Map<Node, string>, receiver: Node, at: string): void {
  const key = getClientKey(receiver);
  if (key !== undefined && !blocked.has(key)) blocked.set(key, at);
}

/** A note for each pg `connect(callback)` in `file`: the callback style the facade has no counterpart for. */
export function noteConnectCallbacks(file: SourceFile): TransformNote[] {
  return file.getDescendantsOfKind(SyntaxKind.CallExpression).flatMap((call) => {
    const callee = call.getExpression();
    if (!Node.isPropertyAccessExpression(callee) || callee.getName() !== 'connect') return [];
    if (!call.getArguments().some(isCallback)) return [];
    if (!isFrom(getClientOrigin(callee.getExpression()), 'pg', PG_CLIENTS)) return [];
    return [
      {
        line: lineOf(call),
        message: `${callee.getText()}(callback) checks a client out callback-style: it and every query on ${callee.getExpression().getText()} are left as they are; make it \`await ${callee.getText()}()\`, or queries \`await pool.query(text, values)\``,
      },
    ];
  });
}

/**
 * A note for each Prisma client `file` creates: its queries run in Prisma's query engine (a native library or a
 * separate process), which a component cannot load, and its model calls have no one-to-one SQL to rewrite to.
 */
export function notePrismaClients(file: SourceFile): TransformNote[] {
  return file.getDescendantsOfKind(SyntaxKind.NewExpression).flatMap((created) => {
    const origin = getExportReference(created.getExpression());
    if (!isFrom(origin, '@prisma/client', ['PrismaClient'])) return [];
    return [
      {
        line: lineOf(created),
        message:
          'a Prisma client runs its queries in the Prisma query engine, which a component cannot load: it and every model call on it are left as they are; move them to caps.sql.query(text, values) by hand (prisma.$queryRaw`…` shows the SQL)',
      },
    ];
  });
}
