/** Writes in one process take turns on a local file, rather than failing busy or stalling the thread. */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { serializeWrites } from "../../db/serialized-writes";
import { createTestDatabase, type TestDatabase } from "../support/db";

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(() => database.dispose());

const count = async () => Number((await database.client.execute("select count(*) as n from kv")).rows[0]!.n);

describe("writes on a local file take turns within the process", () => {
  it("a write during an open transaction waits for its commit, and a read does not wait", async () => {
    const { client } = database;
    const tx = await client.transaction("write");
    await tx.execute("insert into kv (key, value) values ('a', '1')");
    let written = false;
    const write = client.execute("insert into kv (key, value) values ('b', '2')").then(() => (written = true));
    // The read sees the last committed state at once: the transaction's row is not there yet.
    expect(await count()).toBe(0);
    await new Promise((r) => setTimeout(r, 50));
    expect(written).toBe(false);
    await tx.commit();
    await write;
    expect(await count()).toBe(2);
  });

  it("a turn not given in time fails as busy, and a rolled-back transaction gives its turn back", async () => {
    const client = serializeWrites(database.client, 100);
    const tx = await client.transaction("write");
    await expect(client.execute("insert into kv (key, value) values ('c', '3')")).rejects.toMatchObject({ code: "SQLITE_BUSY" });
    await tx.rollback();
    await client.execute("insert into kv (key, value) values ('c', '3')");
    expect(await count()).toBe(1);
  });
});
