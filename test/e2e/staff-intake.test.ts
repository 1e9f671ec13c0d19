/**
 * A dispatcher records, in chat (/new), a case that reached the office another way: a 12345
 * work order with its number, an assignment from above (a task). The case then runs like any
 * other: routed to the town's unit, its card to the liaison, its door and number in the ledger.
 * Nobody but a dispatcher or admin may start or go on with such a record.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { caseEvents, caseReporters, cases, members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9801, first_name: "调度员" }));
const liaison = () => new Conversation(h, person({ id: 9802, first_name: "联络员甲" }));
const citizen = () => new Conversation(h, person({ id: 9899, first_name: "群众" }));
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;
const NUMBER = /事项 ((?:YH|WF|ZX|RW)-\d{8}-\d{4})/;

beforeAll(async () => {
  h = await startHarness();
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: 9801, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9802, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

/** The steps after the door (and its number): a construction hazard in town A, no photos, anonymous. */
async function describeHazard(d: Conversation, text: string) {
  await d.tap("建筑施工");
  await d.tap("城关镇");
  await d.tap("跳过");
  await d.say(text);
  await d.tap("跳过");
  await d.tap("一般");
  await d.tap("匿名");
}

describe("a dispatcher records a case that came another way", () => {
  it("a 12345 work order, anonymous, with its number: routed to the town's unit, its door in the ledger", async () => {
    const d = dispatcher();
    expect(await d.say("/new")).toEqual(["这件事项是从哪个渠道收到的？"]);
    expect((await d.tap("12345"))[0]).toContain("工单编号（必填）");
    // The number is required: no skip button, and what is not a number is refused.
    expect(d.lastKeyboardMessage().buttons.map((b) => b.text)).not.toContain("跳过");
    expect((await d.say("<b>x</b>"))[0]).toContain("编号格式不对");
    expect(await d.say("GD-2026-000123")).toEqual(["反映的是什么问题？"]);
    await d.tap("安全隐患");
    await describeHazard(d, "来电反映：城关镇工业路工地脚手架没有安全网，工人高空作业不系安全带。");
    const summary = (await d.tap("不需要")).join("\n");
    expect(summary).toContain("来源：12345 热线工单");
    expect(summary).toContain("编号：GD-2026-000123");
    const [done] = await d.tap("提交");
    expect(done).toContain("已登记为事项");
    const number = NUMBER.exec(done!)![1]!;

    const row = await caseOf(number);
    expect(row).toMatchObject({ kind: "hazard", source: "hotline", sourceRef: "GD-2026-000123", anonymous: true, unitId: "station-a" });
    const reporters = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.caseId, row.id));
    expect(reporters).toMatchObject([{ telegramId: null, chatId: null, name: null, phone: null }]);
    const [submitted] = await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, row.id));
    expect(submitted).toMatchObject({ action: "submitted", actorKind: "member", data: { source: "hotline", ref: "GD-2026-000123" } });

    await h.tick(Date.now());
    const cards = h.fake.calls.filter((c) => c.params.chat_id === 9802 && String(c.params.text ?? "").includes(number));
    expect(cards.length).toBeGreaterThan(0);

    const replies = await d.say(`/case ${number}`);
    expect(replies.join("\n")).toContain("代为登记 · 周调度：来源：12345 热线工单 编号 GD-2026-000123");
  });

  it("an assignment from above is a task, named, with the caller's name and phone", async () => {
    const d = dispatcher();
    await d.say("/new");
    expect((await d.tap("上级交办"))[0]).toContain("没有请按“跳过”");
    // No kind to choose: an assignment from above is a task.
    expect((await d.tap("跳过"))[0]).toContain("行业");
    await d.tap("建筑施工");
    await d.tap("城关镇");
    await d.tap("跳过");
    await d.say("市安委办交办：对城关镇在建工地开展脚手架专项检查，月底前报送结果。");
    await d.tap("跳过");
    await d.tap("一般");
    expect(await d.tap("实名")).toEqual(["请输入反映人的姓名："]);
    expect((await d.say("王主任"))[0]).toContain("请输入反映人的电话号码");
    expect((await d.say("12"))[0]).toContain("手机号");
    const summary = (await d.say("13812345678")).join("\n");
    expect(summary).toContain("类型：工作任务");
    expect(summary).toContain("实名：王主任，13812345678");
    expect(summary).not.toContain("有奖举报");
    const number = NUMBER.exec((await d.tap("提交"))[0]!)![1]!;
    expect(number).toMatch(/^RW-/);
    const row = await caseOf(number);
    expect(row).toMatchObject({ kind: "task", source: "superior", sourceRef: null, anonymous: false, rewardRequested: false });
    const [reporter] = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.caseId, row.id));
    expect(reporter).toMatchObject({ name: "王主任", phone: "13812345678", telegramId: null });
  });

  it("an anonymous reward claim gives the dispatcher the code to pass on", async () => {
    const d = dispatcher();
    await d.say("/new");
    await d.tap("来电");
    await d.tap("违法违规");
    await describeHazard(d, "来电反映：某烟花爆竹店在居民楼一层违规储存大量烟花爆竹。");
    await d.tap("申请");
    const replies = await d.tap("提交");
    expect(replies).toHaveLength(2);
    expect(replies[1]).toMatch(/领奖码：\S+/);
    const row = await caseOf(NUMBER.exec(replies[0]!)![1]!);
    expect(row).toMatchObject({ kind: "violation", source: "phone", rewardRequested: true });
  });
});

describe("the figures", () => {
  it("/stats counts the cases received by the door they came by, beside their kinds", async () => {
    const [stats] = await dispatcher().say("/stats");
    expect(stats).toContain("受理：3 件");
    expect(stats).toMatch(/按来源：来电 1\S+12345 热线工单 1\S+上级交办 1\n/);
  });
});

describe("who may record", () => {
  it("a liaison or a citizen typing /new is refused, and starts nothing", async () => {
    await h.tick(Date.now()); // the cards of the cases above, delivered first
    expect(await liaison().say("/new")).toEqual(["您没有权限执行此操作。"]);
    expect(await citizen().say("/new")).toEqual(["您没有权限执行此操作。"]);
    expect(await h.hazardline.services.conversations.get(9802)).toBeNull();
  });

  it("a dispatcher who lost the role loses the record at the next step", async () => {
    const d = dispatcher();
    await d.say("/new");
    await h.hazardline.db
      .update(members)
      .set({ roles: ["liaison"] })
      .where(eq(members.telegramId, 9801));
    try {
      await d.tap("来访");
      expect(d.lastAnswer()).toBe("您没有权限执行此操作。");
      expect(await h.hazardline.services.conversations.get(9801)).toBeNull();
    } finally {
      await h.hazardline.db
        .update(members)
        .set({ roles: ["dispatcher"] })
        .where(eq(members.telegramId, 9801));
    }
  });
});
