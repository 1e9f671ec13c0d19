/** A fresh, migrated libSQL file database in a temporary folder, per test or suite. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { Client } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { createDb, preferWal } from "../../db/client";
import { openClient } from "../../db/node-client";

export const MIGRATIONS_FOLDER = fileURLToPath(new URL("../../db/migrations", import.meta.url));

export interface TestDatabase {
  url: string;
  client: Client;
  /** Closes the client and deletes the folder. */
  dispose(): void;
}

export async function createTestDatabase(): Promise<TestDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "hazardline-test-"));
  const url = `file:${join(dir, "hazardline.db")}`;
  const client = openClient(url);
  await preferWal(client, url);
  await migrate(createDb(client), { migrationsFolder: MIGRATIONS_FOLDER });
  return {
    url,
    client,
    dispose() {
      client.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
