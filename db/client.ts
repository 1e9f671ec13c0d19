/**
 * The drizzle database over a libSQL client that the runtime entry made: `@libsql/client`
 * (a local file) on Node, `@libsql/client/web` (Turso over HTTP) on Workers. This module
 * opens nothing itself, so it imports no runtime-specific client.
 */
import type { Client } from "@libsql/client";
import { sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql/web";
import * as schema from "./schema";

export function createDb(client: Client) {
  return drizzle(client, { schema });
}

export type Db = ReturnType<typeof createDb>;

/**
 * A local database file goes into WAL mode (it stays so: the mode is kept in the file). The
 * default rollback journal makes a writer's COMMIT wait for every reader, so a tick's
 * transaction and a webhook's reads collide as "database is locked"; worse, the libSQL client
 * hands a connection whose COMMIT failed back to its pool with the transaction still open.
 * With WAL, readers never block a commit and writers queue at BEGIN IMMEDIATE, where a busy
 * answer is safe to retry. Remote databases (Turso, sqld) manage this themselves.
 */
export async function preferWal(client: Client, url: string): Promise<void> {
  if (url.startsWith("file:")) await client.execute("PRAGMA journal_mode=WAL");
}

/**
 * Throws when the database cannot be written: a read alone would say "ok" while every write
 * fails (a full disk, a lock held for good by a stuck process). The probe writes one row of
 * the hot-state table, which exists on every runtime, and expires at once.
 */
export async function pingDb(db: Db): Promise<void> {
  await db.run(
    sql`insert into kv (key, value, expires_at) values ('health:probe', '1', 0) on conflict (key) do update set value = excluded.value, expires_at = 0`,
  );
}

/** The database or a transaction on it: queries that must join a caller's transaction take this. */
export type Executor = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
