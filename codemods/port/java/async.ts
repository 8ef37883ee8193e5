/** Decides which methods become async: those that (transitively) await a repository, an HTTP client or NATS. */
import type { Node } from 'web-tree-sitter';
import { isAsyncCall } from './calls.ts';
import type { JavaClass } from './model.ts';
import { isBeanRole, type ClassRole } from './roles.ts';
import { createScope, declareLocal, ImportSet, type ServiceContext } from './scope.ts';

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
        const scope = createScope(ctx, cls, method.name, new ImportSet(), false);
        for (const p of method.params) declareLocal(scope, p.name, p.type);
        const calls = method.body.descendantsOfType('method_invocation').filter((n): n is Node => n !== null);
        if (calls.some((call) => safeIsAsync(call, scope))) {
          asyncMethods.add(key);
          changed = true;
        }
      }
    }
  }
  return asyncMethods;
}

function safeIsAsync(call: Node, scope: ReturnType<typeof createScope>): boolean {
  try {
    return isAsyncCall(call, scope);
  } catch {
    return false;
  }
}
