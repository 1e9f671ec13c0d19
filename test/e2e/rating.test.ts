/**
 * 回访 end to end: a closed case's reporter is asked for stars through the outbox, rates it
 * with a button, adds a comment; an unrated case is asked about once more after three days.
 * The office's closing (销号) comes with the staff workflow; here the test closes the case
 * in the database and calls the same service the workflow will call.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { caseEvents, cases } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

const DAY = 24 * 60 * 60_000;
const clock = { at: Date.parse("2026-11-25T02:00:00Z"), now: () => clock.at };
let h: Harness;
let nextId = 8100;

beforeAll(async () => {
  h = await startHarness({ clock });
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

/** A citizen asks a question and the office closes it; returns the conversation and case id. */
async function closedCase(language_code = "zh-hans") {
  const c = new Conversation(h, person({ id: nextId++, language_code }));
  await c.say("/ask");
  await c.tap(/其他|Other/);
  await c.say("工厂宿舍能不能使用电暖器？有没有相关的规定？");
  await c.tap(/跳过|Skip/);
  await c.tap(/匿名|Anonymous/);
  const number = /ZX-\d{8}-\d{4}/.exec((await c.tap(/提交|Submit/))[0]!)![0];
  const [row] = await h.hazardline.db.update(cases).set({ status: "closed" }).where(eq(cases.number, number)).returning({ id: cases.id });
  return { c, caseId: row!.id, number };
}

describe("rating a closed case", () => {
  it("the reporter gets 1-5 stars through the outbox, rates once, and may add a comment", async () => {
    const { c, caseId, number } = await closedCase();
    expect(await h.hazardline.services.ratings.request(caseId)).toBe(true);
    expect(h.fake.sentTexts(c.who.id).at(-1)).not.toContain("请您对办理结果作出评价"); // not sent before the drain

    await h.tick(clock.now());
    const request = c.lastKeyboardMessage();
    expect(request.text).toBe(`您的事项 ${number} 已办结。请您对办理结果作出评价（1–5 星）：`);
    expect(request.buttons.map((b) => b.callback_data)).toEqual([1, 2, 3, 4, 5].map((n) => `rate:${caseId}:${n}`));

    expect(await c.tap(/^⭐{4}$/)).toEqual(["感谢您的评价：⭐⭐⭐⭐。如有意见或建议，可以直接回复文字；没有请点“跳过”。"]);
    expect(await c.say("答复很及时，但希望能把规定原文发给我。")).toEqual(["您的意见已记录，感谢您对安全生产工作的支持！"]);

    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ rating: 4, ratingComment: "答复很及时，但希望能把规定原文发给我。", ratingReminderAt: null });
    const events = await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId));
    expect(events.map((e) => e.action)).toEqual(["submitted", "rated", "rating_comment"]);

    // The same stars pressed again, or a forged rating for someone else's case: refused.
    await c.post(c.who.presses(`rate:${caseId}:1`));
    expect(c.lastAnswer()).toBe("这个评价无法提交（可能已经评价过）。");
    const stranger = new Conversation(h, person({ id: 8999 }));
    await stranger.post(stranger.who.presses(`rate:${caseId}:5`));
    expect(stranger.lastAnswer()).toBe("这个评价无法提交（可能已经评价过）。");
    expect((await h.hazardline.db.select().from(cases).where(eq(cases.id, caseId)))[0]?.rating).toBe(4);
    // Later text is not taken as a comment any more.
    expect(await c.say("还有一点补充")).toEqual(["抱歉，我没有理解这条消息。请选择下面的功能，或发送 /help 查看全部命令。"]);
  });

  it("an unrated case is asked about once more after three days, in the reporter's language, then left alone", async () => {
    const { c, caseId, number } = await closedCase("en");
    await h.hazardline.services.ratings.request(caseId);
    await h.tick(clock.now());
    const asked = () => h.fake.sentTexts(c.who.id).filter((t) => t.includes(`${number} is closed`));

    clock.at += 3 * DAY - 60_000;
    await h.tick(clock.now());
    expect(asked()).toHaveLength(1);

    clock.at += 60_000;
    await h.tick(clock.now());
    expect(asked()).toEqual([
      `Your case ${number} is closed. Please rate how it was handled (1–5 stars):`,
      `Your case ${number} is closed and we have no rating from you yet. Would you rate it (1–5 stars)? It takes a second:`,
    ]);

    clock.at += 7 * DAY;
    await h.tick(clock.now());
    expect(asked()).toHaveLength(2);
    expect(await c.tap(/^⭐{5}$/)).toEqual([expect.stringContaining("Thank you for your rating: ⭐⭐⭐⭐⭐.")]);
    expect(await c.tap("Skip")).toEqual(["All right, thank you!"]);
  });

  it("a case that is not closed is not put to the reporter for rating", async () => {
    const { caseId } = await closedCase();
    await h.hazardline.db.update(cases).set({ status: "in_progress" }).where(eq(cases.id, caseId));
    expect(await h.hazardline.services.ratings.request(caseId)).toBe(false);
  });
});
