/**
 * The per-file facts of the TypeScript/JavaScript plug-in (plain data, cached by content hash) and the small
 * helpers the extractors share.
 */
import { ts } from 'ts-morph';
import type { EffectKind } from '../../../shared/catalog.ts';
import type { EffectDetail } from '../../model.ts';
import type { Bindings } from './bindings.ts';
import type { TsModuleFacts } from './modules.ts';
import type { RouteSpec, TsMount } from './routes.ts';

export interface TsSite {
  line: number;
  column: number;
  excerpt: string;
  /** Character offset, to find the enclosing function. */
  pos: number;
}

export interface TsRoute extends TsSite {
  method: string;
  path: string;
  /** Function name, or `<anonymous>` for inline handlers. */
  handler: string;
  /** Where the handler function is (inline or declared in this file). */
  handlerSite?: { line: number; start: number; end: number };
  /** The router/app/plugin the route is declared on (see `routes.ts`), for mount prefixes. */
  owner: string;
  /** Success status: the first 2xx the handler sets, else 200. */
  status: number;
  /** `grpc` for gRPC methods (path `/package.Service/Method`). */
  protocol?: 'grpc';
}

export interface TsEffect extends TsSite {
  kind: EffectKind;
  detail: EffectDetail;
}

export interface TsFunction {
  symbol: string;
  line: number;
  start: number;
  end: number;
  /** Names called inside (identifiers and member names), for the call chain. */
  calls: string[];
}

export interface TsFileFacts {
  routes: TsRoute[];
  mounts: TsMount[];
  module: TsModuleFacts;
  effects: TsEffect[];
  functions: TsFunction[];
  errors: Array<{ line: number; column: number; message: string }>;
}

/** The literal text of a string or template (placeholders as `${…}`), else undefined. */
export function literalText(node: ts.Node | undefined, sf: ts.SourceFile): string | undefined {
  if (node === undefined) return undefined;
  if (ts.isStringLiteralLike(node)) return node.text;
  if (ts.isTemplateExpression(node)) {
    let text = node.head.text;
    for (const span of node.templateSpans) text += `\${${span.expression.getText(sf)}}${span.literal.text}`;
    return text;
  }
  return undefined;
}

/** A string, template, or an expression as written (for URLs built from config). */
export function valueText(node: ts.Node | undefined, sf: ts.SourceFile): string | undefined {
  if (node === undefined) return undefined;
  return literalText(node, sf) ?? node.getText(sf);
}

export function objectProp(node: ts.Node | undefined, name: string): ts.Expression | undefined {
  if (node === undefined || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties)
    if (
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      p.name.text === name
    )
      return p.initializer;
  return undefined;
}

/** An empty result, for a file that could not be analyzed. */
export function createEmptyFacts(): TsFileFacts {
  return {
    routes: [],
    mounts: [],
    module: { imports: {}, exports: {}, reexports: {}, exportKinds: {}, packages: [] },
    effects: [],
    functions: [],
    errors: [],
  };
}

export type EmitEffect = (node: ts.Node, kind: EffectKind, detail: EffectDetail) => void;

/** What a call visitor needs: the file's bindings, and where effects, routes and mounts go. */
export interface CallContext {
  b: Bindings;
  sf: ts.SourceFile;
  effect: EmitEffect;
  addRoute: (spec: RouteSpec) => void;
  mounts: TsMount[];
  site: (n: ts.Node) => TsSite;
}
