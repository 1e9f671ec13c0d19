/**
 * The database file held locked by another process past the busy timeout (issue 17, point 9):
 * an update that meets the lock is answered with a retryable 5xx, and every update answered
 * 200 afterwards really is stored, as a fresh connection (another process) reads it.
 *
 * A second libSQL client on the same file takes the write lock (BEGIN IMMEDIATE) and keeps it
 * past the app's busy timeout (BUSY_TIMEOUT_MS, 5 s: there is no knob, so the lock is simply
 * held until the locked update has been answered) while a citizen's update is posted; then it
 * lets go, the citizen sends more updates, and Telegram redelivers the refused one. Before the
 * fix in db/serialized-writes.ts, the refused write stayed in progress on its pooled
 * connection and the later updates were answered 200 but never committed
 * (tursodatabase/libsql-client-ts#352). Run: `npx vitest run test/db/busy-recovery.test.ts`.
 */
import { type Client, createClient } from "@libsql/client";
import type { Update } from "grammy/types";
import { afterEach, describe, expect, it } from "vitest";
import { BUSY_TIMEOUT_MS } from "../../db/node-client";
import { serializeWrites } from "../../db/serialized-writes";
import { updateKey } from "../../src/bot/update-guard";
import { createTestDatabase } from "../support/db";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";

let h: Harness | undefined;
afterEach(async () => {
  await h?.stop();
  h = undefined;
});

/** What another process sees: the update's mark in the hot-state table, read on a new connection. */
async function storedMark(url: string, update: Update): Promise<string | null> {
  const fresh = createClient({ url });
  try {
    const row = (await fresh.execute({ sql: "select value from kv where key = ?", args: [updateKey(update.update_id)] })).rows[0];
    return row ? String(row.value) : null;
  } finally {
    fresh.close();
  }
}

describe("a database file locked by another process past the busy timeout", () => {
  it("the locked update answers 5xx, its redelivery takes effect once, and every 200 afterwards is stored", async () => {
    h = await startHarness();
    const { url } = h.database;
    const citizen = person({ id: 5501, first_name: "Lin" });
    const statuses: number[] = [];
    const post = async (update: Update) => {
      const res = await h!.post(update);
      statuses.push(res.status);
      return res.status;
    };

    const before = citizen.says("/start");
    expect(await post(before)).toBe(200);
    expect(await storedMark(url, before)).toBe("done");

    // Another process takes the write lock and keeps it until the locked update has been answered.
    const other = createClient({ url, timeout: BUSY_TIMEOUT_MS });
    const lock = await other.transaction("write");
    const locked = citizen.says("/help");
    let lockedStatus: number;
    try {
      lockedStatus = await post(locked);
    } finally {
      await lock.rollback();
      other.close();
    }
    expect(lockedStatus).toBeGreaterThanOrEqual(500);
    expect(lockedStatus).toBeLessThan(600);
    expect(await storedMark(url, locked)).not.toBe("done");

    // The lock is gone: later updates, and then Telegram's redelivery of the refused one.
    const after = ["/start", "/help", "/start"].map((t) => citizen.says(t));
    for (const update of after) expect(await post(update)).toBe(200);
    expect(await post(locked)).toBe(200);
    const duplicate = await post(locked);
    expect(duplicate).toBe(200);

    for (const update of [before, ...after, locked]) expect(await storedMark(url, update), `update ${update.update_id}`).toBe("done");
    // The redelivery ran the update once: the second one was recognised as done.
    expect(h.log.entries.filter((e) => e.msg === "duplicate update ignored" && e.updateId === locked.update_id)).toHaveLength(1);

    // A write transaction of the app commits, and another process sees it.
    const tx = await h.database.client.transaction("write");
    await tx.execute({ sql: "insert into kv (key, value) values ('busy-recovery:probe', '1')", args: [] });
    await tx.commit();
    const fresh = createClient({ url });
    expect((await fresh.execute("select value from kv where key = 'busy-recovery:probe'")).rows).toHaveLength(1);
    fresh.close();

    console.info(`busy-recovery figures: ${JSON.stringify({ posted: statuses.length, statuses, lockedStatus })}`);
    await expectSoundDatabase(h.database.client, { settled: true });
  });
});

/** Each way the app writes, refused as busy while another connection holds the lock. */
const refusedWrites: Record<string, (c: Client) => Promise<unknown>> = {
  "a statement with RETURNING": (c) => c.execute("insert into kv (key, value) values ('refused', '1') returning key"),
  "a plain statement": (c) => c.execute("insert into kv (key, value) values ('refused', '1')"),
  "a batch": (c) => c.batch(["insert into kv (key, value) values ('refused', '1')"], "write"),
  "a write transaction's BEGIN IMMEDIATE": (c) => c.transaction("write"),
};

describe("a write refused as busy on a file leaves no stuck connection behind", () => {
  for (const [name, refused] of Object.entries(refusedWrites)) {
    it(`after ${name}, later writes and transactions commit`, async () => {
      const database = await createTestDatabase();
      // The app's wrapping over a client with a short busy timeout, as openClient makes it with 5 s.
      const app = serializeWrites(createClient({ url: database.url, timeout: 100 }));
      const other = createClient({ url: database.url, timeout: 100 });
      const fresh = createClient({ url: database.url });
      try {
        const lock = await other.transaction("write");
        await expect(refused(app)).rejects.toMatchObject({ code: "SQLITE_BUSY" });
        await lock.rollback();

        await app.execute("insert into kv (key, value) values ('after', '1') returning key");
        const tx = await app.transaction("write");
        await tx.execute("insert into kv (key, value) values ('in-tx', '1')");
        await tx.commit();
        const seen = (await fresh.execute("select key from kv where key in ('after', 'in-tx', 'refused') order by key")).rows.map((r) => r.key);
        expect(seen).toEqual(["after", "in-tx"]);
        await expectSoundDatabase(fresh);
      } finally {
        app.close();
        other.close();
        fresh.close();
        database.dispose();
      }
    });
  }
});
