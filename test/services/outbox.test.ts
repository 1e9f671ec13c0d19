/** The outbox against the fake Bot API: sent once, retried as Telegram asks, never lost silently. */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chats, outbox, schedules, units, users } from "../../db/schema";
import { LEASE_MS, MAX_ATTEMPTS } from "../../src/services/outbox";
import { serviceFixture } from "../support/services";

let f: Awaited<ReturnType<typeof serviceFixture>>;
beforeEach(async () => {
  f = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"), { timeoutSeconds: 1 });
});
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

const message = (chatId: number, text = "您的事项有新进展", dedupeKey?: string) => ({
  chatId,
  method: "sendMessage" as const,
  payload: { text },
  dedupeKey,
});
const rows = () => f.db.select().from(outbox).orderBy(outbox.id);
/** One drain with the frozen clock at `at` (a clock that cannot wait: one pass). */
async function drainAt(at: number) {
  const saved = f.clock.at;
  f.clock.at = at;
  try {
    return await f.services.outbox.drain();
  } finally {
    f.clock.at = saved;
  }
}

describe("the outbox", () => {
  it("sends a message once and marks it sent; the next drain sends nothing", async () => {
    await f.services.outbox.enqueue([message(1), message(2)], f.clock.at);
    expect(await drainAt(f.clock.at)).toEqual({ sent: 2, retried: 0, dead: 0 });
    expect(await drainAt(f.clock.at)).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(f.fake.callsTo("sendMessage").map((c) => c.params)).toEqual([
      { chat_id: 1, text: "您的事项有新进展" },
      { chat_id: 2, text: "您的事项有新进展" },
    ]);
    expect((await rows()).map((r) => [r.status, r.attempts, r.sentAt])).toEqual([
      ["sent", 1, f.clock.at],
      ["sent", 1, f.clock.at],
    ]);
  });

  it("enqueues a message with a dedupe key once, however often it is asked", async () => {
    for (let i = 0; i < 3; i++) await f.services.outbox.enqueue([message(3, "请评价", "rating-request:9:3")], f.clock.at);
    await drainAt(f.clock.at);
    expect(f.fake.sentTexts(3)).toEqual(["请评价"]);
  });

  it("waits out a 429 as long as Telegram says, without spending an attempt", async () => {
    f.fake.failNext("sendMessage", { kind: "flood", retryAfter: 5 });
    await f.services.outbox.enqueue([message(4)], f.clock.at);
    expect(await drainAt(f.clock.at)).toEqual({ sent: 0, retried: 1, dead: 0 });
    expect(await drainAt(f.clock.at + 4_999)).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await drainAt(f.clock.at + 5_000)).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect((await rows())[0]).toMatchObject({ status: "sent", attempts: 1 });
  });

  it("retries a 500 with growing backoff, then gives up after MAX_ATTEMPTS and logs it", async () => {
    f.fake.failNext("sendMessage", { kind: "error", status: 500 }, MAX_ATTEMPTS);
    await f.services.outbox.enqueue([message(5)], f.clock.at);
    const waits: number[] = [];
    let at = f.clock.at;
    for (let attempt = 1; attempt <= MAX_ATTEMPTS; attempt++) {
      const result = await drainAt(at);
      expect(result.sent).toBe(0);
      const [row] = await rows();
      if (attempt < MAX_ATTEMPTS) {
        expect(row).toMatchObject({ status: "pending", attempts: attempt });
        expect(await drainAt(row!.notBefore - 1)).toEqual({ sent: 0, retried: 0, dead: 0 });
        waits.push(row!.notBefore - at);
        at = row!.notBefore;
      } else {
        expect(row).toMatchObject({ status: "dead", attempts: MAX_ATTEMPTS, lastError: expect.stringContaining("Internal Server Error") });
      }
    }
    expect(waits).toEqual([30_000, 120_000, 480_000, 1_920_000, 7_680_000]);
    expect(f.log.entries).toContainEqual(expect.objectContaining({ level: "error", msg: "outbox message dead", chatId: 5 }));
  });

  it("stops at once on 403 and marks the person as having blocked the bot", async () => {
    await f.db.insert(users).values({ telegramId: 6, locale: "zh-CN" });
    f.fake.failNext("sendMessage", { kind: "error", status: 403 });
    await f.services.outbox.enqueue([message(6)], f.clock.at);
    expect(await drainAt(f.clock.at)).toEqual({ sent: 0, retried: 0, dead: 1 });
    const [user] = await f.db.select().from(users).where(eq(users.telegramId, 6));
    expect(user?.blockedAt).toBe(f.clock.at);
  });

  it("abandons a send that hangs and tries it again later", async () => {
    f.fake.failNext("sendMessage", { kind: "hang" });
    await f.services.outbox.enqueue([message(7)], f.clock.at);
    expect(await drainAt(f.clock.at)).toEqual({ sent: 0, retried: 1, dead: 0 });
    expect(f.log.entries).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "outbox send got no answer; it may have been delivered and will be sent again", chatId: 7 }),
    );
    const [row] = await rows();
    expect(await drainAt(row!.notBefore)).toEqual({ sent: 1, retried: 0, dead: 0 });
  });

  it("sends each row once when several drainers run at the same moment", async () => {
    await f.services.outbox.enqueue(
      Array.from({ length: 20 }, (_, i) => message(100 + i)),
      f.clock.at,
    );
    const results = await Promise.all([1, 2, 3].map(() => drainAt(f.clock.at)));
    expect(results.reduce((n, r) => n + r.sent, 0)).toBe(20);
    const chats = f.fake.callsTo("sendMessage").map((c) => c.params.chat_id);
    expect(new Set(chats).size).toBe(20);
    expect(chats).toHaveLength(20);
  });

  it("sends again, and logs, a row whose drainer died after claiming it", async () => {
    await f.services.outbox.enqueue([message(8)], f.clock.at);
    // What a crash between claiming and marking leaves behind.
    await f.db.update(outbox).set({ status: "sending", attempts: 1, leaseUntil: f.clock.at + LEASE_MS });
    expect(await drainAt(f.clock.at + LEASE_MS - 1)).toEqual({ sent: 0, retried: 0, dead: 0 });
    expect(await drainAt(f.clock.at + LEASE_MS)).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(f.log.entries).toContainEqual(
      expect.objectContaining({ level: "warn", msg: "outbox message interrupted mid-send; sending again", chatId: 8 }),
    );
  });

  it("follows a group that became a supergroup: the binding and the message move to the new id", async () => {
    await f.db.insert(units).values({ id: "u1", kind: "office", nameZh: "办", nameEn: "Office" });
    await f.db.insert(chats).values({ chatId: -500, title: "工作群", purpose: "unit", unitId: "u1" });
    await f.services.schedules.add({ chatId: -500, cron: "0 15 * * 5", text: "周报", createdBy: null });
    f.fake.failNext("sendMessage", {
      kind: "error",
      status: 400,
      description: "Bad Request: group chat was upgraded to a supergroup chat",
      parameters: { migrate_to_chat_id: -1000000000500 },
    });
    await f.services.outbox.enqueue([message(-500, "新交办")], f.clock.at);
    // Moved, then sent to the new id in the same drain.
    expect(await drainAt(f.clock.at)).toEqual({ sent: 1, retried: 1, dead: 0 });
    expect(f.fake.sentTexts(-1000000000500)).toEqual(["新交办"]);
    expect((await f.db.select().from(chats)).map((c) => c.chatId)).toEqual([-1000000000500]);
    expect((await f.db.select().from(schedules)).map((s) => s.chatId)).toEqual([-1000000000500]);
  });

  it("does not write to someone who blocked the bot, and writes again once they unblock", async () => {
    // Someone the bot has never heard from (a member the directory added) gets a row saying so.
    await f.services.outbox.setReachable(9, false, f.clock.at);
    expect((await f.db.select().from(users).where(eq(users.telegramId, 9)))[0]).toMatchObject({ blockedAt: f.clock.at });
    await f.services.outbox.enqueue([message(9, "一")], f.clock.at);
    expect(await drainAt(f.clock.at)).toEqual({ sent: 0, retried: 0, dead: 1 });
    await f.services.outbox.setReachable(9, true, f.clock.at);
    await f.services.outbox.enqueue([message(9, "二")], f.clock.at);
    expect(await drainAt(f.clock.at)).toEqual({ sent: 1, retried: 0, dead: 0 });
    expect(f.fake.sentTexts(9)).toEqual(["二"]);
  });
});
