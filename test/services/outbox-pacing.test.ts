/**
 * The outbox under Telegram's limits, against a fake Bot API that enforces them (429 on a
 * breach) on the same simulated clock as the bot: waiting moves the clock on at once, so a
 * drain that takes minutes of Telegram's time runs in milliseconds.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { chats, members, outbox, units, users } from "../../db/schema";
import { MAX_CAPTION, MAX_TEXT } from "../../src/domain/message-parts";
import { DEFAULT_PACING, TICK_DRAIN_MS } from "../../src/services/outbox";
import type { RecordedCall } from "../support/fake-bot-api";
import { serviceFixture } from "../support/services";

const TELEGRAM = { privateGapMs: 1000, groupPerMinute: 20, globalPerSecond: 30 };
const HOUR = 3_600_000;

let f: Awaited<ReturnType<typeof serviceFixture>>;
beforeEach(async () => {
  f = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"), { simulated: true });
  f.fake.enforceLimits({ ...TELEGRAM, clock: f.clock.now });
});
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

const text = (chatId: number, body: string, extra: Record<string, unknown> = {}) => ({
  chatId,
  method: "sendMessage" as const,
  payload: { text: body, ...extra },
});
const sends = () => f.fake.calls.filter((c) => c.method.startsWith("send"));
const times = (calls: RecordedCall[]) => calls.map((c) => c.at);
const gaps = (ts: number[]) => ts.slice(1).map((t, i) => t - ts[i]!);
/** The most sends within any one second. */
function busiestSecond(ts: number[]): number {
  let most = 0;
  for (let i = 0, j = 0; i < ts.length; i++) {
    while (ts[i]! - ts[j]! >= 1000) j++;
    most = Math.max(most, i - j + 1);
  }
  return most;
}

