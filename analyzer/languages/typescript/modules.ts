/**
 * What a file imports from and exports to the service's other files, so a pool, client or router made in one
 * module is known where another uses it (`import { pool } from './db.ts'`). Relative specifiers only; packages
 * are bindings (`bindings.ts`).
 */
import { posix } from 'node:path';
import { ts } from 'ts-morph';
import type { BindingKind, Bindings } from './bindings.ts';

export interface ImportRef {
  spec: string;
  /** Exported name: `default`, `*` or a name. */
  name: string;
}

export interface TsModuleFacts {
  /** Local name → where it comes from (relative imports and requires). */
  imports: Record<string, ImportRef>;
  /** Exported name → local name. */
  exports: Record<string, string>;
  /** Exported name → module it is re-exported from (`export { pool } from './db'`). */
  reexports: Record<string, ImportRef>;
  /** Exported name → binding kind, for exports made from known modules (`export const pool = new Pool()`). */
  exportKinds: Record<string, BindingKind>;
  /** Bare package specifiers imported or required, with the line (native addons are found from these). */
  packages: Array<{ name: string; line: number; column: number; excerpt: string }>;
}

const isRelative = (spec: string): boolean => spec.startsWith('./') || spec.startsWith('../');

/** The package of a bare specifier: `@scope/name/sub` → `@scope/name`. */
function packageName(spec: string): string | undefined {
  if (isRelative(spec) || spec.startsWith('/') || spec.startsWith('node:')) return undefined;
  const parts = spec.split('/');
  return spec.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0];
}

function requireSpec(node: ts.Node | undefined): string | undefined {
  if (node === undefined || !ts.isCallExpression(node)) return undefined;
  const arg = node.arguments[0];
  return ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    arg !== undefined &&
    ts.isStringLiteralLike(arg)
    ? arg.text
    : undefined;
}

const hasExport = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword);
const hasDefault = (node: ts.Node): boolean =>
  ts.canHaveModifiers(node) &&
  (ts.getModifiers(node) ?? []).some((m) => m.kind === ts.SyntaxKind.DefaultKeyword);

