/**
 * Time end to end, through the webhook and the fake Bot API, with a clock the test moves:
 * deadline reminders reaching the liaison as cards they can act on, and recurring group
 * reminders that a dispatcher sets up with /schedule (and nobody else can).
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { writeOfficeSettings } from "../../db/queries/settings";
import { cases, chats, members, officeSettings, reminders, schedules } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const clock = { at: sh("2026-11-23T09:00"), now: () => clock.at }; // a Monday
let h: Harness;
const WORK_GROUP = -100800;
const UNIT_GROUP = -100801;
const SCAFFOLD = "脚手架没有安全网，工人高空作业不系安全带。";
const WEEKLY = "请各单位于今天下班前报送本周工作情况";

const dispatcher = () => new Conversation(h, person({ id: 9001, first_name: "调度员" }));
const liaison = () => new Conversation(h, person({ id: 9002, first_name: "联络员甲" }));
let nextCitizen = 9400;
const citizen = () => new Conversation(h, person({ id: nextCitizen++, first_name: "群众" }));

async function tickAt(local: string) {
  clock.at = sh(local);
  return h.tick(clock.at);
}
/** What the bot sent to a chat from now on. */
function watch(chatId: number) {
  const before = h.fake.sentTexts(chatId).length;
  return () => h.fake.sentTexts(chatId).slice(before);
}
const inGroup = async (who: Conversation, text: string, group = WORK_GROUP) => {
  const seen = watch(group);
  expect((await h.post(who.who.saysInGroup(group, text))).status).toBe(200);
  return seen();
};