describe("the outbox keeps Telegram's pace", () => {
  it("spaces a private chat a second apart, a group three seconds, and everyone at most 25 a second, in order per chat", async () => {
    const start = f.clock.at;
    await f.services.outbox.enqueue(
      [
        ...Array.from({ length: 5 }, (_, i) => text(7, `private ${i}`)),
        ...Array.from({ length: 25 }, (_, i) => text(-100, `group ${i}`)),
        ...Array.from({ length: 200 }, (_, i) => text(1000 + i, "notice")),
      ],
      start,
    );
    const result = await f.services.outbox.drain({ budgetMs: 10 * 60_000 });
    expect(result).toEqual({ sent: 230, retried: 0, dead: 0 });
    expect(f.fake.limitBreaches).toEqual([]);

    expect(f.fake.sentTexts(7)).toEqual(["private 0", "private 1", "private 2", "private 3", "private 4"]);
    expect(Math.min(...gaps(times(sends().filter((c) => c.params.chat_id === 7))))).toBeGreaterThanOrEqual(DEFAULT_PACING.privateGapMs);
    const group = sends().filter((c) => c.params.chat_id === -100);
    expect(group.map((c) => c.params.text)).toEqual(Array.from({ length: 25 }, (_, i) => `group ${i}`));
    expect(Math.min(...gaps(times(group)))).toBeGreaterThanOrEqual(DEFAULT_PACING.groupGapMs);
    expect(busiestSecond(times(sends()))).toBeLessThanOrEqual(DEFAULT_PACING.globalPerSecond);
    // The group's 25 messages set the pace of the whole drain: 24 gaps of 3 s.
    expect(f.clock.at - start).toBeGreaterThanOrEqual(24 * DEFAULT_PACING.groupGapMs);
    expect(f.clock.at - start).toBeLessThan(24 * DEFAULT_PACING.groupGapMs + 2000);
  });

  it("counts an album as its parts: three albums of ten to a group keep the group's 20 a minute", async () => {
    const start = f.clock.at;
    const album = (n: number) => ({
      chatId: -300,
      method: "sendMediaGroup" as const,
      payload: { media: Array.from({ length: 10 }, (_, i) => ({ type: "photo", media: `file-${n}-${i}` })) },
    });
    await f.services.outbox.enqueue([album(1), album(2), album(3), text(-300, "after the albums")], start);
    const result = await f.services.outbox.drain({ budgetMs: 10 * 60_000 });
    expect(result).toEqual({ sent: 4, retried: 0, dead: 0 });
    expect(f.fake.limitBreaches).toEqual([]);
    const group = sends().filter((c) => c.params.chat_id === -300);
    expect(group.map((c) => c.method)).toEqual(["sendMediaGroup", "sendMediaGroup", "sendMediaGroup", "sendMessage"]);
    // Each album holds the group for ten messages' worth of its pace.
    expect(Math.min(...gaps(times(group)))).toBeGreaterThanOrEqual(10 * DEFAULT_PACING.groupGapMs);
  });

  it("reaches the configured rate when many people are written to: 200 messages in about 8 seconds", async () => {
    const start = f.clock.at;
    await f.services.outbox.enqueue(
      Array.from({ length: 200 }, (_, i) => text(5000 + i, "notice")),
      start,
    );
    await f.services.outbox.drain({ budgetMs: 60_000 });
    const span = Math.max(...times(sends())) - start;
    const rate = (200 - 1) / (span / 1000);
    expect(rate).toBeGreaterThanOrEqual(0.9 * DEFAULT_PACING.globalPerSecond);
    expect(rate).toBeLessThanOrEqual(DEFAULT_PACING.globalPerSecond + 0.01);
    expect(f.fake.limitBreaches).toEqual([]);
  });

  it("starts the groups' trains first, so messages queued behind many others still go in one tick's drain", async () => {
    const start = f.clock.at;
    await f.services.outbox.enqueue(
      [
        ...Array.from({ length: 300 }, (_, i) => text(7000 + i, "private")),
        ...Array.from({ length: 40 }, (_, i) => text(-200 - (i % 4), `group ${i}`)),
      ],
      start,
    );
    expect(await f.services.outbox.drain({ budgetMs: TICK_DRAIN_MS })).toEqual({ sent: 340, retried: 0, dead: 0 });
    expect(f.fake.limitBreaches).toEqual([]);
    // Four groups, ten messages each at one per 3 s: 27 s, started at once, not after the 300.
    const groupTimes = times(sends().filter((c) => Number(c.params.chat_id) < 0));
    expect(Math.min(...groupTimes) - start).toBeLessThan(1000);
  });

  it("after an update that queued nothing, looks once and sends nothing", async () => {
    await f.services.outbox.enqueue([{ ...text(9100, "later"), notBefore: f.clock.at + 60_000 }], f.clock.at);
    const statements: string[] = [];
    const client = f.database.client;
    const execute = client.execute.bind(client);
    client.execute = ((stmt: Parameters<typeof execute>[0]) => {
      statements.push(typeof stmt === "string" ? stmt : (stmt as { sql: string }).sql);
      return execute(stmt);
    }) as typeof client.execute;
    expect(await f.services.outbox.drainSoon()).toBeUndefined();
    client.execute = execute;
    expect(statements).toHaveLength(1);
    expect(statements[0]).toMatch(/^select .* from "outbox"/);
    expect(sends()).toEqual([]);
  });

  it("stops waiting when its budget is spent and leaves the rest for the next drain", async () => {
    await f.services.outbox.enqueue(
      Array.from({ length: 5 }, (_, i) => text(8, `m${i}`)),
      f.clock.at,
    );
    expect(await f.services.outbox.drain({ budgetMs: 2500 })).toMatchObject({ sent: 3 });
    expect(await f.services.outbox.drain({ budgetMs: 2500 })).toMatchObject({ sent: 2 });
    expect(f.fake.sentTexts(8)).toEqual(["m0", "m1", "m2", "m3", "m4"]);
  });

  it("sends only within its time, and gives back what it holds when the time is up", async () => {
    const start = f.clock.at;
    await f.services.outbox.enqueue(
      Array.from({ length: 200 }, (_, i) => text(6000 + i, "notice")),
      start,
    );
    const result = await f.services.outbox.drain({ budgetMs: 2000 });
    expect(result.sent).toBeGreaterThanOrEqual(45);
    expect(result.sent).toBeLessThanOrEqual(51);
    expect(f.clock.at - start).toBeLessThanOrEqual(2000);
    const statuses = (await f.db.select().from(outbox)).map((r) => r.status);
    expect(statuses.filter((s) => s === "sending")).toEqual([]);
    expect(statuses.filter((s) => s === "pending")).toHaveLength(200 - result.sent);
    expect((await f.db.select().from(outbox)).filter((r) => r.status === "pending").every((r) => r.attempts === 0)).toBe(true);
  });

  it("keeps a global rate below one a second", async () => {
    await f.dispose();
    f = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"), { simulated: true, pacing: { globalPerSecond: 0.5 } });
    f.fake.enforceLimits({ ...TELEGRAM, clock: f.clock.now });
    const start = f.clock.at;
    await f.services.outbox.enqueue([text(31, "a"), text(32, "b"), text(33, "c")], start);
    expect(await f.services.outbox.drain({ budgetMs: 10_000 })).toEqual({ sent: 3, retried: 0, dead: 0 });
    expect(times(sends()).map((t) => t - start)).toEqual([0, 2000, 4000]);
  });

  it("honours retry_after: nothing goes to that chat before the time Telegram named", async () => {
    const start = f.clock.at;
    f.fake.failNext("sendMessage", { kind: "flood", retryAfter: 7 });
    await f.services.outbox.enqueue([text(9, "first"), text(9, "second")], start);
    expect(await f.services.outbox.drain({ budgetMs: 3000 })).toEqual({ sent: 0, retried: 1, dead: 0 });
    f.clock.at = start + 6_999;
    expect(await f.services.outbox.drain()).toEqual({ sent: 0, retried: 0, dead: 0 });
    f.clock.at = start + 7_000;
    expect(await f.services.outbox.drain({ budgetMs: 5000 })).toEqual({ sent: 2, retried: 0, dead: 0 });
    const delivered = sends().filter((c) => c.params.chat_id === 9 && c.result !== undefined);
    expect(delivered.map((c) => c.params.text)).toEqual(["first", "second"]);
    expect(delivered[0]!.at).toBeGreaterThanOrEqual(start + 7_000);
  });

  it("slows down when the fake Telegram says 429 for its own limits, and loses nothing", async () => {
    // Pace set faster than the fake allows: every breach is a 429 the outbox must wait out.
    await f.dispose();
    f = await serviceFixture(Date.parse("2026-11-25T02:00:00Z"), { simulated: true, pacing: { privateGapMs: 200 } });
    f.fake.enforceLimits({ ...TELEGRAM, clock: f.clock.now });
    await f.services.outbox.enqueue(
      Array.from({ length: 4 }, (_, i) => text(10, `m${i}`)),
      f.clock.at,
    );
    for (let round = 0; round < 10 && f.fake.sentTexts(10).filter(Boolean).length < 8; round++) {
      await f.services.outbox.drain({ budgetMs: 5000 });
      f.clock.at += 1000;
    }
    const delivered = sends().filter((c) => c.result !== undefined);
    expect(delivered.map((c) => c.params.text)).toEqual(["m0", "m1", "m2", "m3"]);
    expect(f.fake.limitBreaches.length).toBeGreaterThan(0);
    expect((await f.db.select().from(outbox)).every((r) => r.status === "sent")).toBe(true);
  });
});

