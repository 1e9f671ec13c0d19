import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { kv } from "../../db/schema";
import { LAST_TICK_KEY } from "../../src/services/tick";
import { serviceFixture } from "../support/services";

let f: Awaited<ReturnType<typeof serviceFixture>>;
beforeEach(async () => {
  f = await serviceFixture();
});
afterEach(() => f.dispose());

describe("tick(now)", () => {
  it("purges expired hot state, keeps the rest, and records when it ran", async () => {
    await f.kv.set("draft:1", "old", 60_000);
    await f.kv.set("draft:2", "fresh", 3_600_000);
    await f.kv.set("setting", "forever");

    f.clock.at += 120_000;
    expect(await f.services.tick(f.clock.at)).toEqual({
      at: f.clock.at,
      ratingReminders: 0,
      outbox: { sent: 0, retried: 0, dead: 0 },
      purgedHotState: 1,
    });
    const keys = (await f.db.select({ key: kv.key }).from(kv)).map((r) => r.key).sort();
    expect(keys).toEqual(["draft:2", LAST_TICK_KEY, "setting"].sort());
    expect(await f.kv.get(LAST_TICK_KEY)).toBe(String(f.clock.at));
  });

  it("sends what the outbox holds", async () => {
    await f.services.outbox.enqueue([{ chatId: 42, method: "sendMessage", payload: { text: "通知" } }], f.clock.at);
    expect((await f.services.tick(f.clock.at)).outbox).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(f.fake.sentTexts(42)).toEqual(["通知"]);
  });
});
