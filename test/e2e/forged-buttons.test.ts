/**
 * Nothing forged sticks: every argument a case button carries (the case, its version, a
 * unit, a member, a severity) is checked on the server before anything changes. Each forged
 * press is answered, and the case, its ledger, the pending input and the outbox are exactly
 * as before it.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { caseEvents, cases, kv, members, outbox, units } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9401, first_name: "调度员" }));
const liaison = () => new Conversation(h, person({ id: 9402, first_name: "联络员甲" }));
let caseId = 0;
let version = 0;
let removedLiaisonId = 0;
let dispatcherMemberId = 0;
let otherLiaisonId = 0;

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(units).values({ id: "station-b", kind: "territorial", nameZh: "西桥街道安监站", nameEn: "Xiqiao Safety Station" });
  const inserted = await db
    .insert(members)
    .values([
      { telegramId: 9401, unitId: "office", roles: ["dispatcher"], name: "调度员" },
      { telegramId: 9402, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
      { telegramId: 9403, unitId: "station-b", roles: ["liaison"], name: "已调离", active: false },
      { telegramId: 9404, unitId: "station-b", roles: ["liaison"], name: "联络员乙" },
    ])
    .returning({ id: members.id, telegramId: members.telegramId });
  const idOf = (t: number) => inserted.find((m) => m.telegramId === t)!.id;
  dispatcherMemberId = idOf(9401);
  removedLiaisonId = idOf(9403);
  otherLiaisonId = idOf(9404);

  const number = await reportHazard(new Conversation(h, person({ id: 9450 })), { text: "脚手架没有安全网，工人高空作业不系安全带。" });
  await h.tick(Date.now());
  const [row] = await db.select().from(cases).where(eq(cases.number, number));
  caseId = row!.id;
  version = row!.version;
});
afterAll(() => h.stop());

/** Everything a press could change: the case, its ledger, pending input, and what is queued to send. */
async function snapshot() {
  const db = h.hazardline.db;
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
  return {
    row,
    events: (await db.select().from(caseEvents).where(eq(caseEvents.caseId, caseId))).length,
    pendingInput: (await db.select({ key: kv.key, value: kv.value }).from(kv)).filter((k) => k.key.startsWith("conversation:")),
    outbox: (await db.select({ id: outbox.id }).from(outbox)).length,
  };
}

const OVERLONG = "u".repeat(41);

describe("forged button arguments", () => {
  it("a transfer to a unit that does not exist is refused at the press, before the reason is asked, and nothing is stored", async () => {
    const l = liaison();
    const before = await snapshot();
    await l.post(l.who.presses(`c:${caseId}:${version}:tu:no-such-unit`));
    expect(l.lastAnswer()).toBe("没有这个单位，请从列表中重新选择。");
    // Typing a reason now is not taken as one: no transfer is pending, the version is unchanged.
    await l.say("辖区调整，应由其他单位办理。");
    expect(await snapshot()).toEqual(before);
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.id, caseId));
    expect(row).toMatchObject({ version, pendingTransfer: null, unitId: "station-a" });

    // A real transfer is still possible afterwards.
    await l.post(l.who.presses(`c:${caseId}:${version}:tu:station-b`));
    await l.say("该工地属西桥街道管辖，请转办。");
    const [after] = await h.hazardline.db.select().from(cases).where(eq(cases.id, caseId));
    expect(after!.pendingTransfer).toMatchObject({ toUnitId: "station-b" });
    version = after!.version;
  });

  it("every argument-carrying press, forged with ids that do not exist, of another unit, malformed or overlong, changes nothing", async () => {
    const forged: Array<[Conversation, string, string]> = [];
    const d = dispatcher();
    const l = liaison();
    for (const unit of ["no-such-unit", "county", "station-a-2", OVERLONG, "", "../office", "STATION-A"]) {
      for (const op of ["au", "ax", "tu"]) forged.push([op === "tu" ? l : d, `c:${caseId}:${version}:${op}:${unit}`, `${op} ${unit}`]);
    }
    for (const member of ["0", "999999", String(removedLiaisonId), String(dispatcherMemberId), "-1", "1e3", "x", OVERLONG]) {
      forged.push([d, `c:${caseId}:${version}:am:${member}`, `am ${member}`]);
    }
    for (const severity of ["catastrophic", "URGENT", "0", OVERLONG]) forged.push([d, `c:${caseId}:${version}:sv:${severity}`, `sv ${severity}`]);
    // The case and version themselves: a case that does not exist, malformed and overlong ids, an old version.
    for (const head of [
      "c:0:1",
      "c:999999999999:1",
      `c:${caseId}:0`,
      `c:${caseId}:${version + 7}`,
      "c:-1:1",
      `c:${caseId}1234567890123:1`,
      "c:abc:1",
    ]) {
      for (const op of ["acc", "cls", "ax:station-b", "tu:station-b", "view"])
        forged.push([op === "tu:station-b" ? l : d, `${head}:${op}`, `${head} ${op}`]);
    }

    for (const [who, data, label] of forged) {
      const before = await snapshot();
      const answered = h.fake.callsTo("answerCallbackQuery").length;
      const res = await h.post(who.who.presses(data));
      expect(res.status, label).toBe(200);
      expect(h.fake.callsTo("answerCallbackQuery").length, `${label} is answered`).toBe(answered + 1);
      const after = await snapshot();
      expect(after.row, label).toEqual(before.row);
      expect(after.events, label).toBe(before.events);
      expect(after.outbox, label).toBe(before.outbox);
      // A forged transfer or assignment never opens a prompt whose answer would store it.
      expect(after.pendingInput, label).toEqual(before.pendingInput);
    }
  });

  it("a liaison of another unit, or one who has left, cannot be made the assignee by a forged member id", async () => {
    const d = dispatcher();
    for (const member of [removedLiaisonId, dispatcherMemberId]) {
      await d.post(d.who.presses(`c:${caseId}:${version}:am:${member}`));
      expect(d.lastAnswer()).toBe("这位人员不是该单位在岗的联络员，请从列表中重新选择。");
    }
    // A real liaison of a real unit (the assignment itself may be refused by the workflow, never stored half).
    await d.post(d.who.presses(`c:${caseId}:${version}:am:${otherLiaisonId}`));
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.id, caseId));
    expect([null, otherLiaisonId]).toContain(row!.assigneeId);
    expect(h.fake.violations).toEqual([]);
  });
});
