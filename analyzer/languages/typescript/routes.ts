/**
 * Routes and mounts of one file: express/koa routers, fastify apps and plugins, hapi servers, plain `node:http`
 * servers (paths compared in the request handler) and route tables (`[{ method, path, handler }]` registered in a
 * loop). Each route and mount names its owner (the router variable, or the plugin function whose parameter is
 * the app) so `link.ts` can put the mount prefixes in front of the paths across files.
 */
import { ts } from 'ts-morph';
import type { Bindings } from './bindings.ts';

export interface TsMount {
  /** Owner the child is mounted on (`app`, or a plugin function's name). */
  owner: string;
  prefix: string;
  /** Local name of the mounted router/plugin, or `require:<specifier>` for an inline `require`. */
  child: string;
  line: number;
}

export interface RouteSpec {
  node: ts.Node;
  method: string;
  path: string;
  handler: ts.Expression | undefined;
  owner: string;
  /** Success status when known from the registration itself (node:http branches). */
  status?: number;
}

export type AddRoute = (route: RouteSpec) => void;

const HTTP_METHODS = new Set(['get', 'post', 'put', 'patch', 'delete', 'head', 'options', 'all']);
const ROUTE_KINDS = new Set(['express.app', 'express.route', 'fastify.app', 'hapi.server', 'koa.app']);
const HTTP_SERVER_KINDS = new Set([
  'http:createServer',
  'https:createServer',
  'http2:createServer',
  'http2:createSecureServer',
]);
const STATUS_CALLS = new Set(['status', 'code', 'sendStatus', 'writeHead']);

export function isRouteKind(kind: string): boolean {
  return ROUTE_KINDS.has(kind);
}

function literal(node: ts.Node | undefined): string | undefined {
  return node !== undefined && ts.isStringLiteralLike(node) ? node.text : undefined;
}

function prop(node: ts.Node | undefined, ...names: string[]): ts.Expression | undefined {
  if (node === undefined || !ts.isObjectLiteralExpression(node)) return undefined;
  for (const p of node.properties)
    if (
      ts.isPropertyAssignment(p) &&
      (ts.isIdentifier(p.name) || ts.isStringLiteral(p.name)) &&
      names.includes(p.name.text)
    )
      return p.initializer;
    else if (ts.isShorthandPropertyAssignment(p) && names.includes(p.name.text)) return p.name;
    else if (ts.isMethodDeclaration(p) && ts.isIdentifier(p.name) && names.includes(p.name.text))
      return p as unknown as ts.Expression;
  return undefined;
}

function functionName(fn: ts.SignatureDeclaration): string | undefined {
  if ((ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name) return fn.name.text;
  if (ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)) return fn.parent.name.text;
  return undefined;
}

/** Owner key of an anonymous plugin function: where it starts. */
export function getAnonymousOwner(fn: ts.Node): string {
  return `@${fn.pos}`;
}

/**
 * The owner of routes declared on `receiver`: its root variable, or, when that is an app parameter, the function
 * that takes it (a fastify plugin, an express `mount(router)` helper).
 */
export function getOwner(receiver: ts.Expression, b: Bindings): string | undefined {
  let root: ts.Expression = receiver;
  while (
    ts.isPropertyAccessExpression(root) ||
    ts.isCallExpression(root) ||
    ts.isParenthesizedExpression(root)
  )
    root = root.expression;
  if (root.kind === ts.SyntaxKind.ThisKeyword)
    return ts.isPropertyAccessExpression(receiver) ? receiver.getText() : 'this';
  if (!ts.isIdentifier(root)) return undefined;
  const name = root.text;
  for (let n: ts.Node | undefined = root.parent; n !== undefined; n = n.parent)
    if (ts.isFunctionLike(n)) {
      const param = n.parameters.find((p) => ts.isIdentifier(p.name) && p.name.text === name);
      if (param === undefined) continue;
      if (!b.appParams.has(param)) return name;
      return functionName(n) ?? getAnonymousOwner(n);
    }
  return name;
}

/** The first 2xx status set in a handler (`res.status(201)`, `reply.code(204)`, `res.statusCode = 201`), else 200. */
export function getSuccessStatus(handler: ts.Node | undefined): number {
  if (handler === undefined) return 200;
  let found: number | undefined;
  const visit = (node: ts.Node): void => {
    if (found !== undefined) return;
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      STATUS_CALLS.has(node.expression.name.text)
    ) {
      const first = node.arguments[0];
      if (first !== undefined && ts.isNumericLiteral(first)) {
        const status = Number(first.text);
        if (status >= 200 && status < 300) found = status;
      }
    } else if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      (node.left.name.text === 'statusCode' || node.left.name.text === 'status') &&
      ts.isNumericLiteral(node.right)
    ) {
      const status = Number(node.right.text);
      if (status >= 200 && status < 300) found = status;
    }
    ts.forEachChild(node, visit);
  };
  visit(handler);
  return found ?? 200;
}

