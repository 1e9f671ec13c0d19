/**
 * The Node server's hot state on the embedded default: a SQLite file of its own beside the
 * database (`hazardline.db` → `hazardline.hot.db`), written through the `libsql` package's
 * Database, the binding @libsql/client itself runs on. Node only: src/node.ts wires it; the
 * Worker keeps Upstash or the database's kv table (hot-state-libsql.ts).
 *
 * Why not the kv table through @libsql/client, as before: an update reads and writes hot state
 * about seven times (its claim and "done" mark, the flood counter, the draft's lock and the
 * draft), and there each call prepared its statement anew, was built by drizzle, committed
 * with an fsync and waited for the records' write turn (serialized-writes.ts): the benchmark
 * measured 2.2 ms per update inside libSQL, the most of what bounded the webhook. Here:
 *
 * - each statement is prepared once and kept, and every operation is one statement;
 * - the file is its own, so hot-state writes neither wait for the records' writes nor hold
 *   them up, and its durability is its own: `synchronous=NORMAL` in WAL mode, so a commit is
 *   not synced to the disk at once (a checkpoint syncs it). A crash of the process loses
 *   nothing; a power cut may lose the last moments of hot state (a draft's last step, a flood
 *   count, an update's "done" mark, which only matters for an update Telegram was not yet
 *   told about), never a case or a reminder, which live in the database at SQLite's default;
 * - the calls are synchronous, as every call of the binding is (@libsql/client's too), a few
 *   tens of microseconds each.
 *
 * Another process on the same database (a second server, a script) opens the same hot file,
 * and SQLite's locking makes them take turns (BUSY_TIMEOUT_MS). A file first opened where the
 * database already held hot state (the kv table, before this store existed) takes its live
 * rows over once, so an upgrade keeps the drafts in progress and the updates already handled.
 */
import { createRequire } from "node:module";
import type LibsqlDatabase from "libsql";
import { isBusyError, StorageUnavailableError } from "../src/services/errors";
import type { HotState } from "../src/services/hot-state";
import { BUSY_TIMEOUT_MS } from "./node-client";

// libsql is a CommonJS package with an `export =` declaration.
const Database = createRequire(import.meta.url)("libsql") as typeof LibsqlDatabase;

/** Where the hot state of a database file lives: beside it, `NAME.hot.db`. */
export function hotStatePath(databasePath: string): string {
  return databasePath.replace(/(\.(db|sqlite3?))?$/, ".hot.db");
}

const SCHEMA = `
  create table if not exists kv (key text primary key, value text not null, expires_at integer);
  create index if not exists kv_expires_idx on kv (expires_at);`;

// The statements, by what they do. `? live` marks where "now" goes: a key whose expires_at is
// at or before now is treated as absent.
const STATEMENTS = {
  get: "select value from kv where key = ? and (expires_at is null or expires_at > ?)",
  set: "insert into kv (key, value, expires_at) values (?, ?, ?) on conflict (key) do update set value = excluded.value, expires_at = excluded.expires_at",
  // Inserted, or taken over from a row that expired: either way one row comes back.
  setIfAbsent: `insert into kv (key, value, expires_at) values (?, ?, ?) on conflict (key) do update
    set value = excluded.value, expires_at = excluded.expires_at where kv.expires_at is not null and kv.expires_at <= ? returning key`,
  // A fixed window: an expired counter starts again at 1 with a new expiry; a live one keeps its own.
  incr: `insert into kv (key, value, expires_at) values (?, '1', ?) on conflict (key) do update set
    value = case when kv.expires_at is not null and kv.expires_at <= ? then '1' else cast(cast(kv.value as integer) + 1 as text) end,
    expires_at = case when kv.expires_at is not null and kv.expires_at <= ? then excluded.expires_at else kv.expires_at end
    returning value`,
  // setIfAbsent's insert, returning the guarded key's live value (null when it has none) when the lock was taken.
  lockAndGet: `insert into kv (key, value, expires_at) values (?, ?, ?) on conflict (key) do update
    set value = excluded.value, expires_at = excluded.expires_at where kv.expires_at is not null and kv.expires_at <= ?
    returning (select value from kv where key = ? and (expires_at is null or expires_at > ?))`,
  delete: "delete from kv where key = ?",
  deleteIf: "delete from kv where key = ? and value = ?",
  ping: "select 1",
  purgeExpired: "delete from kv where expires_at is not null and expires_at <= ?",
} as const;

type Prepared = { [K in keyof typeof STATEMENTS]: LibsqlDatabase.Statement<unknown[]> };

