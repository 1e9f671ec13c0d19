/**
 * One writer at a time within a process, for a local database file (and, on Node, a database
 * server: see node-client.ts for why).
 *
 * A local file is shared by the connections of this process's pool and by any other process
 * on the same file. SQLite lets one of them write at a time; the others wait in its busy
 * handler (the client's `timeout`), which is how two processes take turns. Within one process
 * that wait would be fatal: the handler blocks the thread, so a transaction this process has
 * open, waiting between two of its statements, could never finish while another of its
 * connections waits for it, and the wait would end in "database is locked" after the whole
 * server stood still. So writes queue here first, in order and without blocking: a write
 * transaction holds the turn from BEGIN to COMMIT or ROLLBACK, a batch or a single write
 * statement for its one call. Reads never queue (WAL lets them run beside a writer).
 *
 * Written here rather than found in a library: the libSQL client has no such option, and the
 * queue must know which of its calls write. The queue itself is async-mutex.
 */
import type { Client, InArgs, InStatement, ResultSet, Transaction, TransactionMode } from "@libsql/client";
import { E_TIMEOUT, Mutex, type MutexInterface, withTimeout } from "async-mutex";
import { isBusyError } from "../src/services/errors";
import { type ClientStatements, wrapClient } from "./wrap-client";

/**
 * How long a write waits for its turn in this process before it fails as busy (and is
 * retried or answered 503 like any other busy failure) rather than waiting for good: a
 * transaction that wrote through the client instead of through itself would otherwise wait
 * on its own turn.
 */
export const TURN_TIMEOUT_MS = 15_000;

const READ_ONLY = /^\s*(select|explain)\b/i;

function sqlOf(stmt: InStatement | string): string {
  return typeof stmt === "string" ? stmt : stmt.sql;
}

/** The error a write gets when its turn does not come: busy, as the database would say it. */
function busy(): Error {
  return Object.assign(new Error("SQLITE_BUSY: this process's writes are queued behind a transaction that did not finish"), {
    name: "LibsqlError",
    code: "SQLITE_BUSY",
  });
}

export function serializeWrites(client: Client, turnTimeoutMs = TURN_TIMEOUT_MS): Client {
  const turn: MutexInterface = withTimeout(new Mutex(), turnTimeoutMs);
  const reopenAfterBusy = reopeningAfterBusy(client);
  const inTurn = async <T>(work: () => Promise<T>): Promise<T> => {
    const release = await acquire(turn);
    try {
      return await reopenAfterBusy(work);
    } finally {
      release();
    }
  };

  return wrapClient(client, {
    execute(stmtOrSql: InStatement | string, args?: InArgs): Promise<ResultSet> {
      const stmt: InStatement = typeof stmtOrSql === "string" ? { sql: stmtOrSql, args: args ?? [] } : stmtOrSql;
      return READ_ONLY.test(sqlOf(stmt)) ? client.execute(stmt) : inTurn(() => client.execute(stmt));
    },
    batch(stmts: Array<InStatement | [string, InArgs?]>, mode?: TransactionMode) {
      return mode === "read" ? client.batch(stmts, mode) : inTurn(() => client.batch(stmts, mode));
    },
    migrate(stmts: InStatement[]) {
      return inTurn(() => client.migrate(stmts));
    },
    async transaction(mode?: TransactionMode): Promise<Transaction> {
      if (mode === "read") return client.transaction(mode);
      const release = await acquire(turn);
      try {
        return holdingTurn(await reopenAfterBusy(() => client.transaction(mode)), release, reopenAfterBusy);
      } catch (err) {
        release();
        throw err;
      }
    },
    executeMultiple(sql: string) {
      return inTurn(() => client.executeMultiple(sql));
    },
  } as ClientStatements);
}

async function acquire(turn: MutexInterface): Promise<MutexInterface.Releaser> {
  try {
    return await turn.acquire();
  } catch (err) {
    throw err === E_TIMEOUT ? busy() : err;
  }
}

/**
 * Runs a write (in this process's turn) and, when a local file refused it as busy, closes the
 * client's connections before the error goes on, so that the next write opens a clean one.
 *
 * The libSQL binding (@libsql/client 0.18 over libsql 0.5 on a file) leaves a statement that
 * failed with SQLITE_BUSY in progress on its pooled connection: not reset, and not seen by the
 * pool, which only rolls back a connection `inTransaction`. Every later write on that
 * connection then runs inside the implicit transaction the stuck statement keeps open and is
 * never committed: it is answered as done, other connections never see it, and it is lost when
 * the next COMMIT there fails with "SQLITE_BUSY: cannot commit transaction - SQL statements in
 * progress" (upstream: tursodatabase/libsql-client-ts#352, fix proposed in
 * tursodatabase/libsql-js#237). The pool is private, so the whole client is reconnected; safe
 * here because this runs in the turn: no other write transaction holds a connection, and this
 * client opens no read transactions (a read borrows a connection only for its synchronous call).
 * A remote server's connections are not affected and are left alone.
 */
function reopeningAfterBusy(client: Client) {
  return async <T>(write: () => Promise<T>): Promise<T> => {
    try {
      return await write();
    } catch (err) {
      if (client.protocol === "file" && isBusyError(err)) await client.reconnect();
      throw err;
    }
  };
}

/** The transaction, giving the turn back once it is settled however it ends (a busy COMMIT on a file reopens the client first). */
function holdingTurn(tx: Transaction, release: MutexInterface.Releaser, reopenAfterBusy: ReturnType<typeof reopeningAfterBusy>): Transaction {
  let held = true;
  const giveBack = () => {
    if (held) {
      held = false;
      release();
    }
  };
  const settling =
    <T>(step: () => Promise<T>) =>
    async (): Promise<T> => {
      try {
        return await step();
      } finally {
        giveBack();
      }
    };
  return {
    execute: (stmt: InStatement) => tx.execute(stmt),
    batch: (stmts: InStatement[]) => tx.batch(stmts),
    executeMultiple: (sql: string) => tx.executeMultiple(sql),
    commit: settling(() => reopenAfterBusy(() => tx.commit())),
    rollback: settling(() => tx.rollback()),
    close() {
      try {
        tx.close();
      } finally {
        giveBack();
      }
    },
    get closed() {
      return tx.closed;
    },
  };
}