/** `app.get('/x', h)`, `app.route('/x').get(h)`, fastify `app.route({ method, url, handler })`, hapi `server.route(…)`. */
export function visitRouteCall(
  node: ts.CallExpression,
  kind: string,
  method: string,
  b: Bindings,
  add: AddRoute,
): void {
  const args = node.arguments;
  const receiver = (node.expression as ts.PropertyAccessExpression).expression;
  const owner = getOwner(receiver, b) ?? '?';
  if (kind === 'express.route') {
    if (!HTTP_METHODS.has(method)) return;
    // app.route('/x').get(handler): the path is on the inner call.
    let inner: ts.Expression = receiver;
    while (
      ts.isCallExpression(inner) &&
      ts.isPropertyAccessExpression(inner.expression) &&
      inner.expression.name.text !== 'route'
    )
      inner = inner.expression.expression;
    const path = ts.isCallExpression(inner) ? literal(inner.arguments[0]) : undefined;
    if (path !== undefined) add({ node, method, path, handler: args[args.length - 1], owner });
    return;
  }
  if (method === 'route' && (kind === 'fastify.app' || kind === 'hapi.server')) {
    const first = args[0];
    const objects = first !== undefined && ts.isArrayLiteralExpression(first) ? first.elements : [first];
    for (const object of objects) addRouteObject(object, owner, add);
    return;
  }
  if (HTTP_METHODS.has(method) && args.length >= 2) {
    const path = literal(args[0]);
    if (path !== undefined) add({ node, method, path, handler: args[args.length - 1], owner });
  }
}

/** `{ method: 'GET', path: '/x', handler }` (fastify `url`, hapi `path`, arrays of methods). */
function addRouteObject(object: ts.Node | undefined, owner: string, add: AddRoute): boolean {
  const methodNode = prop(object, 'method');
  const path = literal(prop(object, 'url', 'path', 'route'));
  if (methodNode === undefined || path === undefined || object === undefined) return false;
  const methods = ts.isArrayLiteralExpression(methodNode)
    ? methodNode.elements.map((e) => literal(e))
    : [literal(methodNode)];
  const handler = prop(object, 'handler');
  for (const method of methods)
    if (method !== undefined)
      add({ node: object, method: method === '*' ? 'all' : method.toLowerCase(), path, handler, owner });
  return true;
}

/** `app.use('/api', router)`, `router.use(sub.routes())`, fastify `app.register(plugin, { prefix })`. */
export function visitMountCall(
  node: ts.CallExpression,
  method: string,
  b: Bindings,
  mounts: TsMount[],
  line: number,
): void {
  const args = [...node.arguments];
  const owner = getOwner((node.expression as ts.PropertyAccessExpression).expression, b);
  if (owner === undefined) return;
  let prefix = '';
  let children: ts.Expression[];
  if (method === 'register') {
    prefix = literal(prop(args[1], 'prefix')) ?? '';
    children = args.slice(0, 1);
  } else {
    const first = literal(args[0]);
    if (first !== undefined) {
      prefix = first;
      args.shift();
    }
    children = args.flatMap((a) => (ts.isArrayLiteralExpression(a) ? [...a.elements] : [a]));
  }
  for (const child of children) {
    const name = getChildName(child);
    if (name !== undefined) mounts.push({ owner, prefix, child: name, line });
  }
}

function getChildName(child: ts.Expression): string | undefined {
  if (ts.isIdentifier(child)) return child.text;
  if (ts.isArrowFunction(child) || ts.isFunctionExpression(child)) return getAnonymousOwner(child);
  if (ts.isCallExpression(child)) {
    const callee = child.expression;
    if (
      ts.isIdentifier(callee) &&
      callee.text === 'require' &&
      child.arguments[0] !== undefined &&
      ts.isStringLiteralLike(child.arguments[0])
    )
      return `require:${child.arguments[0].text}`;
    // koa-router: app.use(router.routes()); fastify-plugin: register(fp(plugin))
    if (
      ts.isPropertyAccessExpression(callee) &&
      ts.isIdentifier(callee.expression) &&
      callee.name.text === 'routes'
    )
      return callee.expression.text;
    if (ts.isIdentifier(callee) && child.arguments[0] !== undefined) return getChildName(child.arguments[0]);
  }
  return undefined;
}

export function isHttpServerKind(kind: string | undefined): boolean {
  return kind !== undefined && HTTP_SERVER_KINDS.has(kind);
}

/**
 * Routes of a plain `node:http` request handler: the branches that compare the request's path (and method) with
 * literals, `if (req.method === 'GET' && url.pathname === '/health')`, and `switch (url.pathname) { case '/x': }`.
 */
