/**
 * Applies transform results to one ts-morph source file: text edits in one batch per transform, then the facade
 * import, dropped imports, and the clients and library imports the rewrite left unused.
 */
import { Node, QuoteKind, SyntaxKind, type SourceFile } from 'ts-morph';
import { getClientOrigin, isFrom } from './resolve.ts';
import type { ImportRef, TextEdit } from './transform.ts';

/** Applies non-overlapping edits at once (one reparse); returns the edits applied. An inner overlap is skipped. */
export function applyTextEdits(file: SourceFile, edits: readonly TextEdit[]): TextEdit[] {
  const sorted = [...edits].sort((a, b) => a.start - b.start || b.end - a.end);
  const applied: TextEdit[] = [];
  for (const edit of sorted) {
    const last = applied[applied.length - 1];
    if (last !== undefined && edit.start < last.end) continue; // rewritten on the transform's next pass
    applied.push(edit);
  }
  if (applied.length === 0) return applied;
  const text = file.getFullText();
  let next = '';
  let cursor = 0;
  for (const edit of applied) {
    next += text.slice(cursor, edit.start) + edit.text;
    cursor = edit.end;
  }
  file.replaceWithText(next + text.slice(cursor));
  return applied;
}

/** The module specifier that imports `facadePath` from `file`, in the extension style the project uses. */
export function getFacadeSpecifier(file: SourceFile, facadePath: string): string {
  const withoutExtension = file.getRelativePathAsModuleSpecifierTo(facadePath);
  // A JavaScript file's `./x.js` names a real .js file; the facade is TypeScript, which Node runs as it is.
  if (/\.[cm]?jsx?$/.test(file.getFilePath())) return `${withoutExtension}.ts`;
  const styles = file
    .getImportDeclarations()
    .map((d) => d.getModuleSpecifierValue())
    .filter((s) => s.startsWith('.'));
  if (styles.some((s) => s.endsWith('.ts'))) return `${withoutExtension}.ts`;
  if (styles.some((s) => s.endsWith('.js'))) return `${withoutExtension}.js`;
  if (styles.length > 0) return withoutExtension;
  return `${withoutExtension}.ts`;
}

/** Adds `names` to the import of the facade module, creating it after the last import if needed. */
export function addFacadeImports(file: SourceFile, specifier: string, names: readonly string[]): string[] {
  const existing = file.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === specifier);
  const present = new Set(existing?.getNamedImports().map((n) => n.getName()) ?? []);
  const missing = [...new Set(names)].filter((n) => !present.has(n)).sort((a, b) => a.localeCompare(b));
  if (missing.length === 0) return [];
  const double = file.getFirstDescendantByKind(SyntaxKind.StringLiteral)?.getText().startsWith('"') === true;
  file.getProject().manipulationSettings.set({ quoteKind: double ? QuoteKind.Double : QuoteKind.Single });
  if (existing !== undefined) existing.addNamedImports(missing);
  else {
    const index =
      file.getImportDeclarations().length === 0
        ? 0
        : file.getImportDeclarations().at(-1)!.getChildIndex() + 1;
    file.insertImportDeclaration(index, { moduleSpecifier: specifier, namedImports: missing });
  }
  return missing;
}

/** Removes named imports (`JSONCodec` from nats); drops the declaration when nothing is left. */
export function removeImports(file: SourceFile, refs: readonly ImportRef[]): string[] {
  const removed: string[] = [];
  for (const declaration of file.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    for (const named of declaration.getNamedImports()) {
      if (refs.some((r) => r.module === module && r.name === named.getName())) {
        removed.push(`${named.getName()} from ${module}`);
        named.remove();
      }
    }
    if (isEmptyImport(declaration)) declaration.remove();
  }
  return removed;
}

function isEmptyImport(declaration: ReturnType<SourceFile['getImportDeclarations']>[number]): boolean {
  return (
    declaration.getNamedImports().length === 0 &&
    declaration.getDefaultImport() === undefined &&
    declaration.getNamespaceImport() === undefined
  );
}

/** Libraries whose clients the facade replaces: their now-unused clients and imports are removed. */
const CLIENT_FACTORIES: readonly (readonly [string, readonly string[]])[] = [
  ['pg', ['Pool', 'Client']],
  ['nats', ['connect']],
  ['ioredis', ['default', 'Redis', 'Cluster']],
  ['pino', ['default', 'pino']],
];
const LIBRARIES = new Set([
  'pg',
  'nats',
  'ioredis',
  'pino',
  'undici',
  'crypto',
  'node:crypto',
  'process',
  'node:process',
]);

function isUnreferenced(name: Node): boolean {
  if (!Node.isIdentifier(name)) return false;
  return name
    .findReferencesAsNodes()
    .every(
      (ref) =>
        ref === name || ref.getSourceFile().isDeclarationFile() || ref.getSourceFile().isInNodeModules(),
    );
}

/** For an imported name: nothing in its own file refers to it. */
function isUnusedInFile(name: Node): boolean {
  if (!Node.isIdentifier(name)) return false;
  const file = name.getSourceFile();
  return name.findReferencesAsNodes().every((ref) => ref === name || ref.getSourceFile() !== file);
}

function isClient(origin: ImportRef | undefined): boolean {
  return CLIENT_FACTORIES.some(([module, names]) => isFrom(origin, module, names));
}

/** `path#name` of every client variable something refers to: only these are removed once unreferenced. */
export function collectReferencedClients(files: readonly SourceFile[]): Set<string> {
  const keys = new Set<string>();
  for (const file of files) {
    for (const declaration of file.getDescendantsOfKind(SyntaxKind.VariableDeclaration)) {
      const name = declaration.getNameNode();
      if (declaration.getInitializer() === undefined || !Node.isIdentifier(name)) continue;
      if (isClient(getClientOrigin(name)) && !isUnreferenced(name))
        keys.add(`${file.getFilePath()}#${name.getText()}`);
    }
  }
  return keys;
}

