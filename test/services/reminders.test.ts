/**
 * Deadlines and reminders over a real libSQL database, the fake Bot API and a clock the test
 * moves: what assignment plans, what each tick sends (exactly, and once), how a moved
 * deadline or a finished stage changes the plan, and that a tick's cost follows due work.
 */
import { and, eq, sql } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { dueReminders, remindersOf } from "../../db/queries/reminders";
import { cases, chats, members, outbox, reminders, units } from "../../db/schema";
import { defaultCalendar, isWorkday, officeDate } from "../../src/domain/calendar";
import { DEFAULT_POLICIES, planReminders, reminderKey } from "../../src/domain/deadlines";
import { formatOfficeTime } from "../../src/domain/office-time";
import type { Action, Actor, Severity } from "../../src/domain/workflow";
import { serviceFixture } from "../support/services";

const TZ = "Asia/Shanghai";
const cal = defaultCalendar(TZ);
/** An office-local time, "2026-11-25T10:00", as an instant. */
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const office = (ms: number) => formatOfficeTime(ms, TZ);
const MINUTE = 60_000;

const UNIT_GROUP = -100501;
const DISPATCHERS = -100500;
const LEADERS = -100502;
const LIAISON = 9002;
const LIAISON_2 = 9006;
const UNIT_HEAD = 9008;

type Fixture = Awaited<ReturnType<typeof serviceFixture>>;
let f: Fixture;
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

