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
      intake: 0,
      reminders: { sent: 0, cancelled: 0, failed: 0 },
      schedules: { sent: 0, skipped: 0, failed: 0 },
      ratingReminders: 0,
      noticeReminders: 0,
      digests: 0,
      erasedReporters: 0,
      outbox: { sent: 0, retried: 0, dead: 0 },
      archive: { archived: 0, unavailable: 0, retried: 0 },
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

  it("writes the recurring reminders that are due before it drains, so they go out in the same tick", async () => {
    await f.services.schedules.add({ chatId: -100700, cron: "0 15 * * 3", text: "周三例会提醒", createdBy: null });
    f.clock.at = Date.parse("2026-11-25T15:00:00+08:00");
    const result = await f.services.tick(f.clock.at);
    expect(result).toMatchObject({ schedules: { sent: 1, skipped: 0, failed: 0 }, outbox: { sent: 1, retried: 0, dead: 0 } });
    expect(f.fake.sentTexts(-100700)).toEqual(["🔔 周三例会提醒"]);
  });

  it("warns once a day in the log when the holiday table does not cover the coming year", async () => {
    const december = Date.parse("2026-12-02T02:00:00Z");
    await f.services.tick(december);
    await f.services.tick(december + 60_000);
    const warnings = f.log.entries.filter((e) => e.level === "warn" && String(e.msg).includes("2027"));
    expect(warnings).toHaveLength(1);
  });
});
