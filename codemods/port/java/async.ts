/** Decides which methods become async: those that (transitively) await a repository, an HTTP client or NATS. */
import type { Node } from 'web-tree-sitter';
import { isAsyncCall } from './calls.ts';
import type { JavaClass } from './model.ts';
import { isBeanRole, type ClassRole } from './roles.ts';
import { createScope, declareLocal, ImportSet, type ServiceContext } from './scope.ts';
import { isFutureType } from './types.ts';

export function resolveAsyncMethods(
  classes: ReadonlyMap<string, JavaClass>,
  roles: ReadonlyMap<string, ClassRole>,
): Set<string> {
  const asyncMethods = new Set<string>();
  const ctx: ServiceContext = { classes, roles, asyncMethods, todos: [], dropped: [] };
  for (const [name, role] of roles) {
    if (role === 'jpa-repository' || role === 'redis-repository') {
      for (const m of classes.get(name)?.methods ?? []) asyncMethods.add(`${name}.${m.name}`);
    }
  }
  for (let changed = true; changed;) {
    changed = false;
    for (const cls of classes.values()) {
      if (!isBeanRole(roles.get(cls.name))) continue;
      for (const method of cls.methods) {
        const key = `${cls.name}.${method.name}`;
        if (asyncMethods.has(key) || method.modifiers.includes('static') || !method.body) continue;
        // a method returning a CompletableFuture returns a promise: async, whatever it calls
        if (isFutureType(method.returnType)) {
          asyncMethods.add(key);
          changed = true;
          continue;
        }
        const scope = createScope(ctx, cls, method.name, new ImportSet(), false);
        for (const p of method.params) declareLocal(scope, p.name, p.type);
        // a call inside a lambda waits in the lambda (a future's task, a runner), not in the method
        const body = method.body;
        const calls = body
          .descendantsOfType('method_invocation')
          .filter((n): n is Node => n !== null && !isInLambda(n, body));
        if (calls.some((call) => safeIsAsync(call, scope))) {
          asyncMethods.add(key);
          changed = true;
        }
      }
    }
  }
  return asyncMethods;
}

function isInLambda(node: Node, body: Node): boolean {
  for (let up = node.parent; up !== null && up.id !== body.id; up = up.parent)
    if (up.type === 'lambda_expression') return true;
  return false;
}

function safeIsAsync(call: Node, scope: ReturnType<typeof createScope>): boolean {
  try {
    return isAsyncCall(call, scope);
  } catch {
    return false;
  }
}