/** A fixture with a unit (its group, two liaisons, its head), the dispatchers' and leaders' groups. */
async function setUp(start: number, opts: Parameters<typeof serviceFixture>[1] = {}) {
  f = await serviceFixture(start, opts);
  await f.db.insert(units).values([
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station" },
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
  ]);
  const ids = await f.db
    .insert(members)
    .values([
      { telegramId: 9001, unitId: "office", roles: ["dispatcher"], name: "周调度" },
      { telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "甲" },
      { telegramId: LIAISON_2, unitId: "station-a", roles: ["liaison"], name: "甲二" },
      { telegramId: UNIT_HEAD, unitId: "station-a", roles: ["leader"], name: "站长" },
      { telegramId: 9004, unitId: "office", roles: ["leader"], name: "领导" },
    ])
    .returning({ id: members.id });
  await f.db.insert(chats).values([
    { chatId: UNIT_GROUP, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" },
    { chatId: DISPATCHERS, title: "安委办调度群", purpose: "dispatchers" },
    { chatId: LEADERS, title: "领导群", purpose: "leaders" },
  ]);
  const dispatcher: Actor = { kind: "member", memberId: ids[0]!.id, roles: ["dispatcher"], unitIds: [] };
  const liaison: Actor = { kind: "member", memberId: ids[1]!.id, roles: ["liaison"], unitIds: ["station-a"] };
  return { dispatcher, liaison, liaisonId: ids[1]!.id };
}

let nextNumber = 1;
async function newCase(severity: Severity = "ordinary", kind: "hazard" | "consultation" = "hazard") {
  const [row] = await f.db
    .insert(cases)
    .values({
      number: `YH-20261125-${String(nextNumber++).padStart(4, "0")}`,
      kind,
      severity,
      description: "脚手架没有安全网，工人高空作业不系安全带。",
      anonymous: true,
      createdAt: f.clock.at,
      updatedAt: f.clock.at,
    })
    .returning();
  return row!;
}

async function act(caseId: number, action: Action, actor: Actor) {
  const [row] = await f.db.select({ version: cases.version }).from(cases).where(eq(cases.id, caseId));
  const outcome = await f.services.caseActions.perform(caseId, action, actor, row!.version);
  expect(outcome).toMatchObject({ ok: true });
}

const caseNow = async (caseId: number) => (await f.db.select().from(cases).where(eq(cases.id, caseId)))[0]!;
const rows = (caseId: number) => remindersOf(f.db, caseId);
const brief = async (caseId: number) => (await rows(caseId)).map((r) => `${r.stage}:${r.kind}:${r.level}:${r.status}`);

/** The messages sent since the last call: [chat, first line]. */
let seen = 0;
function newMessages(): Array<[number, string]> {
  const calls = f.fake.callsTo("sendMessage");
  const fresh = calls.slice(seen);
  seen = calls.length;
  return fresh.map((c) => [Number(c.params.chat_id), String(c.params.text).split("\n")[0]!]);
}
async function tickAt(at: number) {
  f.clock.at = at;
  return f.services.tick(at);
}

/** Assigns a new ordinary hazard to the liaison at the fixture's start and sends the assignment cards. */
async function assigned(ctx: Awaited<ReturnType<typeof setUp>>, severity: Severity = "ordinary") {
  const c = await newCase(severity);
  await act(c.id, { type: "assign", unitId: "station-a", assigneeId: ctx.liaisonId }, ctx.dispatcher);
  await f.services.tick(f.clock.at);
  seen = f.fake.callsTo("sendMessage").length;
  return { ...c, ...(await caseNow(c.id)) };
}

const WED = sh("2026-11-25T10:00");

describe("assignment", () => {
  it("sets the deadline by the policy and plans the accept and resolve reminders", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    // 15 working days for an ordinary hazard, at the close of office.
    expect(office(c.dueAt!)).toBe("2026-12-16 17:30");
    const stored = await rows(c.id);
    const accept = planReminders(cal, { stage: "accept", startMs: WED, dueMs: sh("2026-11-26T17:30") });
    const resolve = planReminders(cal, { stage: "resolve", startMs: WED, dueMs: c.dueAt! });
    const expected = [
      ...accept.map((i) => [reminderKey(c.id, i, sh("2026-11-26T17:30")), i.fireAt]),
      ...resolve.map((i) => [reminderKey(c.id, i, c.dueAt!), i.fireAt]),
    ];
    expect(stored.map((r) => [r.key, r.fireAt]).sort()).toEqual(expected.sort());
    expect(stored.every((r) => r.status === "pending")).toBe(true);
    expect(accept.map((i) => [i.kind, i.level, office(i.fireAt)])).toEqual([
      ["half", 0, "2026-11-26 09:15"],
      ["soon", 0, "2026-11-26 15:30"],
      ["due", 0, "2026-11-26 17:30"],
      ["escalate", 1, "2026-11-27 17:30"],
      ["escalate", 2, "2026-11-30 17:30"],
      ["escalate", 3, "2026-12-01 17:30"],
    ]);
    // The assignment card already shows the deadline; the version is the workflow's alone.
    expect(f.fake.sentTexts(LIAISON).at(-1)).toContain("办理期限：2026-12-16 17:30");
    expect(c.version).toBe(2);
  });

  it("keeps a deadline the dispatcher set before assigning, and never goes past the 60-day cap", async () => {
    const ctx = await setUp(WED);
    const c = await newCase();
    await act(c.id, { type: "set_deadline", dueAt: sh("2026-12-04T17:30") }, ctx.dispatcher);
    await act(c.id, { type: "assign", unitId: "station-a" }, ctx.dispatcher);
    expect(office((await caseNow(c.id)).dueAt!)).toBe("2026-12-04 17:30");

    // A case received long ago: the policy's 15 working days would pass 60 days from receipt.
    const old = await newCase();
    await f.db
      .update(cases)
      .set({ createdAt: WED - 55 * 86_400_000 })
      .where(eq(cases.id, old.id));
    await act(old.id, { type: "assign", unitId: "station-a" }, ctx.dispatcher);
    expect((await caseNow(old.id)).dueAt).toBe(WED + 5 * 86_400_000);
  });

  it("takes the calendar and the policies it is given", async () => {
    const policies = {
      ...DEFAULT_POLICIES,
      hazard: { ...DEFAULT_POLICIES.hazard, ordinary: { accept: { workingHours: 1 }, resolve: { workingDays: 2 }, verify: { calendarDays: 3 } } },
    };
    const calendar = { ...defaultCalendar(TZ), overrides: { workdays: [], holidays: ["2026-11-26"] } };
    const ctx = await setUp(WED, { time: { policies, calendar } });
    const c = await assigned(ctx);
    expect(office(c.dueAt!)).toBe("2026-11-30 17:30"); // the 26th is the office's day off: 27th, then Monday
    const accept = (await rows(c.id)).find((r) => r.stage === "accept" && r.kind === "due");
    expect(office(accept!.fireAt)).toBe("2026-11-25 11:00");
  });
});

