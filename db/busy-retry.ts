/**
 * Statements a remote libSQL server (Turso, sqld) refuses as busy, tried again in place.
 *
 * A server answers "SQLITE_BUSY: database is locked" at once while another connection holds
 * its write lock (two Node servers, or Workers isolates, writing at the same moment), where a
 * local file waits in its busy handler. Left alone, the refusal reaches the update guard and
 * Telegram is answered 500 for an update that only had to wait its turn. A refused statement
 * or batch wrote nothing (a batch is one transaction), so it is sent again after a short,
 * jittered wait, within a time budget. A transaction is begun again only when its BEGIN was
 * refused: the HTTP client sends BEGIN with the transaction's first statement and closes the
 * transaction when the BEGIN fails, so nothing of it ran. A statement refused later inside a
 * transaction that had begun is not retried (its transaction decides, and its caller's retry).
 *
 * Used by both entries for a remote URL; a local file has its busy timeout instead
 * (node-client.ts). Runtime-free: the Worker wraps `@libsql/client/web` with it.
 */
import type { Client, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import { isBusyError, retryOnBusyFor } from "../src/services/errors";
import { type ClientStatements, wrapClient } from "./wrap-client";

/** How long one statement may keep waiting for another connection's write to finish. */
export const BUSY_RETRY_MS = 10_000;

export function retryBusy(client: Client, budgetMs = BUSY_RETRY_MS): Client {
  const again = <T>(work: () => Promise<T>) => retryOnBusyFor(work, budgetMs);
  return wrapClient(client, {
    execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
      const stmt: InStatement = typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      return again(() => client.execute(stmt));
    },
    batch: (stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) => again(() => client.batch(stmts, mode)),
    migrate: (stmts: InStatement[]) => again(() => client.migrate(stmts)),
    transaction: async (mode?: TransactionMode) => beginningAgain(client, await again(() => client.transaction(mode)), mode, budgetMs),
    // A script may have run in part before it was refused: not sent again.
    executeMultiple: (sql: string) => client.executeMultiple(sql),
  } as ClientStatements);
}

/** The transaction, whose first call is sent again on a new transaction while its BEGIN is refused as busy. */
function beginningAgain(client: Client, first: Transaction, mode: TransactionMode | undefined, budgetMs: number): Transaction {
  let tx = first;
  let begun = false;
  let refused = false;
  const call = async <T>(work: (t: Transaction) => Promise<T>): Promise<T> => {
    if (begun) return work(tx);
    try {
      return await retryOnBusyFor(
        async () => {
          if (refused) tx = await client.transaction(mode);
          return await work(tx);
        },
        budgetMs,
        Date.now,
        // Closed by the refusal: the BEGIN itself was refused, and nothing of the transaction ran.
        (err) => (refused = isBusyError(err) && tx.closed),
      );
    } finally {
      begun = true;
    }
  };
  return {
    execute: (stmt: InStatement) => call((t) => t.execute(stmt)),
    batch: (stmts: InStatement[]) => call((t) => t.batch(stmts)),
    executeMultiple: (sql: string) => call((t) => t.executeMultiple(sql)),
    commit: () => tx.commit(),
    rollback: () => tx.rollback(),
    close: () => tx.close(),
    get closed() {
      return tx.closed;
    },
  };
}
