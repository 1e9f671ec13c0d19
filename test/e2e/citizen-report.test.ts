/**
 * Citizens end to end through the webhook: reporting a hazard (named, anonymous with a
 * reward, with an album, with a pin), asking a question, following a case, and everything a
 * person might send that the flow does not expect. Assertions are on what the fake Bot API
 * was sent and what the database holds.
 */
import { and, eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attachments, caseEvents, caseLinks, caseReporters, cases, regions } from "../../db/schema";
import { updateKey } from "../../src/bot/update-guard";
import { hashClaimCode } from "../../src/domain/claim-code";
import { officeDate } from "../../src/domain/numbering";
import { newDraft } from "../../src/domain/report-draft";
import { Conversation } from "../support/conversation";
import { TEST_TOKEN } from "../support/fake-bot-api";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
let nextId = 7000;
const talk = (extra: Parameters<typeof person>[0] extends infer P ? Partial<P> : never = {}) =>
  new Conversation(h, person({ id: nextId++, first_name: "陈静", ...extra }));
const today = () => officeDate(Date.now(), "Asia/Shanghai");

beforeAll(async () => {
  h = await startHarness();
  await h.hazardline.db.insert(regions).values([
    { id: "county", level: "county", nameZh: "清河县", nameEn: "Qinghe County" },
    {
      id: "chengguan",
      parentId: "county",
      level: "town",
      nameZh: "城关镇",
      nameEn: "Chengguan Town",
      area: { lat: 30.0, lng: 120.0, radiusM: 3000 },
    },
    { id: "xiqiao", parentId: "county", level: "town", nameZh: "西桥街道", nameEn: "Xiqiao Street" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => {
  expect(h.fake.violations).toEqual([]);
});

/** A whole named hazard report, each step as a person takes it; returns the last replies. */
async function namedReport(c: Conversation, description = "仓库里堆放了大量油漆桶，旁边有人吸烟，没有灭火器。") {
  expect(await c.say("/report")).toEqual(["请选择举报类型："]);
  await c.tap("安全隐患");
  await c.tap("危险化学品");
  await c.tap("城关镇");
  await c.say("城关镇工业路 18 号宏达化工仓库");
  await c.say(description);
  expect(await c.post(c.who.sendsPhoto("p1"))).toEqual(["已收到 1 个照片/视频/文件。可以继续发送，或点“完成”。"]);
  await c.post(c.who.sendsPhoto("p2"));
  await c.tap("完成");
  await c.tap("紧急");
  expect((await c.tap("实名"))[0]).toContain("分享您的手机号");
  await c.post(c.who.sharesContact("+8613812345678"));
  const summary = await c.tap("不需要");
  return { summary: summary.join("\n"), submitted: await c.tap("提交") };
}

async function caseByNumber(number: string) {
  const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
  return row;
}

describe("reporting a hazard", () => {
  it("a named report goes step by step, shows a summary, and is stored with its number, reporter and photos", async () => {
    const c = talk({ first_name: "陈静", last_name: "刘", username: "chenjing" });
    const { summary, submitted } = await namedReport(c);

    expect(summary).toContain("类型：安全隐患");
    expect(summary).toContain("行业：危险化学品");
    expect(summary).toContain("地点：城关镇");
    expect(summary).toContain("详细地址：城关镇工业路 18 号宏达化工仓库");
    expect(summary).toContain("照片/视频：2 个");
    expect(summary).toContain("紧急程度：紧急");
    expect(summary).toContain("身份：实名（8613812345678）");
    expect(summary).toContain("有奖举报：不申请");

    const number = /编号：(YH-\d{8}-\d{4})/.exec(submitted[0]!)?.[1];
    expect(number).toMatch(new RegExp(`^YH-${today()}-\\d{4}$`));
    const row = (await caseByNumber(number!))!;
    expect(row).toMatchObject({
      kind: "hazard",
      status: "new",
      sectorId: "hazardous-chemicals",
      regionId: "chengguan",
      address: "城关镇工业路 18 号宏达化工仓库",
      severity: "urgent",
      anonymous: false,
      rewardRequested: false,
    });
    const [reporter] = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.caseId, row.id));
    expect(reporter).toMatchObject({ telegramId: c.who.id, chatId: c.who.id, name: "陈静 刘 (@chenjing)", phone: "8613812345678", claimHash: null });
    const files = await h.hazardline.db.select().from(attachments).where(eq(attachments.caseId, row.id));
    expect(files.map((f) => [f.kind, f.fileId])).toEqual([
      ["photo", "file-p1"],
      ["photo", "file-p2"],
    ]);
    const events = await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, row.id));
    expect(events.map((e) => [e.action, e.actorKind, e.toStatus])).toEqual([["submitted", "citizen", "new"]]);
    // The draft is gone: the next /report starts afresh.
    expect(await h.hazardline.services.drafts.get(c.who.id)).toBeNull();
  });

  it("an anonymous report with a reward claim stores no identity and shows a claim code once, stored only as a hash", async () => {
    const c = talk({ first_name: "匿名者", username: "secret_user" });
    await c.say("/report");
    await c.tap("违法违规行为");
    await c.tap("烟花爆竹");
    await c.tap("西桥街道");
    await c.tap("跳过");
    await c.say("有人在居民楼地下室非法储存大量烟花爆竹，晚上有货车装卸。");
    await c.tap("跳过");
    await c.tap("一般");
    await c.tap("匿名");
    const summary = (await c.tap("申请奖励")).join("\n");
    expect(summary).toContain("身份：匿名");
    expect(summary).toContain("有奖举报：申请");
    const replies = await c.tap("提交");

    expect(replies).toHaveLength(2);
    const code = /领奖凭证码：([2-9A-Z]{4}-[2-9A-Z]{4}-[2-9A-Z]{4})/.exec(replies[1]!)?.[1];
    expect(code).toBeDefined();
    const number = /编号：(YH-\d{8}-\d{4})/.exec(replies[0]!)![1]!;
    const row = (await caseByNumber(number))!;
    expect(row).toMatchObject({ kind: "violation", anonymous: true, rewardRequested: true, sectorId: "fireworks", regionId: "xiqiao" });
    const [reporter] = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.caseId, row.id));
    expect(reporter).toMatchObject({ name: null, phone: null, claimHash: await hashClaimCode(code!, TEST_TOKEN) });

    // The code itself is nowhere in the database.
    const tables = await h.database.client.execute("select name from sqlite_master where type = 'table'");
    for (const { name } of tables.rows) {
      const dump = JSON.stringify((await h.database.client.execute(`select * from "${String(name)}"`)).rows);
      expect(dump, String(name)).not.toContain(code!.replace(/-/g, ""));
      expect(dump, String(name)).not.toContain(code!);
    }

    // Whoever holds the code can follow the case, from any account, typed loosely.
    const other = talk();
    const status = (await other.say(`/status ${code!.toLowerCase().replace(/-/g, " ")}`)).join("\n");
    expect(status).toContain(`编号：${number}`);
    expect(status).toContain("当前状态：已受理，待分派");
  });

  it("an album of photos arriving at once is kept whole and acknowledged once", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("建筑施工");
    await c.say("东环路工地");
    await c.say("工地塔吊下方没有设置警戒区，工人不戴安全帽作业。");
    const album = ["a1", "a2", "a3", "a4"].map((id) => c.who.sendsPhoto(id, { mediaGroupId: "album-1" }));
    const statuses = await Promise.all(album.map((u) => h.post(u).then((r) => r.status)));
    expect(statuses).toEqual([200, 200, 200, 200]);
    expect(h.fake.sentTexts(c.who.id).filter((t) => t.includes("已收到一组照片"))).toHaveLength(1);
    const draft = await h.hazardline.services.drafts.get(c.who.id);
    expect(draft?.media.map((m) => m.fileUniqueId).sort()).toEqual(["a1", "a2", "a3", "a4"]);
  });

  it("keeps at most 10 photos and says so once", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("商场市场");
    await c.tap("跳过");
    await c.tap("跳过");
    await c.say("农贸市场消防通道被摊位堵死，灭火器过期。");
    for (let i = 0; i < 12; i++) await c.post(c.who.sendsPhoto(`m${i}`));
    expect((await h.hazardline.services.drafts.get(c.who.id))?.media).toHaveLength(10);
    expect(h.fake.sentTexts(c.who.id).filter((t) => t.includes("最多只能添加 10 个"))).toHaveLength(2);
  });

  it("a location pin inside a town's area selects the town; one outside asks for it", async () => {
    const inside = talk();
    await inside.say("/report");
    await inside.tap("安全隐患");
    await inside.tap("道路交通");
    const matched = await inside.post(inside.who.sendsLocation(30.01, 120.01)); // ~1.4 km from the centre
    expect(matched[0]).toContain("📍 已根据位置确定：城关镇。");
    expect(matched[0]).toContain("请输入详细地址");
    expect(await h.hazardline.services.drafts.get(inside.who.id)).toMatchObject({
      regionId: "chengguan",
      location: { lat: 30.01, lng: 120.01 },
      step: "address",
    });

    const outside = talk();
    await outside.say("/report");
    await outside.tap("安全隐患");
    await outside.tap("道路交通");
    const unmatched = await outside.post(outside.who.sendsLocation(31.5, 121.5));
    expect(unmatched[0]).toContain("已记录位置。请再选择所在的乡镇");
    expect(await h.hazardline.services.drafts.get(outside.who.id)).toMatchObject({ step: "place", location: { lat: 31.5, lng: 121.5 } });
  });

  it("a report on the same site as an open one is linked as a possible duplicate, and the reporter is not told", async () => {
    const first = talk();
    const second = talk();
    for (const [c, lat] of [
      [first, 30.0],
      [second, 30.001], // ~110 m further north
    ] as const) {
      await c.say("/report");
      await c.tap("安全隐患");
      await c.tap("工贸企业");
      await c.post(c.who.sendsLocation(lat, 120.0));
      await c.tap("跳过");
      await c.say(lat === 30.0 ? "粉尘车间除尘设备长期停用，地面积尘很厚。" : "这家工厂的打磨车间到处是粉尘，很危险。");
      await c.tap("跳过");
      await c.tap("一般");
      await c.tap("匿名");
      await c.tap("不需要");
      const replies = await c.tap("提交");
      expect(replies.join("")).not.toMatch(/重复|duplicate|其他/);
    }
    const numbers = await h.hazardline.db.select({ id: cases.id }).from(cases).where(eq(cases.sectorId, "industry-trade"));
    const [older, newer] = numbers.map((n) => n.id).sort((a, b) => a - b);
    const links = await h.hazardline.db.select().from(caseLinks).where(eq(caseLinks.caseId, newer!));
    expect(links).toHaveLength(1);
    expect(links[0]).toMatchObject({ otherCaseId: older, kind: "possible_duplicate", status: "open", detail: { reason: "nearby" } });
  });
});

