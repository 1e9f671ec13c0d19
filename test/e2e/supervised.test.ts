/**
 * The leaders' list of cases listed for supervision (/supervised), end to end through the
 * webhook: a listed case is on it with its status and deadline until it is closed; leaders,
 * dispatchers and admins may look, liaisons and citizens may not. And a staff member's own
 * command menu: set when they start the bot, following their language.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cases, members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard, resolveWithPhoto } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9501, first_name: "调度员" }));
const leader = () => new Conversation(h, person({ id: 9502, first_name: "领导" }));
const admin = () => new Conversation(h, person({ id: 9503, first_name: "管理员" }));
const liaison = () => new Conversation(h, person({ id: 9504, first_name: "联络员" }));
let nextCitizen = 9600;
const citizen = () => new Conversation(h, person({ id: nextCitizen++, first_name: "群众" }));

const drain = () => h.tick(Date.now());
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;

const report = (c: Conversation, text: string) => reportHazard(c, { text });

/** The buttons of the newest list the bot sent this person. */
const listButtons = (who: Conversation) => who.lastKeyboardMessage().buttons.map((b) => b.text);

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(members).values([
    { telegramId: 9501, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9502, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: 9503, unitId: "office", roles: ["admin"], name: "管理员" },
    { telegramId: 9504, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("/supervised", () => {
  it("lists a case listed for supervision, with its status and deadline, until it is closed", async () => {
    const l = leader();
    expect(await l.say("/supervised")).toEqual(["暂无挂牌督办的在办事项。"]);

    const listed = await report(citizen(), "脚手架没有安全网，工人高空作业不系安全带。");
    const other = await report(citizen(), "工地基坑边没有护栏，夜间没有警示灯。");
    await drain();

    // The leader lists the first from its card; the second stays unlisted.
    await l.say(`/case ${listed}`);
    await l.tap("挂牌督办");
    expect(l.lastAnswer()).toBe("已完成：🔴 挂牌督办");

    const row = await caseOf(listed);
    const due = /期限 (\d{4}-\d{2}-\d{2} \d{2}:\d{2})/;
    expect(await l.say("/supervised")).toEqual(["挂牌督办事项（1）："]);
    const [entry] = listButtons(l);
    expect(entry).toMatch(new RegExp(`^${listed} · 已交办 · 期限 \\d{4}-\\d{2}-\\d{2} 17:30$`));
    expect(due.exec(entry!)?.[1]).toBeDefined();
    expect(listButtons(l).join()).not.toContain(other);
    expect(row.dueAt).not.toBeNull();

    // Each entry opens the case's card.
    const card = await l.tap(listed);
    expect(card).toEqual([expect.stringContaining(listed)]);
    expect(card[0]).toContain("🔴 挂牌督办");

    // Dispatchers and admins see the same list.
    expect(await dispatcher().say("/supervised")).toEqual(["挂牌督办事项（1）："]);
    expect(await admin().say("/supervised")).toEqual(["挂牌督办事项（1）："]);

    // Worked, resolved and closed: it drops off the list.
    const a = liaison();
    await a.say(`/case ${listed}`);
    await a.tap("签收");
    expect(await l.say("/supervised")).toEqual(["挂牌督办事项（1）："]);
    expect(listButtons(l)[0]).toMatch(new RegExp(`^${listed} · 办理中 · `));
    await a.say(`/case ${listed}`);
    await resolveWithPhoto(a, { measures: "已挂设安全网，工人已系安全带。", responsible: "项目安全员 李强", photo: "net-1" });
    await drain();
    expect(await l.say("/supervised")).toEqual(["挂牌督办事项（1）："]);
    expect(listButtons(l)[0]).toMatch(new RegExp(`^${listed} · 已整改，待核查 · `));

    const d = dispatcher();
    await d.say(`/case ${listed}`);
    await d.tap("核查销号");
    expect((await caseOf(listed)).status).toBe("closed");
    expect(await l.say("/supervised")).toEqual(["暂无挂牌督办的在办事项。"]);
  });

  it("is refused to a liaison and a citizen, and works only in a private chat", async () => {
    expect(await liaison().say("/supervised")).toEqual(["您没有权限执行此操作。"]);
    expect(await citizen().say("/supervised")).toEqual(["您没有权限执行此操作。"]);
    const before = h.fake.sentTexts(-100900).length;
    await h.post(leader().who.saysInGroup(-100900, "/supervised"));
    expect(h.fake.sentTexts(-100900).slice(before)).toEqual(["请私聊我使用这个功能：https://t.me/hazardline_test_bot"]);
  });
});

describe("a staff member's command menu", () => {
  it("is set when a member the office added starts the bot, with the commands of their roles", async () => {
    const menusOf = (id: number) =>
      h.fake.callsTo("setMyCommands").filter((c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === id);
    expect(menusOf(9501)).toEqual([]);
    await dispatcher().say("/start");
    const [menu] = menusOf(9501);
    expect(menu?.params.scope).toEqual({ type: "chat", chat_id: 9501 });
    expect((menu!.params.commands as Array<{ command: string }>).map((c) => c.command)).toEqual([
      "queue",
      "new",
      "case",
      "supervised",
      "ranking",
      "stats",
      "export",
      "notice",
      "receipts",
      "publish",
      "poster",
      "units",
      "web",
      "report",
      "ask",
      "my",
      "status",
      "cancel",
      "start",
      "lang",
      "help",
    ]);
    await admin().say("/start");
    // The admin's staff commands, before the citizen's.
    expect((menusOf(9503)[0]!.params.commands as Array<{ command: string }>).slice(0, 14).map((c) => c.command)).toEqual([
      "queue",
      "new",
      "case",
      "supervised",
      "ranking",
      "stats",
      "export",
      "notice",
      "receipts",
      "publish",
      "poster",
      "units",
      "web",
      "invite",
    ]);
    await citizen().say("/start");
    expect(h.fake.callsTo("setMyCommands").filter((c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === nextCitizen - 1)).toEqual(
      [],
    );
  });

  it("follows their language: switching to English sets their own list again, in English", async () => {
    const l = leader();
    await l.say("/lang");
    await l.tap("English");
    const menus = h.fake.callsTo("setMyCommands").filter((c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === 9502);
    expect(menus).toHaveLength(1);
    expect(menus[0]?.params.scope).toEqual({ type: "chat", chat_id: 9502 });
    expect(menus[0]?.params.commands).toEqual([
      { command: "case", description: "A case and its ledger" },
      { command: "supervised", description: "Cases listed for supervision" },
      { command: "ranking", description: "Units' ranking (red and black lists)" },
      { command: "stats", description: "Case figures" },
      { command: "export", description: "Export the case ledger (Excel, CSV)" },
      { command: "notice", description: "Send a notice to units" },
      { command: "receipts", description: "Who has read a notice" },
      { command: "units", description: "The units and their ids" },
      { command: "web", description: "Sign in to the console in a desktop browser" },
      { command: "report", description: "Report a safety hazard" },
      { command: "ask", description: "Ask the safety office" },
      { command: "my", description: "My cases" },
      { command: "status", description: "Check how a case is going" },
      { command: "cancel", description: "Cancel what is in progress" },
      { command: "start", description: "Open the main menu" },
      { command: "lang", description: "Language 切换语言" },
      { command: "help", description: "How to use this bot" },
    ]);
    expect(await l.say("/supervised")).toEqual(["No open cases are listed for supervision."]);

    // A citizen's change of language touches no menu.
    const c = citizen();
    await c.say("/lang");
    await c.tap("English");
    expect(h.fake.callsTo("setMyCommands").filter((x) => (x.params.scope as { chat_id?: number } | undefined)?.chat_id === c.who.id)).toEqual([]);
  });
});
