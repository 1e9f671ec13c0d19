/**
 * /ranking and /stats end to end, through the webhook and the fake Bot API: citizens' reports
 * routed to a unit and signed for there show up in a leader's ranking and figures; bad
 * arguments get a clear answer; liaisons and citizens are refused, and groups get nothing.
 */
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const clock = { at: sh("2026-11-25T10:00"), now: () => clock.at }; // a Wednesday
let h: Harness;

const leader = () => new Conversation(h, person({ id: 9502, first_name: "领导" }));
const dispatcher = () => new Conversation(h, person({ id: 9501, first_name: "调度员" }));
const liaison = () => new Conversation(h, person({ id: 9504, first_name: "联络员" }));
let nextCitizen = 9700;
const citizen = () => new Conversation(h, person({ id: nextCitizen++, first_name: "群众" }));

const report = (c: Conversation, text: string) => reportHazard(c, { text });

beforeAll(async () => {
  h = await startHarness({ clock });
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: 9501, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9502, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: 9504, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
  // Three reports routed to the town's station; its liaison signs for the first half an hour later.
  const first = await report(citizen(), "脚手架没有安全网，工人高空作业不系安全带。");
  await report(citizen(), "工地基坑边没有护栏，夜间没有警示灯。");
  await report(citizen(), "塔吊司机无证上岗，吊装时无人指挥。");
  await h.tick(clock.at);
  clock.at = sh("2026-11-25T10:30");
  const a = liaison();
  await a.say(`/case ${first}`);
  await a.tap("签收");
  expect(a.lastAnswer()).toBe("已完成：✅ 签收");
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("/ranking", () => {
  it("shows a leader the units' ranking for the month to date, one line per unit, with the red list and the rules", async () => {
    const [text, ...more] = await leader().say("/ranking month");
    expect(more).toEqual([]);
    const lines = text!.split("\n");
    expect(lines[0]).toBe("📊 各单位工作排名 · 月：2026-11-01 至 2026-11-30（截至 2026-11-25 10:30）");
    // Three received; one signed for on time, the other two still within their deadline; nothing due yet.
    expect(lines).toContain("1. 🏅城关镇安监站：3｜100%｜—｜0｜—｜—｜0");
    expect(lines).toContain("🏅 红榜：城关镇安监站");
    expect(lines).toContain("⚫ 黑榜：无");
    expect(text).toContain("排名依据：重办件数少者在前");
    expect(text).not.toContain("县安委办");
    // Without arguments: the same month.
    expect((await dispatcher().say("/ranking"))[0]!.split("\n")[0]).toBe(lines[0]);
  });

  it("gives the previous complete period with 'prev', and explains when nobody had enough cases", async () => {
    const [text] = await leader().say("/ranking week prev");
    expect(text!.split("\n").slice(0, 2)).toEqual(["📊 各单位工作排名 · 周：2026-11-16 至 2026-11-22", "本期没有单位受理满 3 件，暂不排名。"]);
    expect(text).toContain("另有 1 个单位本期没有交办事项。");
  });

  it("answers bad arguments with the usage", async () => {
    const [text] = await leader().say("/ranking year");
    expect(text).toContain("用法");
    expect(text).toContain("/ranking month prev");
  });
});

describe("/stats", () => {
  it("shows a leader the county's figures for the month, and a town's", async () => {
    const [text] = await leader().say("/stats");
    expect(text!.split("\n")).toEqual([
      "📈 办理情况统计 · 月：2026-11-01 至 2026-11-30（截至 2026-11-25 10:30）",
      "范围：全县",
      "受理：3 件（隐患 3）",
      "办结销号：0 件",
      "在办：3 件，其中逾期 0 件",
      "按期签收率：100%（1/1）",
      "按期办结率：—",
      "平均办理用时：—",
      "群众满意度：—",
      "重办（群众不满意后重新交办）：0 件",
      "",
      "注：签收率、办结率、用时、满意度和重办按本期受理的事项计（不予受理、合并办理的除外）；在办和逾期为当前数。",
    ]);
    const [town] = await leader().say("/stats week 城关镇");
    expect(town!.split("\n").slice(0, 3)).toEqual([
      "📈 办理情况统计 · 周：2026-11-23 至 2026-11-29（截至 2026-11-25 10:30）",
      "范围：城关镇",
      "受理：3 件（隐患 3）",
    ]);
    const [sector] = await dispatcher().say("/stats month prev mines");
    expect(sector!.split("\n").slice(0, 3)).toEqual(["📈 办理情况统计 · 月：2026-10-01 至 2026-10-31", "范围：矿山", "受理：0 件"]);
  });

  it("says clearly when the area is unknown", async () => {
    const [text] = await leader().say("/stats month 火星");
    expect(text).toContain("没有找到名为“火星”的乡镇（街道）或行业。");
    expect(text).toContain("/stats month 城关镇");
  });
});

describe("the buttons under the leaders' digest", () => {
  it("answer with this month's ranking, this week's figures and the listed cases; only for those who may read them", async () => {
    const l = leader();
    await l.post(l.who.presses("dg:ranking"));
    expect(h.fake.sentTexts(9502).at(-1)).toMatch(/^📊 各单位工作排名 · 月/);
    await l.post(l.who.presses("dg:stats"));
    expect(h.fake.sentTexts(9502).at(-1)).toMatch(/周/);
    await l.post(l.who.presses("dg:supervised"));
    expect(h.fake.sentTexts(9502).at(-1)).toMatch(/挂牌督办/);
    const before = h.fake.sentTexts(9504).length;
    await liaison().post(liaison().who.presses("dg:ranking"));
    expect(liaison().lastAnswer()).toBe("您没有权限执行此操作。");
    expect(h.fake.sentTexts(9504)).toHaveLength(before);
  });
});

describe("who may look", () => {
  it("refuses a liaison and a citizen, and points to a private chat in a group", async () => {
    expect(await liaison().say("/ranking")).toEqual(["您没有权限执行此操作。"]);
    expect(await liaison().say("/stats")).toEqual(["您没有权限执行此操作。"]);
    const c = citizen();
    expect(await c.say("/ranking month")).toEqual(["您没有权限执行此操作。"]);
    expect(await c.say("/stats town-a")).toEqual(["您没有权限执行此操作。"]);
    const before = h.fake.sentTexts(-100900).length;
    await h.post(leader().who.saysInGroup(-100900, "/ranking"));
    expect(h.fake.sentTexts(-100900).slice(before)).toEqual(["请私聊我使用这个功能：https://t.me/hazardline_test_bot"]);
  });
});