describe("ticks", () => {
  it("before, at and after each deadline send exactly the expected messages, to the right people", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    const n = c.number;

    await tickAt(sh("2026-11-26T09:14"));
    expect(newMessages()).toEqual([]);
    await tickAt(sh("2026-11-26T09:15"));
    expect(newMessages()).toEqual([[LIAISON, `⏰ 事项 ${n} 距签收期限还剩一半时间（期限 2026-11-26 17:30）`]]);
    await tickAt(sh("2026-11-26T09:16"));
    expect(newMessages()).toEqual([]);
    await tickAt(sh("2026-11-26T15:30"));
    expect(newMessages()).toEqual([[LIAISON, `⏰ 事项 ${n} 即将到期，请在 2026-11-26 17:30 前签收`]]);
    await tickAt(sh("2026-11-26T17:30"));
    const overdue = `⚠️ 事项 ${n} 已逾期，请尽快签收（期限 2026-11-26 17:30）`;
    // Chats interleave as their pace allows (groups first); each gets its one.
    expect(newMessages().sort()).toEqual(
      [
        [UNIT_GROUP, overdue],
        [LIAISON, overdue],
        [DISPATCHERS, overdue],
      ].sort(),
    );
    await tickAt(sh("2026-11-27T17:30"));
    expect(newMessages()).toEqual([[UNIT_HEAD, `🔺 事项 ${n} 逾期 1 个工作日，已升级督办（期限 2026-11-26 17:30）`]]);

    // Accepted at last: the rest of the accept stage's escalations are dropped.
    f.clock.at = sh("2026-11-30T09:00");
    await act(c.id, { type: "accept" }, ctx.liaison);
    await tickAt(sh("2026-11-30T09:00"));
    newMessages(); // the citizen-free unit card of the acceptance, if any
    await tickAt(sh("2026-12-01T17:30"));
    expect(newMessages()).toEqual([]);

    const resolve = (await rows(c.id)).filter((r) => r.stage === "resolve");
    const at = (kind: string, level = 0) => resolve.find((r) => r.kind === kind && r.level === level)!.fireAt;
    await tickAt(at("half") - 1);
    expect(newMessages()).toEqual([]);
    await tickAt(at("half"));
    expect(newMessages()).toEqual([[LIAISON, `⏰ 事项 ${n} 距办理期限还剩一半时间（期限 2026-12-16 17:30）`]]);
    await tickAt(at("soon"));
    expect(newMessages()).toEqual([[LIAISON, `⏰ 事项 ${n} 即将到期，请在 2026-12-16 17:30 前办理完毕`]]);
    await tickAt(at("due"));
    const late = `⚠️ 事项 ${n} 已逾期，请尽快办理（期限 2026-12-16 17:30）`;
    expect(newMessages().sort()).toEqual(
      [
        [UNIT_GROUP, late],
        [LIAISON, late],
        [DISPATCHERS, late],
      ].sort(),
    );
    for (const [level, chat] of [
      [1, UNIT_HEAD],
      [2, DISPATCHERS],
      [3, LEADERS],
    ] as const) {
      await tickAt(at("escalate", level) - 1);
      expect(newMessages()).toEqual([]);
      await tickAt(at("escalate", level));
      expect(newMessages()).toEqual([[chat, `🔺 事项 ${n} 逾期 ${level} 个工作日，已升级督办（期限 2026-12-16 17:30）`]]);
    }
    await tickAt(sh("2027-01-31T10:00"));
    expect(newMessages()).toEqual([]);

    // Each reminder carries the case card with the buttons for its audience.
    const toLeaders = f.fake
      .callsTo("sendMessage")
      .filter((m) => m.params.chat_id === LEADERS)
      .at(-1)!;
    expect(String(toLeaders.params.text)).toContain("办理期限：2026-12-16 17:30");
    expect(JSON.stringify(toLeaders.params.reply_markup)).toContain(`c:${c.id}:`);
    expect((await rows(c.id)).filter((r) => r.stage === "resolve").every((r) => r.status === "sent" && !r.late)).toBe(true);
  });

  it("go to the whole unit's liaisons when the case has no assignee, and in each person's language", async () => {
    const ctx = await setUp(WED);
    await f.services.users.greet(LIAISON_2, "en");
    const c = await newCase();
    await act(c.id, { type: "assign", unitId: "station-a" }, ctx.dispatcher);
    await tickAt(WED);
    newMessages();
    await tickAt(sh("2026-11-26T09:15"));
    expect(newMessages().sort()).toEqual(
      [
        [LIAISON, `⏰ 事项 ${c.number} 距签收期限还剩一半时间（期限 2026-11-26 17:30）`],
        [LIAISON_2, `⏰ Case ${c.number}: half the time to accept it has gone (deadline 2026-11-26 17:30)`],
      ].sort(),
    );
  });

  it("run twice, or two at once, send each reminder once", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    const at = sh("2026-11-26T17:30"); // half, soon and due of the accept stage
    f.clock.at = at;
    const [a, b] = await Promise.all([f.services.tick(at), f.services.tick(at)]);
    expect(a.reminders.sent + b.reminders.sent).toBe(3);
    expect(a.reminders.failed + b.reminders.failed).toBe(0);
    expect((await f.services.tick(at)).reminders).toEqual({ sent: 0, cancelled: 0, failed: 0 });
    const runs = await Promise.all([1, 2, 3].map(() => f.services.reminders.fireDue(at + MINUTE)));
    expect(runs.reduce((s, r) => s + r.sent, 0)).toBe(0);
    const messages = newMessages();
    expect(messages).toHaveLength(5); // half and soon to the liaison; due to the group, the liaison, the dispatchers
    expect(new Set(messages.map((m) => m.join("|"))).size).toBe(5);
    expect((await rows(c.id)).filter((r) => r.status === "sent").map((r) => r.kind)).toEqual(["half", "soon", "due"]);
  });

  it("roll the claim back when the messages cannot be written, and send on the next tick", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    await f.database.client.execute("CREATE TRIGGER outbox_fails BEFORE INSERT ON outbox BEGIN SELECT RAISE(ABORT, 'disk full'); END");
    expect((await tickAt(sh("2026-11-26T09:15"))).reminders).toEqual({ sent: 0, cancelled: 0, failed: 1 });
    expect((await rows(c.id)).find((r) => r.kind === "half" && r.stage === "accept")).toMatchObject({ status: "pending", sentAt: null });
    expect(newMessages()).toEqual([]);
    expect(f.log.entries).toContainEqual(expect.objectContaining({ level: "error", msg: "reminder failed; it will be tried again" }));

    await f.database.client.execute("DROP TRIGGER outbox_fails");
    expect((await tickAt(sh("2026-11-26T09:16"))).reminders).toEqual({ sent: 1, cancelled: 0, failed: 0 });
    expect(newMessages()).toEqual([[LIAISON, `⏰ 事项 ${c.number} 距签收期限还剩一半时间（期限 2026-11-26 17:30）`]]);
  });

  it("catch up after three days down: everything that fell due, once each, marked late", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    const result = await tickAt(sh("2026-11-28T10:00")); // Saturday
    expect(result.reminders).toEqual({ sent: 4, cancelled: 0, failed: 0 });
    const n = c.number;
    // In order within each chat (the outbox keeps that); chats interleave as their pace allows.
    const byChat = (messages: unknown[][]) => [...messages].sort((a, b) => Number(a[0]) - Number(b[0]));
    expect(byChat(newMessages())).toEqual(
      byChat([
        [LIAISON, `⏰ 事项 ${n} 距签收期限还剩一半时间（期限 2026-11-26 17:30）（补发）`],
        [LIAISON, `⏰ 事项 ${n} 即将到期，请在 2026-11-26 17:30 前签收（补发）`],
        [UNIT_GROUP, `⚠️ 事项 ${n} 已逾期，请尽快签收（期限 2026-11-26 17:30）（补发）`],
        [LIAISON, `⚠️ 事项 ${n} 已逾期，请尽快签收（期限 2026-11-26 17:30）（补发）`],
        [DISPATCHERS, `⚠️ 事项 ${n} 已逾期，请尽快签收（期限 2026-11-26 17:30）（补发）`],
        [UNIT_HEAD, `🔺 事项 ${n} 逾期 1 个工作日，已升级督办（期限 2026-11-26 17:30）（补发）`],
      ]),
    );
    expect((await rows(c.id)).filter((r) => r.status === "sent").every((r) => r.late)).toBe(true);
    await tickAt(sh("2026-11-28T10:01"));
    expect(newMessages()).toEqual([]);
  });
});

