/**
 * The office's time settings and recurring reminders from the directory file, over a real
 * database, the fake Bot API and a clock the test moves: an import changes the deadlines of
 * cases assigned after it (no restart: the same services), an override holiday or make-up
 * workday moves a deadline, a shortened escalation chain redirects escalations already
 * planned, a reminder from the file fires once and is not duplicated by a re-import, and an
 * import queues the command menus of the staff it adds.
 */
import { eq } from "drizzle-orm";
import { afterEach, describe, expect, it } from "vitest";
import { applySync, planHasWrites, planSync, readDirectory } from "../../db/queries/directory-sync";
import { readOfficeSettings } from "../../db/queries/settings";
import { cases, chats, members, outbox, schedules } from "../../db/schema";
import { formatDirectoryError, parseDirectory, serializeDirectory } from "../../src/domain/directory-file";
import { formatOfficeTime } from "../../src/domain/office-time";
import type { Actor } from "../../src/domain/workflow";
import { queueStaffMenus } from "../../src/services/command-menus";
import { serviceFixture } from "../support/services";

const TZ = "Asia/Shanghai";
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const office = (ms: number) => formatOfficeTime(ms, TZ);
const WED = sh("2026-11-25T10:00");
const GROUP = -100700;
const LEADERS = -100502;
const UNIT_HEAD = 9008;

/** The directory every file here starts with; time sections are added per test. */
const BASE = `regions:
  - { id: county, name_zh: 清河县, name_en: Qinghe County, level: county }
sectors: []
units:
  - { id: office, kind: office, name_zh: 县安委办, name_en: County Safety Office }
  - { id: station-a, kind: territorial, name_zh: 城关镇安监站, name_en: Chengguan Safety Station, region: county }
routes: []
`;

