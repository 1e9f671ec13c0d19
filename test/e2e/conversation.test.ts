/**
 * One conversation per person, end to end: the flow a person asked for last takes their next
 * message, a report being written is never dropped for a rating's comment, an unknown command
 * is not taken as an answer, and one /cancel ends whichever flow is open in its own words.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cases, members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
let nextCitizen = 9410;
const dispatcher = () => new Conversation(h, person({ id: 9401, first_name: "调度员" }));
const citizen = () => new Conversation(h, person({ id: nextCitizen++, first_name: "群众" }));
const caseOf = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;

/** A citizen's report, closed by the office, with the rating request delivered to them. */
async function closedAndAsked(text: string) {
  const c = citizen();
  const number = await reportHazard(c, { text });
  const { id: caseId } = await caseOf(number);
  await h.hazardline.db.update(cases).set({ status: "closed" }).where(eq(cases.id, caseId));
  await h.hazardline.services.ratings.request(caseId);
  await h.tick(Date.now());
  return { c, number, caseId };
}

beforeAll(async () => {
  h = await startHarness();
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values({ telegramId: 9401, unitId: "office", roles: ["dispatcher"], name: "周调度" });
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("one conversation per person", () => {
  it("gives a staff member's next message to what they asked for last, and /cancel ends only that", async () => {
    const number = await reportHazard(citizen(), { text: "仓库门口堆放了大量纸箱，堵住了消防通道。" });
    const { status } = await caseOf(number);
    const d = dispatcher();
    await d.say(`/case ${number}`);
    expect(await d.tap("⛔ 不予受理")).toEqual([expect.stringContaining("请输入不予受理的完整理由")]);

    // A notice started now replaces the reason being waited for: the text is the notice's.
    expect(await d.say("/notice")).toEqual([expect.stringContaining("请发送通报内容")]);
    expect(await d.say("关于开展消防通道专项检查的通报：请各单位本周内完成自查。")).toEqual(["请选择接收通报的单位（可多选），然后点“下一步”："]);
    expect((await caseOf(number)).status).toBe(status);

    expect(await d.say("/cancel")).toEqual(["已取消，通报未发送。"]);
    expect(await d.say("/cancel")).toEqual(["当前没有进行中的操作。"]);
    // Nothing waits for words any more: text gets the menu, and the case is as it was.
    expect(await d.say("不予受理，理由是重复举报")).toEqual([expect.stringContaining("抱歉，我没有理解这条消息")]);
    expect((await caseOf(number)).status).toBe(status);
  });

  it("does not take an unknown command as the words a case action waits for, and ends that input with /cancel", async () => {
    const number = await reportHazard(citizen(), { text: "加油站旁边有人在卖散装汽油，很危险。" });
    const { status } = await caseOf(number);
    const d = dispatcher();
    await d.say(`/case ${number}`);
    await d.tap("⛔ 不予受理");
    expect(await d.say("/whatever")).toEqual([expect.stringContaining("抱歉，我没有理解这条消息")]);
    expect((await caseOf(number)).status).toBe(status);
    expect(await d.say("/cancel")).toEqual(["已取消。"]);
    expect(await d.say("/cancel")).toEqual(["当前没有进行中的操作。"]);
  });

  it("keeps a report being written when stars are given for an earlier case: no comment is asked, the draft takes the next message", async () => {
    const { c, number, caseId } = await closedAndAsked("小区地下车库有电动车在充电，没人看管。");

    expect(await c.say("/report")).toEqual([expect.stringContaining("类型")]);
    expect(await c.post(c.who.presses(`rate:${caseId}:5`))).toEqual([]);
    expect(c.lastAnswer()).toBe("感谢您的评价！");
    expect(await c.say("这是新的隐患")).toEqual([expect.stringContaining("请使用按钮选择")]);
    expect(await caseOf(number)).toMatchObject({ rating: 5, ratingComment: null });

    expect(await c.say("/cancel")).toEqual(["已取消，草稿已删除。"]);
  });

  it("ends the comment after stars with /cancel in the rating's words", async () => {
    const { c, number, caseId } = await closedAndAsked("菜市场的液化气瓶露天堆放，旁边就是炉灶。");

    expect(await c.post(c.who.presses(`rate:${caseId}:2`))).toEqual([expect.stringContaining("如有意见或建议")]);
    expect(await c.say("/cancel")).toEqual(["好的，感谢您的支持！"]);
    expect(await c.say("其实还有意见")).toEqual([expect.stringContaining("抱歉，我没有理解这条消息")]);
    expect(await caseOf(number)).toMatchObject({ rating: 2, ratingComment: null });
  });
});