export function visitHttpServer(node: ts.CallExpression, add: AddRoute): void {
  const handler = [...node.arguments]
    .reverse()
    .find((a) => ts.isArrowFunction(a) || ts.isFunctionExpression(a));
  if (handler === undefined) return;
  const owner = getAnonymousOwner(handler);
  const visit = (n: ts.Node): void => {
    if (ts.isIfStatement(n)) {
      const { method, path } = readCondition(n.expression);
      if (path !== undefined)
        add({
          node: n,
          method: method ?? 'all',
          path,
          handler: undefined,
          owner,
          status: getBranchStatus(n.thenStatement),
        });
    } else if (ts.isSwitchStatement(n) && isPathExpression(n.expression)) {
      for (const clause of n.caseBlock.clauses) {
        const path = ts.isCaseClause(clause) ? literal(clause.expression) : undefined;
        if (path?.startsWith('/') === true)
          add({
            node: clause,
            method: 'all',
            path,
            handler: undefined,
            owner,
            status: getBranchStatus(clause),
          });
      }
    }
    ts.forEachChild(n, visit);
  };
  visit(handler);
}

function isMethodExpression(e: ts.Expression): boolean {
  return (
    (ts.isPropertyAccessExpression(e) && e.name.text === 'method') ||
    (ts.isIdentifier(e) && e.text === 'method')
  );
}

function isPathExpression(e: ts.Expression): boolean {
  const name = ts.isPropertyAccessExpression(e) ? e.name.text : ts.isIdentifier(e) ? e.text : undefined;
  return name === 'pathname' || name === 'url' || name === 'path';
}

function readCondition(condition: ts.Expression): { method?: string; path?: string } {
  const found: { method?: string; path?: string } = {};
  const visit = (n: ts.Node): void => {
    if (ts.isBinaryExpression(n) && n.operatorToken.kind === ts.SyntaxKind.AmpersandAmpersandToken) {
      visit(n.left);
      visit(n.right);
    } else if (ts.isParenthesizedExpression(n)) visit(n.expression);
    else if (
      ts.isBinaryExpression(n) &&
      (n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsEqualsToken ||
        n.operatorToken.kind === ts.SyntaxKind.EqualsEqualsToken)
    ) {
      const [side, value] = ts.isStringLiteralLike(n.right)
        ? [n.left, n.right.text]
        : ts.isStringLiteralLike(n.left)
          ? [n.right, n.left.text]
          : [];
      if (side === undefined || value === undefined) return;
      if (isMethodExpression(side)) found.method = value.toLowerCase();
      else if (isPathExpression(side) && value.startsWith('/')) found.path = value;
    }
  };
  visit(condition);
  return found;
}

/** The 2xx status a branch answers with: `res.writeHead(201)`, or a helper `send(res, 201, body)`. */
function getBranchStatus(branch: ts.Node): number {
  let found: number | undefined;
  const visit = (n: ts.Node): void => {
    if (found !== undefined) return;
    if (ts.isCallExpression(n))
      for (const a of n.arguments)
        if (ts.isNumericLiteral(a) && Number(a.text) >= 200 && Number(a.text) < 300) {
          found = Number(a.text);
          return;
        }
    ts.forEachChild(n, visit);
  };
  visit(branch);
  return found ?? getSuccessStatus(branch);
}

/**
 * Route tables: when a file registers routes with a computed method (`router[r.method](r.path, r.handler)`) or a
 * non-literal route object (`app.route(r)`), every `{ method, path }` object in an array literal of the file is a
 * route of that receiver.
 */
export function collectTableRoutes(sf: ts.SourceFile, b: Bindings, add: AddRoute): void {
  let owner: string | undefined;
  const findDynamic = (n: ts.Node): void => {
    if (owner !== undefined) return;
    if (ts.isCallExpression(n)) {
      const callee = n.expression;
      if (ts.isElementAccessExpression(callee) && !ts.isStringLiteralLike(callee.argumentExpression)) {
        const kind = b.classify(callee.expression);
        if (kind !== undefined && isRouteKind(kind)) owner = getOwner(callee.expression, b);
      } else if (ts.isPropertyAccessExpression(callee) && callee.name.text === 'route') {
        const kind = b.classify(callee.expression);
        const first = n.arguments[0];
        if (
          (kind === 'fastify.app' || kind === 'hapi.server') &&
          first !== undefined &&
          !ts.isObjectLiteralExpression(first) &&
          !ts.isArrayLiteralExpression(first)
        )
          owner = getOwner(callee.expression, b);
      }
    }
    ts.forEachChild(n, findDynamic);
  };
  findDynamic(sf);
  if (owner === undefined) return;
  const tableOwner = owner;
  const visit = (n: ts.Node): void => {
    if (ts.isArrayLiteralExpression(n)) for (const e of n.elements) addRouteObject(e, tableOwner, add);
    ts.forEachChild(n, visit);
  };
  visit(sf);
}
