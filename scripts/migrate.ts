/**
 * npm run migrate — applies db/migrations to DATABASE_URL (a local file by default, or a
 * Turso database with DATABASE_AUTH_TOKEN). The Node server also does this at start;
 * for Workers, run it against Turso before deploying.
 */
import { mkdirSync } from "node:fs";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { migrate } from "drizzle-orm/libsql/migrator";
import { createDb, preferWal } from "../db/client";
import { openClient } from "../db/node-client";

const url = process.env.DATABASE_URL || "file:./data/hazardline.db";
if (url.startsWith("file:")) mkdirSync(dirname(url.slice("file:".length)), { recursive: true });

const client = openClient(url, process.env.DATABASE_AUTH_TOKEN || undefined);
try {
  await preferWal(client, url);
  await migrate(createDb(client), {
    migrationsFolder: fileURLToPath(new URL("../db/migrations", import.meta.url)),
  });
  console.log(`Migrated ${url.replace(/\/\/[^@/]*@/, "//")}`);
} finally {
  client.close();
}
