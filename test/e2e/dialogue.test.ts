/**
 * The dialogue between the office and a reporter after a report is in (issue 13): the office
 * asks the reporter for more (补充材料) from a case card and the answer comes back to whoever
 * asked as a card with the material; the reporter adds material on their own from /my
 * (追加材料). Through the webhook and the fake Bot API; nothing sent to staff may name an
 * anonymous reporter.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { attachments, caseEvents, cases, chats, members, routes, units } from "../../db/schema";
import { expectNoReporterNamed } from "../support/anonymity";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { askQuestion, reportHazard, resolveWithPhoto } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { type Person, person } from "../support/people";

let h: Harness;
const TOWN_A_GROUP = -100601;
const STAFF = [9201, 9202, 9203];

const dispatcher = () => new Conversation(h, person({ id: 9201, first_name: "调度员" }));
const liaisonA = () => new Conversation(h, person({ id: 9202, first_name: "联络员甲" }));
const liaisonB = () => new Conversation(h, person({ id: 9203, first_name: "联络员乙" }));

/** Every reporter here is anonymous: nothing sent to staff may name them. */
const reporters: Person[] = [];
let nextCitizen = 9300;
function citizen() {
  const id = nextCitizen++;
  const who = person({ id, first_name: `举报人${id}`, last_name: "匿", username: `reporter_${id}` });
  reporters.push(who);
  return new Conversation(h, who);
}

const drain = () => h.tick(Date.now());
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;
const eventsOf = async (caseId: number) =>
  (await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId)).orderBy(caseEvents.id)).map((e) => e.action);
/** What the bot sent a chat, each call as its method and its text or caption. */
const sentTo = (chatId: number) =>
  h.fake.calls.filter((c) => c.params.chat_id === chatId && c.method.startsWith("send")).map((c) => ({ method: c.method, params: c.params }));

/** A hazard reported, signed for, rectified with a photo and verified and closed by the dispatcher: its reporter is asked for stars. */
async function closedCase(c: Conversation, text: string, fix: Parameters<typeof resolveWithPhoto>[1]) {
  const number = await reportHazard(c, { text });
  await drain();
  const a = liaisonA();
  await a.tap("签收");
  await resolveWithPhoto(a, fix);
  await drain();
  const d = dispatcher();
  await d.tap("核查销号");
  await drain();
  return { number, a, d };
}

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(units).values({ id: "station-b", kind: "territorial", nameZh: "西桥街道安监站", nameEn: "Xiqiao Safety Station" });
  await db.insert(members).values([
    { telegramId: 9201, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9202, unitId: "station-a", roles: ["liaison"], name: "甲" },
    { telegramId: 9203, unitId: "station-b", roles: ["liaison"], name: "乙" },
  ]);
  await db.insert(chats).values({ chatId: TOWN_A_GROUP, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" });
  expect(await db.select().from(routes)).toHaveLength(1);
});