describe("asking a question", () => {
  it("goes sector → question → photos → identity → summary, and gets a ZX number", async () => {
    const c = talk({ language_code: "en", first_name: "Lee" });
    expect(await c.say("/ask")).toEqual(["Which sector is your question about?"]);
    await c.tap("Fire safety");
    expect((await c.say("太短"))[0]).toContain("too short");
    await c.say("Does a small shop need a fire extinguisher for every 50 square metres?");
    await c.tap("Skip");
    const summary = (await c.tap("Anonymous")).join("\n");
    expect(summary).toContain("Please check your question:");
    expect(summary).toContain("Question: Does a small shop need");
    expect(summary).not.toContain("Reward");
    const replies = await c.tap("Submit");
    expect(replies[0]).toMatch(new RegExp(`Your question number is ZX-${today()}-\\d{4}\\.`));
    const number = /(ZX-\d{8}-\d{4})/.exec(replies[0]!)![1]!;
    expect(await caseByNumber(number)).toMatchObject({ kind: "consultation", sectorId: "fire", anonymous: true });
  });
});

describe("following a case", () => {
  it("/my lists a person's own cases and a tap shows the timeline; /status by number works only for the reporter", async () => {
    const c = talk();
    const { submitted } = await namedReport(c, "配电房门口堆满纸箱杂物，电线老化裸露。");
    const number = /编号：(YH-\d{8}-\d{4})/.exec(submitted[0]!)![1]!;

    expect(await c.say("/my")).toEqual(["您最近的事项（点击查看进度）："]);
    const list = c.lastKeyboardMessage();
    expect(list.buttons.map((b) => b.text)).toEqual([`${number} · 已受理，待分派`]);
    const timeline = (await c.tap(number)).join("\n");
    expect(timeline).toContain("办理过程：");
    expect(timeline).toMatch(/\d{4}-\d{2}-\d{2} \d{2}:\d{2}　已受理/);

    expect((await c.say(`/status ${number.toLowerCase()}`))[0]).toContain(`编号：${number}`);
    const stranger = talk();
    expect(await stranger.say(`/status ${number}`)).toEqual(["没有找到对应的事项。请检查编号或凭证码（只能查询您本人提交的事项）。"]);
    expect(await stranger.say("/status")).toEqual(["请发送 /status 加上编号或领奖凭证码，例如：/status YH-20261125-0001"]);
    expect(await stranger.say("/my")).toEqual(["您还没有提交过举报或咨询。发送 /report 举报隐患，/ask 在线咨询。"]);
    // A forged status button for someone else's case shows nothing.
    await stranger.post(stranger.who.presses(`st:${(await caseByNumber(number))!.id}`));
    expect(stranger.lastAnswer()).toBe("没有找到对应的事项。请检查编号或凭证码（只能查询您本人提交的事项）。");
  });
});