function open(path: string, takeOverFrom: string | undefined, now: number): { db: LibsqlDatabase.Database; statements: Prepared } {
  const db = new Database(path, { timeout: BUSY_TIMEOUT_MS });
  try {
    db.exec("PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL;");
    const fresh = db.prepare("select 1 from sqlite_master where name = 'kv'").get() === undefined;
    db.exec(SCHEMA);
    if (fresh && takeOverFrom) takeOver(db, takeOverFrom, now);
    // Rows as arrays, not objects, where a statement returns any.
    const prepare = (sql: string) => {
      const statement = db.prepare(sql);
      return statement.reader ? statement.raw() : statement;
    };
    const statements = Object.fromEntries(Object.entries(STATEMENTS).map(([name, sql]) => [name, prepare(sql)])) as unknown as Prepared;
    return { db, statements };
  } catch (err) {
    db.close();
    throw err;
  }
}

/** Copies the database's live hot state into a new hot file (once: the file is new). */
function takeOver(db: LibsqlDatabase.Database, databasePath: string, now: number): void {
  db.prepare("attach database ? as records").run(databasePath);
  try {
    const held = db.prepare("select 1 from records.sqlite_master where name = 'kv'").get();
    if (held !== undefined) {
      db.prepare("insert or ignore into kv select key, value, expires_at from records.kv where expires_at is null or expires_at > ?").run(now);
    }
  } finally {
    db.exec("detach database records");
  }
}

export interface FileHotState extends HotState {
  close(): void;
}

/** Opens (creating it if need be) the hot file at `path`; `takeOverFrom` names the database file whose kv table a new hot file takes over. */
export function fileHotState(path: string, opts: { now?: () => number; takeOverFrom?: string } = {}): FileHotState {
  const now = opts.now ?? Date.now;
  // Opened now, so that a file that cannot be opened stops the server at its start.
  let opened: ReturnType<typeof open> | undefined = open(path, opts.takeOverFrom, now());

  /**
   * Runs one statement. A failure is the store's (the disk, another process holding the file
   * past the busy timeout): it is answered as unavailable, which the webhook turns into a
   * retry. After a busy refusal the connection is opened anew, since the binding may leave
   * the refused statement in progress (see serialized-writes.ts, reopeningAfterBusy).
   */
  const run = async <T>(work: (s: Prepared) => T): Promise<T> => {
    try {
      opened ??= open(path, opts.takeOverFrom, now());
      return work(opened.statements);
    } catch (err) {
      if (isBusyError(err)) close();
      throw new StorageUnavailableError("hot state (file)", err);
    }
  };
  const close = () => {
    opened?.db.close();
    opened = undefined;
  };
  const expiry = (ttlMs?: number) => (ttlMs === undefined ? null : now() + ttlMs);

  return {
    get: (key) => run((s) => (s.get.get(key, now()) as [string] | undefined)?.[0] ?? null),
    set: (key, value, ttlMs) =>
      run((s) => {
        s.set.run(key, value, expiry(ttlMs));
      }),
    setIfAbsent: (key, value, ttlMs) =>
      run((s) => {
        const t = now();
        return s.setIfAbsent.get(key, value, ttlMs === undefined ? null : t + ttlMs, t) !== undefined;
      }),
    incr: (key, ttlMs) =>
      run((s) => {
        const t = now();
        return Number((s.incr.get(key, t + ttlMs, t, t) as [string])[0]);
      }),
    delete: (key) =>
      run((s) => {
        s.delete.run(key);
      }),
    deleteIf: (key, value) =>
      run((s) => {
        s.deleteIf.run(key, value);
      }),
    // setIfAbsent, then incr or get: each a few microseconds and synchronous.
    claim: (key, value, ttlMs, counter) =>
      run((s) => {
        const t = now();
        if (s.setIfAbsent.get(key, value, t + ttlMs, t) === undefined) {
          return { claimed: false, held: (s.get.get(key, t) as [string] | undefined)?.[0] ?? null };
        }
        const count = counter === undefined ? null : Number((s.incr.get(counter.key, t + counter.ttlMs, t, t) as [string])[0]);
        return { claimed: true, count };
      }),
    lockAndGet: (lockKey, token, ttlMs, key) =>
      run((s) => {
        const t = now();
        const row = s.lockAndGet.get(lockKey, token, t + ttlMs, t, key, t) as [string | null] | undefined;
        return row === undefined ? null : { value: row[0] };
      }),
    // Two statements, each a few microseconds and synchronous, so nothing of this process runs
    // between them; they need not be one.
    setAndUnlock: (lockKey, token, key, leave) =>
      run((s) => {
        if (leave === null) s.delete.run(key);
        else if (leave !== undefined) s.set.run(key, leave.value, expiry(leave.ttlMs));
        s.deleteIf.run(lockKey, token);
      }),
    ping: () =>
      run((s) => {
        s.ping.get();
      }),
    purgeExpired: () => run((s) => s.purgeExpired.run(now()).changes),
    close,
  };
}
