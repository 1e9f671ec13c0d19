/**
 * The office's side end to end: a dispatcher, liaisons of two units, a leader and citizens,
 * all through the webhook and the fake Bot API. Cards reach units through the outbox (a
 * tick drains it); people press the buttons the bot actually sent them.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { caseEvents, caseReporters, cases, chats, invites, members, regions, routes, units } from "../../db/schema";
import { expectNoReporterNamed } from "../support/anonymity";
import { Conversation } from "../support/conversation";
import { askQuestion, resolveWithPhoto } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { type Person, person } from "../support/people";

let h: Harness;
const DISPATCHERS = -100500;
const TOWN_A_GROUP = -100501;

const dispatcher = () => new Conversation(h, person({ id: 9001, first_name: "调度员", last_name: "周" }));
const liaisonA = () => new Conversation(h, person({ id: 9002, first_name: "联络员甲" }));
const liaisonA2 = () => new Conversation(h, person({ id: 9006, first_name: "联络员甲二" }));
const liaisonB = () => new Conversation(h, person({ id: 9003, first_name: "联络员乙" }));
const admin = () => new Conversation(h, person({ id: 9005, first_name: "管理员" }));
const leader = () => new Conversation(h, person({ id: 9004, first_name: "领导" }));

/** Every anonymous reporter in this file: nothing sent to staff may name them. */
const anonymous: Person[] = [];
let nextCitizen = 9100;
function citizen(named = false) {
  const who = person({ id: nextCitizen++, first_name: `群众${nextCitizen}`, last_name: "匿", username: `citizen_${nextCitizen}` });
  if (!named) anonymous.push(who);
  return new Conversation(h, who);
}

const drain = () => h.tick(Date.now());
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;
const eventsOf = async (caseId: number) =>
  (await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id)).map((e) => e.action);

/** A hazard report through the citizen's flow; returns its number. */
async function report(c: Conversation, opts: { sector: string; town: string; anonymous?: boolean; text?: string }) {
  await c.say("/report");
  await c.tap("安全隐患");
  await c.tap(opts.sector);
  await c.tap(opts.town);
  await c.tap("跳过");
  await c.say(opts.text ?? "脚手架没有安全网，工人高空作业不系安全带。");
  await c.tap("跳过");
  await c.tap("一般");
  if (opts.anonymous === false) {
    await c.tap("实名");
    await c.post(c.who.sharesContact("13700001111"));
  } else {
    await c.tap("匿名");
  }
  await c.tap("不需要");
  const replies = await c.tap("提交");
  return /编号：(YH-\d{8}-\d{4})/.exec(replies[0]!)![1]!;
}

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await db.insert(regions).values([
    { id: "county", level: "county", nameZh: "清河县", nameEn: "Qinghe County" },
    { id: "town-a", parentId: "county", level: "town", nameZh: "城关镇", nameEn: "Chengguan Town" },
    { id: "town-b", parentId: "county", level: "town", nameZh: "西桥街道", nameEn: "Xiqiao Street" },
  ]);
  await db.insert(units).values([
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station", regionId: "town-a" },
    { id: "station-b", kind: "territorial", nameZh: "西桥街道安监站", nameEn: "Xiqiao Safety Station", regionId: "town-b" },
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
  ]);
  await db.insert(routes).values([
    { regionId: "town-a", unitId: "station-a" },
    { regionId: "town-b", sectorId: "construction", unitId: "station-b" },
  ]);
  await db.insert(members).values([
    { telegramId: 9001, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9002, unitId: "station-a", roles: ["liaison"], name: "甲" },
    { telegramId: 9006, unitId: "station-a", roles: ["liaison"], name: "甲二" },
    { telegramId: 9003, unitId: "station-b", roles: ["liaison"], name: "乙" },
    { telegramId: 9004, unitId: "office", roles: ["leader"], name: "领导" },
    { telegramId: 9005, unitId: "office", roles: ["admin"], name: "管理员" },
    // A liaison of one unit who is a leader in another: no liaison work in the second.
    { telegramId: 9007, unitId: "station-a", roles: ["liaison"], name: "甲三" },
    { telegramId: 9007, unitId: "station-b", roles: ["leader"], name: "甲三" },
  ]);
  await db.insert(chats).values({ chatId: TOWN_A_GROUP, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" });
});