describe("a deadline that moves", () => {
  it("a manual deadline, then an extension, reschedule the reminders; the old ones never fire", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    await act(c.id, { type: "accept" }, ctx.liaison);
    const first = c.dueAt!;

    await act(c.id, { type: "set_deadline", dueAt: sh("2026-12-04T17:30") }, ctx.dispatcher);
    const afterManual = await rows(c.id);
    expect(afterManual.filter((r) => r.stage === "resolve" && r.dueAt === first).every((r) => r.status === "cancelled")).toBe(true);
    expect(afterManual.filter((r) => r.dueAt === sh("2026-12-04T17:30")).map((r) => `${r.kind}:${r.status}`)).toEqual([
      "half:pending",
      "soon:pending",
      "due:pending",
      "escalate:pending",
      "escalate:pending",
      "escalate:pending",
    ]);

    await act(c.id, { type: "extension_request", until: sh("2026-12-31T17:30"), reason: "安全网需要从外地采购。" }, ctx.liaison);
    await act(c.id, { type: "extension_decide", approve: true }, ctx.dispatcher);
    const pending = (await rows(c.id)).filter((r) => r.status === "pending");
    expect(new Set(pending.map((r) => r.dueAt))).toEqual(new Set([sh("2026-12-31T17:30")]));
    await tickAt(WED);
    newMessages();

    // Past the manual deadline, at the extended one's half time, past the first deadline:
    // only the extended deadline's reminders.
    await tickAt(sh("2026-12-05T10:00"));
    expect(newMessages()).toEqual([]);
    const half = pending.find((r) => r.kind === "half")!;
    expect(office(half.fireAt)).toBe("2026-12-14 14:45");
    await tickAt(half.fireAt);
    expect(newMessages()).toEqual([[LIAISON, `⏰ 事项 ${c.number} 距办理期限还剩一半时间（期限 2026-12-31 17:30）`]]);
    await tickAt(sh("2026-12-17T10:00"));
    expect(newMessages()).toEqual([]);
    await tickAt(sh("2026-12-31T17:30"));
    const texts = newMessages().map(([, t]) => t);
    expect(texts.every((t) => t.includes("2026-12-31 17:30"))).toBe(true);
    expect(f.fake.sentTexts().filter((t) => /2026-12-(16|04) 17:30/.test(t.split("\n")[0]!))).toEqual([]);
  });

  it("a reminder for a deadline the case no longer has is dropped when its time comes, not sent", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    await act(c.id, { type: "accept" }, ctx.liaison);
    // Changed behind the service's back (a script, a restore): the plan was not told.
    await f.db
      .update(cases)
      .set({ dueAt: sh("2027-01-29T17:30") })
      .where(eq(cases.id, c.id));
    const result = await tickAt(sh("2026-12-17T10:00"));
    expect(result.reminders).toEqual({ sent: 0, cancelled: 3, failed: 0 }); // half, soon and due of the old deadline
    expect(newMessages()).toEqual([]);
  });
});

