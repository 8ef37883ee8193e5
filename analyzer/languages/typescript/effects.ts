/**
 * Effects of plain calls and reads: module functions (fs, child_process, crypto, http), HTTP clients,
 * `new Date()`/`new Worker()`, and `process.env` keys read or destructured.
 */
import { ts } from 'ts-morph';
import { isSecretName } from '../../redact.ts';
import type { Bindings } from './bindings.ts';
import { type EmitEffect, literalText, objectProp, valueText } from './facts.ts';

/** The binding kind of a name that holds `process.env`. */
export const PROCESS_ENV = 'process.env';

export const RANDOM_CRYPTO = new Set([
  'randomUUID',
  'randomBytes',
  'randomInt',
  'getRandomValues',
  'randomFillSync',
]);

export function isGlobal(b: Bindings, name: string): boolean {
  return !b.shadowed.has(name) && !b.names.has(name);
}

/** Calls of module functions: fs, child_process, crypto, Date… */
export function moduleFunction(node: ts.CallExpression, kind: string, effect: EmitEffect): void {
  const [mod, member = ''] = kind.split(':');
  if (mod === 'fs' || mod === 'fs/promises')
    effect(node, 'fs', { summary: `fs.${member}`, api: `fs.${member}` });
  else if (mod === 'child_process')
    effect(node, 'process', { summary: `child_process.${member}`, api: `child_process.${member}` });
  else if (mod === 'crypto' && RANDOM_CRYPTO.has(member))
    effect(node, 'random', { summary: `crypto.${member}`, api: `crypto.${member}` });
  else if ((mod === 'http' || mod === 'https') && (member === 'request' || member === 'get'))
    effect(node, 'http-out', { summary: `${mod}.${member}`, api: `${mod}.${member}` });
  else if (mod === 'undici' && (member === 'fetch' || member === 'request'))
    effect(node, 'http-out', { summary: `undici.${member}`, api: `undici.${member}` });
}

export function httpOut(
  node: ts.CallExpression,
  api: string,
  args: ts.NodeArray<ts.Expression>,
  sf: ts.SourceFile,
  effect: EmitEffect,
  method?: string,
): void {
  const first = args[0];
  const urlNode =
    first !== undefined && ts.isObjectLiteralExpression(first)
      ? (objectProp(first, 'url') ?? objectProp(first, 'uri'))
      : first;
  const url = valueText(urlNode, sf);
  const optionMethod = literalText(objectProp(args[1], 'method') ?? objectProp(first, 'method'), sf);
  const verb = (method ?? optionMethod ?? 'GET').toUpperCase();
  effect(node, 'http-out', {
    summary: `${verb} ${url ?? '?'}`,
    api,
    operation: verb,
    ...(url === undefined ? {} : { url }),
  });
}

export function visitNew(node: ts.NewExpression, b: Bindings, effect: EmitEffect): void {
  const callee = node.expression;
  if (
    ts.isIdentifier(callee) &&
    callee.text === 'Date' &&
    isGlobal(b, 'Date') &&
    (node.arguments?.length ?? 0) === 0
  )
    return effect(node, 'clock', { summary: 'new Date()', api: 'Date' });
  const kind = b.classify(callee);
  if (kind === 'worker_threads:Worker')
    effect(node, 'thread', { summary: 'new Worker', api: 'worker_threads.Worker' });
}

export function isProcessEnv(
  node: ts.Node,
  b: Bindings,
): node is ts.PropertyAccessExpression | ts.ElementAccessExpression {
  if (!ts.isPropertyAccessExpression(node) && !ts.isElementAccessExpression(node)) return false;
  return isProcessEnvObject(node.expression, b);
}

/** `process.env` itself (as a value to destructure), not one of its keys. */
export function isProcessEnvObject(node: ts.Expression, b: Bindings): boolean {
  let n = node;
  while (ts.isParenthesizedExpression(n) || ts.isAsExpression(n) || ts.isSatisfiesExpression(n))
    n = n.expression;
  // const env = process.env / const { env } = process: the name stands for process.env
  if (ts.isIdentifier(n)) return b.names.get(n.text) === PROCESS_ENV;
  return (
    ts.isPropertyAccessExpression(n) &&
    n.name.text === 'env' &&
    ts.isIdentifier(n.expression) &&
    n.expression.text === 'process' &&
    isGlobal(b, 'process')
  );
}

/** `const { PORT = '3000', DATABASE_URL: url } = process.env`: one effect per key, at the key. */
export function visitEnvPattern(pattern: ts.ObjectBindingPattern, effect: EmitEffect): void {
  for (const el of pattern.elements) {
    if (el.dotDotDotToken !== undefined) continue;
    const from = el.propertyName ?? el.name;
    const key = ts.isIdentifier(from) || ts.isStringLiteral(from) ? from.text : undefined;
    if (key === undefined) continue;
    effect(el, isSecretName(key) ? 'secret' : 'config', { summary: `env ${key}`, api: 'process.env', key });
  }
}

export function visitEnv(
  node: ts.PropertyAccessExpression | ts.ElementAccessExpression,
  sf: ts.SourceFile,
  effect: EmitEffect,
): void {
  const key = ts.isPropertyAccessExpression(node) ? node.name.text : literalText(node.argumentExpression, sf);
  if (key === undefined) return;
  const kind = isSecretName(key) ? 'secret' : 'config';
  effect(node, kind, { summary: `env ${key}`, api: 'process.env', key });
}