afterAll(async () => {
  // Anonymous means anonymous: no message to any staff member or group names a reporter who chose not to be named.
  const staffChats = [9001, 9002, 9003, 9004, 9005, 9006, 9007, DISPATCHERS, TOWN_A_GROUP];
  expect(expectNoReporterNamed(h.fake, staffChats, anonymous)).toBeGreaterThan(20);
  // Every journey above leaves the database whole, each case standing where its ledger says.
  await h.tick(Date.now());
  expect((await expectSoundDatabase(h.database.client, { settled: true })).cases).toBeGreaterThan(5);
  await h.stop();
});
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("a hazard from report to closure", () => {
  it("the unit's card goes out right after the report is submitted, without waiting for the tick", async () => {
    const number = await report(citizen(), { sector: "建筑施工", town: "城关镇" });
    const card = await h.fake.waitForCall("sendMessage", (call) => call.params.chat_id === 9002 && String(call.params.text).includes(number));
    expect(card.params.reply_markup).toBeDefined();
    await drain();
  });

  it("route → accept → progress → extension asked and granted → resolve with evidence → verify → citizen told and asked to rate", async () => {
    const c = citizen();
    const number = await report(c, { sector: "建筑施工", town: "城关镇" });
    await drain();

    // Routed by territory to the town's station: its group and its liaisons get the card.
    const card = liaisonA().lastKeyboardMessage();
    expect(card.text).toContain("📥 新交办事项");
    expect(card.text).toContain(number);
    expect(card.text).toContain("举报人：匿名");
    expect(h.fake.sentTexts(TOWN_A_GROUP).some((t) => t.includes(number))).toBe(true);
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您的事项 ${number} 有新进展：已交办至 城关镇安监站`);

    const a = liaisonA();
    expect(await a.tap("签收")).toEqual([]);
    expect(a.lastAnswer()).toBe("已完成：✅ 签收");
    await drain();
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您的事项 ${number} 有新进展：办理中`);

    await a.tap("进展");
    expect(h.fake.sentTexts(9002).at(-1)).toBe(`${number}\n请输入办理进展（可附照片）：`);
    await a.post(a.who.sendsPhoto("progress-1"));
    expect((await a.say("已约谈施工单位负责人，要求今日内搭设安全网。"))[0]).toBe("已完成：📝 进展");

    await a.tap("申请延期");
    expect(await a.say("明天")).toEqual(["日期格式不对，或不在今天之后。请输入如 2026-12-20："]);
    // Later than the deadline the assignment set (15 working days for an ordinary hazard).
    const until = new Date(Date.now() + 40 * 24 * 60 * 60_000).toISOString().slice(0, 10);
    expect(await a.say(until)).toEqual(["请输入延期理由："]);
    await a.say("安全网需要从外地采购，到货需要两周。");
    await drain();

    // No dispatchers' group is bound yet: the dispatcher hears privately.
    const d = dispatcher();
    expect(d.lastKeyboardMessage().text).toContain("⏳ 延期申请，待审批");
    await d.tap("同意延期");
    expect(d.lastAnswer()).toBe("已完成：✅ 同意延期");
    const granted = await caseOf(number);
    expect(new Date(granted.dueAt!).toISOString().slice(0, 10)).toBe(until);

    await a.post(a.who.presses(`c:${granted.id}:${granted.version}:res`));
    await a.say("已搭设安全网，设置警戒区，对工人进行安全教育。");
    await a.say("施工单位项目经理 王建国");
    expect(await a.tap("照片已传完")).toEqual([]);
    expect(a.lastAnswer()).toBe("隐患整改需要至少一张现场照片。");
    await a.post(a.who.sendsPhoto("after-1"));
    await a.post(a.who.sendsPhoto("after-2"));
    await a.tap("照片已传完");
    expect(a.lastAnswer()).toBe("已完成：🛠 整改完成");
    await drain();
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您的事项 ${number} 有新进展：已整改，待核查`);

    expect(d.lastKeyboardMessage().text).toContain("✅ 已整改/已答复，待核查销号");
    await d.tap("核查销号");
    await drain();
    const closed = await caseOf(number);
    expect(closed.status).toBe("closed");
    const texts = h.fake.sentTexts(c.who.id);
    expect(texts).toContain(`您的事项 ${number} 有新进展：已办结`);
    expect(texts.at(-1)).toBe(`您的事项 ${number} 已办结。请您对办理结果作出评价（1–5 星）：`);
    expect(await eventsOf(closed.id)).toEqual([
      "submitted",
      "assigned",
      "accepted",
      "progress",
      "extension_requested",
      "extension_granted",
      "resolved",
      "closed",
    ]);
    // The citizen's timeline names the office, never the liaison.
    const status = (await c.say(`/status ${number}`))[0]!;
    expect(status).toContain("已交办至 城关镇安监站");
    expect(status).not.toContain("联络员甲");
  });
});

describe("transfer (转办) and first-receiver ownership (首问责任制)", () => {
  it("a refused transfer leaves the case with the first unit; an accepted one moves it", async () => {
    const number = await report(citizen(), { sector: "消防安全", town: "城关镇" });
    await drain();
    const a = liaisonA();
    await a.tap("转办");
    expect(a.lastKeyboardMessage().text).toBe("请选择转办到哪个单位：");
    await a.tap("西桥街道安监站");
    await a.say("地址实际属于西桥街道辖区。");
    await drain();

    const b = liaisonB();
    expect(b.lastKeyboardMessage().text).toContain("🔁 转办申请，待您单位签收");
    await b.tap("拒绝转办");
    await b.say("经核实该地址属于城关镇。");
    expect((await caseOf(number)).unitId).toBe("station-a");

    const row = await caseOf(number);
    await a.post(a.who.presses(`c:${row.id}:${row.version}:tr`));
    await a.tap("西桥街道安监站");
    await a.say("已与西桥街道核实，边界调整后属其辖区。");
    await drain();
    expect((await caseOf(number)).unitId).toBe("station-a"); // still ours until they accept
    await liaisonB().tap("接收转办");
    const moved = await caseOf(number);
    expect(moved).toMatchObject({ unitId: "station-b", status: "assigned" });
    expect(await eventsOf(moved.id)).toEqual([
      "submitted",
      "assigned",
      "transfer_requested",
      "transfer_refused",
      "transfer_requested",
      "transfer_accepted",
    ]);
  });
});

describe("dispatchers", () => {
  it("a case no route takes waits in the triage queue, and the dispatcher assigns it", async () => {
    const number = await report(citizen(), { sector: "矿山", town: "西桥街道" }); // town-b routes construction only
    await drain();
    const d = dispatcher();
    expect(d.lastKeyboardMessage().text).toContain("🆕 新事项，待分派");
    await d.say("/queue");
    expect(d.lastKeyboardMessage().buttons.map((b) => b.text)).toContain(`${number} · 安全隐患 · 一般`);
    await d.tap(number);
    await d.tap("交办");
    await d.tap("西桥街道安监站");
    expect(d.lastKeyboardMessage().buttons.map((b) => b.text)).toEqual(["整个单位", "乙"]);
    await d.tap("乙");
    expect(await caseOf(number)).toMatchObject({ unitId: "station-b", status: "assigned", assigneeId: expect.any(Number) });
    await drain();
    expect(liaisonB().lastKeyboardMessage().text).toContain(number);
  });

  it("a rejection carries the full reason to the citizen (一次性告知)", async () => {
    const c = citizen();
    const number = await report(c, { sector: "矿山", town: "西桥街道", text: "邻居家装修噪音太大，影响休息，请处理。" });
    await drain();
    const d = dispatcher();
    await d.tap("不予受理");
    expect(await d.say("短")).toEqual(["填写的内容不符合要求：理由"]);
    const row = await caseOf(number);
    await d.post(d.who.presses(`c:${row.id}:${row.version}:rej`));
    await d.say("装修噪音不属于安全生产监管范围，请向所在社区或城管部门（12345 热线）反映。");
    await drain();
    expect((await caseOf(number)).status).toBe("rejected");
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(
      `您的事项 ${number} 有新进展：不予受理：装修噪音不属于安全生产监管范围，请向所在社区或城管部门（12345 热线）反映。`,
    );
  });

  it("marking a duplicate merges the reporter into the other case", async () => {
    const first = await report(citizen(), { sector: "矿山", town: "西桥街道", text: "矿区道路边坡有大块落石，车辆通行危险。" });
    const c = citizen();
    const second = await report(c, { sector: "矿山", town: "西桥街道", text: "矿山道路旁边坡石头松动，随时可能滚落。" });
    await drain();
    const d = dispatcher();
    const row = await caseOf(second);
    await d.post(d.who.presses(`c:${row.id}:${row.version}:dup`));
    await d.say(first.toLowerCase());
    await drain();
    expect(await caseOf(second)).toMatchObject({ status: "closed", mergedInto: (await caseOf(first)).id });
    const followers = await h.hazardline.db
      .select()
      .from(caseReporters)
      .where(eq(caseReporters.caseId, (await caseOf(first)).id));
    expect(followers.map((r) => r.telegramId)).toContain(c.who.id);
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您的事项 ${second} 与其他群众反映的同一问题已合并办理，办理结果会继续通知您。`);
  });
});

