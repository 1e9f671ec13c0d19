/**
 * The leaders' daily digest through the tick: on a working day at 08:30 office time, once,
 * to every leader in their language, with the trend chart uploaded as a real PNG and the
 * buttons for details; nothing before the time, on a day off, or a second time.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { cases, members, units, users } from "../../db/schema";
import type { RecordedCall } from "../support/fake-bot-api";
import { serviceFixture } from "../support/services";

const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const MONDAY = "2026-11-23";

let f: Awaited<ReturnType<typeof serviceFixture>>;
beforeEach(async () => {
  f = await serviceFixture(sh(`${MONDAY}T08:29`));
  await f.db.insert(units).values([
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station" },
  ]);
  await f.db.insert(members).values([
    { telegramId: 9101, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: 9102, unitId: "office", roles: ["leader", "admin"], name: "李副局长" },
    { telegramId: 9103, unitId: "office", roles: ["dispatcher"], name: "周调度" },
  ]);
  await f.db.insert(users).values({ telegramId: 9102, locale: "en" });
  // Sunday (the day before): two received, one closed; one overdue since Friday, still open.
  const base = { kind: "hazard" as const, description: "d", anonymous: true, unitId: "station-a" };
  await f.db.insert(cases).values([
    { ...base, number: "YH-20261122-0001", createdAt: sh("2026-11-22T09:00"), status: "closed", closedAt: sh("2026-11-22T16:00") },
    { ...base, number: "YH-20261122-0002", createdAt: sh("2026-11-22T23:59"), status: "new" },
    { ...base, number: "YH-20261118-0001", createdAt: sh("2026-11-18T09:00"), status: "in_progress", dueAt: sh("2026-11-20T17:30") },
  ]);
});
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

const photos = () => f.fake.callsTo("sendPhoto");
const caption = (c: RecordedCall) => String(c.params.caption);
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("the leaders' digest", () => {
  it("goes at 08:30 on a working day to each leader, with yesterday's figures and the chart as a PNG", async () => {
    expect((await f.services.tick(f.clock.at)).digests).toBe(0);
    expect(photos()).toEqual([]);

    f.clock.at = sh(`${MONDAY}T08:30`);
    expect((await f.services.tick(f.clock.at)).digests).toBe(2);
    const sent = photos();
    expect(sent.map((c) => Number(c.params.chat_id)).sort()).toEqual([9101, 9102]);

    const zh = sent.find((c) => Number(c.params.chat_id) === 9101)!;
    expect(caption(zh)).toContain("2026-11-22");
    expect(caption(zh)).toContain("当日新增 2 件，办结 1 件，新增逾期 0 件");
    expect(caption(zh)).toContain("当前逾期 1 件，挂牌督办在办 0 件");
    expect(caption(zh)).toContain("YH-20261118-0001");
    expect(caption(zh)).toContain("蓝");
    const en = sent.find((c) => Number(c.params.chat_id) === 9102)!;
    expect(caption(en)).toContain("Daily digest");
    expect(caption(en)).toContain("blue");

    const photo = zh.params.photo as { file: string; bytes: Uint8Array };
    expect(photo.file).toBe(`trend-${MONDAY}.png`);
    expect([...photo.bytes.slice(0, 8)]).toEqual(PNG);
    expect(photo.bytes.length).toBeGreaterThan(1000);
    expect(photo.bytes.length).toBeLessThan(60_000);
    const buttons = (zh.params.reply_markup as { inline_keyboard: Array<Array<{ callback_data: string }>> }).inline_keyboard.flat();
    expect(buttons.map((b) => b.callback_data)).toEqual(["dg:supervised", "dg:ranking", "dg:stats"]);
  });

  it("goes once a day, however many ticks run, at once or later", async () => {
    f.clock.at = sh(`${MONDAY}T08:30`);
    const runs = await Promise.all([f.services.tick(f.clock.at), f.services.tick(f.clock.at)]);
    expect(runs.reduce((n, r) => n + r.digests, 0)).toBe(2);
    f.clock.at = sh(`${MONDAY}T15:00`);
    expect((await f.services.tick(f.clock.at)).digests).toBe(0);
    expect(photos()).toHaveLength(2);
    // The next working day has its own.
    f.clock.at = sh("2026-11-24T08:30");
    expect((await f.services.tick(f.clock.at)).digests).toBe(2);
  });

  it("is not sent on a day off, and a late start on a working day still sends that day's", async () => {
    f.clock.at = sh("2026-11-28T08:30"); // Saturday
    expect((await f.services.tick(f.clock.at)).digests).toBe(0);
    f.clock.at = sh("2026-11-30T11:05"); // Monday, the bot was down until late morning
    expect((await f.services.tick(f.clock.at)).digests).toBe(2);
  });
});