/** Imports of a client from a local module (`import { pool } from './db.ts'`) that nothing uses any more. */
export function removeUnusedClientImports(file: SourceFile): string[] {
  const removed: string[] = [];
  for (const declaration of file.getImportDeclarations()) {
    if (!declaration.getModuleSpecifierValue().startsWith('.')) continue;
    for (const named of declaration.getNamedImports()) {
      const name = named.getAliasNode() ?? named.getNameNode();
      if (Node.isIdentifier(name) && isClient(getClientOrigin(name)) && isUnusedInFile(name)) {
        removed.push(`unused import ${named.getName()} from ${declaration.getModuleSpecifierValue()}`);
        named.remove();
      }
    }
    if (removed.length > 0 && isEmptyImport(declaration)) declaration.remove();
  }
  return removed;
}

/**
 * After the rewrite: removes clients (`const pool = new Pool(…)`) that were used before and nothing refers to now,
 * then imports of the replaced libraries nothing refers to. Connection settings now belong to the capability
 * binding.
 */
export function removeUnusedClients(file: SourceFile, referencedBefore: ReadonlySet<string>): string[] {
  const removed: string[] = [];
  for (const statement of file.getDescendantsOfKind(SyntaxKind.VariableStatement)) {
    const declarations = statement.getDeclarations();
    if (declarations.length !== 1) continue;
    const declaration = declarations[0]!;
    const key = `${file.getFilePath()}#${declaration.getName()}`;
    if (!referencedBefore.has(key) || !isUnreferenced(declaration.getNameNode())) continue;
    removed.push(`unused client ${declaration.getName()}`);
    statement.remove();
  }
  if (
    removed.length === 0 &&
    !file.getImportDeclarations().some((d) => LIBRARIES.has(d.getModuleSpecifierValue()))
  ) {
    return removed;
  }
  for (const declaration of file.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    if (!LIBRARIES.has(module) || declaration.getImportClause() === undefined) continue;
    const count = removed.length;
    for (const named of declaration.getNamedImports()) {
      if (isUnreferenced(named.getAliasNode() ?? named.getNameNode())) {
        removed.push(`unused import ${named.getName()} from ${module}`);
        named.remove();
      }
    }
    const defaultImport = declaration.getDefaultImport();
    if (defaultImport !== undefined && isUnreferenced(defaultImport)) {
      removed.push(`unused import ${defaultImport.getText()} from ${module}`);
      declaration.removeDefaultImport();
    }
    const namespaceImport = declaration.getNamespaceImport();
    if (namespaceImport !== undefined && isUnreferenced(namespaceImport)) {
      removed.push(`unused import * as ${namespaceImport.getText()} from ${module}`);
      declaration.removeNamespaceImport();
    }
    if (removed.length > count && isEmptyImport(declaration)) declaration.remove();
  }
  return removed;
}

/** Drops facade names (`caps`) the cleanup left unused, e.g. when the only use was in a removed client. */
export function removeUnusedFacadeImports(file: SourceFile, specifier: string): string[] {
  const removed: string[] = [];
  const declaration = file.getImportDeclarations().find((d) => d.getModuleSpecifierValue() === specifier);
  if (declaration === undefined) return removed;
  for (const named of declaration.getNamedImports()) {
    if (isUnusedInFile(named.getAliasNode() ?? named.getNameNode())) {
      removed.push(`unused import ${named.getName()} from ${specifier}`);
      named.remove();
    }
  }
  if (removed.length > 0 && isEmptyImport(declaration)) declaration.remove();
  return removed;
}

/** A reference used only as a type (`: Pool`, `typeof Pool`, `implements X`), never as a value. */
function isTypePosition(ref: Node): boolean {
  for (let node: Node | undefined = ref.getParent(); node !== undefined; node = node.getParent()) {
    if (Node.isExpressionWithTypeArguments(node)) {
      const clause = node.getParentIfKind(SyntaxKind.HeritageClause);
      return (
        clause?.getToken() === SyntaxKind.ImplementsKeyword ||
        Node.isInterfaceDeclaration(clause?.getParent())
      );
    }
    if (Node.isTypeNode(node)) return true;
    if (Node.isStatement(node) || Node.isExpression(node)) return false;
  }
  return false;
}

/**
 * Turns imports of the replaced libraries (`import { Pool, type PoolClient } from 'pg'`) that the rewrite left
 * used only as types into `import type`, so a bundle (the tsconfig has `verbatimModuleSyntax`) no longer loads
 * the library.
 */
export function makeTypeOnlyLibraryImports(file: SourceFile): string[] {
  const changed: string[] = [];
  for (const declaration of file.getImportDeclarations()) {
    const module = declaration.getModuleSpecifierValue();
    if (!LIBRARIES.has(module) || declaration.isTypeOnly()) continue;
    const named = declaration.getNamedImports();
    if (named.length === 0 || declaration.getDefaultImport() !== undefined) continue;
    if (declaration.getNamespaceImport() !== undefined) continue;
    const typeOnly = named.every((specifier) => {
      if (specifier.isTypeOnly()) return true;
      const name = specifier.getAliasNode() ?? specifier.getNameNode();
      if (!Node.isIdentifier(name)) return false;
      return name
        .findReferencesAsNodes()
        .every((ref) => ref === name || ref.getSourceFile() !== file || isTypePosition(ref));
    });
    if (!typeOnly) continue;
    for (const specifier of named) specifier.setIsTypeOnly(false);
    declaration.setIsTypeOnly(true);
    changed.push(`value import of ${module} used only as types (now import type)`);
  }
  return changed;
}
