import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { kv } from "../../db/schema";
import { memoryLogger } from "../../src/log";
import { createTick, LAST_TICK_KEY } from "../../src/services/tick";
import { createTestDatabase, type TestDatabase } from "../support/db";

let database: TestDatabase;
beforeEach(async () => {
  database = await createTestDatabase();
});
afterEach(() => database.dispose());

describe("tick(now)", () => {
  it("purges expired hot state, keeps the rest, and records when it ran", async () => {
    let now = Date.parse("2026-11-25T00:00:00Z");
    const db = createDb(database.client);
    const store = libsqlHotState(db, () => now);
    await store.set("draft:1", "old", 60_000);
    await store.set("draft:2", "fresh", 3_600_000);
    await store.set("setting", "forever");

    now += 120_000;
    const tick = createTick({ kv: store, log: memoryLogger() });
    expect(await tick(now)).toEqual({ at: now, purgedHotState: 1 });

    const keys = (await db.select({ key: kv.key }).from(kv)).map((r) => r.key).sort();
    expect(keys).toEqual(["draft:2", LAST_TICK_KEY, "setting"].sort());
    expect(await store.get(LAST_TICK_KEY)).toBe(String(now));
  });
});