describe("what keeps a report right", () => {
  it("lists every problem at once (一次性告知) and offers to fix them, keeping the draft", async () => {
    const c = talk();
    // A draft left by an older version of the bot, with several fields never filled in.
    const draft = { ...newDraft("report", "oldver01", Date.now()), step: "summary" as const, sectorId: "mines", description: "短" };
    await h.hazardline.services.drafts.save(c.who.id, draft);
    await c.post(c.who.presses("d:oldver01:submit"));
    const answer = h.fake.sentTexts(c.who.id).at(-1)!;
    expect(answer.split("\n")).toEqual([
      "还不能提交，请补充以下内容：",
      "• 请选择举报类型",
      "• 请选择乡镇（街道）、发送位置或填写地址，至少一项",
      "• 描述太短，请至少写 10 个字",
      "• 请选择是否紧急",
      "• 请选择匿名或实名",
      "• 请选择是否申请有奖举报",
    ]);
    expect(await h.hazardline.services.drafts.get(c.who.id)).toEqual(draft);
    expect((await c.tap("去补充"))[0]).toBe("请选择举报类型：");
  });

  it("a place left out is named in the answer, and fixing it returns to the summary", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("矿山");
    await c.tap("跳过");
    await c.tap("跳过");
    await c.say("矿井通风设备坏了好几天，还在继续下井作业。");
    await c.tap("跳过");
    await c.tap("紧急");
    await c.tap("匿名");
    await c.tap("不需要");
    expect(await c.tap("提交")).toEqual(["还不能提交，请补充以下内容：\n• 请选择乡镇（街道）、发送位置或填写地址，至少一项"]);
    await c.tap("去补充");
    const back = (await c.tap("西桥街道")).join("\n");
    expect(back).toContain("请核对您的举报：");
    expect((await c.tap("提交"))[0]).toContain("✅ 已受理");
  });

  it("Change on the summary goes back to one field and returns to the summary", async () => {
    const c = talk();
    await c.say("/ask");
    await c.tap("其他");
    await c.say("企业的应急预案多久需要演练一次？");
    await c.tap("跳过");
    expect((await c.tap("匿名")).join("\n")).toContain("行业：其他");
    expect((await c.tap("修改"))[0]).toBe("请选择要修改的内容：");
    expect(c.lastKeyboardMessage().buttons.map((b) => b.text)).toEqual(["行业", "问题", "照片/视频", "身份", "✖ 取消"]);
    await c.tap("行业");
    const back = (await c.tap("工贸企业")).join("\n");
    expect(back).toContain("请核对您的咨询：");
    expect(back).toContain("行业：工贸企业");
    expect(back).toContain("问题：企业的应急预案多久需要演练一次？");
  });

  it("the same report sent again within 10 minutes is recognised and not stored twice", async () => {
    const c = talk();
    const text = "加油站旁边有人违规焊接作业，火花四溅。";
    const first = (await namedReport(c, text)).submitted[0]!;
    const number = /编号：(YH-\d{8}-\d{4})/.exec(first)![1]!;
    const again = (await namedReport(c, text)).submitted;
    expect(again).toEqual([`您刚刚已提交过相同的内容，编号：${number}，无需重复提交。`]);
    const mine = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.telegramId, c.who.id));
    expect(mine).toHaveLength(1);
  });

  it("a double press of Submit creates one case", async () => {
    const c = talk();
    await c.say("/ask");
    await c.tap("校园安全");
    await c.say("学校周边的电动车充电桩应该由哪个部门管理？");
    await c.tap("跳过");
    await c.tap("匿名");
    const { messageId, buttons } = c.lastKeyboardMessage();
    const submit = buttons.find((b) => b.text.includes("提交"))!.callback_data!;
    await Promise.all([h.post(c.who.presses(submit, { message_id: messageId })), h.post(c.who.presses(submit, { message_id: messageId }))]);
    const mine = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.telegramId, c.who.id));
    expect(mine).toHaveLength(1);
    expect(h.fake.sentTexts(c.who.id).filter((t) => t.startsWith("✅ 已受理"))).toHaveLength(1);
  });
});

