/** What the command-line scripts share: how a bad invocation and a failure end, and opening the database. */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import { createDb, type Db } from "../db/client";
import { openClient } from "../db/node-client";

/** A mistake in how the script was called: the message, then the usage, exit code 2. */
export class UsageError extends Error {}

/**
 * Runs `main` with the arguments and sets the exit code: its result; 2 with the usage for a
 * UsageError or an argument node:util's parseArgs refused; 1 with the message for anything else.
 */
export async function runCli(name: string, usage: string, main: (args: string[]) => Promise<number>): Promise<void> {
  try {
    process.exitCode = await main(process.argv.slice(2));
  } catch (error) {
    if (error instanceof UsageError || (error as { code?: string }).code?.startsWith("ERR_PARSE_ARGS")) {
      console.error(`${name}: ${(error as Error).message}\n${usage}`);
      process.exitCode = 2;
    } else {
      console.error(`${name}: ${(error as Error).message}`);
      process.exitCode = 1;
    }
  }
}

/**
 * Opens DATABASE_URL (default ./data/hazardline.db, its folder made if need be), brings it up
 * to the latest migration, runs `work` with it and where it is (credentials left out, for the
 * output), and closes it.
 */
export async function withDb(work: (db: Db, where: string) => Promise<number>): Promise<number> {
  const url = process.env.DATABASE_URL || "file:./data/hazardline.db";
  if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });
  const client = openClient(url, process.env.DATABASE_AUTH_TOKEN || undefined);
  try {
    const db = createDb(client);
    await migrate(db, { migrationsFolder: fileURLToPath(new URL("../db/migrations", import.meta.url)) });
    return await work(db, url.replace(/\/\/[^@/]*@/, "//"));
  } finally {
    client.close();
  }
}
