/**
 * `TransactionTemplate` calls → runtime/transaction.ts. The callback becomes an async function (it may await
 * repositories) and the call is awaited; what is not carried (one database transaction around the callback) is a
 * TODO(migrate) comment at the call and a report entry, as for `@Transactional`.
 */
import type { Node } from 'web-tree-sitter';
import type { Scope } from './scope.ts';
import { Untranslatable } from './todo.ts';

const CALLBACK_METHODS = new Set(['execute', 'executeWithoutResult']);
const WHY = 'the callback runs, but not in one transaction: a failure part-way keeps what it wrote';

/** True when `name` on a TransactionTemplate runs a callback the port awaits. */
export function isTransactionCallback(name: string): boolean {
  return CALLBACK_METHODS.has(name);
}

/**
 * `transactions.executeWithoutResult(status -> { … })` → `transactions.executeWithoutResult(async (status) => …)`,
 * with the TODO in front of the callback; the caller awaits the call (`isAsyncCall`).
 */
export function translateTransactionCall(
  receiver: string,
  name: string,
  argNodes: readonly Node[],
  node: Node,
  scope: Scope,
  translateCallback: (callback: Node) => string,
): string {
  const [callback] = argNodes;
  if (!isTransactionCallback(name) || argNodes.length !== 1 || callback === undefined)
    throw new Untranslatable(`TransactionTemplate.${name}`, node);
  const line = node.startPosition.row + 1;
  const member = `${scope.cls.name}.${scope.member}`;
  const java = node.text.split('\n')[0]?.trim() ?? node.text;
  const construct = `TransactionTemplate.${name}`;
  if (
    !scope.ctx.dropped.some((d) => d.file === scope.cls.file && d.line === line && d.construct === construct)
  )
    scope.ctx.dropped.push({ file: scope.cls.file, line, construct, member, why: WHY, java });
  const where = `${scope.cls.file.slice(scope.cls.file.lastIndexOf('/') + 1)}:${line}`;
  return `${receiver}.${name}(\n// TODO(migrate): ${construct} (${where}): ${WHY}\n${translateCallback(callback)})`;
}

/** A call on the callback's `status` (`setRollbackOnly()`, savepoints): nothing to act on without a transaction. */
export function rejectTransactionStatusCall(name: string, node: Node): never {
  throw new Untranslatable(`TransactionStatus.${name}: the callback does not run in a transaction`, node);
}