let f: Awaited<ReturnType<typeof serviceFixture>>;
afterEach(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

/** What `npm run directory -- import` does, at the fixture's clock. */
async function importFile(text: string, prune = false) {
  const parsed = parseDirectory(text, "office.yaml");
  if (!parsed.ok) throw new Error(parsed.errors.map(formatDirectoryError).join("\n"));
  const plan = planSync(await readDirectory(f.db), parsed.directory);
  await applySync(f.db, plan, { prune, timeZone: TZ, now: f.clock.at, onStaffChanged: (tx, ids) => queueStaffMenus(tx, ids, f.clock.at) });
  return plan;
}

/** The base directory, its staff, and the groups reminders go to. */
async function setUp(start: number, extra = "") {
  f = await serviceFixture(start);
  await importFile(BASE + extra);
  const ids = await f.db
    .insert(members)
    .values([
      { telegramId: 9001, unitId: "office", roles: ["dispatcher"], name: "周调度" },
      { telegramId: 9002, unitId: "station-a", roles: ["liaison"], name: "甲" },
      { telegramId: UNIT_HEAD, unitId: "station-a", roles: ["leader"], name: "站长" },
    ])
    .returning({ id: members.id });
  await f.db.insert(chats).values({ chatId: LEADERS, title: "领导群", purpose: "leaders" });
  return { dispatcher: { kind: "member", memberId: ids[0]!.id, roles: ["dispatcher"], unitIds: [] } as Actor };
}

let nextNumber = 1;
/** A new ordinary hazard, assigned to station-a now; its deadline as the office would read it. */
async function assignNew(dispatcher: Actor) {
  const [row] = await f.db
    .insert(cases)
    .values({
      number: `YH-20261125-${String(nextNumber++).padStart(4, "0")}`,
      kind: "hazard",
      description: "脚手架没有安全网，工人高空作业不系安全带。",
      anonymous: true,
      createdAt: f.clock.at,
      updatedAt: f.clock.at,
    })
    .returning();
  expect(await f.services.caseActions.perform(row!.id, { type: "assign", unitId: "station-a" }, dispatcher, 1)).toMatchObject({ ok: true });
  const [after] = await f.db.select().from(cases).where(eq(cases.id, row!.id));
  return after!;
}

describe("deadlines from the directory file", () => {
  it("an import changes the policy: a case assigned after it gets the new deadline, one before keeps its own", async () => {
    const { dispatcher } = await setUp(WED);
    const before = await assignNew(dispatcher);
    expect(office(before.dueAt!)).toBe("2026-12-16 17:30"); // the default: 15 working days

    const plan = await importFile(`${BASE}deadlines:\n  hazard:\n    ordinary: { resolve: { working_days: 5 } }\n`);
    expect(plan.settings.deadlines).toMatchObject({ managed: true, state: "added", fields: ["hazard"] });
    expect(await readOfficeSettings(f.db)).toEqual({ deadlines: { hazard: { ordinary: { resolve: { workingDays: 5 } } } } });

    const after = await assignNew(dispatcher);
    expect(office(after.dueAt!)).toBe("2026-12-02 17:30"); // Thu, Fri, Mon, Tue, Wed
    expect(office((await f.db.select().from(cases).where(eq(cases.id, before.id)))[0]!.dueAt!)).toBe("2026-12-16 17:30");

    // A file without the section leaves the stored deadlines alone; with it, it is the whole truth.
    expect((await importFile(BASE)).settings.deadlines).toMatchObject({ managed: false, state: "absent" });
    expect(office((await assignNew(dispatcher)).dueAt!)).toBe("2026-12-02 17:30");
    const reset = await importFile(`${BASE}deadlines: {}\n`);
    expect(reset.settings.deadlines).toMatchObject({ state: "changed", fields: ["hazard"] });
    expect(office((await assignNew(dispatcher)).dueAt!)).toBe("2026-12-16 17:30");
  });

  it("an override holiday moves a deadline later, and a make-up workday earlier", async () => {
    const { dispatcher } = await setUp(WED, "deadlines:\n  hazard: { resolve: { working_days: 5 } }\n");
    expect(office((await assignNew(dispatcher)).dueAt!)).toBe("2026-12-02 17:30");

    await importFile(`${BASE}calendar:\n  holidays: [2026-11-27]\n`);
    expect(office((await assignNew(dispatcher)).dueAt!)).toBe("2026-12-03 17:30"); // Friday off

    await importFile(`${BASE}calendar:\n  workdays: [2026-11-28]\n`); // the holiday gone, Saturday worked
    expect(office((await assignNew(dispatcher)).dueAt!)).toBe("2026-12-01 17:30");
    // The deadlines section was left out of both: it still holds.
    expect((await readOfficeSettings(f.db)).deadlines).toEqual({ hazard: { resolve: { workingDays: 5 } } });
  });

  it("office hours from the file move an hours deadline", async () => {
    const { dispatcher } = await setUp(
      WED,
      'calendar:\n  work_hours: { start: "09:00", end: "17:00" }\ndeadlines:\n  hazard: { accept: { working_hours: 8 } }\n',
    );
    const c = await assignNew(dispatcher);
    const accept = await f.db.query.reminders.findFirst({ where: (r, { and }) => and(eq(r.caseId, c.id), eq(r.stage, "accept"), eq(r.kind, "due")) });
    expect(office(accept!.fireAt)).toBe("2026-11-26 10:00"); // 7 hours left on Wednesday, one more on Thursday from 09:00
  });

  it("a damaged settings row does not stop the office: what cannot be read keeps its default, and is logged", async () => {
    const { dispatcher } = await setUp(WED);
    await f.database.client.execute(
      `insert into office_settings (id, settings) values (1, '{"calendar":{"workHours":{"start":[18,0],"end":[9,0]}},"deadlines":{"hazard":{"ordinary":{"resolve":{"workingDays":"many"}}}}}')`,
    );
    expect(office((await assignNew(dispatcher)).dueAt!)).toBe("2026-12-16 17:30");
    expect(f.log.entries.filter((e) => e.msg === "office calendar settings ignored")).toHaveLength(1);
  });

  it("a shortened escalation chain redirects escalations already planned", async () => {
    const { dispatcher } = await setUp(WED);
    const c = await assignNew(dispatcher);
    await importFile(`${BASE}escalation: [leaders]\n`);

    // Accept was due Thursday 17:30; one office day later the first escalation goes to the leaders, not the unit's head.
    const tickAt = async (local: string) => {
      f.clock.at = sh(local);
      return f.services.tick(f.clock.at);
    };
    await tickAt("2026-11-26T17:30");
    const seen = f.fake.callsTo("sendMessage").length;
    expect((await tickAt("2026-11-27T17:30")).reminders).toEqual({ sent: 1, cancelled: 0, failed: 0 });
    const sent = f.fake.callsTo("sendMessage").slice(seen);
    expect(sent.map((m) => [m.params.chat_id, String(m.params.text).split("\n")[0]])).toEqual([
      [LEADERS, `🔺 事项 ${c.number} 逾期 1 个工作日，已升级督办（期限 2026-11-26 17:30）`],
    ]);
    // The second and third steps are past the end of the chain now.
    expect((await tickAt("2026-12-01T17:30")).reminders).toEqual({ sent: 0, cancelled: 2, failed: 0 });
    expect(f.fake.sentTexts(UNIT_HEAD)).toEqual([]);
  });
});

describe("recurring reminders from the directory file", () => {
  const WEEKLY = "请各单位于今天下班前报送本周工作情况";
  /** The schedules section (and what else is given); setUp adds the base directory. */
  const section = (more = "") => `schedules:\n  - { id: weekly-report, chat: ${GROUP}, cron: "0 15 * * 5", text: "${WEEKLY}" }\n${more}`;
  const file = (more = "") => BASE + section(more);
  const tickAt = async (local: string) => {
    f.clock.at = sh(local);
    return (await f.services.tick(f.clock.at)).schedules;
  };

  it("fires on its slot once; a re-import changes nothing and adds no second one", async () => {
    await setUp(sh("2026-11-23T09:00"), section());
    const rows = await f.db.select().from(schedules);
    expect(rows).toMatchObject([
      { key: "weekly-report", chatId: GROUP, cron: "0 15 * * 5", holidays: "skip", paused: false, lastSlot: null, timeZone: TZ },
    ]);

    expect(await tickAt("2026-11-27T14:59")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await tickAt("2026-11-27T15:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
    expect(await tickAt("2026-11-27T15:01")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(f.fake.sentTexts(GROUP)).toEqual([`🔔 ${WEEKLY}`]);

    const again = await importFile(file());
    expect(again.schedules).toMatchObject({ added: [], changed: [], missing: [] });
    expect(planHasWrites(again, false)).toBe(false);
    expect(await f.db.select().from(schedules)).toHaveLength(1);
    await tickAt("2026-11-27T15:02");
    expect(f.fake.sentTexts(GROUP)).toEqual([`🔔 ${WEEKLY}`]);
  });

  it("skips a slot on an office holiday from the file's calendar", async () => {
    await setUp(sh("2026-11-23T09:00"), section("calendar:\n  holidays: [2026-11-27]\n"));
    expect(await tickAt("2026-11-27T15:00")).toEqual({ sent: 0, skipped: 1, failed: 0 });
    expect(await tickAt("2026-12-04T15:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
  });

  it("a changed pattern does not fire at once for a slot already past", async () => {
    await setUp(sh("2026-11-23T09:00"), section());
    await tickAt("2026-11-25T10:00");
    const plan = await importFile(file().replace('"0 15 * * 5"', '"0 9 * * *"'));
    expect(plan.schedules.changed.map((c) => c.fields)).toEqual([["cron"]]);
    expect(await tickAt("2026-11-25T10:01")).toEqual({ sent: 0, skipped: 0, failed: 0 });
    expect(await tickAt("2026-11-26T09:00")).toEqual({ sent: 1, skipped: 0, failed: 0 });
  });

  it("leaves a reminder made with /schedule alone unless --prune, and exports it as schedule-N", async () => {
    await setUp(sh("2026-11-23T09:00"), section());
    const made = await f.services.schedules.add({ chatId: GROUP, cron: "0 9 25 * *", text: "请报送下月工作计划", createdBy: null });
    if (!made.ok) throw new Error("not added");

    const kept = await importFile(file());
    expect(kept.schedules.missing.map((s) => s.key)).toEqual([`schedule-${made.schedule.id}`]);
    expect(await f.db.select().from(schedules)).toHaveLength(2);

    // The export lists both; importing it back changes nothing.
    const exported = serializeDirectory(await readDirectory(f.db));
    expect(exported).toContain(
      `  - { id: schedule-${made.schedule.id}, chat: ${GROUP}, cron: "0 9 25 * *", holidays: skip, text: "请报送下月工作计划" }`,
    );
    const parsed = parseDirectory(exported, "exported.yaml");
    if (!parsed.ok) throw new Error(parsed.errors.map(formatDirectoryError).join("\n"));
    expect(planHasWrites(planSync(await readDirectory(f.db), parsed.directory), true)).toBe(false);

    // A file without the section leaves every reminder alone, even with --prune.
    expect((await importFile(BASE, true)).schedules.managed).toBe(false);
    expect(await f.db.select().from(schedules)).toHaveLength(2);
    // With the section and --prune, the file is the whole list.
    await importFile(file(), true);
    expect((await f.db.select().from(schedules)).map((s) => s.key)).toEqual(["weekly-report"]);
  });
});

describe("staff from the directory file", () => {
  it("get their command menu through the outbox; one removed gets the default list back", async () => {
    f = await serviceFixture(WED);
    await f.services.users.greet(100002, "en");
    const staff = `members:
  - { telegram_id: 100001, name: 张伟, unit: station-a, roles: [liaison] }
  - { telegram_id: 100002, name: 李娜, unit: office, roles: [dispatcher, leader] }
`;
    await importFile(BASE + staff);
    const queued = await f.db.select().from(outbox).orderBy(outbox.id);
    expect(queued.map((r) => [r.chatId, r.method])).toEqual([
      [100001, "setMyCommands"],
      [100002, "setMyCommands"],
    ]);
    await f.services.tick(WED);
    const menus = f.fake.callsTo("setMyCommands");
    expect(menus.map((m) => m.params.scope)).toEqual([
      { type: "chat", chat_id: 100001 },
      { type: "chat", chat_id: 100002 },
    ]);
    const names = (i: number) => (menus[i]!.params.commands as Array<{ command: string }>).map((c) => c.command);
    expect(names(0).slice(0, 2)).toEqual(["mine", "case"]);
    expect(names(1).slice(0, 6)).toEqual(["queue", "new", "case", "supervised", "ranking", "stats"]);
    expect((menus[1]!.params.commands as Array<{ description: string }>)[0]?.description).toBe("Cases awaiting assignment (dispatchers)");

    // Unchanged staff are not sent again; a removed one is. (The tick also sent the leader's digest.)
    await importFile(BASE + staff);
    expect((await f.db.select().from(outbox)).filter((r) => r.method.endsWith("MyCommands"))).toHaveLength(2);
    await importFile(`${BASE}members:\n  - { telegram_id: 100001, name: 张伟, unit: station-a, roles: [liaison] }\n`, true);
    await f.services.tick(WED);
    expect(f.fake.callsTo("deleteMyCommands").map((m) => m.params)).toEqual([{ scope: { type: "chat", chat_id: 100002 } }]);
  });
});