afterAll(async () => {
  // Anonymous means anonymous: no call to a staff chat (texts, captions, relayed files) names a reporter.
  expect(expectNoReporterNamed(h.fake, [...STAFF, TOWN_A_GROUP], reporters)).toBeGreaterThan(10);
  // Relayed material is the bot's own send: a forward would show who sent it.
  expect(h.fake.calls.filter((c) => c.method === "forwardMessage" || c.method === "forwardMessages")).toEqual([]);
  await h.stop();
});
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("asking the reporter (补充材料)", () => {
  it("a liaison asks, the anonymous reporter answers with words, a photo and a pin, and the unit gets them back; then the office asks again", async () => {
    const c = citizen();
    const number = await reportHazard(c, { text: "仓库门口堆放大量纸箱，堵住了消防通道。" });
    await drain();
    const a = liaisonA();
    expect(a.lastKeyboardMessage().text).toContain(number);
    await a.tap("询问举报人");
    expect(h.fake.sentTexts(9202).at(-1)).toBe(`${number}\n请输入要请举报人补充的内容（将以安全生产监管部门的名义转告，不显示您的身份）：`);
    expect((await a.say("请补充仓库的具体门牌号，并拍一张通道现状照片。"))[0]).toBe("已完成：❓ 询问举报人");
    await drain();

    // The reporter hears it from the office, never from the liaison, with a button to reply.
    const question = c.lastKeyboardMessage();
    expect(question.text).toBe(
      `安全生产监管部门就您的事项 ${number} 请您补充材料：\n请补充仓库的具体门牌号，并拍一张通道现状照片。\n请点下方按钮回复（可以发送文字、照片、文件或位置）。`,
    );
    expect(question.text).not.toContain("甲");
    expect(await c.tap("回复")).toEqual([expect.stringContaining(`请为事项 ${number} 发送材料`)]);
    expect(await c.say("城关镇建设路 18 号东侧仓库。")).toEqual(["已收到：文字 1 段，照片/文件 0 个。可以继续发送，发完请点“发送”。"]);
    expect(await c.post(c.who.sendsPhoto("aisle-1", { caption: "今天上午拍的" }))).toEqual([
      "已收到：文字 2 段，照片/文件 1 个。可以继续发送，发完请点“发送”。",
    ]);
    expect(await c.post(c.who.sendsLocation(36.1234, 117.5678))).toEqual([
      "已收到：文字 2 段，照片/文件 1 个，位置 1 个。可以继续发送，发完请点“发送”。",
    ]);
    expect(await c.tap("发送")).toEqual([`您为事项 ${number} 补充的材料已转交办理单位，感谢您的配合！`]);
    await drain();

    // Back to the unit that asked: the card, then the photo as the bot's own send by file id, then the pin as a real map pin.
    for (const chat of [9202, TOWN_A_GROUP]) {
      const sent = sentTo(chat).slice(-3);
      expect(sent.map((s) => s.method)).toEqual(["sendMessage", "sendPhoto", "sendLocation"]);
      const card = String(sent[0]!.params.text);
      expect(card).toContain(
        "💬 举报人答复了补充材料的询问\n问：请补充仓库的具体门牌号，并拍一张通道现状照片。\n答：城关镇建设路 18 号东侧仓库。\n今天上午拍的",
      );
      expect(card).toContain("📍 位置：36.12340, 117.56780");
      expect(card).toContain("📎 随附照片/文件 1 个（见下方）");
      expect(card).toContain("举报人：匿名");
      expect(sent[1]!.params).toMatchObject({ photo: "file-aisle-1", caption: `${number} · 举报人补充的材料` });
      expect(sent[2]!.params).toMatchObject({ latitude: 36.1234, longitude: 117.5678 });
    }
    const row = await caseOf(number);
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "reporter_asked", "reporter_replied"]);
    const files = await h.hazardline.db.select().from(attachments).where(eq(attachments.caseId, row.id));
    expect(files.map((f) => [f.kind, f.fileId, f.eventId !== null])).toEqual([["photo", "file-aisle-1", true]]);

    // A second round, asked by the office: the answer goes to the dispatchers (no group bound: privately).
    const d = dispatcher();
    await d.post(d.who.presses(`c:${row.id}:${row.version}:ask`));
    await d.say("请问纸箱是哪家单位堆放的？");
    await drain();
    await c.tap("回复");
    await c.post(c.who.sendsPhoto("aisle-2"));
    await c.tap("发送");
    await drain();
    expect(String(sentTo(9201).at(-2)!.params.text)).toContain("答：（无文字）\n📎 随附照片/文件 1 个（见下方）");
    expect(sentTo(9201).at(-1)!.params).toMatchObject({ photo: "file-aisle-2" });
    expect(sentTo(9202).filter((s) => s.params.photo === "file-aisle-2")).toEqual([]);

    // The reporter's timeline says the office asked and they answered, never who.
    const status = (await c.say(`/status ${number}`))[0]!;
    expect(status).toContain("办理单位请您补充材料");
    expect(status).toContain("已补充材料");
  });

  it("a liaison of another unit is refused at the press, and a stale ask button loses", async () => {
    const c = citizen();
    const number = await reportHazard(c, { text: "厂房二楼配电箱柜门损坏，电线裸露。" });
    await drain();
    const row = await caseOf(number);
    const b = liaisonB();
    await b.post(b.who.presses(`c:${row.id}:${row.version}:ask`));
    expect(b.lastAnswer()).toBe("这不是您单位的事项。");
    expect(await b.say("请补充照片")).toEqual([expect.stringContaining("没有理解")]);

    const a = liaisonA();
    await a.tap("签收");
    await a.post(a.who.presses(`c:${row.id}:${row.version}:ask`));
    expect(a.lastAnswer()).toBe("事项已被他人更新，请查看最新情况。");
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "accepted"]);
  });

  it("a closed case takes no more material, and sending nothing sends nothing", async () => {
    const c = citizen();
    const number = await reportHazard(c, { text: "加油站旁边有人违规燃放烟花爆竹。" });
    await drain();
    const row = await caseOf(number);
    await liaisonA().tap("询问举报人");
    await liaisonA().say("请补充具体时间。");
    await drain();
    await c.tap("回复");
    expect(await c.tap("发送")).toEqual(["还没有收到任何材料。请先发送文字、照片、文件或位置，再点“发送”。"]);
    await c.say("昨晚八点左右。");
    await h.hazardline.db.update(cases).set({ status: "closed" }).where(eq(cases.id, row.id));
    expect(await c.tap("发送")).toEqual(["这个事项已办结，或不是您提交的，不能再补充材料。"]);
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "reporter_asked"]);
  });
});

