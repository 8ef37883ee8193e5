/**
 * Spring's `TransactionTemplate` as services call it: `execute(status -> …)` and `executeWithoutResult(…)` run
 * the callback (awaited: it may call repositories) and hand back what it returns. The callback does not run in
 * one database transaction: a failure part-way keeps what it wrote. The port marks every call with a
 * TODO(migrate) and a report entry saying so.
 */

/**
 * The `status` a callback receives. It has no methods: `setRollbackOnly()` and the savepoint calls have nothing
 * to act on here, so the port leaves a call to them as a TODO instead of ignoring it.
 */
export type TransactionStatus = object;

export class TransactionTemplate {
  /** `transactions.execute(status -> value)`: the callback's value. */
  async execute<T>(action: (status: TransactionStatus) => T | Promise<T>): Promise<T> {
    return await action({});
  }

  /** `transactions.executeWithoutResult(status -> { … })`. */
  async executeWithoutResult(action: (status: TransactionStatus) => unknown): Promise<void> {
    await action({});
  }
}
