/**
 * Per-file extraction for TypeScript/JavaScript: routes and mounts (express, fastify, koa, hapi, node:http,
 * gRPC) and effects, from real calls only.
 * Works on the compiler AST of a ts-morph source file (one walk, no type checker). The result is plain data,
 * cached by content hash and linked per service in `link.ts`.
 */
import { ts } from 'ts-morph';
import type { EffectKind } from '../../../shared/catalog.ts';
import type { EffectDetail } from '../../model.ts';
import { type BindingKind, type Bindings, collectBindings, isRequireCall } from './bindings.ts';
import { collectModuleFacts } from './modules.ts';
import { HTTP_CLIENT_MODULES } from './orm-kinds.ts';
import { visitKnexTableCall, visitOrmCall } from './orm.ts';
import {
  collectTableRoutes,
  getSuccessStatus,
  isHttpServerKind,
  isRouteKind,
  type RouteSpec,
  visitHttpServer,
  visitMountCall,
  visitRouteCall,
} from './routes.ts';
import { parseSql } from './sql.ts';
import {
  httpOut,
  isGlobal,
  isProcessEnv,
  isProcessEnvObject,
  moduleFunction,
  RANDOM_CRYPTO,
  visitEnv,
  visitEnvPattern,
  visitNew,
} from './effects.ts';
import {
  type CallContext,
  createEmptyFacts,
  literalText,
  objectProp,
  type TsFileFacts,
  type TsFunction,
  type TsRoute,
  type TsSite,
  valueText,
} from './facts.ts';
import { visitGrpcService } from './grpc.ts';
import { visitNestBootstrap, visitNestController } from './nest.ts';

export type { TsEffect, TsFileFacts, TsFunction, TsRoute, TsSite } from './facts.ts';
export { createEmptyFacts };

const HTTP_VERBS = ['get', 'post', 'put', 'patch', 'delete', 'head', 'options'];
const HTTP_CLIENTS = new Set<string>(HTTP_CLIENT_MODULES);
/**
 * ioredis methods wasi:keyvalue can take: codemods/transforms/kv.ts keeps a service that calls nothing else on
 * `caps.kv`; any other client method (hashes, sets, counters, `multi`, `pipeline`, …) puts it on `caps.redis`.
 */
const REDIS_KV: ReadonlyMap<string, string> = new Map([
  ['get', 'get'],
  ['set', 'set'],
  ['del', 'delete'],
  ['exists', 'exists'],
]);
/** Connection handling (ioredis, node-redis): no effect; the same list as codemods/transforms/kv.ts. */
const REDIS_CONNECTION = new Set(['connect', 'disconnect', 'quit', 'on', 'once', 'off', 'duplicate']);
/** Client methods whose first argument is not a key. */
const REDIS_KEYLESS = new Set([
  'multi',
  'pipeline',
  'exec',
  'eval',
  'evalsha',
  'script',
  'on',
  'once',
  'off',
  'connect',
  'disconnect',
  'quit',
  'duplicate',
  'ping',
  'select',
  'info',
  'flushdb',
  'flushall',
  'publish',
  'subscribe',
  'psubscribe',
]);
const LOG_METHODS = new Set(['log', 'info', 'warn', 'error', 'debug', 'trace', 'fatal']);
/**
 * The facts of one file. `injected` are the kinds of names it imports from the service's other files (a pg pool
 * made in `db.ts`), known only after every file's exports are; without them those calls are not seen.
 */
