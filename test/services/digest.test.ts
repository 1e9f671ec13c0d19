/**
 * The leaders' daily digest through the tick: on a working day at 08:30 office time, once,
 * to every leader in their language, with the trend chart uploaded as a real PNG and the
 * buttons for details; nothing before the time, on a day off, or a second time. Each covers
 * the days since the previous working day, so every case received is in exactly one; its
 * overdue figures count every stage (accepting, resolving, verifying), as the overdue
 * notices do.
 */
import { eq } from "drizzle-orm";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { remindersOf } from "../../db/queries/reminders";
import { cases, members, reminders, units, users } from "../../db/schema";
import { defaultCalendar, officeDate } from "../../src/domain/calendar";
import type { Action, Actor } from "../../src/domain/workflow";
import type { RecordedCall } from "../support/fake-bot-api";
import { serviceFixture } from "../support/services";

const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const MONDAY = "2026-11-23";
const calendar = defaultCalendar("Asia/Shanghai");

let f: Awaited<ReturnType<typeof serviceFixture>>;
let dispatcher: Actor;
let liaison: Actor;
beforeEach(async () => {
  f = await serviceFixture(sh(`${MONDAY}T08:29`));
  await f.db.insert(units).values([
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station" },
  ]);
  const ids = await f.db
    .insert(members)
    .values([
      { telegramId: 9101, unitId: "office", roles: ["leader"], name: "王局长" },
      { telegramId: 9102, unitId: "office", roles: ["leader", "admin"], name: "李副局长" },
      { telegramId: 9103, unitId: "office", roles: ["dispatcher"], name: "周调度" },
      { telegramId: 9104, unitId: "station-a", roles: ["liaison"], name: "甲" },
    ])
    .returning({ id: members.id });
  dispatcher = { kind: "member", memberId: ids[2]!.id, roles: ["dispatcher"], unitIds: [] };
  liaison = { kind: "member", memberId: ids[3]!.id, roles: ["liaison"], unitIds: ["station-a"] };
  await f.db.insert(users).values({ telegramId: 9102, locale: "en" });
  // Sunday (the day before): two received, one closed; one overdue since Friday, still open,
  // whose overdue notice went out on Friday.
  const base = { kind: "hazard" as const, description: "d", anonymous: true, unitId: "station-a" };
  const rows = await f.db
    .insert(cases)
    .values([
      { ...base, number: "YH-20261122-0001", createdAt: sh("2026-11-22T09:00"), status: "closed", closedAt: sh("2026-11-22T16:00") },
      { ...base, number: "YH-20261122-0002", createdAt: sh("2026-11-22T23:59"), status: "new" },
      { ...base, number: "YH-20261118-0001", createdAt: sh("2026-11-18T09:00"), status: "in_progress", dueAt: sh("2026-11-20T17:30") },
    ])
    .returning({ id: cases.id });
  const friday = sh("2026-11-20T17:30");
  await f.db.insert(reminders).values({
    key: `case:${rows[2]!.id}:resolve:due:0:${friday}`,
    caseId: rows[2]!.id,
    stage: "resolve",
    kind: "due",
    fireAt: friday,
    dueAt: friday,
    status: "sent",
    sentAt: friday,
    createdAt: sh("2026-11-18T09:00"),
  });
});
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

const photos = () => f.fake.callsTo("sendPhoto");
const caption = (c: RecordedCall) => String(c.params.caption);
const PNG = [0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a];