describe("adding material from /my (追加材料)", () => {
  it("the reporter opens their case, adds words and a file, and the unit gets them; a closed case offers no button", async () => {
    const c = citizen();
    const number = await reportHazard(c, { text: "小区地下车库有电动车违规充电，插线板拖在地上。" });
    await drain();
    await c.say("/my");
    await c.tap(number);
    expect(c.lastKeyboardMessage().text).toContain(`编号：${number}`);
    expect(await c.tap("追加材料")).toEqual([expect.stringContaining(`请为事项 ${number} 发送材料`)]);
    await c.say("今晚又看到有人在充电。");
    // Photos and videos travel as one album, files as another, a voice note alone; a sticker is no material.
    await c.post(c.who.sendsPhoto("garage-1"));
    await c.post(c.who.sends({ video: { file_id: "video-1", file_unique_id: "video-u-1", width: 640, height: 480, duration: 5 } }));
    await c.post(
      c.who.sends({ document: { file_id: "doc-pdf-1", file_unique_id: "doc-u-1", file_name: "物业通知.pdf", mime_type: "application/pdf" } }),
    );
    expect(await c.post(c.who.sends({ voice: { file_id: "voice-1", file_unique_id: "voice-u-1", duration: 3 } }))).toEqual([
      "已收到：文字 1 段，照片/文件 4 个。可以继续发送，发完请点“发送”。",
    ]);
    expect(
      await c.post(
        c.who.sends({
          sticker: { file_id: "st-1", file_unique_id: "st-u-1", type: "regular", width: 1, height: 1, is_animated: false, is_video: false },
        }),
      ),
    ).toEqual(["这种消息不能作为材料转交。请发送文字、照片、视频、语音、文件或位置。"]);
    expect(await c.tap("发送")).toEqual([`您为事项 ${number} 追加的材料已转交办理单位，感谢您的配合！`]);
    await drain();

    const sent = sentTo(9202).slice(-4);
    expect(String(sent[0]!.params.text)).toContain("📎 举报人追加了材料\n今晚又看到有人在充电。\n📎 随附照片/文件 4 个（见下方）");
    expect(sent.slice(1).map((s) => s.method)).toEqual(["sendMediaGroup", "sendDocument", "sendVoice"]);
    expect(sent[1]!.params.media).toEqual([
      { type: "photo", media: "file-garage-1", caption: `${number} · 举报人补充的材料 (1/3)` },
      { type: "video", media: "video-1" },
    ]);
    expect(sent[2]!.params).toMatchObject({ document: "doc-pdf-1", caption: `${number} · 举报人补充的材料 (2/3)` });
    expect(sent[3]!.params).toMatchObject({ voice: "voice-1", caption: `${number} · 举报人补充的材料 (3/3)` });
    const row = await caseOf(number);
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "material_added"]);

    await h.hazardline.db.update(cases).set({ status: "closed" }).where(eq(cases.id, row.id));
    await c.say("/my");
    await c.tap(number);
    const shown = h.fake.calls.filter((call) => call.params.chat_id === c.who.id && call.method === "sendMessage").at(-1)!;
    expect(shown.params.reply_markup).toBeUndefined();
    // A forged "add material" for someone else's case is refused.
    const other = citizen();
    await other.post(other.who.presses(`mt:${row.id}`));
    expect(other.lastAnswer()).toBe("这个事项已办结，或不是您提交的，不能再补充材料。");
  });
});