describe("questions (在线咨询)", () => {
  it("the liaison's answer is relayed to the citizen; neither sees who the other is", async () => {
    const c = citizen();
    const number = await askQuestion(c, "城关镇的小作坊需要办理安全生产许可证吗？");
    const d = dispatcher();
    await drain();
    await d.tap("交办");
    await d.tap("城关镇安监站");
    await d.tap("整个单位");
    await drain();
    const a = liaisonA();
    expect(a.lastKeyboardMessage().text).toContain(number);
    await a.tap("答复");
    await a.say("一般小作坊不需要安全生产许可证，但须遵守消防和用电安全规定。");
    await drain();
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您咨询的事项 ${number} 已答复：\n一般小作坊不需要安全生产许可证，但须遵守消防和用电安全规定。`);
    expect(h.fake.sentTexts(c.who.id).join("")).not.toMatch(/联络员|9002/);
  });
});

describe("authority is checked on the server", () => {
  it("a liaison of another unit, a citizen and a forged button are refused; two presses at once: one wins", async () => {
    const number = await report(citizen(), { sector: "道路交通", town: "城关镇" });
    await drain();
    const row = await caseOf(number);

    const b = liaisonB();
    await b.post(b.who.presses(`c:${row.id}:${row.version}:acc`));
    expect(b.lastAnswer()).toBe("这不是您单位的事项。");

    const twoHats = new Conversation(h, person({ id: 9007 }));
    const other = await report(citizen(), { sector: "建筑施工", town: "西桥街道" }); // routed to station-b
    const otherRow = await caseOf(other);
    await twoHats.post(twoHats.who.presses(`c:${otherRow.id}:${otherRow.version}:acc`));
    expect(twoHats.lastAnswer()).toBe("这不是您单位的事项。");

    const stranger = citizen();
    await stranger.post(stranger.who.presses(`c:${row.id}:${row.version}:cls`));
    expect(stranger.lastAnswer()).toBe("您没有权限执行此操作。");
    // Data no button of ours carries is answered as a stale button, before anything is read.
    await stranger.post(stranger.who.presses(`c:${row.id}:${row.version}:zz`));
    expect(stranger.lastAnswer()).toBe("这个按钮已失效，请发送 /start 重新开始。");

    const [one, two] = [liaisonA(), liaisonA2()];
    await Promise.all([h.post(one.who.presses(`c:${row.id}:${row.version}:acc`)), h.post(two.who.presses(`c:${row.id}:${row.version}:acc`))]);
    const answers = h.fake
      .callsTo("answerCallbackQuery")
      .slice(-2)
      .map((c) => c.params.text)
      .sort();
    expect(answers).toEqual(["事项已被他人更新，请查看最新情况。", "已完成：✅ 签收"].sort());
    expect((await eventsOf(row.id)).filter((e) => e === "accepted")).toHaveLength(1);

    // A stale card (old version) cannot close it either.
    const d = dispatcher();
    await d.post(d.who.presses(`c:${row.id}:${row.version}:cls`));
    expect(d.lastAnswer()).toBe("事项已被他人更新，请查看最新情况。");
  });
});

describe("groups", () => {
  it("a group that removes the bot is no longer written to; adding it back restores it", async () => {
    const change = (status: "left" | "member") => ({
      update_id: Math.floor(Math.random() * 1e9),
      my_chat_member: {
        chat: { id: TOWN_A_GROUP, type: "supergroup", title: "城关镇安全生产工作群" },
        from: { id: 9002, is_bot: false, first_name: "联络员甲" },
        date: Math.floor(Date.now() / 1000),
        old_chat_member: { user: { id: 123456789, is_bot: true, first_name: "Hazardline" }, status: status === "left" ? "member" : "left" },
        new_chat_member: { user: { id: 123456789, is_bot: true, first_name: "Hazardline" }, status },
      },
    });
    const blockedAt = async () => (await h.hazardline.db.select().from(chats).where(eq(chats.chatId, TOWN_A_GROUP)))[0]?.blockedAt;
    expect((await h.post(change("left"))).status).toBe(200);
    expect(await blockedAt()).toEqual(expect.any(Number));
    expect((await h.post(change("member"))).status).toBe(200);
    expect(await blockedAt()).toBeNull();
  });
});

describe("flood control", () => {
  it("does not throttle staff working through their cases", async () => {
    const a = liaisonA();
    for (let i = 0; i < 35; i++) await h.post(a.who.says("/mine"));
    expect(h.fake.sentTexts(9002).filter((t) => t.startsWith("您发送得太快了"))).toEqual([]);
  });
});

describe("joining", () => {
  it("an admin's invite link makes a member once; a second use and an expired link are refused", async () => {
    const ad = admin();
    // The unit by its name and the role in Chinese, as an office writes them; the answer names the unit.
    const made = (await ad.say("/invite 西桥街道安监站 联络员"))[0]!;
    const code = /start=(inv_[a-z0-9]+)/.exec(made)![1]!;
    expect(made).toContain("单位：西桥街道安监站；角色：联络员");

    const newcomer = new Conversation(h, person({ id: 9300, first_name: "新人" }));
    expect((await newcomer.say(`/start ${code}`))[0]).toMatch(/^欢迎加入西桥街道安监站！您的角色：联络员。/);
    const [row] = await h.hazardline.db.select().from(members).where(eq(members.telegramId, 9300));
    expect(row).toMatchObject({ unitId: "station-b", roles: ["liaison"], name: "新人" });
    // Their own menu now has a liaison's staff commands, in their language, for their chat only.
    const menu = h.fake.callsTo("setMyCommands").filter((c) => (c.params.scope as { chat_id?: number } | undefined)?.chat_id === 9300);
    expect(menu.map((c) => c.params.scope)).toEqual([{ type: "chat", chat_id: 9300 }]);
    expect(menu[0]?.params.language_code).toBeUndefined();
    const commands = menu[0]?.params.commands as Array<{ command: string; description: string }>;
    expect(commands.map((c) => c.command)).toEqual([
      "mine",
      "case",
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
    expect(commands[0]?.description).toBe("本单位在办事项");

    expect(await new Conversation(h, person({ id: 9301 })).say(`/start ${code}`)).toEqual([
      "这个邀请链接已经使用过了。如需加入，请联系管理员重新生成。",
    ]);

    const late = /start=(inv_[a-z0-9]+)/.exec((await ad.say("/invite station-a liaison"))[0]!)![1]!;
    await h.hazardline.db
      .update(invites)
      .set({ expiresAt: Date.now() - 1 })
      .where(eq(invites.unitId, "station-a"));
    expect(await new Conversation(h, person({ id: 9302 })).say(`/start ${late}`)).toEqual(["这个邀请链接已过期，请联系管理员重新生成。"]);
    expect(await new Conversation(h, person({ id: 9303 })).say("/start inv_nosuchcode12345")).toEqual(["邀请链接无效。"]);

    // Only admins make invites.
    expect(await liaisonA().say("/invite station-a admin")).toEqual(["您没有权限执行此操作。"]);
  });

  it("/bind in a group makes it the dispatchers' group; a citizen cannot bind", async () => {
    const d = dispatcher();
    await h.post(d.who.saysInGroup(DISPATCHERS, "/bind dispatchers"));
    expect(h.fake.sentTexts(DISPATCHERS).at(-1)).toBe("已将本群绑定为：安委办调度群");
    const c = citizen();
    await h.post(c.who.saysInGroup(-100999, "/bind dispatchers"));
    expect(h.fake.sentTexts(-100999)).toEqual(["您没有权限执行此操作。"]);
    const bound = await h.hazardline.db.select().from(chats).where(eq(chats.purpose, "dispatchers"));
    expect(bound.map((b) => b.chatId)).toEqual([DISPATCHERS]);

    // From now on, new cases for triage go to the group.
    const number = await report(citizen(), { sector: "矿山", town: "西桥街道", text: "尾矿库坝体出现裂缝，下游有村庄。" });
    await drain();
    expect(h.fake.sentTexts(DISPATCHERS).some((t) => t.includes(number) && t.includes("🆕 新事项"))).toBe(true);
  });
});

describe("verification, supervision and the ledger", () => {
  it("a send-back returns the case to the unit; a leader lists it for supervision; /case shows the ledger without the reporter", async () => {
    const number = await report(citizen(), { sector: "建筑施工", town: "城关镇", text: "工地基坑边没有护栏，夜间没有警示灯。" });
    await drain();
    const a = liaisonA();
    await a.tap("签收");
    await resolveWithPhoto(a, { measures: "已设置护栏和警示灯。", responsible: "项目安全员 李强", photo: "fence-1" });
    await drain();

    const d = dispatcher();
    await d.say(`/case ${number}`);
    await d.tap("退回");
    await d.say("照片看不到警示灯，请补拍夜间照片。");
    await drain();
    expect(liaisonA().lastKeyboardMessage().text).toContain("↩️ 核查未通过，已退回");
    expect((await caseOf(number)).status).toBe("in_progress");

    // Supervision: a leader may list it; a liaison may not.
    const row = await caseOf(number);
    const l = leader();
    await l.post(l.who.presses(`c:${row.id}:${row.version}:sup`));
    expect(l.lastAnswer()).toBe("已完成：🔴 挂牌督办");
    expect((await caseOf(number)).supervision).toBe("listed");
    const after = await caseOf(number);
    await a.post(a.who.presses(`c:${after.id}:${after.version}:uns`));
    expect(a.lastAnswer()).toBe("您没有权限执行此操作。");

    const ledger = (await d.say(`/case ${number}`)).join("\n");
    expect(ledger).toContain("🔴 挂牌督办");
    expect(ledger).toContain("办理记录：");
    expect(ledger).toMatch(/签收 · 甲/);
    expect(ledger).toMatch(/退回 · 周调度：照片看不到警示灯/);
    expect(ledger).toMatch(/群众提交/);
    expect(ledger).toContain("举报人：匿名");
    expect(await liaisonB().say(`/case ${number}`)).toEqual([expect.stringContaining(number)]); // staff may look; buttons decide nothing
    expect(await citizen().say(`/case ${number}`)).toEqual(["您没有权限执行此操作。"]);
  });
});