beforeAll(async () => {
  h = await startHarness({ clock });
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(members).values([
    { telegramId: 9001, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9002, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
  await db.insert(chats).values({ chatId: UNIT_GROUP, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" });
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("deadline reminders", () => {
  it("reach the liaison as a card they can act on; accepting stops the accept stage's reminders", async () => {
    const number = await reportHazard(citizen(), { text: SCAFFOLD });
    await tickAt("2026-11-23T09:00");
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
    expect(row).toMatchObject({ status: "assigned", unitId: "station-a" });

    // Accept within one working day (by Tuesday 17:30): half of those 13.5 office hours have gone at 08:45 on Tuesday.
    const toLiaison = watch(9002);
    const toGroup = watch(UNIT_GROUP);
    await tickAt("2026-11-24T08:44");
    expect(toLiaison()).toEqual([]);
    await tickAt("2026-11-24T08:45");
    expect(toLiaison()).toEqual([expect.stringMatching(new RegExp(`^⏰ 事项 ${number} 距签收期限还剩一半时间（期限 2026-11-24 17:30）\\n`))]);
    expect(toGroup()).toEqual([]);
    expect(toLiaison()[0]).toContain("办理期限：2026-12-14 17:30");

    // The reminder's own button accepts the case.
    const a = liaison();
    expect(a.lastKeyboardMessage().text).toContain("距签收期限还剩一半时间");
    await a.tap("签收");
    expect(a.lastAnswer()).toBe("已完成：✅ 签收");
    await tickAt("2026-11-25T17:30");
    expect(toLiaison().filter((t) => /^(⏰|⚠️|🔺)/.test(t))).toEqual([expect.stringContaining("距签收期限还剩一半时间")]);
    expect(toGroup()).toEqual([]);
    const left = await h.hazardline.db.select().from(reminders).where(eq(reminders.caseId, row!.id)).orderBy(reminders.fireAt);
    expect(left.filter((r) => r.stage === "accept").map((r) => `${r.kind}:${r.status}`)).toEqual([
      "half:sent",
      "soon:cancelled",
      "due:cancelled",
      "escalate:cancelled",
      "escalate:cancelled",
      "escalate:cancelled",
    ]);
  });
});

describe("/schedule", () => {
  it("a dispatcher adds a weekly reminder in a group; the tick sends it there once", async () => {
    clock.at = sh("2026-11-23T09:00");
    const d = dispatcher();
    expect(await inGroup(d, `/schedule add 0 15 * * 5 ${WEEKLY}`)).toEqual([
      "✅ 已添加定期提醒 #1（0 15 * * 5，节假日：不发送）。下次发送：2026-11-27 15:00",
    ]);
    expect(await inGroup(d, "/schedule list")).toEqual([
      `本群的定期提醒：\n\n#1 · 0 15 * * 5 · 启用中 · 节假日：不发送 · 下次：2026-11-27 15:00\n${WEEKLY}`,
    ]);
    const sent = watch(WORK_GROUP);
    const posted = () => sent().filter((t) => t.startsWith("🔔"));
    await tickAt("2026-11-27T14:59");
    await tickAt("2026-11-27T15:00");
    await tickAt("2026-11-27T15:01");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);

    expect(await inGroup(d, "/schedule holidays 1 shift")).toEqual(["定期提醒 #1 遇节假日：顺延到下一个工作日"]);
    expect(await inGroup(d, "/schedule pause 1")).toEqual(["已暂停定期提醒 #1。"]);
    await tickAt("2026-12-04T15:00");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);
    expect(await inGroup(d, "/schedule resume 1")).toEqual(["已恢复定期提醒 #1，下次发送：2026-12-11 15:00"]);
    expect(await inGroup(d, "/schedule delete 1", -100999)).toEqual(["本群没有编号为 1 的定期提醒。"]); // another group's
    expect(await inGroup(d, "/schedule delete 1")).toEqual(["已删除定期提醒 #1。"]);
    await tickAt("2026-12-11T15:00");
    expect(posted()).toEqual([`🔔 ${WEEKLY}`]);
  });

  it("a dispatcher sets up the ranking twice a month; the tick publishes the half month just ended", async () => {
    const group = -100803;
    clock.at = sh("2026-12-12T09:00");
    const [added] = await inGroup(dispatcher(), "/schedule ranking half 0 9 1,16 * * 安全生产工作通报", group);
    expect(added).toBe("✅ 定期排名 #2 已添加：每次发布刚结束的半月各单位排名（0 9 1,16 * *，节假日：顺延到下一个工作日）。下次：2026-12-16 09:00");
    const [list] = await inGroup(dispatcher(), "/schedule list", group);
    expect(list).toContain("🏆 半月排名 安全生产工作通报");
    const sent = watch(group);
    await tickAt("2026-12-16T09:00");
    expect(sent()).toEqual([expect.stringMatching(/^安全生产工作通报\n\n📊 各单位工作排名 · 半月：2026-12-01 至 2026-12-15/)]);
    expect((await inGroup(dispatcher(), "/schedule ranking fortnight 0 9 1,16 * *", group))[0]).toMatch(/^用法/);
  });

  it("lists a reminder kept in the directory file with its id there", async () => {
    const group = -100802;
    await h.hazardline.db
      .insert(schedules)
      .values({ key: "weekly-report", chatId: group, text: WEEKLY, cron: "0 15 * * 5", timeZone: "Asia/Shanghai", createdAt: clock.at });
    const [list] = await inGroup(dispatcher(), "/schedule list", group);
    expect(list).toMatch(/^本群的定期提醒：\n\n#\d+（通讯录文件中的 weekly-report，再次导入时以文件为准） · 0 15 \* \* 5 · 启用中 · /);
  });

  it("refuses a pattern croner cannot read, and explains the commands", async () => {
    const d = dispatcher();
    expect(await inGroup(d, "/schedule add 0 25 * * 5 报送周报")).toEqual([
      "时间规则“0 25 * * 5”无效。请写“分 时 日 月 周”五项，例如每周五 15:00 为 0 15 * * 5，每月 25 日 9:00 为 0 9 25 * *。",
    ]);
    expect(await inGroup(d, "/schedule add 0 15 * * 5")).toEqual(["请在时间规则后写上提醒内容（不超过 3500 个字）。"]);
    expect((await inGroup(d, "/schedule"))[0]).toMatch(/^用法/);
    expect((await d.say("/schedule"))[0]).toBe("这个命令在工作群里使用：请在要设置的群里发送 /schedule。");
  });

  it("a citizen or a liaison cannot add one", async () => {
    const before = (await h.hazardline.db.select().from(schedules)).length;
    expect(await inGroup(citizen(), `/schedule add 0 15 * * 5 ${WEEKLY}`)).toEqual(["您没有权限执行此操作。"]);
    expect(await inGroup(liaison(), `/schedule add 0 15 * * 5 ${WEEKLY}`, UNIT_GROUP)).toEqual(["您没有权限执行此操作。"]);
    expect(await inGroup(liaison(), "/schedule list", UNIT_GROUP)).toEqual(["您没有权限执行此操作。"]);
    expect(await h.hazardline.db.select().from(schedules)).toHaveLength(before);
  });
});

// Last in the file: it changes the office's hours for a while, and its case's reminders are never ticked.
describe("a deadline typed by a dispatcher", () => {
  it("ends at the close of the office's own hours from the directory file, not a fixed 17:30", async () => {
    const db = h.hazardline.db;
    clock.at = sh("2026-11-30T09:00");
    await writeOfficeSettings(db, { calendar: { workHours: { start: [9, 0], end: [18, 0] }, workdays: [], holidays: [] } }, clock.at);
    try {
      const number = await reportHazard(citizen(), { text: SCAFFOLD });
      const [row] = await db.select().from(cases).where(eq(cases.number, number));
      const d = dispatcher();
      await d.post(d.who.presses(`c:${row!.id}:${row!.version}:dl`));
      expect(h.fake.sentTexts(9001).at(-1)).toBe(`${number}\n请输入办理期限日期（如 2026-12-20）：`);
      await d.say("2026-12-18");
      const [set] = await db.select().from(cases).where(eq(cases.number, number));
      expect(set!.dueAt).toBe(sh("2026-12-18T18:00"));
    } finally {
      await db.delete(officeSettings);
    }
  });
});