describe("input the flow does not expect", () => {
  it("stickers, photos where text is due, and edits get a clear answer and leave the draft as it was", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("危险化学品");
    await c.tap("跳过");
    const before = await h.hazardline.services.drafts.get(c.who.id);
    expect(before?.step).toBe("address");

    const sticker = await c.post(
      c.who.sends({ sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 1, height: 1, is_animated: false, is_video: false } }),
    );
    expect(sticker[0]).toMatch(/^这一步需要输入文字。（发送 \/cancel 可以取消）\n\n请输入详细地址/);
    expect((await c.post(c.who.sendsPhoto("x1")))[0]).toMatch(/^这一步需要输入文字/);
    expect(await c.post(c.who.edits("改一下"))).toEqual(["修改已发送的消息不会生效。需要更改的话，请在核对页面点“修改”。"]);
    expect((await c.say("/unknown"))[0]).toMatch(/^这一步需要输入文字/);
    expect(await h.hazardline.services.drafts.get(c.who.id)).toEqual(before);

    // A button from an earlier step of the same draft: told to use the latest, nothing changes.
    await c.post(c.who.presses(`d:${before!.id}:sector:mines`));
    expect(c.lastAnswer()).toBe("请在最新的提示中操作。");
    expect(await h.hazardline.services.drafts.get(c.who.id)).toEqual(before);
  });

  it("a contact that is not the person's own, or a malformed phone number, is refused", async () => {
    const c = talk();
    await c.say("/ask");
    await c.tap("其他");
    await c.say("请问安全生产许可证延期需要提交哪些材料？");
    await c.tap("跳过");
    await c.tap("实名");
    expect((await c.post(c.who.sharesContact("13900000000", 999)))[0]).toMatch(/^请分享您本人的手机号。/);
    expect((await c.say("12345"))[0]).toMatch(/^手机号格式不正确/);
    const saved = await c.say("139 1234 5678");
    expect(saved[0]).toBe("手机号已记录。");
    expect(saved[1]).toContain("请核对您的咨询：");
    expect((await h.hazardline.services.drafts.get(c.who.id))?.phone).toBe("13912345678");
    const removal = h.fake.callsTo("sendMessage").find((call) => call.params.chat_id === c.who.id && call.params.text === "手机号已记录。");
    expect(removal?.params.reply_markup).toEqual({ remove_keyboard: true });
  });

  it("/cancel leaves the flow at any step; the cancelled draft's buttons are then stale", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("安全隐患");
    const stale = c.lastKeyboardMessage();
    expect(await c.say("/cancel")).toEqual(["已取消，草稿已删除。"]);
    expect(await h.hazardline.services.drafts.get(c.who.id)).toBeNull();
    await c.post(c.who.presses(stale.buttons[0]!.callback_data!, { message_id: stale.messageId }));
    expect(c.lastAnswer()).toBe("这个按钮已失效，请发送 /start 重新开始。");
    expect(await h.hazardline.services.drafts.get(c.who.id)).toBeNull();
    expect(await c.say("/cancel")).toEqual(["当前没有进行中的操作。"]);
  });

  it("/report with a draft in progress offers to continue or start again", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("违法违规行为");
    expect((await c.say("/report"))[0]).toMatch(/^您有一份未完成的举报（\d{4}-\d{2}-\d{2} \d{2}:\d{2} 开始）/);
    expect(await c.tap("继续填写")).toEqual([expect.stringContaining("请选择所属行业领域")]);
    await c.say("/ask");
    expect(await c.tap("重新开始")).toEqual(["请选择举报类型："]);
  });

  it("in a group, the citizen commands point to the private chat", async () => {
    const c = talk();
    await h.post(c.who.saysInGroup(-100900, "/report@hazardline_test_bot"));
    expect(h.fake.sentTexts(-100900)).toEqual(["请私聊我使用这个功能：https://t.me/hazardline_test_bot"]);
  });
});

