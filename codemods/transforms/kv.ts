/**
 * kv: ioredis calls → `caps.kv` (wasi:keyvalue/store) or `caps.redis` (fermyon:spin/redis), decided per service:
 *
 * - A service that only uses `get`, `set(key, value)`, `del(key)` and `exists(key)` keeps `caps.kv`, which every
 *   target runs. Calls whose Redis-specific results are used, TTL options and other commands are reported.
 * - A service that uses Redis data structures anywhere (hashes, sets, `multi()`, counters, …) moves all its
 *   ioredis calls to `caps.redis`, plain `get`/`set` included: they must reach the same Redis keys as its
 *   `hgetall` does, and `caps.kv` stores keys under a bucket. The methods keep their ioredis names and results;
 *   `multi()…exec()` becomes `caps.redis.atomic([...])`. An existing `caps.redis` use keeps a service in this
 *   mode, so a second run changes nothing.
 */
import { Node, SyntaxKind, type CallExpression, type Project, type SourceFile } from 'ts-morph';
import { replaceCallee, replaceNode } from './edits.ts';
import { getClientOrigin, isFrom, isResultUnused, lineOf, quote } from './resolve.ts';
import { createResult, type Transform, type TransformResult } from './transform.ts';

const REDIS_CLIENTS = ['default', 'Redis', 'Cluster'] as const;

/** What wasi:keyvalue can take; any other ioredis method puts the service on `caps.redis`. */
const KV_METHODS: ReadonlySet<string> = new Set(['get', 'set', 'del', 'exists']);

/**
 * The client's own connection calls: they decide nothing about the data, so they do not move a service to
 * caps.redis; the facade owns the connection, so they are left in place with a note (migrate analyze agrees).
 */
export const REDIS_CONNECTION_METHODS: ReadonlySet<string> = new Set([
  'connect',
  'disconnect',
  'quit',
  'on',
  'once',
  'off',
  'duplicate',
]);

/** ioredis methods `caps.redis` has under the same name, with the same arguments and results. */
const REDIS_METHODS: ReadonlySet<string> = new Set([
  'get',
  'getBuffer',
  'set',
  'incr',
  'del',
  'sadd',
  'srem',
  'smembers',
  'scard',
  'exists',
  'hset',
  'hget',
  'hgetall',
  'hdel',
  'publish',
]);

/** Commands `atomic` runs: each takes its one key first (so the key goes to EVAL as KEYS). */
const ATOMIC_METHODS: ReadonlySet<string> = new Set(['set', 'del', 'incr', 'sadd', 'srem', 'hset', 'hdel']);

type Mode = 'kv' | 'redis';

/** An ioredis client method call: `redis.get(k)`, `this.redis.hgetall(k)`. */
function getRedisMethod(call: CallExpression): string | undefined {
  const callee = call.getExpression();
  if (!Node.isPropertyAccessExpression(callee)) return undefined;
  return isFrom(getClientOrigin(callee.getExpression()), 'ioredis', REDIS_CLIENTS)
    ? callee.getName()
    : undefined;
}

function usesCapsRedis(file: SourceFile): boolean {
  return file
    .getDescendantsOfKind(SyntaxKind.PropertyAccessExpression)
    .some((access) => access.getName() === 'redis' && access.getExpression().getText() === 'caps');
}

function findMode(project: Project): Mode {
  for (const source of project.getSourceFiles()) {
    if (source.isDeclarationFile()) continue;
    if (usesCapsRedis(source)) return 'redis';
    for (const call of source.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      const callee = call.getExpression();
      if (!Node.isPropertyAccessExpression(callee)) continue;
      if (KV_METHODS.has(callee.getName()) || REDIS_CONNECTION_METHODS.has(callee.getName())) continue;
      if (getRedisMethod(call) !== undefined) return 'redis';
    }
  }
  return 'kv';
}

// Per project, found once per run: in kv mode nothing this transform writes can change the answer, and redis mode
// is kept by the caps.redis calls it writes.
const modes = new WeakMap<Project, Mode>();

/** `redis` when any file of the service calls an ioredis method wasi:keyvalue lacks, or already calls caps.redis. */
function getMode(file: SourceFile): Mode {
  const project = file.getProject();
  let mode = modes.get(project);
  if (mode === undefined) {
    mode = findMode(project);
    modes.set(project, mode);
  }
  return mode;
}

/** `if (await redis.exists(k))`, `!…`, `… ? a : b`, `&&`/`||` operands: where a boolean serves as the count did. */
function isBooleanContext(call: CallExpression): boolean {
  let node: Node = call;
  let parent = node.getParent();
  while (parent !== undefined && (Node.isAwaitExpression(parent) || Node.isParenthesizedExpression(parent))) {
    node = parent;
    parent = parent.getParent();
  }
  if (parent === undefined) return false;
  if (Node.isIfStatement(parent) || Node.isWhileStatement(parent)) return parent.getExpression() === node;
  if (Node.isConditionalExpression(parent)) return parent.getCondition() === node;
  if (Node.isPrefixUnaryExpression(parent)) return parent.getOperatorToken() === SyntaxKind.ExclamationToken;
  return false;
}

/** Which calls `caps.kv` can take: method → facade method, when the call's shape allows it. */
function getKvMethod(call: CallExpression, method: string): string | undefined {
  const count = call.getArguments().length;
  if (method === 'get' && count === 1) return 'get';
  if (method === 'set' && count === 2 && isResultUnused(call)) return 'set';
  if (method === 'del' && count === 1 && isResultUnused(call)) return 'delete';
  if (method === 'exists' && count === 1 && isBooleanContext(call)) return 'exists';
  return undefined;
}

