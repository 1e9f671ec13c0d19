/**
 * The command catalog (src/domain/commands.ts) as people meet it, through the webhook: every
 * staff command and every button a staff command leads to is refused to each role that lacks
 * it and answered for each that holds it; a command in the wrong kind of chat says where it
 * works; /help and the welcome after joining show each person what their roles can do; /bind
 * offers the units as buttons and takes a unit's name; /units lists the ids; free text with
 * nothing in progress gets the menu.
 */
import { eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chats, members } from "../../db/schema";
import { COMMAND_NAMES, type CommandName, isStaffCommand, mayUse, usableIn } from "../../src/domain/commands";
import { ROLES, type Role } from "../../src/domain/workflow";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { type Person, person } from "../support/people";

let h: Harness;
const NOT_ALLOWED = "您没有权限执行此操作。";
const PRIVATE_ONLY = "请私聊我使用这个功能：https://t.me/hazardline_test_bot";

/** One person per role, and a citizen with none. */
const CAST: Record<Role | "citizen", number> = { citizen: 9701, liaison: 9702, dispatcher: 9703, leader: 9704, admin: 9705 };
const rolesOf = (who: keyof typeof CAST): Role[] => (who === "citizen" ? [] : [who]);
const as = (who: keyof typeof CAST) => new Conversation(h, person({ id: CAST[who], first_name: who }));
let nextGroup = -100_700;

/** Everything the bot sent to a chat (any send method) while `work` ran. */
async function sentTo(chatId: number, work: () => Promise<unknown>): Promise<string[]> {
  const ofChat = () => h.fake.calls.filter((c) => c.method.startsWith("send") && c.params.chat_id === chatId);
  const before = ofChat().length;
  await work();
  return ofChat()
    .slice(before)
    .map((c) => String(c.params.text ?? c.params.caption ?? c.method));
}

async function post(update: Update) {
  expect((await h.post(update)).status).toBe(200);
}