describe("a report in progress", () => {
  it("survives a restart of the app and goes on where it stopped", async () => {
    const c = talk();
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("消防安全");
    await c.tap("城关镇");
    await h.restart();
    await c.say("城关镇南街 3 号 KTV");
    await c.say("KTV 安全出口被锁死，疏散指示灯不亮。");
    await c.tap("跳过");
    await c.tap("紧急");
    await c.tap("匿名");
    await c.tap("不需要");
    const replies = await c.tap("提交");
    expect(replies[0]).toContain("✅ 已受理");
    const [row] = await h.hazardline.db
      .select()
      .from(cases)
      .innerJoin(caseReporters, eq(caseReporters.caseId, cases.id))
      .where(and(eq(caseReporters.telegramId, c.who.id), eq(cases.sectorId, "fire")));
    expect(row?.cases).toMatchObject({ regionId: "chengguan", address: "城关镇南街 3 号 KTV", severity: "urgent" });
  });
});

describe("an update that comes back after a crash", () => {
  // The update guard marks an update done after its handler returns: a process that dies in
  // between has kept the change, and Telegram delivers the update again once the claim lapses.
  async function redeliveredAfterCrash(c: Conversation, update: Update): Promise<{ first: string[]; again: string[] }> {
    const first = await c.post(update);
    await h.hazardline.services.kv.delete(updateKey(update.update_id));
    return { first, again: await c.post(update) };
  }

  it("is answered as it was the first time and changes nothing again: a /report, a typed answer, a photo", async () => {
    const c = talk();
    const start = await redeliveredAfterCrash(c, c.who.says("/report"));
    expect(start.again).toEqual(start.first);
    expect(start.again).toEqual(["请选择举报类型："]);
    await c.tap("安全隐患");
    await c.tap("消防安全");
    await c.tap("城关镇");
    const address = await redeliveredAfterCrash(c, c.who.says("城关镇南街 5 号"));
    expect(address.again).toEqual(address.first);
    await c.say("KTV 安全出口被锁死，疏散指示灯不亮。");
    const photo = await redeliveredAfterCrash(c, c.who.sendsPhoto("crash-p1"));
    expect(photo.first).toEqual(["已收到 1 个照片/视频/文件。可以继续发送，或点“完成”。"]);
    const draft = await h.hazardline.services.drafts.get(c.who.id);
    expect(draft).toMatchObject({ step: "media", address: "城关镇南街 5 号", media: [{ fileUniqueId: "crash-p1" }] });
    expect(draft?.media).toHaveLength(1);
  });
});