describe("stages that end", () => {
  it("accepting cancels the accept reminders; resolving plans verification for the dispatchers; closing cancels everything", async () => {
    const ctx = await setUp(WED);
    const c = await assigned(ctx);
    await act(c.id, { type: "accept" }, ctx.liaison);
    expect((await rows(c.id)).filter((r) => r.stage === "accept").every((r) => r.status === "cancelled")).toBe(true);
    expect((await rows(c.id)).filter((r) => r.stage === "resolve").every((r) => r.status === "pending")).toBe(true);
    await tickAt(sh("2026-11-27T17:30"));
    expect(newMessages().filter(([, t]) => t.includes("签收"))).toEqual([]);

    f.clock.at = sh("2026-11-30T10:00");
    await act(c.id, { type: "resolve", measures: "已搭设安全网。", responsible: "项目经理 王建国", evidence: 1 }, ctx.liaison);
    expect((await brief(c.id)).filter((r) => r.endsWith("pending"))).toEqual([
      "verify:half:0:pending",
      "verify:soon:0:pending",
      "verify:due:0:pending",
    ]);
    await tickAt(sh("2026-11-30T10:00"));
    newMessages();
    const verify = (await rows(c.id)).filter((r) => r.stage === "verify");
    expect(office(verify.find((r) => r.kind === "due")!.fireAt)).toBe("2026-12-10 17:30"); // 10 calendar days
    await tickAt(verify.find((r) => r.kind === "half")!.fireAt);
    expect(newMessages()).toEqual([[DISPATCHERS, `⏰ 事项 ${c.number} 距核查销号期限还剩一半时间（期限 2026-12-10 17:30）`]]);

    // Sent back: verification is off, the resolve reminders for the deadline that still stands are back.
    await act(c.id, { type: "send_back", reason: "照片看不到警示灯。" }, ctx.dispatcher);
    const back = await rows(c.id);
    expect(back.filter((r) => r.stage === "verify" && r.status === "pending")).toEqual([]);
    expect(back.filter((r) => r.stage === "resolve" && r.status === "pending").map((r) => r.kind)).toEqual([
      "half",
      "soon",
      "due",
      "escalate",
      "escalate",
      "escalate",
    ]);

    await act(c.id, { type: "resolve", measures: "已补设警示灯。", responsible: "项目经理 王建国", evidence: 1 }, ctx.liaison);
    await act(c.id, { type: "verify_close" }, ctx.dispatcher);
    expect((await rows(c.id)).filter((r) => r.status === "pending")).toEqual([]);
    await tickAt(sh("2027-02-01T10:00"));
    expect(newMessages().filter(([, t]) => /^(⏰|⚠️|🔺)/.test(t))).toEqual([]);
  });

  it("keeps the verification deadline on the case while it waits for verification, and clears it when that ends", async () => {
    const ctx = await setUp(WED);
    const verifyDue = async (caseId: number) => (await rows(caseId)).filter((r) => r.stage === "verify" && r.kind === "due").map((r) => r.dueAt);
    const c = await assigned(ctx);
    expect((await caseNow(c.id)).verifyDueAt).toBeNull();
    await act(c.id, { type: "accept" }, ctx.liaison);
    f.clock.at = sh("2026-11-30T10:00");
    await act(c.id, { type: "resolve", measures: "已搭设安全网。", responsible: "项目经理 王建国", evidence: 1 }, ctx.liaison);
    const first = (await caseNow(c.id)).verifyDueAt;
    expect(office(first!)).toBe("2026-12-10 17:30");
    expect(await verifyDue(c.id)).toEqual([first]);

    await act(c.id, { type: "send_back", reason: "照片看不到警示灯。" }, ctx.dispatcher);
    expect((await caseNow(c.id)).verifyDueAt).toBeNull();
    f.clock.at = sh("2026-12-02T10:00");
    await act(c.id, { type: "resolve", measures: "已补设警示灯。", responsible: "项目经理 王建国", evidence: 1 }, ctx.liaison);
    const second = (await caseNow(c.id)).verifyDueAt;
    expect(second).toBeGreaterThan(first!); // counted from the second resolution
    expect(await verifyDue(c.id)).toEqual([first, second]);
    await act(c.id, { type: "verify_close" }, ctx.dispatcher);
    expect((await caseNow(c.id)).verifyDueAt).toBeNull();

    // A consultation answered waits for verification the same way.
    const q = await newCase("ordinary", "consultation");
    await act(q.id, { type: "assign", unitId: "station-a" }, ctx.dispatcher);
    await act(q.id, { type: "answer", text: "可以，按规定办理即可。" }, ctx.liaison);
    expect((await caseNow(q.id)).verifyDueAt).toEqual((await verifyDue(q.id))[0]);
    await act(q.id, { type: "verify_close" }, ctx.dispatcher);
    expect((await caseNow(q.id)).verifyDueAt).toBeNull();
  });

  it("a rejected case, and a case merged into another, have nothing left to remind", async () => {
    const ctx = await setUp(WED);
    const a = await assigned(ctx);
    await act(a.id, { type: "reject", reason: "不属于安全生产监管范围。" }, ctx.dispatcher);
    const b = await assigned(ctx);
    const other = await assigned(ctx);
    await act(b.id, { type: "mark_duplicate", ofCaseId: other.id, ofCaseOpen: true }, ctx.dispatcher);
    for (const id of [a.id, b.id]) expect((await rows(id)).filter((r) => r.status === "pending")).toEqual([]);
    expect((await rows(other.id)).filter((r) => r.status === "pending")).not.toEqual([]);
  });
});