describe("long messages", () => {
  it("sends a text over 4096 characters in parts, in order, with the buttons under the last", async () => {
    const paragraph = "隐患整改情况通报。".repeat(100); // 900 characters
    const long = Array.from({ length: 10 }, () => paragraph).join("\n\n");
    const keyboard = { inline_keyboard: [[{ text: "已阅 Read", callback_data: "n:1:read" }]] };
    await f.services.outbox.enqueue([text(11, long, { reply_markup: keyboard })], f.clock.at);
    await f.services.outbox.drain({ budgetMs: 60_000 });
    const parts = sends().filter((c) => c.params.chat_id === 11);
    expect(parts.length).toBe(3);
    expect(parts.every((c) => String(c.params.text).length <= MAX_TEXT)).toBe(true);
    expect(parts.map((c) => String(c.params.text)).join("\n\n")).toBe(long);
    expect(parts.map((c) => c.params.reply_markup !== undefined)).toEqual([false, false, true]);
    expect(Math.min(...gaps(times(parts)))).toBeGreaterThanOrEqual(1000);
    const [row] = await f.db.select().from(outbox);
    expect(row).toMatchObject({ status: "sent", partsSent: 3 });
  });

  it("after a failure mid-way, sends the remaining parts, not the first again", async () => {
    const long = "甲".repeat(MAX_TEXT) + "乙".repeat(MAX_TEXT) + "丙".repeat(10);
    await f.services.outbox.enqueue([text(12, long)], f.clock.at);
    await f.services.outbox.drain(); // part one
    f.fake.failNext("sendMessage", { kind: "error", status: 500 });
    await f.services.outbox.drain({ budgetMs: 5000 }); // part two fails
    const [row] = await f.db.select().from(outbox);
    expect(row).toMatchObject({ status: "pending", partsSent: 1 });
    f.clock.at = row!.notBefore;
    await f.services.outbox.drain({ budgetMs: 5000 });
    const delivered = sends()
      .filter((c) => c.result !== undefined)
      .map((c) => String(c.params.text)[0]);
    expect(delivered).toEqual(["甲", "乙", "丙"]);
  });

  it("keeps a photo's caption within 1024 characters and sends the rest after it", async () => {
    const caption = "整改前后对比。".repeat(200); // 1400 characters
    await f.services.outbox.enqueue([{ chatId: 13, method: "sendPhoto", payload: { photo: "AgAD-photo", caption } }], f.clock.at);
    await f.services.outbox.drain({ budgetMs: 10_000 });
    const [photo, rest] = sends();
    expect(photo).toMatchObject({ method: "sendPhoto" });
    expect(String(photo!.params.caption).length).toBeLessThanOrEqual(MAX_CAPTION);
    expect(rest).toMatchObject({ method: "sendMessage", params: { chat_id: 13 } });
    expect(`${photo!.params.caption}${rest!.params.text}`.replace(/\s/g, "")).toBe(caption);
  });
});

