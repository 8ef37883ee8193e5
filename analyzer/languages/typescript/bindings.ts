/**
 * What a name in a TypeScript/JavaScript file stands for, as far as effects go: an imported module member
 * (`pg:Pool`, `express:default`, `fs:*`) or a value made from one (`pg.client`, `express.app`, `nats.conn`…).
 * Resolution is syntactic and per file: imports and `require`s, then `const x = new Pool()`-style
 * initializers and `this.x = …` assignments. Names that are not bound stay unknown and yield no effect.
 */
import { ts } from 'ts-morph';
import { getTypeKind, HTTP_CLIENT_MODULES, ORM_MADE_BY, ORM_MODULES } from './orm-kinds.ts';

/** `module:member` for imports (`*` namespace, `default`), or a value kind such as `pg.client`. */
export type BindingKind = string;

/** Modules whose members we care about, with their `node:` aliases folded. */
const MODULES = new Set([
  'pg',
  'express',
  'fastify',
  'nats',
  'kafkajs',
  'ioredis',
  'redis',
  'axios',
  'undici',
  'pino',
  'fs',
  'fs/promises',
  'child_process',
  'worker_threads',
  'crypto',
  'bindings',
  'http',
  'https',
  'http2',
  '@grpc/grpc-js',
  'grpc',
  '@grpc/proto-loader',
  '@hapi/hapi',
  'koa',
  '@koa/router',
  'koa-router',
  ...HTTP_CLIENT_MODULES,
  ...ORM_MODULES,
]);

export function normalizeModule(specifier: string): string | undefined {
  const name = specifier.replace(/^node:/, '');
  if (name === '@hapi/hapi') return 'hapi';
  if (MODULES.has(name)) return name;
  if (name.endsWith('.node')) return 'native-addon';
  return undefined;
}

/** What calling / constructing something of `kind` yields. */
const MADE_BY: Record<string, BindingKind> = {
  'pg:Pool': 'pg.client',
  'pg:Client': 'pg.client',
  'pg.client:connect': 'pg.client',
  'express:default': 'express.app',
  'express:*': 'express.app',
  'express:Router': 'express.app',
  'express.app:Router': 'express.app',
  'express.app:route': 'express.route',
  // router.route('/x').get(a).post(b): each verb returns the route again
  ...Object.fromEntries(
    ['get', 'post', 'put', 'patch', 'delete', 'all'].map((verb) => [
      `express.route:${verb}`,
      'express.route',
    ]),
  ),
  'fastify:default': 'fastify.app',
  'fastify:*': 'fastify.app',
  'fastify:fastify': 'fastify.app',
  'fastify:Fastify': 'fastify.app',
  'nats:connect': 'nats.conn',
  'kafkajs:Kafka': 'kafka',
  'kafka:producer': 'kafka.producer',
  'kafka:consumer': 'kafka.consumer',
  'ioredis:default': 'redis',
  'ioredis:*': 'redis',
  'ioredis:Redis': 'redis',
  'ioredis:Cluster': 'redis',
  // node-redis: no `migrate codemod` transform, so its connection handling does not decide a service's mode
  'redis:createClient': 'redis.node',
  'redis.node:on': 'redis.node',
  'redis.node:connect': 'redis.node',
  'redis:on': 'redis',
  'hapi:server': 'hapi.server',
  'hapi:Server': 'hapi.server',
  '@hapi/hapi:server': 'hapi.server',
  '@hapi/hapi:Server': 'hapi.server',
  'koa:default': 'koa.app',
  'koa:*': 'koa.app',
  '@koa/router:default': 'express.app',
  '@koa/router:*': 'express.app',
  '@koa/router:Router': 'express.app',
  'koa-router:default': 'express.app',
  'koa-router:*': 'express.app',
  '@grpc/grpc-js:Server': 'grpc.server',
  'grpc:Server': 'grpc.server',
  ...ORM_MADE_BY,
  'axios:create': 'axios',
  'pino:default': 'logger',
  'pino:*': 'logger',
  'pino:pino': 'logger',
  'logger:child': 'logger',
};