/**
 * `redis.multi().del(k).hset(k, h).exec()` whose result is unused → `caps.redis.atomic([['del', k], ['hset', k,
 * h]])`; undefined when the chain has another shape (a result read, a command without its key first, no exec).
 */
function rewriteMulti(multi: CallExpression): { node: CallExpression; text: string } | undefined {
  if (multi.getArguments().length > 0) return undefined;
  const commands: string[] = [];
  let current: CallExpression = multi;
  for (;;) {
    const access = current.getParent();
    const call = access?.getParent();
    if (!Node.isPropertyAccessExpression(access) || !Node.isCallExpression(call)) return undefined;
    if (call.getExpression() !== access) return undefined;
    const method = access.getName();
    const args = call.getArguments().map((arg) => arg.getText());
    if (method === 'exec') {
      if (args.length > 0 || commands.length === 0 || !isResultUnused(call)) return undefined;
      return { node: call, text: `caps.redis.atomic([${commands.join(', ')}])` };
    }
    if (!ATOMIC_METHODS.has(method) || args.length === 0 || (method === 'del' && args.length > 1))
      return undefined;
    commands.push(`[${[quote(multi, method), ...args].join(', ')}]`);
    current = call;
  }
}

/**
 * `Promise.all(ids.map((id) => redis.hgetall(key)))` → `caps.redis.hgetallMany(ids.map((id) => key))`: one round
 * trip instead of one per key (ioredis pipelines the concurrent calls itself; a component's calls would run one at
 * a time). Answers the edit and the inner call it covers, or undefined when the expression has another shape.
 */
function rewriteHgetallBatch(call: CallExpression): { text: string; inner: CallExpression } | undefined {
  if (call.getExpression().getText() !== 'Promise.all' || call.getArguments().length !== 1) return undefined;
  const map = call.getArguments()[0]!;
  if (!Node.isCallExpression(map) || map.getArguments().length !== 1) return undefined;
  const mapCallee = map.getExpression();
  if (!Node.isPropertyAccessExpression(mapCallee) || mapCallee.getName() !== 'map') return undefined;
  const fn = map.getArguments()[0]!;
  if (!Node.isArrowFunction(fn) || fn.getParameters().length !== 1) return undefined;
  const inner = fn.getBody();
  if (!Node.isCallExpression(inner) || getRedisMethod(inner) !== 'hgetall') return undefined;
  if (inner.getArguments().length !== 1) return undefined;
  const key = inner.getArguments()[0]!.getText();
  const items = mapCallee.getExpression().getText();
  return {
    text: `caps.redis.hgetallMany(${items}.map((${fn.getParameters()[0]!.getText()}) => ${key}))`,
    inner,
  };
}

/** One ioredis call of a service in redis mode: onto caps.redis, or a note. */
function rewriteRedisCall(call: CallExpression, method: string, result: TransformResult): void {
  const multi = method === 'multi' ? rewriteMulti(call) : undefined;
  if (multi !== undefined) {
    result.edits.push(replaceNode(multi.node, multi.text, `${call.getText()}…exec() → caps.redis.atomic`));
  } else if (REDIS_METHODS.has(method) && !(method === 'set' && call.getArguments().length !== 2)) {
    result.edits.push(replaceCallee(call, `caps.redis.${method}`));
  } else {
    result.notes.push({
      line: lineOf(call),
      message: `${call.getExpression().getText()}(…) has no caps.redis method in this form: call caps.redis.execute(command, ...args) or caps.redis.atomic([...])`,
    });
  }
}

/** One ioredis call of a service in kv mode: onto caps.kv, or a note. */
function rewriteKvCall(call: CallExpression, method: string, result: TransformResult): void {
  const target = getKvMethod(call, method);
  if (target !== undefined) result.edits.push(replaceCallee(call, `caps.kv.${target}`));
  else {
    result.notes.push({
      line: lineOf(call),
      message: `${call.getExpression().getText()}(…) has no wasi:keyvalue equivalent in this form (TTL options, counts, other commands)`,
    });
  }
}

export const kvTransform: Transform = {
  kind: 'kv',
  run(file: SourceFile): TransformResult {
    const result = createResult();
    const redisMode = getMode(file) === 'redis';
    const rewrite = redisMode ? rewriteRedisCall : rewriteKvCall;
    // the calls a batch rewrite covers: descendants come in document order, so an inner call after its batch
    const batched = new Set<CallExpression>();
    for (const call of file.getDescendantsOfKind(SyntaxKind.CallExpression)) {
      if (batched.has(call)) continue;
      const batch = redisMode ? rewriteHgetallBatch(call) : undefined;
      if (batch !== undefined) {
        batched.add(batch.inner);
        result.edits.push(replaceNode(call, batch.text, `${call.getText()} → caps.redis.hgetallMany`));
        continue;
      }
      const method = getRedisMethod(call);
      if (method === undefined) continue;
      if (REDIS_CONNECTION_METHODS.has(method)) {
        result.notes.push({
          line: lineOf(call),
          message: `${call.getExpression().getText()}(…) manages the Redis connection, which the facade owns: left in place (drop it when the service runs as a component)`,
        });
      } else rewrite(call, method, result);
    }
    if (result.edits.length > 0) result.facadeImports.push('caps');
    return result;
  },
};