describe("the leaders' digest", () => {
  it("goes at 08:30 on a working day to each leader, with the figures since the previous working day and the chart as a PNG", async () => {
    expect((await f.services.tick(f.clock.at)).digests).toBe(0);
    expect(photos()).toEqual([]);

    f.clock.at = sh(`${MONDAY}T08:30`);
    expect((await f.services.tick(f.clock.at)).digests).toBe(2);
    const sent = photos();
    expect(sent.map((c) => Number(c.params.chat_id)).sort()).toEqual([9101, 9102]);

    // Monday's covers Friday to Sunday: the case overdue since Friday is newly overdue.
    const zh = sent.find((c) => Number(c.params.chat_id) === 9101)!;
    expect(caption(zh)).toContain("每日简报 · 2026-11-20 至 2026-11-22");
    expect(caption(zh)).toContain("3 天内新增 2 件，办结 1 件，新增逾期 1 件");
    expect(caption(zh)).toContain("当前逾期 1 件，挂牌督办在办 0 件");
    expect(caption(zh)).toContain("YH-20261118-0001");
    expect(caption(zh)).toContain("蓝");
    const en = sent.find((c) => Number(c.params.chat_id) === 9102)!;
    expect(caption(en)).toContain("Daily digest · 2026-11-20 to 2026-11-22");
    expect(caption(en)).toContain("New in these 3 days: 2, closed: 1, newly overdue: 1");
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

  it("names its period: one day by its date, several from first to last", async () => {
    f.clock.at = sh("2026-11-24T08:30"); // Tuesday: Monday only
    await f.services.tick(f.clock.at);
    const [zh, en] = [leaderCaption(9101), leaderCaption(9102)];
    expect(zh.split("\n")[1]).toBe("📋 每日简报 · 2026-11-23");
    expect(zh).toContain("当日新增 0 件，办结 0 件，新增逾期 0 件");
    expect(en.split("\n")[1]).toBe("📋 Daily digest · 2026-11-23");
    expect(en).toContain("New: 0, closed: 0, newly overdue: 0");
  });
});

/** The caption of the latest digest a leader got. */
const leaderCaption = (chatId: number) =>
  caption(
    photos()
      .filter((c) => Number(c.params.chat_id) === chatId)
      .at(-1)!,
  );
const newCount = (text: string) => Number(/新增 (\d+) 件，/.exec(text)?.[1]);

async function act(caseId: number, action: Action, actor: Actor) {
  const [row] = await f.db.select({ version: cases.version }).from(cases).where(eq(cases.id, caseId));
  expect(await f.services.caseActions.perform(caseId, action, actor, row!.version)).toMatchObject({ ok: true });
}

async function newCase(number: string, at: number) {
  const [row] = await f.db
    .insert(cases)
    .values({ number, kind: "hazard", description: "脚手架没有安全网。", anonymous: true, createdAt: at, updatedAt: at })
    .returning();
  return row!;
}

describe("the digest's period and overdue figures", () => {
  it("counts a case received on Friday afternoon in Monday's digest, and in no other", async () => {
    await newCase("YH-20261127-0001", sh("2026-11-27T15:00"));
    const news: Record<string, number> = {};
    for (let d = 23; d <= 32; d++) {
      const date = d <= 30 ? `2026-11-${d}` : `2026-12-0${d - 30}`;
      f.clock.at = sh(`${date}T08:30`);
      if ((await f.services.tick(f.clock.at)).digests > 0) news[date] = newCount(leaderCaption(9101));
    }
    // No digest at the weekend; Monday's covers Friday to Sunday, so the periods meet.
    expect(news).toEqual({
      "2026-11-23": 2,
      "2026-11-24": 0,
      "2026-11-25": 0,
      "2026-11-26": 0,
      "2026-11-27": 0,
      "2026-11-30": 1,
      "2026-12-01": 0,
      "2026-12-02": 0,
    });
    expect(leaderCaption(9101)).toContain("每日简报 · 2026-12-01");
    const monday = photos().find((c) => Number(c.params.chat_id) === 9101 && caption(c).includes("2026-11-27 至 2026-11-29"));
    expect(monday && newCount(caption(monday))).toBe(1);
  });

  it("counts an accept deadline missed yesterday as newly overdue and overdue now, as the overdue notice said", async () => {
    f.clock.at = sh("2026-11-23T09:00");
    const c = await newCase("YH-20261123-0001", f.clock.at);
    await act(c.id, { type: "assign", unitId: "station-a" }, dispatcher);
    const [row] = await f.db.select({ acceptDueAt: cases.acceptDueAt }).from(cases).where(eq(cases.id, c.id));
    const acceptDueAt = row!.acceptDueAt!;
    expect(officeDate(calendar, acceptDueAt)).toBe("2026-11-24"); // Tuesday: a working day to sign for it

    // Its deadline passes unsigned: the liaison and the dispatchers are told it is overdue.
    f.clock.at = acceptDueAt;
    await f.services.tick(f.clock.at);
    const told = f.fake.callsTo("sendMessage").filter((m) => String(m.params.text).startsWith(`⚠️ 事项 ${c.number} 已逾期，请尽快签收`));
    expect(told.map((m) => Number(m.params.chat_id)).sort()).toEqual([9103, 9104]);

    // Wednesday's digest, of Tuesday: one deadline missed; two cases overdue now, this one among the worst.
    f.clock.at = sh("2026-11-25T08:30");
    expect((await f.services.tick(f.clock.at)).digests).toBe(2);
    const zh = leaderCaption(9101);
    expect(zh).toContain("每日简报 · 2026-11-24");
    expect(zh).toContain("新增逾期 1 件");
    expect(zh).toContain("当前逾期 2 件");
    expect(zh).toContain(`${c.number} · 城关镇安监站 · 逾期 1 天`);

    // Signed for late: no longer overdue now, but Tuesday's miss stays Tuesday's.
    await act(c.id, { type: "accept" }, liaison);
    const { figures } = await f.services.figures.digest(sh("2026-11-25T09:00"), calendar);
    expect(figures).toMatchObject({ newlyOverdue: 1, overdueNow: 1 });
  });

  it("counts a resolved case past its verification deadline as overdue now, since that deadline", async () => {
    f.clock.at = sh("2026-11-09T10:00");
    const c = await newCase("YH-20261109-0001", f.clock.at);
    await act(c.id, { type: "assign", unitId: "station-a" }, dispatcher);
    await act(c.id, { type: "accept" }, liaison);
    await act(c.id, { type: "resolve", measures: "已挂设安全网。", responsible: "项目安全员 李强", evidence: 1 }, liaison);
    // The case keeps the deadline its verify reminders were planned for.
    const [row] = await f.db.select({ status: cases.status, verifyDueAt: cases.verifyDueAt }).from(cases).where(eq(cases.id, c.id));
    const verifyDue = (await remindersOf(f.db, c.id)).find((r) => r.stage === "verify" && r.kind === "due")!.dueAt;
    expect(row).toEqual({ status: "resolved", verifyDueAt: verifyDue });
    expect(verifyDue).toBeLessThan(sh("2026-11-23T08:30"));

    f.clock.at = sh("2026-11-23T08:30");
    expect((await f.services.tick(f.clock.at)).digests).toBe(2);
    const zh = leaderCaption(9101);
    expect(zh).toContain("当前逾期 2 件");
    expect(zh).toContain(`${c.number} · 城关镇安监站 · 逾期 ${Math.ceil((f.clock.at - verifyDue) / 86_400_000)} 天`);
  });
});