/** Kind of `x.member` when `x` is of `kind`: module members, and `express.Router`-style factories. */
export function getMemberKind(kind: BindingKind, member: string): BindingKind | undefined {
  if (kind.endsWith(':*') || kind.endsWith(':default'))
    return `${kind.slice(0, kind.indexOf(':'))}:${member}`;
  if (kind === 'axios' && member === 'create') return 'axios:create';
  return `${kind}:${member}`;
}

/** Kind of `new X()` or `X()` when `X` is of `kind`. */
export function getMadeKind(kind: BindingKind): BindingKind | undefined {
  return MADE_BY[kind];
}

export class Bindings {
  readonly names: Map<string, BindingKind>;
  /** `this.<name>` members assigned in classes of the file. */
  readonly members = new Map<string, BindingKind>();
  /** Names declared in the file that shadow globals (`fetch`, `console`, `crypto`, `Date`, `Math`, `process`). */
  readonly shadowed = new Set<string>();
  /** Parameters that stand for an app or router (owner of their routes is the function that takes them). */
  readonly appParams = new Set<ts.ParameterDeclaration>();

  constructor(injected?: ReadonlyMap<string, BindingKind>) {
    this.names = new Map(injected);
  }

  /** Kind of an expression, following identifiers, `await`, parentheses, member access and factories. */
  classify(node: ts.Expression): BindingKind | undefined {
    if (ts.isParenthesizedExpression(node) || ts.isAwaitExpression(node) || ts.isNonNullExpression(node))
      return this.classify(node.expression);
    if (ts.isAsExpression(node) || ts.isSatisfiesExpression(node)) return this.classify(node.expression);
    // globalThis.prisma ?? new PrismaClient(), cached || create()
    if (
      ts.isBinaryExpression(node) &&
      (node.operatorToken.kind === ts.SyntaxKind.QuestionQuestionToken ||
        node.operatorToken.kind === ts.SyntaxKind.BarBarToken)
    )
      return this.classify(node.left) ?? this.classify(node.right);
    if (ts.isConditionalExpression(node))
      return this.classify(node.whenTrue) ?? this.classify(node.whenFalse);
    if (ts.isIdentifier(node)) return this.names.get(node.text);
    if (ts.isPropertyAccessExpression(node)) {
      if (node.expression.kind === ts.SyntaxKind.ThisKeyword) return this.members.get(node.name.text);
      const base = this.classify(node.expression);
      return base === undefined ? undefined : getMemberKind(base, node.name.text);
    }
    if (ts.isCallExpression(node) && isRequireCall(node)) {
      const mod = normalizeModule((node.arguments[0] as ts.StringLiteral).text);
      return mod === undefined ? undefined : `${mod}:default`;
    }
    if (ts.isCallExpression(node) || ts.isNewExpression(node)) {
      const callee = this.classify(node.expression);
      if (callee === undefined) return undefined;
      return getMadeKind(callee);
    }
    return undefined;
  }
}

export function isRequireCall(node: ts.CallExpression): boolean {
  return (
    ts.isIdentifier(node.expression) &&
    node.expression.text === 'require' &&
    node.arguments.length === 1 &&
    ts.isStringLiteralLike(node.arguments[0] as ts.Expression)
  );
}

const GLOBALS = new Set(['fetch', 'console', 'crypto', 'Date', 'Math', 'process', 'require']);

