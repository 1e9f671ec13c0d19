/**
 * Information made public (信息公开): a dispatcher posts a case listed for supervision to
 * the public channel after a preview; its closure follows by itself; nothing about the
 * reporter is ever posted; only listed cases, only dispatchers and admins, and once.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cases, chats, members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard, resolveWithPhoto } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

const CHANNEL = -1001234500777;
let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9701, first_name: "调度员" }));
const leader = () => new Conversation(h, person({ id: 9702, first_name: "局长" }));
const liaison = () => new Conversation(h, person({ id: 9704, first_name: "联络员" }));
const reporter = person({ id: 9790, first_name: "举报人", last_name: "王", username: "wang_reporter" });
const citizen = () => new Conversation(h, reporter);

const drain = () => h.tick(Date.now());
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;
const channelPosts = () => h.fake.sentTexts(CHANNEL);

const report = (c: Conversation, text: string) => reportHazard(c, { text, phone: "13800002222" });

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(members).values([
    { telegramId: 9701, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9702, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: 9704, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("/publish", () => {
  let listed = "";
  let unlisted = "";

  it("says what is missing before a public channel is bound, and refuses a case not listed", async () => {
    listed = await report(citizen(), "工地塔吊限位器失灵，仍在吊装作业。有问题打我电话13900001234。");
    unlisted = await report(citizen(), "仓库消防通道被货物堵塞。");
    await drain();
    const l = leader();
    await l.say(`/case ${listed}`);
    await l.tap("挂牌督办");

    expect(await dispatcher().say(`/publish ${listed}`)).toEqual([expect.stringContaining("还没有绑定公开频道")]);
    await h.hazardline.db.insert(chats).values({ chatId: CHANNEL, title: "清河县安全生产信息公开", purpose: "public" });
    expect(await dispatcher().say(`/publish ${unlisted}`)).toEqual(["只有挂牌督办的事项才能公开。"]);
    expect(await dispatcher().say("/publish YH-20990101-0001")).toEqual(["没有编号为 YH-20990101-0001 的事项。"]);
    expect(await dispatcher().say("/publish")).toEqual([expect.stringContaining("用法：/publish 事项编号")]);
  });

  it("posts a listed case after a preview, with nothing about the reporter, and only once", async () => {
    const d = dispatcher();
    const [preview] = await d.say(`/publish ${listed}`);
    expect(preview).toContain("🔴 挂牌督办");
    expect(preview).toContain("工地塔吊限位器失灵");
    await d.tap("发布");
    expect(h.fake.callsTo("editMessageText").at(-1)!.params.text).toBe("已提交发布到公开频道。");
    await drain();
    const [post] = channelPosts();
    expect(post).toContain(`编号：${listed}`);
    expect(post).toContain("行业：建筑施工");
    expect(post).toContain("属地：城关镇");
    expect(post).toContain("责任单位：城关镇安监站");
    for (const secret of ["9790", "举报人", "wang_reporter", "13800002222", "13900001234"]) expect(post).not.toContain(secret);
    expect(post).toContain("139****1234"); // what the citizen wrote is published with the number masked

    expect(await d.say(`/publish ${listed}`)).toEqual(["这条信息已经公开过了。"]);
    // The old preview's button, pressed again, posts nothing more.
    await d.post(d.who.presses(`pb:${(await caseOf(listed)).id}:listed`));
    await drain();
    expect(channelPosts()).toHaveLength(1);
  });

  it("posts the closure by itself when the listed case is closed", async () => {
    const a = liaison();
    await a.say(`/case ${listed}`);
    await a.tap("签收");
    await a.say(`/case ${listed}`);
    await resolveWithPhoto(a, { measures: "已更换限位器并经检测合格。", responsible: "项目安全员 李强", photo: "crane-1" });
    await drain();
    const d = dispatcher();
    await d.say(`/case ${listed}`);
    await d.tap("核查销号");
    await drain();
    expect(channelPosts()).toHaveLength(2);
    expect(channelPosts()[1]).toContain("✅ 挂牌督办事项已整改销号");
    expect(channelPosts()[1]).toContain(listed);
  });

  it("is for dispatchers and admins only", async () => {
    expect(await leader().say(`/publish ${listed}`)).toEqual(["您没有权限执行此操作。"]);
    expect(await citizen().say(`/publish ${listed}`)).toEqual(["您没有权限执行此操作。"]);
    await liaison().post(liaison().who.presses(`pb:${(await caseOf(listed)).id}:closed`));
    expect(liaison().lastAnswer()).toBe("您没有权限执行此操作。");
  });
});