beforeAll(async () => {
  h = await startHarness();
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: CAST.liaison, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
    { telegramId: CAST.dispatcher, unitId: "office", roles: ["dispatcher"], name: "调度员" },
    { telegramId: CAST.leader, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: CAST.admin, unitId: "office", roles: ["admin"], name: "管理员" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

const STAFF_COMMANDS = COMMAND_NAMES.filter(isStaffCommand);

describe("every staff command", () => {
  it.each(STAFF_COMMANDS)("/%s is refused to each role that lacks it and answered for each that holds it", async (name) => {
    for (const who of Object.keys(CAST) as (keyof typeof CAST)[]) {
      const p = person({ id: CAST[who], first_name: who });
      const inGroup = !usableIn(name, "private");
      const chatId = inGroup ? nextGroup-- : p.id;
      const answers = await sentTo(chatId, () => post(inGroup ? p.saysInGroup(chatId, `/${name}`) : p.says(`/${name}`)));
      if (mayUse(name, rolesOf(who))) {
        expect(answers.length, `${who} /${name}`).toBeGreaterThan(0);
        expect(answers, `${who} /${name}`).not.toContain(NOT_ALLOWED);
      } else {
        expect(answers, `${who} /${name}`).toEqual([NOT_ALLOWED]);
      }
    }
  });
});

/** A forged press of each family of buttons a staff command leads to, and the command whose roles it needs. */
const BUTTONS: Array<{ command: CommandName; data: string; inGroup?: boolean }> = [
  { command: "ranking", data: "dg:ranking" },
  { command: "stats", data: "dg:stats" },
  { command: "supervised", data: "dg:supervised" },
  { command: "publish", data: "pb:1:listed" },
  { command: "notice", data: "nt:next" },
  { command: "notice", data: "nt:u:station-a" },
  { command: "bind", data: "bd:dispatchers", inGroup: true },
  { command: "bind", data: "bd:u:station-a", inGroup: true },
  { command: "case", data: "c:1:0:view" },
];

describe("every button a staff command leads to", () => {
  it.each(BUTTONS)("$data is refused to each role that lacks /$command", async ({ command, data, inGroup }) => {
    for (const who of Object.keys(CAST) as (keyof typeof CAST)[]) {
      const p = person({ id: CAST[who], first_name: who });
      const chat = inGroup ? { id: nextGroup--, type: "supergroup" as const, title: "工作群" } : undefined;
      const answersBefore = h.fake.callsTo("answerCallbackQuery").length;
      await post(p.presses(data, chat ? { chat } : {}));
      const answer = h.fake.callsTo("answerCallbackQuery").slice(answersBefore);
      expect(answer, `${who} ${data}`).toHaveLength(1);
      if (mayUse(command, rolesOf(who))) expect(answer[0]!.params.text, `${who} ${data}`).not.toBe(NOT_ALLOWED);
      else expect(answer[0]!.params, `${who} ${data}`).toMatchObject({ text: NOT_ALLOWED, show_alert: true });
    }
    // Only the presses that were allowed bound a group.
    const bound = await h.hazardline.db.select().from(chats);
    expect(bound.every((c) => c.title === "工作群")).toBe(true);
  });
});

describe("a command in the wrong kind of chat", () => {
  it("in a group, a private command points to a private chat with the bot; to staff and citizens alike", async () => {
    const group = nextGroup--;
    const p = (who: keyof typeof CAST) => person({ id: CAST[who], first_name: who });
    expect(await sentTo(group, () => post(p("dispatcher").saysInGroup(group, "/queue")))).toEqual([PRIVATE_ONLY]);
    expect(await sentTo(group, () => post(p("citizen").saysInGroup(group, "/report")))).toEqual([PRIVATE_ONLY]);
    expect(await sentTo(group, () => post(p("leader").saysInGroup(group, "/help@hazardline_test_bot")))).toEqual([PRIVATE_ONLY]);
    // Staff commands are still refused to those who may not use them, wherever they are sent.
    expect(await sentTo(group, () => post(p("citizen").saysInGroup(group, "/queue")))).toEqual([NOT_ALLOWED]);
    // A command for another bot in the same group is not ours to answer.
    expect(await sentTo(group, () => post(p("citizen").saysInGroup(group, "/report@other_bot")))).toEqual([]);
  });

  it("in a private chat, a group command says to send it in the group", async () => {
    expect(await as("admin").say("/bind")).toEqual(["这个命令在工作群里使用：请在要设置的群里发送 /bind。"]);
    expect(await as("dispatcher").say("/schedule list")).toEqual(["这个命令在工作群里使用：请在要设置的群里发送 /schedule。"]);
    expect(await as("citizen").say("/bind")).toEqual([NOT_ALLOWED]);
  });
});

describe("/help", () => {
  const help = async (who: keyof typeof CAST) => (await as(who).say("/help"))[0]!;
  const commandsIn = (text: string) => [...text.matchAll(/^\/([a-z]+)/gm)].map((m) => m[1]);
  const CITIZEN = ["report", "ask", "my", "status", "cancel", "start", "lang", "help"];

  it("shows a citizen the citizen's commands and nothing of the office's", async () => {
    const text = await help("citizen");
    expect(commandsIn(text)).toEqual(CITIZEN);
    expect(text).toContain("举报时可以选择匿名");
    expect(text).not.toContain("您的工作命令");
  });

  it("shows each role its own commands first, one line each, then the citizen's", async () => {
    expect(commandsIn(await help("liaison"))).toEqual(["mine", "case", "units", "web", ...CITIZEN]);
    expect(commandsIn(await help("leader"))).toEqual([
      "case",
      "supervised",
      "ranking",
      "stats",
      "export",
      "notice",
      "receipts",
      "units",
      "web",
      ...CITIZEN,
    ]);
    const dispatcher = await help("dispatcher");
    expect(dispatcher).toContain("您的工作命令（调度员）：\n/queue — 待分派事项");
    expect(dispatcher).toContain("在工作群里：\n/schedule — 本群定期提醒\n/bind —");
    expect(commandsIn(dispatcher)).toEqual([
      ...["queue", "new", "case", "supervised", "ranking", "stats", "export", "notice", "receipts", "publish", "poster", "units", "web"],
      ...["schedule", "bind"],
      ...CITIZEN,
    ]);
    expect(commandsIn(await help("admin"))).toContain("invite");
  });

  it("speaks the person's language", async () => {
    const leader = as("leader");
    await leader.say("/lang");
    await leader.tap("English");
    const [text] = await leader.say("/help");
    expect(text).toMatch(/^How to use Hazardline\n\nYour staff commands \(leader\):\n\/case NUMBER — /);
    await leader.say("/lang");
    await leader.tap("简体中文");
  });
});

describe("joining", () => {
  it("the welcome says what each of the newcomer's roles does, and where the rest is", async () => {
    const [made] = await as("admin").say("/invite 县安委办 调度员、领导");
    const code = /start=(inv_[a-z0-9]+)/.exec(made!)![1]!;
    const [welcome] = await new Conversation(h, person({ id: 9710, first_name: "新调度" })).say(`/start ${code}`);
    expect(welcome).toMatch(/^欢迎加入县安委办！您的角色：调度员、领导。/);
    expect(welcome).toContain("作为调度员：新的举报和咨询进入 /queue");
    expect(welcome).toContain("作为领导：您每天会收到工作日报");
    expect(welcome).not.toContain("作为联络员");
    expect(welcome).toMatch(/发送 \/help 查看您能使用的全部命令。$/);
  });
});

describe("/bind and /units", () => {
  const boundAs = async (chatId: number) => (await h.hazardline.db.select().from(chats).where(eq(chats.chatId, chatId)))[0];

  it("/bind alone offers the office's groups and every unit as buttons; a tap binds the group and names the unit", async () => {
    const group = nextGroup--;
    const d = person({ id: CAST.dispatcher, first_name: "dispatcher" });
    const [choose] = await sentTo(group, () => post(d.saysInGroup(group, "/bind")));
    expect(choose).toBe("请选择本群的用途：调度群、领导群，或某个单位的工作群。");
    const keyboard = h.fake.callsTo("sendMessage").at(-1)!.params.reply_markup as { inline_keyboard: { text: string; callback_data: string }[][] };
    const buttons = keyboard.inline_keyboard.flat();
    expect(buttons.map((b) => b.text)).toEqual(["安委办调度群", "领导群", "县安委办", "城关镇安监站"]);
    const station = buttons.find((b) => b.text === "城关镇安监站")!;
    const chat = { id: group, type: "supergroup" as const, title: "城关镇安全工作群" };
    await post(d.presses(station.callback_data, { chat, message_id: 1 }));
    expect(h.fake.callsTo("editMessageText").at(-1)!.params.text).toBe("已将本群绑定为：城关镇安监站工作群");
    expect(await boundAs(group)).toMatchObject({ purpose: "unit", unitId: "station-a", title: "城关镇安全工作群" });
  });

  it("/bind unit takes the unit's name or id; an unknown one is named in the answer with where to find ids", async () => {
    const group = nextGroup--;
    const a = person({ id: CAST.admin, first_name: "admin" });
    expect(await sentTo(group, () => post(a.saysInGroup(group, "/bind unit 城关镇安监站")))).toEqual(["已将本群绑定为：城关镇安监站工作群"]);
    expect(await boundAs(group)).toMatchObject({ purpose: "unit", unitId: "station-a" });
    expect(await sentTo(group, () => post(a.saysInGroup(group, "/bind unit office")))).toEqual(["已将本群绑定为：县安委办工作群"]);
    const [unknown] = await sentTo(group, () => post(a.saysInGroup(group, "/bind unit 西山镇安监站")));
    expect(unknown).toMatch(/^没有这个单位（或有多个单位同名）：西山镇安监站。发送 \/bind 从按钮中选择/);
    expect(await boundAs(group)).toMatchObject({ unitId: "office" });
    expect(await sentTo(group, () => post(a.saysInGroup(group, "/bind unit")))).toEqual([expect.stringMatching(/^用法/)]);
    expect(await sentTo(group, () => post(a.saysInGroup(group, "/bind leaders")))).toEqual(["已将本群绑定为：领导群"]);
  });

  it("/units lists the units by kind with their ids", async () => {
    expect(await as("liaison").say("/units")).toEqual(["单位名录（2 个）：\n\n安委办\n• 县安委办 — office\n\n属地单位\n• 城关镇安监站 — station-a"]);
  });

  it("a forged bind button with a unit that does not exist binds nothing", async () => {
    const group = nextGroup--;
    const chat = { id: group, type: "supergroup" as const, title: "工作群" };
    const before = h.fake.callsTo("answerCallbackQuery").length;
    for (const data of ["bd:u:no-such-unit", "bd:u:BAD ID", "bd:x", "bd:leaders:extra"]) {
      await post(person({ id: CAST.admin }).presses(data, { chat }));
    }
    expect(await boundAs(group)).toBeUndefined();
    expect(h.fake.callsTo("answerCallbackQuery").slice(before)).toHaveLength(4);
  });
});

describe("free text with nothing in progress", () => {
  it("gets the main menu and a pointer to /help", async () => {
    const c: Person = person({ id: 9720 });
    expect(await new Conversation(h, c).say("你好，请问怎么举报？")).toEqual([
      "抱歉，我没有理解这条消息。请选择下面的功能，或发送 /help 查看全部命令。",
    ]);
    const markup = h.fake.callsTo("sendMessage").at(-1)!.params.reply_markup as { inline_keyboard: { text: string }[][] };
    expect(markup.inline_keyboard.flat().map((b) => b.text)).toEqual(["⚠️ 举报隐患", "💬 在线咨询", "📋 我的事项", "🌐 语言 Language"]);
  });
});

describe("the catalog itself", () => {
  it("names every role somewhere, and every staff command has at least one role", () => {
    const named = new Set(STAFF_COMMANDS.flatMap((name) => ROLES.filter((r) => mayUse(name, [r]))));
    expect([...named].sort()).toEqual([...ROLES].sort());
  });
});