/** First pass over a file: imports, requires, and variables/members made from known modules. */
export function collectBindings(sf: ts.SourceFile, injected?: ReadonlyMap<string, BindingKind>): Bindings {
  const b = new Bindings(injected);
  const registered = collectRegisteredPlugins(sf);
  const imported = new Set<string>();
  for (const st of sf.statements)
    if (ts.isImportDeclaration(st) && ts.isStringLiteral(st.moduleSpecifier))
      imported.add(st.moduleSpecifier.text);
    else if (/require\(\s*['"](typeorm|mongoose|knex|sequelize)['"]/.test(st.getText(sf)))
      imported.add(/require\(\s*['"](typeorm|mongoose|knex|sequelize)['"]/.exec(st.getText(sf))?.[1] ?? '');
  const bindImport = (name: string, kind: string): void => {
    b.names.set(name, kind);
    if (GLOBALS.has(name)) b.shadowed.add(name);
  };
  const bindPattern = (pattern: ts.BindingName, mod: string): void => {
    if (ts.isIdentifier(pattern)) bindImport(pattern.text, `${mod}:*`);
    else if (ts.isObjectBindingPattern(pattern))
      for (const el of pattern.elements) {
        const prop = el.propertyName ?? el.name;
        if (ts.isIdentifier(el.name) && (ts.isIdentifier(prop) || ts.isStringLiteral(prop)))
          bindImport(el.name.text, `${mod}:${prop.text}`);
      }
  };
  const visit = (node: ts.Node): void => {
    if (ts.isImportDeclaration(node) && ts.isStringLiteral(node.moduleSpecifier)) {
      const mod = normalizeModule(node.moduleSpecifier.text);
      const clause = node.importClause;
      if (clause && !clause.isTypeOnly) {
        if (clause.name) {
          if (mod) bindImport(clause.name.text, `${mod}:default`);
          else if (GLOBALS.has(clause.name.text)) b.shadowed.add(clause.name.text);
        }
        const named = clause.namedBindings;
        if (named && ts.isNamespaceImport(named)) {
          if (mod) bindImport(named.name.text, `${mod}:*`);
        } else if (named) {
          for (const el of named.elements) {
            if (el.isTypeOnly) continue;
            const prop = (el.propertyName ?? el.name).text;
            if (mod) bindImport(el.name.text, `${mod}:${prop}`);
            else if (GLOBALS.has(el.name.text)) b.shadowed.add(el.name.text);
          }
        }
      }
      return;
    }
    if (ts.isVariableDeclaration(node) && node.initializer) {
      const init = unwrap(node.initializer);
      const required =
        ts.isCallExpression(init) && isRequireCall(init)
          ? (init.arguments[0] as ts.StringLiteral).text
          : ts.isPropertyAccessExpression(init) &&
              ts.isCallExpression(init.expression) &&
              isRequireCall(init.expression)
            ? `${(init.expression.arguments[0] as ts.StringLiteral).text}#${init.name.text}`
            : undefined;
      if (required !== undefined) {
        const [spec, member] = required.split('#');
        const mod = normalizeModule(spec ?? '');
        if (mod && member !== undefined) {
          if (ts.isIdentifier(node.name)) bindImport(node.name.text, `${mod}:${member}`);
        } else if (mod) bindPattern(node.name, mod);
      } else if (isProcessEnvAlias(node, init, b)) {
        b.names.set(ts.isIdentifier(node.name) ? node.name.text : 'env', 'process.env');
      } else {
        const kind = b.classify(init);
        if (kind !== undefined && ts.isIdentifier(node.name)) b.names.set(node.name.text, kind);
        else if (ts.isIdentifier(node.name) && GLOBALS.has(node.name.text)) b.shadowed.add(node.name.text);
      }
    } else if (
      (ts.isFunctionDeclaration(node) || ts.isClassDeclaration(node)) &&
      node.name &&
      GLOBALS.has(node.name.text)
    ) {
      b.shadowed.add(node.name.text);
    }
    if (ts.isClassDeclaration(node) && node.name) {
      // Active-record models: class User extends Model (Sequelize) / BaseEntity (TypeORM)
      const base = node.heritageClauses?.find((h) => h.token === ts.SyntaxKind.ExtendsKeyword)?.types[0]
        ?.expression;
      const baseKind = base === undefined ? undefined : b.classify(base);
      if (baseKind === 'sequelize:Model' || baseKind === 'sequelize-typescript:Model')
        b.names.set(node.name.text, 'sequelize.model');
      else if (baseKind === 'typeorm:BaseEntity') b.names.set(node.name.text, 'typeorm.repo');
    }
    if (
      (ts.isParameter(node) || ts.isPropertyDeclaration(node)) &&
      ts.isIdentifier(node.name) &&
      node.type !== undefined
    ) {
      // Injected by type (Nest): constructor(private readonly repo: Repository<User>)
      const kind = getTypeKind(node.type.getText(sf), imported);
      if (kind !== undefined) {
        if (ts.isPropertyDeclaration(node) || (ts.getModifiers(node) ?? []).length > 0)
          b.members.set(node.name.text, kind);
        if (ts.isParameter(node)) b.names.set(node.name.text, kind);
      }
    }
    if (
      ts.isBinaryExpression(node) &&
      node.operatorToken.kind === ts.SyntaxKind.EqualsToken &&
      ts.isPropertyAccessExpression(node.left) &&
      node.left.expression.kind === ts.SyntaxKind.ThisKeyword
    ) {
      const kind = b.classify(node.right);
      if (kind !== undefined) b.members.set(node.left.name.text, kind);
    } else if (ts.isPropertyDeclaration(node) && node.initializer && ts.isIdentifier(node.name)) {
      const kind = b.classify(node.initializer);
      if (kind !== undefined) b.members.set(node.name.text, kind);
    } else if (ts.isParameter(node) && ts.isIdentifier(node.name)) {
      if (GLOBALS.has(node.name.text)) b.shadowed.add(node.name.text);
      const kind = getParameterAppKind(node, registered);
      if (kind !== undefined) {
        b.names.set(node.name.text, kind);
        b.appParams.add(node);
      }
    }
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return b;
}

function unwrap(node: ts.Expression): ts.Expression {
  let n = node;
  while (ts.isAwaitExpression(n) || ts.isParenthesizedExpression(n) || ts.isAsExpression(n)) n = n.expression;
  return n;
}

/** Names of functions passed to `x.register(fn, …)` in the file: fastify plugins, whose first parameter is an app. */
function collectRegisteredPlugins(sf: ts.SourceFile): Set<string> {
  const names = new Set<string>();
  const visit = (node: ts.Node): void => {
    if (
      ts.isCallExpression(node) &&
      ts.isPropertyAccessExpression(node.expression) &&
      node.expression.name.text === 'register' &&
      node.arguments[0] !== undefined &&
      ts.isIdentifier(node.arguments[0])
    )
      names.add(node.arguments[0].text);
    ts.forEachChild(node, visit);
  };
  visit(sf);
  return names;
}

const FASTIFY_TYPE = /\bFastifyInstance\b|\bFastifyPluginAsync\b/;
const EXPRESS_TYPE = /^(?:express\.)?(?:Router|Express|Application|IRouter)\b/;

/**
 * The app kind of a function parameter: typed as a fastify instance or an express router/app, the first parameter
 * of a fastify plugin registered in the file, or (untyped JavaScript) named `fastify`.
 */
function getParameterAppKind(
  node: ts.ParameterDeclaration,
  registered: ReadonlySet<string>,
): BindingKind | undefined {
  const type = node.type?.getText();
  if (type !== undefined) {
    if (FASTIFY_TYPE.test(type)) return 'fastify.app';
    if (EXPRESS_TYPE.test(type)) return 'express.app';
    return undefined;
  }
  const fn = node.parent;
  const first = fn.parameters[0] === node;
  if (!first) return undefined;
  if (ts.isIdentifier(node.name) && node.name.text === 'fastify') return 'fastify.app';
  const name =
    (ts.isFunctionDeclaration(fn) || ts.isFunctionExpression(fn)) && fn.name
      ? fn.name.text
      : ts.isVariableDeclaration(fn.parent) && ts.isIdentifier(fn.parent.name)
        ? fn.parent.name.text
        : undefined;
  if (name !== undefined && registered.has(name)) return 'fastify.app';
  // A plugin function written inline: app.register(async (child) => { … }, { prefix })
  if (ts.isCallExpression(fn.parent) && ts.isPropertyAccessExpression(fn.parent.expression))
    if (fn.parent.expression.name.text === 'register' && fn.parent.arguments[0] === fn) return 'fastify.app';
  return undefined;
}

/** `const env = process.env` or `const { env } = process` (process not shadowed). */
function isProcessEnvAlias(node: ts.VariableDeclaration, init: ts.Expression, b: Bindings): boolean {
  const isProcess = (e: ts.Expression): boolean =>
    ts.isIdentifier(e) && e.text === 'process' && !b.shadowed.has('process') && !b.names.has('process');
  if (ts.isIdentifier(node.name))
    return ts.isPropertyAccessExpression(init) && init.name.text === 'env' && isProcess(init.expression);
  return (
    ts.isObjectBindingPattern(node.name) &&
    isProcess(init) &&
    node.name.elements.some(
      (el) => ts.isIdentifier(el.name) && el.name.text === 'env' && el.propertyName === undefined,
    )
  );
}
