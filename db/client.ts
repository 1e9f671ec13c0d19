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

/** Throws when the database cannot be reached. */
export async function pingDb(db: Db): Promise<void> {
  await db.run(sql`select 1`);
}

/** The database or a transaction on it: queries that must join a caller's transaction take this. */
export type Executor = Db | Parameters<Parameters<Db["transaction"]>[0]>[0];