export function extractTsFile(sf: ts.SourceFile, injected?: ReadonlyMap<string, BindingKind>): TsFileFacts {
  const facts: TsFileFacts = createEmptyFacts();
  const diagnostics =
    (sf as unknown as { parseDiagnostics?: readonly ts.Diagnostic[] }).parseDiagnostics ?? [];
  // The first syntax error is the one to fix; the rest usually follow from it.
  for (const d of diagnostics.slice(0, 1)) {
    const pos = sf.getLineAndCharacterOfPosition(d.start ?? 0);
    facts.errors.push({
      line: pos.line + 1,
      column: pos.character + 1,
      message: ts.flattenDiagnosticMessageText(d.messageText, ' '),
    });
  }
  const b = collectBindings(sf, injected);
  facts.module = collectModuleFacts(sf, b);
  const lines = sf.text.split(/\r?\n/);
  const site = (node: ts.Node): TsSite => {
    const start = node.getStart(sf);
    const lc = sf.getLineAndCharacterOfPosition(start);
    const excerpt = (lines[lc.line] ?? '').trim();
    return {
      line: lc.line + 1,
      column: lc.character + 1,
      excerpt: excerpt.length > 200 ? `${excerpt.slice(0, 197)}...` : excerpt,
      pos: start,
    };
  };
  const effect = (node: ts.Node, kind: EffectKind, detail: EffectDetail): void => {
    facts.effects.push({ ...site(node), kind, detail });
  };
  const functionsByName = new Map<string, ts.Node>();
  /** Inline route handlers (arrow/function expressions) become functions named after their route. */
  const handlerNames = new Map<ts.Node, string>();
  const addRoute = (spec: RouteSpec): void => {
    facts.routes.push(createRoute(spec, sf, site, handlerNames));
  };
  const calls: CallContext = { b, sf, effect, addRoute, mounts: facts.mounts, site };
  // Route tables first: their inline handlers must be named before the walk reaches them.
  collectTableRoutes(sf, b, addRoute);
  const nest = sf.text.includes('@nestjs/');

  const visit = (node: ts.Node, currentFn: TsFunction | undefined): void => {
    let fn = currentFn;
    const named = handlerNames.get(node) ?? getFunctionSymbol(node);
    if (named !== undefined) {
      fn = { symbol: named, line: site(node).line, start: node.getStart(sf), end: node.getEnd(), calls: [] };
      facts.functions.push(fn);
      functionsByName.set(named.split('.').pop() ?? named, node);
    }
    if (nest && ts.isClassDeclaration(node)) visitNestController(node, addRoute);
    if (ts.isCallExpression(node)) {
      if (nest) visitNestBootstrap(node, facts.mounts, site(node).line);
      if (fn) {
        const callee = node.expression;
        if (ts.isIdentifier(callee)) fn.calls.push(callee.text);
        else if (ts.isPropertyAccessExpression(callee)) fn.calls.push(callee.name.text);
      }
      visitCall(node, calls);
    } else if (ts.isNewExpression(node)) {
      visitNew(node, b, effect);
      const ownPrefix = getRouterOwnPrefix(node, b);
      if (ownPrefix !== undefined) facts.mounts.push({ ...ownPrefix, line: site(node).line });
    } else if (isProcessEnv(node, b)) {
      visitEnv(node, sf, effect);
    } else if (ts.isVariableDeclaration(node) && ts.isObjectBindingPattern(node.name) && node.initializer) {
      if (isProcessEnvObject(node.initializer, b)) visitEnvPattern(node.name, effect);
    } else if (ts.isTaggedTemplateExpression(node) && ts.isPropertyAccessExpression(node.tag)) {
      // prisma.$queryRaw`SELECT …`
      const kind = b.classify(node.tag.expression);
      if (kind !== undefined) visitOrmCall(node, kind, node.tag.name.text, node.tag.expression, sf, effect);
    }
    ts.forEachChild(node, (child) => visit(child, fn));
  };
  visit(sf, undefined);

  // Handlers passed by name: point at their declaration in this file.
  for (const route of facts.routes) {
    if (route.handlerSite !== undefined || route.handler === '<anonymous>') continue;
    const decl = functionsByName.get(route.handler.split('.').pop() ?? route.handler);
    if (decl === undefined) continue;
    route.handlerSite = { line: site(decl).line, start: decl.getStart(sf), end: decl.getEnd() };
    if (route.method !== 'GRPC') route.status = getSuccessStatus(decl);
  }
  return facts;
}

