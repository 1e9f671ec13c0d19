/**
 * Notices (通报) end to end: a dispatcher writes one and sends it to two units (one with a
 * work group, one without); members press "read" in the group or in private; presses by
 * anyone else are answered and not recorded; /receipts shows who has and has not read it;
 * those who have not are reminded privately once, four working hours later.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { chats, members, noticeReceipts, notices, units } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

const GROUP_A = -100701;
// A Monday, 10:00 in Shanghai: four working hours later is 16:00 the same day (the lunch break does not count).
const clock = { at: Date.parse("2026-11-23T02:00:00Z"), now: () => clock.at };

let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9301, first_name: "调度员" }));
const a1 = () => new Conversation(h, person({ id: 9302, first_name: "甲一" }));
const a2 = () => new Conversation(h, person({ id: 9303, first_name: "甲二" }));
const b1 = () => new Conversation(h, person({ id: 9304, first_name: "乙一" }));
const outsider = () => new Conversation(h, person({ id: 9306, first_name: "丙" }));
const citizen = () => new Conversation(h, person({ id: 9399, first_name: "群众" }));

const pressInGroup = (c: Conversation, data: string) =>
  c.post(c.who.presses(data, { message_id: 1, chat: { id: GROUP_A, type: "supergroup", title: "城关镇安全生产工作群" } }));
const readButton = (params: Record<string, unknown>) =>
  (params.reply_markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard[0]![0]!;

beforeAll(async () => {
  h = await startHarness({ clock });
  const db = h.hazardline.db;
  await db.insert(units).values([
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station" },
    { id: "station-b", kind: "territorial", nameZh: "西桥街道安监站", nameEn: "Xiqiao Safety Station" },
    { id: "station-c", kind: "territorial", nameZh: "东湖镇安监站", nameEn: "Donghu Safety Station" },
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
  ]);
  await db.insert(members).values([
    { telegramId: 9301, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9302, unitId: "station-a", roles: ["liaison"], name: "甲一" },
    { telegramId: 9303, unitId: "station-a", roles: ["liaison"], name: "甲二" },
    { telegramId: 9304, unitId: "station-b", roles: ["liaison"], name: "乙一" },
    { telegramId: 9305, unitId: "station-b", roles: ["liaison"], name: "乙二" },
    { telegramId: 9306, unitId: "station-c", roles: ["liaison"], name: "丙" },
  ]);
  await db.insert(chats).values({ chatId: GROUP_A, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" });
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("a notice", () => {
  let id = 0;

  it("is written, addressed and previewed, then sent: one copy to the unit's group, private copies where a unit has none", async () => {
    const d = dispatcher();
    expect(await d.say("/notice")).toEqual([expect.stringContaining("请发送通报内容")]);
    await d.say("关于开展冬季安全生产大检查的通报：请各单位于本周五前完成自查并上报。");
    await d.tap("城关镇安监站");
    await d.tap("西桥街道安监站");
    await d.tap("下一步");
    const preview = d.lastKeyboardMessage().text;
    expect(preview).toContain("城关镇安监站、西桥街道安监站");
    expect(preview).toContain("共 1 个工作群，另私信 2 人");
    expect(preview).toContain("应阅人数 4");
    expect(h.fake.sentTexts(9301).at(-1)).toContain("关于开展冬季安全生产大检查的通报");
    await d.tap("发送");
    const sent = h.fake.callsTo("editMessageText").at(-1)!.params.text as string;
    id = Number(/#(\d+)/.exec(sent)![1]);
    expect(sent).toContain("共 3 份");

    await h.tick(clock.at);
    for (const chat of [GROUP_A, 9304, 9305]) {
      const [copy] = h.fake.callsTo("sendMessage").filter((c) => c.params.chat_id === chat && String(c.params.text).includes(`通报 #${id}`));
      expect(copy, `copy to ${chat}`).toBeDefined();
      expect(String(copy!.params.text)).toContain("—— 县安委办");
      expect(readButton(copy!.params)).toEqual({ text: "✅ 已阅", callback_data: `nr:${id}` });
    }
    // Members of a unit with a group read it there: no private copy.
    expect(h.fake.sentTexts(9302).some((t) => t.includes(`通报 #${id}`))).toBe(false);
  });

  it("records a member's read once; a press by anyone else is answered and not recorded", async () => {
    await pressInGroup(a1(), `nr:${id}`);
    expect(a1().lastAnswer()).toBe("已记录您的阅读。");
    await pressInGroup(a1(), `nr:${id}`);
    expect(a1().lastAnswer()).toBe("您已阅读过此通报。");
    await b1().post(b1().who.presses(`nr:${id}`));
    expect(b1().lastAnswer()).toBe("已记录您的阅读。");

    await pressInGroup(outsider(), `nr:${id}`);
    expect(outsider().lastAnswer()).toBe("此通报不是发给您所在单位的，未记录。");
    await citizen().post(citizen().who.presses(`nr:${id}`));
    expect(citizen().lastAnswer()).toBe("此通报不是发给您所在单位的，未记录。");
    await citizen().post(citizen().who.presses("nr:999999"));
    expect(citizen().lastAnswer()).toBe("找不到此通报。");

    const receipts = await h.hazardline.db.select().from(noticeReceipts).where(eq(noticeReceipts.noticeId, id));
    expect(receipts.map((r) => [r.telegramId, r.chatId]).sort()).toEqual([
      [9302, GROUP_A],
      [9304, 9304],
    ]);
  });

  it("/receipts shows who has read it and who has not, per unit and its group", async () => {
    const [reply] = await dispatcher().say(`/receipts ${id}`);
    expect(reply).toContain(`通报 #${id}`);
    expect(reply).toContain("【城关镇安监站】工作群：城关镇安全生产工作群 · 已阅 1/2");
    expect(reply).toContain("✅ 甲一（2026-11-23 10:00）");
    expect(reply).toContain("⬜ 甲二");
    expect(reply).toContain("【西桥街道安监站】工作群：— · 已阅 1/2");
    expect(reply).toContain("⬜ 乙二");
    expect(reply).not.toContain("丙");
    const [list] = await dispatcher().say("/receipts");
    expect(list).toContain(`#${id} · 2026-11-23 10:00 · 已阅 2 人`);
  });

  it("reminds those who have not read it, privately and once, four working hours later", async () => {
    const [row] = await h.hazardline.db.select().from(notices).where(eq(notices.id, id));
    expect(row!.remindAt).toBe(Date.parse("2026-11-23T08:00:00Z")); // 16:00 in Shanghai
    clock.at = row!.remindAt! - 60_000;
    await h.tick(clock.at);
    expect(h.fake.sentTexts(9303).some((t) => t.includes("您还未阅读通报"))).toBe(false);

    clock.at = row!.remindAt!;
    expect((await h.tick(clock.at)).noticeReminders).toBe(2);
    for (const who of [9303, 9305]) {
      const [reminder] = h.fake
        .callsTo("sendMessage")
        .filter((c) => c.params.chat_id === who && String(c.params.text).includes(`您还未阅读通报 #${id}`));
      expect(readButton(reminder!.params).callback_data).toBe(`nr:${id}`);
    }
    for (const who of [9302, 9304, 9306]) expect(h.fake.sentTexts(who).some((t) => t.includes("您还未阅读通报"))).toBe(false);

    clock.at += 3_600_000;
    expect((await h.tick(clock.at)).noticeReminders).toBe(0);
    expect(h.fake.sentTexts(9303).filter((t) => t.includes("您还未阅读通报"))).toHaveLength(1);

    await a2().tap("已阅");
    expect(a2().lastAnswer()).toBe("已记录您的阅读。");
  });

  it("is for dispatchers, leaders and admins only", async () => {
    expect(await a1().say("/notice")).toEqual(["您没有权限执行此操作。"]);
    expect(await a1().say("/receipts")).toEqual(["您没有权限执行此操作。"]);
  });

  it("answers a stale button and a cancelled draft, and a photo needs words", async () => {
    const d = dispatcher();
    await d.say("/notice");
    expect(await d.post(d.who.sendsPhoto("photo-1"))).toEqual([expect.stringContaining("通报需要文字内容")]);
    await d.post(d.who.sendsPhoto("photo-2", { caption: "现场照片：某企业违规存放危化品" }));
    await d.tap("取消");
    expect(h.fake.callsTo("editMessageText").at(-1)!.params.text).toBe("已取消，通报未发送。");
    await d.post(d.who.presses("nt:send"));
    expect(d.lastAnswer()).toBe("此操作已失效，请重新发送 /notice。");
    // /cancel drops a notice being written: the next words are not taken as one.
    await d.say("/notice");
    expect(await d.say("/cancel")).toEqual(["已取消，通报未发送。"]);
    expect(await d.say("这句话不是通报")).not.toContainEqual(expect.stringContaining("请选择接收通报的单位"));
    // A forged unit id in a button is ignored.
    await d.say("/notice");
    await d.say("测试");
    await d.post(d.who.presses("nt:u:no-such-unit"));
    await d.tap("下一步");
    expect(d.lastAnswer()).toBe("请至少选择一个单位。");
  });
});
