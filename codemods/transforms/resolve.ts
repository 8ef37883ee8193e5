/**
 * Symbol resolution shared by the transforms: where an identifier comes from (a global, or an import of a module),
 * and which library created the object a method is called on. Works from declarations, so it needs neither the
 * libraries' type packages nor a real file system (tests use an in-memory project).
 */
import { Node, SyntaxKind, type Expression, type Identifier, type Symbol as TsSymbol } from 'ts-morph';
import type { ImportRef } from './transform.ts';

/** True when `node` is the identifier `name` and refers to the global (no user declaration shadows it). */
export function isGlobalReference(node: Node, name: string): boolean {
  if (!Node.isIdentifier(node) || node.getText() !== name) return false;
  const symbol = node.getSymbol();
  if (symbol === undefined) return true;
  const declarations = symbol.getDeclarations();
  return declarations.every((d) => d.getSourceFile().isDeclarationFile());
}

/** The import an identifier refers to, following local re-exports; `default` and `*` for default/namespace. */
export function getImportOrigin(node: Identifier): ImportRef | undefined {
  const symbol = node.getSymbol();
  if (symbol === undefined) return undefined;
  return getImportOriginOfSymbol(symbol, 0);
}

function getImportOriginOfSymbol(symbol: TsSymbol, depth: number): ImportRef | undefined {
  const declaration = symbol.getDeclarations()[0];
  if (declaration === undefined || depth > 5) return undefined;
  const importDeclaration = declaration.getFirstAncestorByKind(SyntaxKind.ImportDeclaration);
  if (importDeclaration === undefined) return undefined;
  const module = importDeclaration.getModuleSpecifierValue();
  if (module.startsWith('.')) {
    const aliased = symbol.getAliasedSymbol();
    const target = aliased?.getDeclarations()[0];
    if (aliased === undefined || target === undefined) return undefined;
    if (target.getFirstAncestorByKind(SyntaxKind.ImportDeclaration) !== undefined) {
      return getImportOriginOfSymbol(aliased, depth + 1);
    }
    return undefined;
  }
  if (Node.isImportSpecifier(declaration)) return { module, name: declaration.getName() };
  if (Node.isImportClause(declaration)) return { module, name: 'default' };
  if (Node.isNamespaceImport(declaration)) return { module, name: '*' };
  return undefined;
}

/** `Pool`, `pg.Pool` or `pg.default.Pool`-like references to an export: the module and export name. */
export function getExportReference(node: Node): ImportRef | undefined {
  if (Node.isIdentifier(node)) return getImportOrigin(node);
  if (Node.isPropertyAccessExpression(node) || Node.isQualifiedName(node)) {
    const left = Node.isPropertyAccessExpression(node) ? node.getExpression() : node.getLeft();
    const right = Node.isPropertyAccessExpression(node) ? node.getName() : node.getRight().getText();
    if (!Node.isIdentifier(left)) return undefined;
    const origin = getImportOrigin(left);
    if (origin === undefined || (origin.name !== 'default' && origin.name !== '*')) return undefined;
    return { module: origin.module, name: right };
  }
  return undefined;
}

function unwrap(node: Node): Node {
  let current = node;
  while (
    Node.isParenthesizedExpression(current) ||
    Node.isAwaitExpression(current) ||
    Node.isNonNullExpression(current) ||
    Node.isAsExpression(current) ||
    Node.isSatisfiesExpression(current)
  ) {
    current = current.getExpression();
  }
  return current;
}

/** How an object was made or declared: `new Pool()` → pg `Pool`, `await connect()` → nats `connect`, `: Redis`. */
function getOriginOfDeclaration(declaration: Node, depth: number): ImportRef | undefined {
  if (
    Node.isVariableDeclaration(declaration) ||
    Node.isPropertyDeclaration(declaration) ||
    Node.isParameterDeclaration(declaration) ||
    Node.isPropertySignature(declaration)
  ) {
    const typeNode = declaration.getTypeNode();
    if (typeNode !== undefined && Node.isTypeReference(typeNode))
      return getExportReference(typeNode.getTypeName());
    const initializer = declaration.getInitializer();
    if (initializer !== undefined) return getOriginOfCreation(initializer, depth + 1);
  }
  return undefined;
}

function getOriginOfCreation(expression: Node, depth: number): ImportRef | undefined {
  const node = unwrap(expression);
  if (Node.isNewExpression(node) || Node.isCallExpression(node))
    return getExportReference(node.getExpression());
  if (Node.isIdentifier(node) || Node.isPropertyAccessExpression(node))
    return getClientOrigin(node, depth + 1);
  return undefined;
}

/**
 * The library export that produced the receiver of a method call: for `this.pool.query(…)` with
 * `private pool = new Pool()` it is `{ module: 'pg', name: 'Pool' }`. Follows imports of local modules.
 */
export function getClientOrigin(receiver: Expression | Node, depth = 0): ImportRef | undefined {
  if (depth > 5) return undefined;
  const node = unwrap(receiver);
  if (!Node.isIdentifier(node) && !Node.isPropertyAccessExpression(node)) return undefined;
  let symbol = node.getSymbol();
  if (symbol === undefined) return undefined;
  if (symbol.isAlias()) symbol = symbol.getAliasedSymbol() ?? symbol;
  for (const declaration of symbol.getDeclarations()) {
    const origin = getOriginOfDeclaration(declaration, depth);
    if (origin !== undefined) return origin;
  }
  return undefined;
}

/** True when `origin` is one of `names` exported by `module` (or `node:module`). */
export function isFrom(origin: ImportRef | undefined, module: string, names: readonly string[]): boolean {
  if (origin === undefined) return false;
  const same = origin.module === module || origin.module === `node:${module}`;
  return same && names.includes(origin.name);
}

/** 1-based line of a node, for notes. */
export function lineOf(node: Node): number {
  return node.getStartLineNumber();
}

/** Quotes a string literal the way the file already does (single quotes unless it uses double). */
export function quote(node: Node, value: string): string {
  const first = node.getSourceFile().getFirstDescendantByKind(SyntaxKind.StringLiteral);
  const double = first?.getText().startsWith('"') === true;
  return double ? JSON.stringify(value) : `'${value.replaceAll('\\', '\\\\').replaceAll("'", "\\'")}'`;
}

/** True when the value of a call is not used: `x();` or `await x();` as a statement. */
export function isResultUnused(call: Node): boolean {
  let parent = call.getParent();
  if (parent !== undefined && Node.isAwaitExpression(parent)) parent = parent.getParent();
  return parent !== undefined && Node.isExpressionStatement(parent);
}