export function collectModuleFacts(sf: ts.SourceFile, b: Bindings): TsModuleFacts {
  const facts: TsModuleFacts = { imports: {}, exports: {}, reexports: {}, exportKinds: {}, packages: [] };
  const lines = sf.text.split(/\r?\n/);
  const addPackage = (spec: string, node: ts.Node): void => {
    const name = packageName(spec);
    if (name === undefined) return;
    const lc = sf.getLineAndCharacterOfPosition(node.getStart(sf));
    facts.packages.push({
      name,
      line: lc.line + 1,
      column: lc.character + 1,
      excerpt: (lines[lc.line] ?? '').trim().slice(0, 200),
    });
  };
  const exportValue = (exported: string, value: ts.Expression): void => {
    if (ts.isIdentifier(value)) facts.exports[exported] = value.text;
    const kind = b.classify(value);
    if (kind !== undefined) facts.exportKinds[exported] = kind;
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const spec = node.moduleSpecifier.text;
      addPackage(spec, node);
      const clause = node.importClause;
      if (isRelative(spec) && clause !== undefined && !clause.isTypeOnly) {
        if (clause.name) facts.imports[clause.name.text] = { spec, name: 'default' };
        const named = clause.namedBindings;
        if (named && ts.isNamespaceImport(named)) facts.imports[named.name.text] = { spec, name: '*' };
        else if (named)
          for (const el of named.elements)
            if (!el.isTypeOnly)
              facts.imports[el.name.text] = { spec, name: (el.propertyName ?? el.name).text };
      }
      return;
    }
    if (
      ts.isExportDeclaration(node) &&
      !node.isTypeOnly &&
      node.exportClause &&
      ts.isNamedExports(node.exportClause)
    ) {
      const from =
        node.moduleSpecifier !== undefined && ts.isStringLiteral(node.moduleSpecifier)
          ? node.moduleSpecifier.text
          : undefined;
      for (const el of node.exportClause.elements) {
        const local = (el.propertyName ?? el.name).text;
        if (from !== undefined) facts.reexports[el.name.text] = { spec: from, name: local };
        else {
          facts.exports[el.name.text] = local;
          const kind = b.names.get(local);
          if (kind !== undefined) facts.exportKinds[el.name.text] = kind;
        }
      }
      return;
    }
    if (ts.isExportAssignment(node)) exportValue('default', node.expression);
    if (ts.isVariableStatement(node) && hasExport(node))
      for (const d of node.declarationList.declarations)
        if (ts.isIdentifier(d.name)) {
          facts.exports[d.name.text] = d.name.text;
          const kind = b.names.get(d.name.text);
          if (kind !== undefined) facts.exportKinds[d.name.text] = kind;
        }
    if ((ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) && node.name && hasExport(node)) {
      facts.exports[hasDefault(node) ? 'default' : node.name.text] = node.name.text;
      const kind = b.names.get(node.name.text);
      if (kind !== undefined) facts.exportKinds[hasDefault(node) ? 'default' : node.name.text] = kind;
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const spec =
        requireSpec(node.initializer) ??
        (ts.isPropertyAccessExpression(node.initializer)
          ? requireSpec(node.initializer.expression)
          : undefined);
      if (spec !== undefined) {
        addPackage(spec, node);
        if (isRelative(spec)) {
          const member = ts.isPropertyAccessExpression(node.initializer)
            ? node.initializer.name.text
            : undefined;
          if (ts.isIdentifier(node.name)) facts.imports[node.name.text] = { spec, name: member ?? 'default' };
          else if (ts.isObjectBindingPattern(node.name) && member === undefined)
            for (const el of node.name.elements) {
              const from = el.propertyName ?? el.name;
              if (ts.isIdentifier(el.name) && ts.isIdentifier(from))
                facts.imports[el.name.text] = { spec, name: from.text };
            }
        }
      }
    }
    // CommonJS: module.exports = x | { a, b: c }; exports.a = x; module.exports.a = x
    if (ts.isBinaryExpression(node) && node.operatorToken.kind === ts.SyntaxKind.EqualsToken) {
      const left = node.left.getText(sf);
      if (left === 'module.exports') {
        if (ts.isObjectLiteralExpression(node.right)) {
          for (const p of node.right.properties)
            if (ts.isShorthandPropertyAssignment(p)) exportValue(p.name.text, p.name);
            else if (ts.isPropertyAssignment(p) && ts.isIdentifier(p.name))
              exportValue(p.name.text, p.initializer);
        } else exportValue('default', node.right);
      } else {
        const m = /^(?:module\.)?exports\.([A-Za-z_$][\w$]*)$/.exec(left);
        if (m?.[1] !== undefined) exportValue(m[1], node.right);
      }
    }
    if (ts.isCallExpression(node) && ts.isIdentifier(node.expression) && node.expression.text === 'require') {
      const spec = requireSpec(node);
      if (spec !== undefined && !ts.isVariableDeclaration(node.parent)) addPackage(spec, node);
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return facts;
}

const EXTENSIONS = ['.ts', '.tsx', '.mts', '.cts', '.js', '.jsx', '.mjs', '.cjs'];

/** The file a relative specifier names among the service's files (`./db.js` may be `db.ts`), else undefined. */
export function resolveRelative(from: string, spec: string, files: ReadonlySet<string>): string | undefined {
  if (!isRelative(spec)) return undefined;
  const base = posix.normalize(posix.join(posix.dirname(from), spec));
  const stem = base.replace(/\.[mc]?[jt]sx?$/, '');
  const candidates = [
    base,
    ...EXTENSIONS.map((e) => stem + e),
    ...EXTENSIONS.map((e) => `${base}/index${e}`),
  ];
  return candidates.find((c) => files.has(c));
}