function getFunctionSymbol(node: ts.Node): string | undefined {
  if (ts.isFunctionDeclaration(node) && node.name) return node.name.text;
  if (ts.isMethodDeclaration(node) && ts.isIdentifier(node.name)) {
    const cls = node.parent;
    const clsName = ts.isClassDeclaration(cls) && cls.name ? cls.name.text : undefined;
    return clsName === undefined ? node.name.text : `${clsName}.${node.name.text}`;
  }
  if (
    (ts.isArrowFunction(node) || ts.isFunctionExpression(node)) &&
    ts.isVariableDeclaration(node.parent) &&
    ts.isIdentifier(node.parent.name)
  )
    return node.parent.name.text;
  return undefined;
}
function visitCall(node: ts.CallExpression, context: CallContext): void {
  const { b, sf, effect } = context;
  const callee = node.expression;
  const args = node.arguments;
  // require('./addon.node'), require('bindings')('addon')
  if (isRequireCall(node)) {
    const spec = (args[0] as ts.StringLiteral).text;
    if (spec.endsWith('.node')) effect(node, 'native', { summary: `native addon ${spec}`, api: 'require' });
    return;
  }
  if (
    ts.isCallExpression(callee) &&
    isRequireCall(callee) &&
    (callee.arguments[0] as ts.StringLiteral).text === 'bindings'
  ) {
    effect(node, 'native', { summary: `native addon ${literalText(args[0], sf) ?? '?'}`, api: 'bindings' });
    return;
  }
  if (ts.isIdentifier(callee)) {
    const kind = b.names.get(callee.text);
    if (callee.text === 'fetch' && isGlobal(b, 'fetch')) return httpOut(node, 'fetch', args, sf, effect);
    if (kind === 'undici:fetch' || kind === 'undici:request')
      return httpOut(node, `undici.${kind.slice(7)}`, args, sf, effect);
    if (kind === 'axios:default' || kind === 'axios:*' || kind === 'axios')
      return httpOut(node, 'axios', args, sf, effect);
    if (kind === 'bindings:default' || kind === 'bindings:*')
      return effect(node, 'native', {
        summary: `native addon ${literalText(args[0], sf) ?? '?'}`,
        api: 'bindings',
      });
    if (kind === 'knex.db') return visitKnexTableCall(node, effect);
    if (isHttpServerKind(kind)) return visitHttpServer(node, context.addRoute);
    const mod = kind?.slice(0, kind.indexOf(':'));
    if (
      mod !== undefined &&
      HTTP_CLIENTS.has(mod) &&
      (kind?.endsWith(':default') === true || kind?.endsWith(':*') === true)
    )
      return httpOut(node, mod, args, sf, effect);
    if (kind !== undefined) moduleFunction(node, kind, effect);
    return;
  }
  if (!ts.isPropertyAccessExpression(callee)) return;
  const method = callee.name.text;
  const target = callee.expression;
  // Globals: console, Math.random, Date.now, crypto.*
  if (ts.isIdentifier(target) && isGlobal(b, target.text)) {
    if (target.text === 'console' && LOG_METHODS.has(method))
      return effect(node, 'log', {
        summary: `console.${method}`,
        api: `console.${method}`,
        operation: method,
      });
    if (target.text === 'Math' && method === 'random')
      return effect(node, 'random', { summary: 'Math.random', api: 'Math.random' });
    if (target.text === 'Date' && method === 'now')
      return effect(node, 'clock', { summary: 'Date.now', api: 'Date.now' });
    if (target.text === 'crypto' && RANDOM_CRYPTO.has(method))
      return effect(node, 'random', { summary: `crypto.${method}`, api: `crypto.${method}` });
  }
  const kind = b.classify(target);
  if (kind === undefined) return;
  if (isRouteKind(kind)) {
    if (method === 'use' || method === 'register')
      visitMountCall(node, method, b, context.mounts, context.site(node).line);
    else if (kind !== 'koa.app') visitRouteCall(node, kind, method, b, context.addRoute);
    return;
  }
  if (kind === 'grpc.server') {
    if (method === 'addService') visitGrpcService(node, context);
    return;
  }
  if (visitOrmCall(node, kind, method, target, sf, effect)) return;
  const clientModule = kind.slice(0, kind.indexOf(':'));
  if (HTTP_CLIENTS.has(clientModule) && (kind.endsWith(':default') || kind.endsWith(':*'))) {
    if (HTTP_VERBS.includes(method))
      httpOut(node, `${clientModule}.${method}`, args, sf, effect, method.toUpperCase());
    return;
  }
  if (
    (kind === 'http:*' || kind === 'http:default' || kind === 'https:*' || kind === 'https:default') &&
    (method === 'request' || method === 'get')
  )
    return httpOut(
      node,
      `${kind.slice(0, kind.indexOf(':'))}.${method}`,
      args,
      sf,
      effect,
      method === 'get' ? 'GET' : undefined,
    );
  if (isHttpServerKind(`${kind.slice(0, kind.indexOf(':'))}:${method}`))
    return visitHttpServer(node, context.addRoute);
  switch (kind) {
    case 'pg.client':
    case 'pg:Pool':
      if (method === 'query') {
        const first = args[0];
        const sqlText = literalText(first, sf) ?? literalText(objectProp(first, 'text'), sf);
        const sql = sqlText === undefined ? undefined : parseSql(sqlText);
        const table = sql?.table;
        effect(node, 'sql', {
          summary: sql ? `${sql.operation.toUpperCase()} ${table ?? '?'}` : 'SQL query (text not literal)',
          api: 'pg.query',
          ...(sql === undefined ? {} : { operation: sql.operation }),
          ...(table === undefined ? {} : { table }),
        });
      }
      return;
    case 'nats.conn':
      if (method === 'publish' || method === 'subscribe' || method === 'request') {
        const subject = valueText(args[0], sf) ?? '?';
        const k = method === 'subscribe' ? 'subscribe' : 'publish';
        effect(node, k, { summary: `${k} ${subject}`, api: `nats.${method}`, subject });
      }
      return;
    case 'kafka.producer':
      if (method === 'send' || method === 'sendBatch') {
        const topic = valueText(objectProp(args[0], 'topic'), sf) ?? '?';
        effect(node, 'publish', { summary: `publish ${topic}`, api: `kafkajs.${method}`, subject: topic });
      }
      return;
    case 'kafka.consumer':
      if (method === 'subscribe') {
        const topicNode = objectProp(args[0], 'topic') ?? objectProp(args[0], 'topics');
        const topic =
          topicNode !== undefined && ts.isArrayLiteralExpression(topicNode)
            ? topicNode.elements.map((e) => valueText(e, sf)).join(',')
            : (valueText(topicNode, sf) ?? '?');
        effect(node, 'subscribe', {
          summary: `subscribe ${topic}`,
          api: 'kafkajs.subscribe',
          subject: topic,
        });
      }
      return;
    case 'redis':
    case 'redis.node': {
      // As for `migrate codemod`: connection calls (`on`, `quit`, …) are no effect; every other method beyond
      // get/set/del/exists moves a service to caps.redis.
      const kvOperation = REDIS_KV.get(method);
      const keyless = REDIS_KEYLESS.has(method.toLowerCase());
      if (REDIS_CONNECTION.has(method)) return;
      const key = keyless ? undefined : valueText(args[0], sf);
      const operation = kvOperation ?? method;
      effect(node, kvOperation === undefined ? 'redis' : 'kv', {
        summary: keyless ? operation : `${operation} ${key ?? '?'}`,
        api: `${kind === 'redis' ? 'ioredis' : 'redis'}.${method}`,
        operation,
        ...(key === undefined ? {} : { key }),
      });
      return;
    }
    case 'axios':
    case 'axios:default':
    case 'axios:*':
      if (['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'request'].includes(method))
        httpOut(
          node,
          `axios.${method}`,
          args,
          sf,
          effect,
          method === 'request' ? undefined : method.toUpperCase(),
        );
      return;
    case 'logger':
      if (LOG_METHODS.has(method))
        effect(node, 'log', { summary: `logger.${method}`, api: `pino.${method}`, operation: method });
      return;
    default: {
      const member =
        kind.endsWith(':*') || kind.endsWith(':default')
          ? `${kind.slice(0, kind.indexOf(':'))}:${method}`
          : undefined;
      if (member !== undefined) moduleFunction(node, member, effect);
    }
  }
}

/** A route from its registration: handler named, located and its success status read. */
function createRoute(
  spec: RouteSpec,
  sf: ts.SourceFile,
  site: (n: ts.Node) => TsSite,
  handlerNames: Map<ts.Node, string>,
): TsRoute {
  const { handler } = spec;
  const method = spec.method === 'all' ? 'ANY' : spec.method.toUpperCase();
  const route: TsRoute = {
    ...site(spec.node),
    method,
    path: spec.path,
    handler: '<anonymous>',
    owner: spec.owner,
    status: spec.status ?? 200,
  };
  if (
    handler !== undefined &&
    (ts.isArrowFunction(handler) || ts.isFunctionExpression(handler) || ts.isMethodDeclaration(handler))
  ) {
    route.handlerSite = { line: site(handler).line, start: handler.getStart(sf), end: handler.getEnd() };
    if (ts.isFunctionExpression(handler) && handler.name) route.handler = handler.name.text;
    if (ts.isMethodDeclaration(handler)) route.handler = getFunctionSymbol(handler) ?? route.handler;
    handlerNames.set(
      handler,
      route.handler === '<anonymous>' ? `${route.method} ${route.path}` : route.handler,
    );
    route.status = spec.status ?? getSuccessStatus(handler);
  } else if (handler !== undefined && (ts.isIdentifier(handler) || ts.isPropertyAccessExpression(handler))) {
    route.handler = handler.getText(sf).replace(/^this\./, '');
  }
  return route;
}

/** `const router = new Router({ prefix: '/api' })` (koa-router): the router's own prefix, as a mount on itself. */
function getRouterOwnPrefix(
  node: ts.NewExpression,
  b: Bindings,
): { owner: string; child: string; prefix: string } | undefined {
  const kind = b.classify(node.expression);
  if (kind === undefined || !/^(@koa\/router|koa-router):/.test(kind)) return undefined;
  const prefix = literalText(objectProp(node.arguments?.[0], 'prefix'), node.getSourceFile());
  if (prefix === undefined || !ts.isVariableDeclaration(node.parent) || !ts.isIdentifier(node.parent.name))
    return undefined;
  return { owner: node.parent.name.text, child: node.parent.name.text, prefix };
}
