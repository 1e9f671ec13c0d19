/** /healthz's report: a database that answers reads but refuses writes is down. */
import { createClient } from "@libsql/client";
import { afterEach, beforeEach, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { healthService } from "../../src/services/health";
import { createTestDatabase, type TestDatabase } from "../support/db";

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(() => database.dispose());

it("a database that can be read but not written is reported down", async () => {
  const client = createClient({ url: database.url });
  try {
    const db = createDb(client);
    // No archive configured: its part of the report is "off" and plays no part in being up.
    const check = healthService(db, libsqlHotState(db), { health: async () => ({ state: "off" as const, pending: 0 }) });
    expect(await check()).toMatchObject({ ok: true, database: "ok" });
    // Every write refused from here on, as with a full disk or a lock held for good; reads still answer.
    await client.execute("PRAGMA query_only = ON");
    expect((await client.execute("select 1 as one")).rows[0]?.one).toBe(1);
    expect(await check()).toMatchObject({ ok: false, database: "down" });
  } finally {
    client.close();
  }
});