describe("a message that cannot be delivered", () => {
  beforeEach(async () => {
    await f.db.insert(units).values({ id: "office", kind: "office", nameZh: "安委办", nameEn: "Safety Committee Office" });
    await f.db.insert(chats).values({ chatId: -900, title: "调度群", purpose: "dispatchers" });
    await f.db.insert(members).values({ telegramId: 21, unitId: "office", roles: ["liaison"], name: "王联络" });
    await f.db.insert(users).values([
      { telegramId: 21, locale: "zh-CN" },
      { telegramId: 22, locale: "zh-CN" },
    ]);
  });

  it("is reported to the dispatchers' group once, naming a staff member", async () => {
    f.fake.failNext("sendMessage", { kind: "error", status: 403 });
    await f.services.outbox.enqueue([text(21, "新交办：YH-20261125-0001")], f.clock.at);
    expect(await f.services.outbox.drain({ budgetMs: 10_000 })).toEqual({ sent: 1, retried: 0, dead: 1 });
    const [report] = f.fake.sentTexts(-900);
    expect(report).toContain("王联络");
    expect(report).toContain("YH-20261125-0001");
    expect(report).toContain("Forbidden");
    await f.services.outbox.drain({ budgetMs: 10_000 });
    expect(f.fake.sentTexts(-900)).toHaveLength(1);
  });

  it("403 from a member the bot has never heard from: marked, reported once, the next one skipped quietly", async () => {
    await f.db.insert(members).values({ telegramId: 23, unitId: "office", roles: ["liaison"], name: "赵新人" });
    f.fake.failNext("sendMessage", { kind: "error", status: 403 });
    await f.services.outbox.enqueue([text(23, "新交办：一")], f.clock.at);
    await f.services.outbox.drain({ budgetMs: 10_000 });
    expect((await f.db.select().from(users).where(eq(users.telegramId, 23)))[0]?.blockedAt).not.toBeNull();
    await f.services.outbox.enqueue([text(23, "新交办：二")], f.clock.at);
    expect(await f.services.outbox.drain({ budgetMs: 10_000 })).toMatchObject({ dead: 1 });
    expect(f.fake.sentTexts(-900).filter((t) => t.includes("赵新人"))).toHaveLength(1);
    expect(f.log.entries.filter((e) => e.msg === "outbox message dead" && e.chatId === 23)).toHaveLength(2);
  });

  it("to a citizen is reported without who they are", async () => {
    f.fake.failNext("sendMessage", { kind: "error", status: 400, description: "Bad Request: chat not found" });
    await f.services.outbox.enqueue([text(22, "您的举报已办结")], f.clock.at);
    await f.services.outbox.drain({ budgetMs: 10_000 });
    const [report] = f.fake.sentTexts(-900);
    expect(report).toContain("chat not found");
    expect(report).toContain("一位群众（身份不显示）");
    expect(report).not.toContain("22");
  });

  it("after every retry is spent, is reported; one to the dispatchers' group itself is only logged", async () => {
    f.fake.failNext("sendMessage", { kind: "error", status: 500 }, 6);
    await f.services.outbox.enqueue([text(-900, "值班提醒")], f.clock.at);
    for (let i = 0; i < 6; i++) {
      await f.services.outbox.drain();
      const [row] = await f.db.select().from(outbox).where(eq(outbox.chatId, -900));
      f.clock.at = Math.max(f.clock.at, row!.notBefore);
    }
    const rows = await f.db.select().from(outbox);
    expect(rows.map((r) => r.status)).toEqual(["dead"]);
    expect(f.log.entries).toContainEqual(expect.objectContaining({ level: "error", msg: "outbox message dead", chatId: -900 }));
    expect(f.clock.at - Date.parse("2026-11-25T02:00:00Z")).toBeLessThan(3 * HOUR);
  });
});