describe("not satisfied → done again (不满意 → 重办)", () => {
  it("one star puts the case before the dispatchers with reopen; reopened, it goes back to its unit with a new deadline and the citizen is told; the old button then loses", async () => {
    const c = citizen();
    const { number, a, d } = await closedCase(c, "临街商铺把液化气罐放在门口，旁边就是明火灶台。", {
      measures: "已责令店主将气瓶移入专用气瓶间。",
      responsible: "店主 李某",
      photo: "gas-after",
    });
    const closed = await caseOf(number);
    expect(closed.status).toBe("closed");

    await c.tap(/^⭐$/);
    await drain();
    const card = d.lastKeyboardMessage();
    expect(card.text).toContain("😞 群众评价 ⭐（不满意），请核查是否需要重办");
    expect(card.text).toContain(number);
    expect(card.buttons.map((b) => b.text)).toContain("🔁 重办");
    await d.tap("重办");
    expect(h.fake.sentTexts(9201).at(-1)).toBe(`${number}\n请输入重办的理由和要求（将转告承办单位）：`);
    expect((await d.say("群众反映气罐仍放在门口，请现场复查。"))[0]).toBe("已完成：🔁 重办");
    await drain();

    const reopened = await caseOf(number);
    expect(reopened).toMatchObject({ status: "assigned", unitId: "station-a", closedAt: null, resolvedAt: null });
    expect(reopened.dueAt).toBeGreaterThan(Date.now());
    expect(await eventsOf(reopened.id)).toEqual(["submitted", "assigned", "accepted", "resolved", "closed", "rated", "reopened"]);
    expect(a.lastKeyboardMessage().text).toContain("🔁 群众不满意，已重新交办，请重新办理");
    expect(a.lastKeyboardMessage().buttons.map((b) => b.text)).toContain("✅ 签收");
    expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您的事项 ${number} 有新进展：群众不满意，已重新交办至 城关镇安监站 办理`);

    // The card the dispatchers got before the reopen is stale now.
    await d.post(d.who.presses(`c:${reopened.id}:${closed.version + 1}:ro`));
    expect(d.lastAnswer()).toBe("事项已被他人更新，请查看最新情况。");
  });
});

describe("not a duplicate (排除重复)", () => {
  it("a dispatcher dismisses the possible-duplicate hint: the ledger records it, the card no longer shows it, and a stale press loses", async () => {
    const text = "物流园三号库房的消防栓被货物挡住，无法取用。";
    const older = await reportHazard(citizen(), { text });
    const number = await reportHazard(citizen(), { text });
    await drain();
    const row = await caseOf(number);

    // The unit sees the hint but may not dismiss it: that is the dispatchers' judgement.
    const a = liaisonA();
    expect(a.lastKeyboardMessage().text).toContain(`⚠️ 可能与 ${older} 重复`);
    expect(a.lastKeyboardMessage().buttons.map((b) => b.text)).not.toContain("✖ 不是重复");
    await a.post(a.who.presses(`c:${row.id}:${row.version}:nd`));
    expect(a.lastAnswer()).toBe("您没有权限执行此操作。");

    const d = dispatcher();
    await d.say(`/case ${number}`);
    const card = d.lastKeyboardMessage();
    expect(card.text).toContain(`⚠️ 可能与 ${older} 重复`);
    const press = card.buttons.find((b) => b.text === "✖ 不是重复")!.callback_data!;
    await d.post(d.who.presses(press, { message_id: card.messageId }));
    expect(d.lastAnswer()).toBe("已完成：✖ 不是重复");
    expect(d.lastKeyboardMessage().text).not.toContain("可能与");
    expect(d.lastKeyboardMessage().buttons.map((b) => b.text)).not.toContain("✖ 不是重复");

    // The same press again (a second dispatcher's copy of the card) loses: the case moved on.
    await d.post(d.who.presses(press));
    expect(d.lastAnswer()).toBe("事项已被他人更新，请查看最新情况。");
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "duplicate_dismissed"]);

    await d.say(`/case ${number}`);
    const full = d.lastKeyboardMessage().text;
    expect(full).not.toContain("可能与");
    expect(full).toMatch(new RegExp(`排除重复 · 周调度：${older}`));
    // The hint is gone for every reader, not only for this dispatcher's card.
    const fresh = await caseOf(number);
    const press2 = `c:${fresh.id}:${fresh.version}:nd`;
    await d.post(d.who.presses(press2));
    expect(d.lastAnswer()).toBe("没有待处理的申请。");
  });
});

describe("follow-up questions (追问)", () => {
  /** A question asked and assigned by the dispatcher to the town's station, waiting for its answer. */
  async function questionWithStationA(c: Conversation, text: string) {
    const number = await askQuestion(c, text);
    await drain();
    const d = dispatcher();
    await d.tap("交办");
    await d.tap("城关镇安监站");
    await d.tap("整个单位");
    await drain();
    return { number, d };
  }

  it("after the answer the citizen asks twice, each time back to the unit that answered, which answers again; the third is refused", async () => {
    const c = citizen();
    const { number, d } = await questionWithStationA(c, "家庭作坊存放多少公斤的酒精需要报备？");
    const a = liaisonA();
    await a.tap("答复");
    await a.say("存放易燃液体须符合消防规定，具体数量请咨询当地消防部门。");
    await drain();
    expect(c.lastKeyboardMessage().text).toBe(`您咨询的事项 ${number} 已答复：\n存放易燃液体须符合消防规定，具体数量请咨询当地消防部门。`);
    const firstAnswer = c.lastKeyboardMessage();

    const rounds = [
      ["那一般家用的 500 毫升酒精也算吗？", "家庭日常少量使用不需要报备。"],
      ["作坊里有 20 桶呢？", "20 桶属于大量储存，须向镇安监站报备并设专用仓库。"],
    ] as const;
    // Answered on time long ago: a follow-up starts a new round with its own deadline, not an overdue one.
    await h.hazardline.db
      .update(cases)
      .set({ dueAt: Date.now() - 24 * 3_600_000 })
      .where(eq(cases.number, number));
    for (const [i, [question, answer]] of rounds.entries()) {
      expect(await c.tap("追问")).toEqual([`请输入您对事项 ${number} 答复的追问（还可追问 ${2 - i} 次）。输入后请点“发送”；不问了请发送 /cancel。`]);
      expect(await c.post(c.who.sendsPhoto(`fu-photo-${i}`))).toEqual(["追问只能发送文字，请直接输入您的问题。"]);
      expect(await c.say(question)).toEqual(["已收到您的追问。可以继续补充文字，发完请点“发送”。"]);
      expect(await c.tap("发送")).toEqual([`您对事项 ${number} 的追问已转交答复单位，答复后会通知您。`]);
      await drain();
      expect((await caseOf(number)).dueAt).toBeGreaterThan(Date.now());

      // The unit that answered gets the question on a card with its answer button, and no reporter named.
      for (const chat of [9202, TOWN_A_GROUP]) {
        const card = String(sentTo(chat).at(-1)!.params.text);
        expect(card).toContain(`💬 群众对答复提出追问，请再次答复\n问：${question}`);
        expect(card).toContain(number);
        expect(card).toContain("举报人：匿名");
      }
      expect(a.lastKeyboardMessage().buttons.map((b) => b.text)).toContain("💬 答复");
      await a.tap("答复");
      expect((await a.say(answer))[0]).toBe("已完成：💬 答复");
      await drain();
      expect(h.fake.sentTexts(c.who.id).at(-1)).toBe(`您咨询的事项 ${number} 已答复：\n${answer}`);
    }

    // The last answer offers no more follow-ups, and a press on an older one is refused with the limit.
    const lastAnswer = h.fake.calls.filter((call) => call.params.chat_id === c.who.id && call.method === "sendMessage").at(-1)!;
    expect(lastAnswer.params.reply_markup).toBeUndefined();
    const press = firstAnswer.buttons.find((b) => b.text === "💬 追问")!.callback_data!;
    await c.post(c.who.presses(press, { message_id: firstAnswer.messageId }));
    expect(c.lastAnswer()).toBe("每个咨询最多追问 2 次，已经用完。如还有其他问题，请重新咨询（/ask）。");

    const row = await caseOf(number);
    expect(row.status).toBe("answered");
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "answered", "follow_up_asked", "answered", "follow_up_asked", "answered"]);
    // The ledger shows each question as the citizen's, naming nobody.
    await d.say(`/case ${number}`);
    const ledger = d.lastKeyboardMessage().text;
    expect(ledger).toContain(`群众追问：${rounds[0][0]}`);
    expect(ledger).toContain(`群众追问：${rounds[1][0]}`);
    const status = (await c.say(`/status ${number}`))[0]!;
    expect(status.match(/您对答复提出了追问/g)).toHaveLength(2);
  });

  it("no follow-up before the answer, on someone else's question, or while one is waiting", async () => {
    const c = citizen();
    const { number } = await questionWithStationA(c, "加油站附近能不能开烧烤店？");
    const row = await caseOf(number);
    await c.post(c.who.presses(`fu:${row.id}`));
    expect(c.lastAnswer()).toBe("这个咨询还没有答复、已经办结，或不是您提交的，不能追问。");
    await liaisonA().tap("答复");
    await liaisonA().say("加油站周边有明火作业限制，须按规定保持安全距离。");
    await drain();
    const other = citizen();
    await other.post(other.who.presses(`fu:${row.id}`));
    expect(other.lastAnswer()).toBe("这个咨询还没有答复、已经办结，或不是您提交的，不能追问。");
    // /my offers the follow-up on the answered question.
    await c.say("/my");
    await c.tap(number);
    expect(c.lastKeyboardMessage().buttons.map((b) => b.text)).toEqual(["📎 追加材料", "💬 追问"]);
    await c.tap("追问");
    await c.say("距离多少米算安全？");
    await c.tap("发送");
    await c.post(c.who.presses(`fu:${row.id}`));
    expect(c.lastAnswer()).toBe("这个咨询还没有答复、已经办结，或不是您提交的，不能追问。");
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "answered", "follow_up_asked"]);
  });
});

describe("a complaint after the rating (投诉 → 重办)", () => {
  it("four stars and a comment marked a complaint put the case before the dispatchers with reopen, and the ledger says complaint", async () => {
    const c = citizen();
    const { number, a, d } = await closedCase(c, "菜市场二楼的疏散指示灯全部不亮。", {
      measures: "已更换疏散指示灯。",
      responsible: "市场管理处 王某",
      photo: "lights-after",
    });

    // Four stars are no dissatisfaction by themselves: nothing goes to the dispatchers yet.
    const before = sentTo(9201).length;
    expect(await c.tap(/^⭐{4}$/)).toEqual(["感谢您的评价：⭐⭐⭐⭐。如有意见或建议，可以直接回复文字；没有请点“跳过”。"]);
    await drain();
    expect(sentTo(9201)).toHaveLength(before);
    expect(c.lastKeyboardMessage().buttons.map((b) => b.text)).toEqual(["📣 我要投诉", "跳过"]);
    expect(await c.tap("我要投诉")).toEqual(["请写下您投诉的内容（例如问题仍未解决的情况）。投诉将转交调度员核查，必要时重新交办。"]);
    expect(await c.say("只换了一楼的灯，二楼还是黑的。")).toEqual(["您的投诉已转交调度员核查，处理情况会通知您。"]);
    await drain();

    const card = d.lastKeyboardMessage();
    expect(card.text).toContain("📣 群众投诉（评价 ⭐⭐⭐⭐），请核查是否需要重办\n投诉内容：只换了一楼的灯，二楼还是黑的。");
    expect(card.text).toContain(number);
    expect(card.text).toContain("举报人：匿名");
    expect(card.buttons.map((b) => b.text)).toContain("🔁 重办");
    await d.tap("重办");
    expect((await d.say("群众投诉二楼指示灯仍不亮，请复查。"))[0]).toBe("已完成：🔁 重办");
    await drain();
    const row = await caseOf(number);
    expect(row).toMatchObject({ status: "assigned", rating: 4, ratingComment: "只换了一楼的灯，二楼还是黑的。" });
    expect(await eventsOf(row.id)).toEqual(["submitted", "assigned", "accepted", "resolved", "closed", "rated", "rating_comment", "reopened"]);
    expect(a.lastKeyboardMessage().text).toContain("🔁 群众不满意，已重新交办，请重新办理");

    await d.say(`/case ${number}`);
    expect(d.lastKeyboardMessage().text).toContain("群众留言：投诉：只换了一楼的灯，二楼还是黑的。");
    // The complaint button once more, with no comment awaited, is a stale button.
    await c.post(c.who.presses("ratec:complaint"));
    expect(c.lastAnswer()).toBe("这个按钮已失效，请发送 /start 重新开始。");
  });
});

describe("reopened cases in the rankings (重办)", () => {
  it("/ranking shows the unit's reopened cases in its line and puts it on the black list; /stats counts them", async () => {
    // Enough cases for the unit to be ranked, should this test run alone.
    await reportHazard(citizen(), { text: "仓库货架超高堆放，没有固定。" });
    await reportHazard(citizen(), { text: "配电房门口堆放杂物，门无法打开。" });
    const c = citizen();
    const { d } = await closedCase(c, "加工厂车间的灭火器已过期两年。", { measures: "已更换灭火器。", responsible: "厂长 赵某", photo: "ext-after" });
    await c.tap(/^⭐$/);
    await drain();
    await d.tap("重办");
    await d.say("群众反映只换了一个，其余仍过期。");
    await drain();

    // Counted from the ledger, so the test holds whichever tests of this file ran before it.
    const reopened = new Set((await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.action, "reopened"))).map((e) => e.caseId)).size;
    expect(reopened).toBeGreaterThanOrEqual(1);
    const ranking = (await d.say("/ranking month"))[0]!.split("\n");
    expect(ranking[1]).toBe("名次 单位：受理件数｜按期签收率｜按期办结率｜当前逾期｜平均用时｜满意度｜重办");
    expect(ranking.find((l) => l.includes("城关镇安监站："))).toMatch(new RegExp(`^\\d+\\. ⚫城关镇安监站：.*｜${reopened}$`));
    expect(ranking).toContain("⚫ 黑榜：城关镇安监站");
    const stats = (await d.say("/stats month"))[0]!.split("\n");
    expect(stats).toContain(`重办（群众不满意后重新交办）：${reopened} 件`);
  });
});