describe("the calendar", () => {
  it("puts deadlines and reminders across Spring Festival 2026 (Feb 15-23) on working days", async () => {
    const ctx = await setUp(sh("2026-02-12T10:00"));
    const urgent = await assigned(ctx, "urgent");
    const ordinary = await assigned(ctx, "ordinary");
    // Urgent: 3 working days, the make-up Saturday counted (13th, 14th, 24th); ordinary: 15.
    expect(office(urgent.dueAt!)).toBe("2026-02-24 17:30");
    expect(office(ordinary.dueAt!)).toBe("2026-03-11 17:30");
    const all = [...(await rows(urgent.id)), ...(await rows(ordinary.id))];
    expect(all.find((r) => r.caseId === urgent.id && r.stage === "accept" && r.kind === "due")?.fireAt).toBe(sh("2026-02-12T12:00"));
    for (const r of all) {
      const day = officeDate(cal, r.fireAt);
      expect(isWorkday(cal, day), `${r.key} on ${day}`).toBe(true);
      expect(day < "2026-02-15" || day > "2026-02-23").toBe(true);
    }
  });
});

describe("cost follows due work", () => {
  it("with 500 open cases whose reminders are far off, a tick reads none of them, by the index", async () => {
    await setUp(WED);
    const now = WED;
    await f.db.transaction(async (tx) => {
      for (let i = 0; i < 500; i++) {
        const [c] = await tx
          .insert(cases)
          .values({
            number: `YH-20261125-${String(5000 + i)}`,
            kind: "hazard",
            status: "assigned",
            unitId: "station-a",
            description: "仓库消防通道被货物堵塞。",
            anonymous: true,
            createdAt: now,
          })
          .returning({ id: cases.id });
        await f.services.deadlines.onEvent(
          tx,
          c!.id,
          { action: "assigned", fromStatus: "new", toStatus: "assigned", data: { unitId: "station-a" } },
          now,
        );
      }
    });
    const [{ n }] = (await f.db.select({ n: sql<number>`count(*)` }).from(reminders)) as [{ n: number }];
    expect(n).toBe(500 * 12);

    expect(await f.services.reminders.fireDue(now + MINUTE)).toEqual({ sent: 0, cancelled: 0, failed: 0 });

    const query = dueReminders(f.db, now, 200).toSQL();
    const plan = await f.database.client.execute({ sql: `EXPLAIN QUERY PLAN ${query.sql}`, args: query.params as never[] });
    const details = plan.rows.map((r) => String(r.detail));
    expect(details.join(" | ")).toMatch(/SEARCH reminders USING INDEX reminders_due_idx \(status=\? AND fire_at<\?\)/);
    expect(details.some((d) => /SCAN reminders|USE TEMP B-TREE/.test(d))).toBe(false);

    // Three of them fall due: exactly those are read and sent.
    const three = await f.db.select({ key: reminders.key }).from(reminders).where(eq(reminders.kind, "half")).limit(3);
    for (const { key } of three) await f.db.update(reminders).set({ fireAt: now }).where(eq(reminders.key, key));
    expect(await f.services.reminders.fireDue(now + MINUTE)).toEqual({ sent: 3, cancelled: 0, failed: 0 });
    const queued = await f.db
      .select()
      .from(outbox)
      .where(and(sql`${outbox.dedupeKey} like 'rem:%'`));
    expect(queued.length).toBeGreaterThan(0);
  });
});