describe("the submission limit", () => {
  // Its own app with a clock the test moves, so that the 30-a-minute message limit, which
  // six whole flows would otherwise hit first, stays out of the way.
  let limited: Harness;
  const clock = { at: Date.parse("2026-11-25T02:00:00Z"), now: () => clock.at };
  beforeAll(async () => {
    limited = await startHarness({ clock });
  });
  afterAll(() => limited.stop());

  it("a flood of messages is answered once with when to try again, then ignored", async () => {
    // On the test's clock: the limit counts by the minute, and on the real clock a minute
    // could turn in the middle of the flood.
    clock.at += 3_600_000;
    const who = person({ id: 7998 });
    for (let i = 0; i < 33; i++) await limited.post(who.says(`消息 ${i}`));
    const texts = limited.fake.sentTexts(who.id);
    expect(texts.filter((t) => /^您发送得太快了，请 \d+ 秒后再试。$/.test(t))).toHaveLength(1);
    expect(texts).toHaveLength(31); // 30 answers, then one warning, then silence
  });

  it("a sixth submission within the hour is refused politely, saying when to try again", async () => {
    const c = new Conversation(limited, person({ id: 7999 }));
    for (let i = 1; i <= 6; i++) {
      clock.at += 61_000;
      await c.say("/ask");
      await c.tap("其他");
      await c.say(`第 ${i} 个问题：企业安全生产标准化需要多久复评一次？`);
      await c.tap("跳过");
      await c.tap("匿名");
      const replies = await c.tap("提交");
      if (i <= 5) expect(replies[0]).toContain("✅ 已受理");
      else expect(replies).toEqual(["您提交得太频繁了，请 54 分钟后再试。"]);
    }
    expect((await limited.hazardline.services.drafts.get(7999))?.step).toBe("summary"); // kept for later
    expect(limited.fake.violations).toEqual([]);
  });
});
