/**
 * Rankings, /stats and the digest over a real libSQL database, with cases driven through the
 * real workflow (assign, accept, transfer, answer, resolve, send back, close, rate) on a
 * clock the test moves, so the step times the figures read are the ones the workflow wrote.
 * Also: the migration's backfill gives old cases the same step times from their ledger, the
 * report queries use indexes (no scan of `cases`, checked on 100k cases), and the texts fit
 * Telegram with no NaN.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { eq, sql } from "drizzle-orm";
import { drizzle } from "drizzle-orm/libsql/web";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { casesHandedOver, casesReceived } from "../../db/queries/reports";
import * as schema from "../../db/schema";
import { caseReporters, cases, members, regions, units } from "../../db/schema";
import { defaultCalendar } from "../../src/domain/calendar";
import { rankUnits } from "../../src/domain/reports";
import type { Action, Actor, CaseKind } from "../../src/domain/workflow";
import { translator } from "../../src/i18n";
import { reportFigureService } from "../../src/services/report-figures";
import { MAX_CAPTION, MAX_MESSAGE, renderDigestCaption, renderRanking, renderStats } from "../../src/services/report-messages";
import { MIGRATIONS_FOLDER } from "../support/db";
import { serviceFixture } from "../support/services";

const TZ = "Asia/Shanghai";
const calendar = defaultCalendar(TZ);
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const HOUR = 3_600_000;

type Fixture = Awaited<ReturnType<typeof serviceFixture>>;

/** A county with three stations, two towns (one with a village) and the office. */
async function seedCounty(f: Fixture) {
  await f.db.insert(regions).values([
    { id: "county", level: "county", nameZh: "清河县", nameEn: "Qinghe County" },
    { id: "town-a", parentId: "county", level: "town", nameZh: "城关镇", nameEn: "Chengguan Town" },
    { id: "village-1", parentId: "town-a", level: "village", nameZh: "东关村", nameEn: "Dongguan Village" },
    { id: "town-b", parentId: "county", level: "town", nameZh: "西桥街道", nameEn: "Xiqiao Street" },
  ]);
  await f.db.insert(units).values([
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station", regionId: "town-a" },
    { id: "station-b", kind: "territorial", nameZh: "西桥街道安监站", nameEn: "Xiqiao Safety Station", regionId: "town-b" },
    { id: "station-c", kind: "sectoral", nameZh: "矿山安全科", nameEn: "Mine Safety Section" },
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
  ]);
  const ids = await f.db
    .insert(members)
    .values([
      { telegramId: 9001, unitId: "office", roles: ["dispatcher"], name: "周调度" },
      { telegramId: 9002, unitId: "station-a", roles: ["liaison"], name: "甲" },
      { telegramId: 9003, unitId: "station-b", roles: ["liaison"], name: "乙" },
      { telegramId: 9004, unitId: "station-c", roles: ["liaison"], name: "丙" },
    ])
    .returning({ id: members.id });
  const member = (i: number, roles: Array<"dispatcher" | "liaison">, unitIds: string[]): Actor => ({
    kind: "member",
    memberId: ids[i]!.id,
    roles,
    unitIds,
  });
  return {
    dispatcher: member(0, ["dispatcher"], []),
    a: member(1, ["liaison"], ["station-a"]),
    b: member(2, ["liaison"], ["station-b"]),
    c: member(3, ["liaison"], ["station-c"]),
  };
}

describe("figures from cases worked through the real workflow", () => {
  let f: Fixture;
  let people: Awaited<ReturnType<typeof seedCounty>>;
  const id: Record<string, number> = {};
  let afterSendBack: typeof cases.$inferSelect;
  let seq = 1;

  async function newCase(name: string, opts: { kind?: CaseKind; regionId?: string | null; sectorId?: string | null; reporter?: number } = {}) {
    const [row] = await f.db
      .insert(cases)
      .values({
        number: `YH-20261102-${String(seq++).padStart(4, "0")}`,
        kind: opts.kind ?? "hazard",
        description: "脚手架没有安全网，工人高空作业不系安全带。",
        anonymous: true,
        regionId: opts.regionId === undefined ? "town-a" : opts.regionId,
        sectorId: opts.sectorId === undefined ? "construction" : opts.sectorId,
        createdAt: f.clock.at,
        updatedAt: f.clock.at,
      })
      .returning();
    id[name] = row!.id;
    if (opts.reporter) await f.db.insert(caseReporters).values({ caseId: row!.id, telegramId: opts.reporter, chatId: opts.reporter });
  }

  async function act(name: string, action: Action, actor: Actor, at?: string) {
    if (at) f.clock.at = sh(at);
    const [row] = await f.db.select({ version: cases.version }).from(cases).where(eq(cases.id, id[name]!));
    const outcome = await f.services.caseActions.perform(id[name]!, action, actor, row!.version);
    expect(outcome, `${name} ${action.type}`).toMatchObject({ ok: true });
  }
  const resolve: Action = { type: "resolve", measures: "已挂设安全网。", responsible: "项目安全员 李强", evidence: 1 };
  const row = async (name: string) => (await f.db.select().from(cases).where(eq(cases.id, id[name]!)))[0]!;

  beforeAll(async () => {
    f = await serviceFixture(sh("2026-11-02T09:00"));
    people = await seedCounty(f);
    const { dispatcher, a, b, c } = people;
    const assign = (unitId: string): Action => ({ type: "assign", unitId });

    // Monday 2 November, 09:00: eleven cases received and handed out.
    await newCase("A1", { regionId: "village-1", reporter: 7001 });
    await newCase("A2", { reporter: 7002 });
    await newCase("A3");
    await newCase("Q1", { kind: "consultation", sectorId: null });
    await newCase("R1");
    await newCase("T1");
    for (const n of ["B1", "B2", "B3"]) await newCase(n, { regionId: "town-b", sectorId: "mines" });
    await newCase("C1", { regionId: "town-b", sectorId: "mines" });
    for (const n of ["A1", "A2", "A3", "Q1", "R1"]) await act(n, assign("station-a"), dispatcher);
    for (const n of ["B1", "B2", "B3"]) await act(n, assign("station-b"), dispatcher);
    for (const n of ["C1", "T1"]) await act(n, assign("station-c"), dispatcher);

    // Signed for within the hour; the consultation answered straight away; one rejected.
    for (const n of ["A1", "A2", "A3"]) await act(n, { type: "accept" }, a, "2026-11-02T10:00");
    for (const n of ["B1", "B2"]) await act(n, { type: "accept" }, b);
    await act("Q1", { type: "answer", text: "可以，按规定办理即可。" }, a);
    await act("R1", { type: "reject", reason: "不属于本县管辖范围，请向市局反映。" }, dispatcher);
    await act("T1", { type: "transfer_request", toUnitId: "station-a", reason: "属城关镇辖区。" }, c);
    await act("T1", { type: "transfer_accept" }, a, "2026-11-03T10:00");
    await act("T1", { type: "accept" }, a, "2026-11-03T11:00");
    // B3 is signed for late (the deadline was one working day).
    await act("B3", { type: "accept" }, b, "2026-11-04T10:00");

    for (const n of ["A1", "A2", "A3"]) await act(n, resolve, a, "2026-11-05T10:00");
    await act("B1", resolve, b);
    await act("B3", resolve, b, "2026-11-06T09:00");
    for (const n of ["A1", "A2", "B1", "Q1"]) await act(n, { type: "verify_close" }, dispatcher, "2026-11-06T10:00");
    await act("A3", { type: "send_back", reason: "照片看不清，请补拍。" }, dispatcher);
    afterSendBack = await row("A3");
    await act("A3", resolve, a, "2026-11-09T10:00");
    await act("A3", { type: "verify_close" }, dispatcher, "2026-11-10T10:00");
    await act("C1", { type: "set_deadline", dueAt: sh("2026-11-24T17:30") }, dispatcher);
    await act("B2", { type: "supervise", listed: true }, dispatcher);
    await act("T1", resolve, a, "2026-11-20T10:00");

    f.clock.at = sh("2026-11-06T11:00");
    expect(await f.services.ratings.rate(id.A1!, 7001, 5)).toBe("rated");
    expect(await f.services.ratings.rate(id.A2!, 7002, 4)).toBe("rated");

    // Closes and receipts either side of midnight at the end of 24 November.
    await act("B3", { type: "verify_close" }, dispatcher, "2026-11-24T23:59");
    await newCase("N1", { regionId: null });
    await act("T1", { type: "verify_close" }, dispatcher, "2026-11-25T00:00");
    await newCase("N2", { regionId: null });
    f.clock.at = sh("2026-11-25T10:00");
  });
  afterAll(async () => {
    expect(f.fake.violations).toEqual([]);
    await f.dispose();
  });

  it("records each step's time on the case as the workflow takes it", async () => {
    expect(await row("A3")).toMatchObject({
      assignedAt: sh("2026-11-02T09:00"),
      acceptedAt: sh("2026-11-02T10:00"),
      resolvedAt: sh("2026-11-09T10:00"),
      closedAt: sh("2026-11-10T10:00"),
    });
    expect((await row("A3")).acceptDueAt).toBeGreaterThan(sh("2026-11-02T09:00"));
    // A transfer hands the case over anew: its accept deadline counts from then.
    const t1 = await row("T1");
    expect(t1).toMatchObject({
      unitId: "station-a",
      assignedAt: sh("2026-11-03T10:00"),
      acceptedAt: sh("2026-11-03T11:00"),
      closedAt: sh("2026-11-25T00:00"),
    });
    expect(t1.acceptDueAt).toBeGreaterThan(sh("2026-11-03T10:00"));
    expect(await row("Q1")).toMatchObject({ acceptedAt: sh("2026-11-02T10:00"), resolvedAt: sh("2026-11-02T10:00") });
    expect(await row("B2")).toMatchObject({ acceptedAt: sh("2026-11-02T10:00"), resolvedAt: null, closedAt: null });
    expect(await row("N1")).toMatchObject({ assignedAt: null, acceptDueAt: null, acceptedAt: null, resolvedAt: null, closedAt: null });
  });

  it("clears the resolution of a case sent back until it is resolved again", async () => {
    expect(afterSendBack).toMatchObject({ status: "in_progress", resolvedAt: null });
    expect((await row("A3")).resolvedAt).toBe(sh("2026-11-09T10:00"));
  });

  it("ranks the units for the month to date", async () => {
    const { ranking, period } = await f.services.figures.ranking("month", "current");
    expect(period.range).toEqual({ from: sh("2026-11-01T00:00"), to: sh("2026-12-01T00:00") });
    const [first, second] = ranking.ranked;
    // station-a: A1–A3, Q1 and T1 (transferred in); the rejected R1 does not count.
    expect(first).toMatchObject({
      rank: 1,
      unitId: "station-a",
      list: "red",
      received: 5,
      acceptedOnTime: { count: 5, of: 5, rate: 1 },
      resolved: 5,
      resolvedOnTime: { count: 5, of: 5, rate: 1 },
      overdueNow: 0,
      satisfaction: { mean: 4.5, count: 2 },
    });
    // Hours from hand-over to the last resolution: 73, 73, 169 (sent back), 1 (answered), 408 (from the transfer).
    expect(first!.avgHandlingHours).toBeCloseTo((73 + 73 + 169 + 1 + 408) / 5, 6);
    // station-b: B3 signed for late, B2 past its deadline and unresolved.
    expect(second).toMatchObject({
      rank: 2,
      unitId: "station-b",
      list: null,
      received: 3,
      acceptedOnTime: { count: 2, of: 3 },
      resolvedOnTime: { count: 2, of: 3 },
      overdueNow: 1,
      satisfaction: { mean: null, count: 0 },
    });
    // station-c kept one case (C1, now overdue, past both its accept and its resolve deadline:
    // counted once): not ranked on one case. The office is not listed.
    expect(ranking.unranked.map((u) => [u.unitId, u.received, u.overdueNow])).toEqual([["station-c", 1, 1]]);
  });

  it("ranks nobody for a period with no cases, and lists every unit apart", async () => {
    const { ranking } = await f.services.figures.ranking("month", "previous");
    expect(ranking.ranked).toEqual([]);
    expect(ranking.unranked.map((u) => [u.unitId, u.received])).toEqual([
      ["station-a", 0],
      ["station-b", 0],
      ["station-c", 0],
    ]);
  });

  it("gives /stats for the county, a town with its villages, and a sector", async () => {
    const all = await f.services.figures.stats("month", "current");
    expect(all.figures).toMatchObject({
      receivedAll: 12,
      byKind: { hazard: 11, consultation: 1, violation: 0, task: 0 },
      closed: 7,
      openNow: 4,
      overdueNow: 2,
    });
    const town = await f.services.figures.findArea("城关镇");
    expect(town).toMatchObject({ ok: true, regionIds: ["town-a", "village-1"] });
    const inTown = await f.services.figures.stats("month", "current", town.ok ? town : null);
    // A1 is in the town's village; R1 was received (and rejected) there.
    expect(inTown.figures).toMatchObject({ receivedAll: 6, received: 5, closed: 5, openNow: 0, overdueNow: 0 });
    const mines = await f.services.figures.findArea("mines");
    const inMines = await f.services.figures.stats("month", "current", mines.ok ? mines : null);
    expect(inMines.figures).toMatchObject({ receivedAll: 4, closed: 2, openNow: 2, overdueNow: 2 });
    expect(inMines.area).toMatchObject({ type: "sector", id: "mines" });
  });

  it("gives the digest of the day before, with cases at 23:59 and 00:00 on the right days", async () => {
    // The overdue notices the digest counts are sent by the tick (all of them late, here).
    await f.services.tick(sh("2026-11-25T08:00"));
    const { figures } = await f.services.figures.digest(sh("2026-11-25T08:00"), calendar);
    // Tuesday 24 November: C1's new deadline passed unmet; B2's passed on the 23rd.
    expect(figures).toMatchObject({
      period: { first: "2026-11-24", last: "2026-11-24", days: 1 },
      opened: 1,
      closed: 1,
      newlyOverdue: 1,
      overdueNow: 2,
      supervisedOpen: 1,
    });
    expect(figures.series).toHaveLength(14);
    expect(figures.series[0]!.date).toBe("2026-11-11");
    expect(figures.series.filter((d) => d.opened + d.closed > 0)).toEqual([{ date: "2026-11-24", opened: 1, closed: 1 }]);
    // C1 was never signed for: overdue since its accept deadline, three weeks ago, not since its resolve deadline.
    const c1 = await row("C1");
    expect(figures.worstOverdue.map((w) => w.number)).toEqual([c1.number, (await row("B2")).number]);
    expect(figures.worstOverdue[0]).toMatchObject({
      unitId: "station-c",
      daysOverdue: Math.ceil((sh("2026-11-25T08:00") - c1.acceptDueAt!) / (24 * HOUR)),
    });
    expect(figures.worstOverdue[0]!.daysOverdue).toBeGreaterThan(20);
    expect(figures.worstOverdue[1]).toMatchObject({ unitId: "station-b", daysOverdue: 2 });
  });

  it("fills the new columns of cases from before the migration from their ledger, as the workflow would have", async () => {
    const columns = {
      id: cases.id,
      assignedAt: cases.assignedAt,
      acceptDueAt: cases.acceptDueAt,
      acceptedAt: cases.acceptedAt,
      resolvedAt: cases.resolvedAt,
      closedAt: cases.closedAt,
    };
    const before = await f.db.select(columns).from(cases).orderBy(cases.id);
    expect(before.filter((c) => c.assignedAt !== null)).toHaveLength(10);

    // The cases as they were before 0008: the columns empty. Then the migration's backfill, as written.
    await f.db.update(cases).set({ assignedAt: null, acceptDueAt: null, acceptedAt: null, resolvedAt: null, closedAt: null });
    const file = readFileSync(join(MIGRATIONS_FOLDER, "0008_reports.sql"), "utf8");
    const backfill = file
      .split("--> statement-breakpoint")
      .map((s) => s.replace(/^\s*--.*$/gm, "").trim())
      .filter((s) => s.startsWith("UPDATE"));
    expect(backfill).toHaveLength(5);
    for (const statement of backfill) await f.database.client.execute(statement);
    expect(await f.db.select(columns).from(cases).orderBy(cases.id)).toEqual(before);
  });
});

describe("the reopened and merged cases, and the times, as the period's query reads them", () => {
  let f: Fixture;
  const id: Record<string, number> = {};

  beforeAll(async () => {
    f = await serviceFixture(sh("2026-11-02T09:00"));
    const { dispatcher, a } = await seedCounty(f);
    for (const [n, name] of ["D1", "D2", "D3", "D4", "D5"].entries()) {
      const [row] = await f.db
        .insert(cases)
        .values({
          number: `YH-20261102-${String(n + 1).padStart(4, "0")}`,
          kind: "hazard",
          description: "配电箱没有门，电线裸露。",
          anonymous: true,
          regionId: "town-a",
          sectorId: "construction",
          createdAt: f.clock.at,
          updatedAt: f.clock.at,
        })
        .returning();
      id[name] = row!.id;
    }
    const act = async (name: string, action: Action, actor: Actor, at?: string) => {
      if (at) f.clock.at = sh(at);
      const [row] = await f.db.select({ version: cases.version }).from(cases).where(eq(cases.id, id[name]!));
      expect(await f.services.caseActions.perform(id[name]!, action, actor, row!.version), `${name} ${action.type}`).toMatchObject({ ok: true });
    };
    const resolve: Action = { type: "resolve", measures: "已加装箱门并上锁。", responsible: "电工 王强", evidence: 1 };
    for (const n of ["D1", "D2", "D3", "D4", "D5"]) await act(n, { type: "assign", unitId: "station-a" }, dispatcher);
    for (const n of ["D1", "D2", "D3"]) await act(n, { type: "accept" }, a, "2026-11-02T10:00");
    for (const n of ["D1", "D2", "D3"]) await act(n, resolve, a, "2026-11-03T10:00");
    for (const n of ["D1", "D2", "D3"]) await act(n, { type: "verify_close" }, dispatcher, "2026-11-04T10:00");
    // D1 is reopened twice (two events, one case); D4, not yet signed for, is a duplicate of D5.
    await act("D1", { type: "reopen", reason: "群众反映仍未整改。" }, dispatcher, "2026-11-05T10:00");
    await act("D1", { type: "accept" }, a);
    await act("D1", resolve, a, "2026-11-06T10:00");
    await act("D1", { type: "verify_close" }, dispatcher);
    await act("D1", { type: "reopen", reason: "再次反映。" }, dispatcher, "2026-11-09T10:00");
    await act("D4", { type: "mark_duplicate", ofCaseId: id.D5!, ofCaseOpen: true }, dispatcher);
    f.clock.at = sh("2026-11-25T10:00");
  });
  afterAll(async () => {
    await f.dispose();
  });

  it("counts a case's reopenings from the ledger and leaves a merged case unjudged", async () => {
    const month = { from: sh("2026-11-01T00:00"), to: sh("2026-12-01T00:00") };
    // In the order of the period's index: D2–D5 handed over at 09:00 on the 2nd, D1 again at its last reopening.
    expect(await casesHandedOver(f.db, month)).toMatchObject([
      { status: "closed", reopened: 0, merged: false, resolvedAt: sh("2026-11-03T10:00") },
      { status: "closed", reopened: 0, merged: false },
      { status: "closed", reopened: 0, merged: true, acceptedAt: null },
      { status: "assigned", reopened: 0, merged: false },
      { unitId: "station-a", status: "assigned", reopened: 2, merged: false, assignedAt: sh("2026-11-09T10:00"), resolvedAt: null },
    ]);
    const { ranking } = await f.services.figures.ranking("month", "current");
    // D1–D3 and D5 received, D4 merged; one case reopened, so on the black list whatever its place.
    expect(ranking.ranked).toMatchObject([{ unitId: "station-a", received: 4, reopened: 1, list: "black" }]);
  });

  it("gives back a time with a fraction of a millisecond (a seeded or imported row) exactly", async () => {
    const odd = sh("2026-11-03T10:00") + 0.5867;
    await f.db.update(cases).set({ resolvedAt: odd, acceptedAt: 1e-7 }).where(eq(cases.id, id.D2!));
    const month = { from: sh("2026-11-01T00:00"), to: sh("2026-12-01T00:00") };
    expect((await casesHandedOver(f.db, month))[0]).toMatchObject({ resolvedAt: odd, acceptedAt: 1e-7 });
    const [received] = (await casesReceived(f.db, month, null)).filter((c) => c.resolvedAt === odd);
    expect(received).toMatchObject({ acceptedAt: 1e-7, source: "telegram" });
  });
});

describe("the report queries at 100k cases", () => {
  let f: Fixture;
  const NOW = sh("2026-11-25T10:00");
  const statements: Array<{ query: string; params: unknown[] }> = [];

  beforeAll(async () => {
    f = await serviceFixture(NOW);
    await seedCounty(f);
    // Three years of cases, one every ~16 minutes, in every status, spread over the units.
    await f.database.client.execute({
      sql: `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < 100000)
        INSERT INTO cases (number, kind, status, description, anonymous, unit_id, region_id, sector_id, supervision,
                           created_at, updated_at, assigned_at, accept_due_at, accepted_at, due_at, resolved_at, closed_at, rating,
                           verify_due_at)
        SELECT 'X-' || i,
               CASE i % 4 WHEN 0 THEN 'consultation' WHEN 1 THEN 'violation' ELSE 'hazard' END,
               CASE WHEN i > 99000 AND i % 3 = 0 THEN 'in_progress' WHEN i > 99000 AND i % 3 = 1 THEN 'assigned'
                    WHEN i > 99000 AND i % 4 = 2 THEN 'resolved' WHEN i > 99000 THEN 'answered'
                    WHEN i % 50 = 0 THEN 'rejected' ELSE 'closed' END,
               'd', 1,
               CASE i % 3 WHEN 0 THEN 'station-a' WHEN 1 THEN 'station-b' ELSE 'station-c' END,
               CASE i % 3 WHEN 0 THEN 'village-1' WHEN 1 THEN 'town-a' ELSE 'town-b' END,
               CASE i % 2 WHEN 0 THEN 'mines' ELSE 'construction' END,
               CASE WHEN i % 97 = 0 THEN 'listed' ELSE 'none' END,
               ?1 + i * 950000, ?1 + i * 950000, ?1 + i * 950000 + 3600000, ?1 + i * 950000 + 30000000,
               ?1 + i * 950000 + 7200000, ?1 + i * 950000 + 1000000000,
               CASE WHEN i > 99000 THEN NULL ELSE ?1 + i * 950000 + 900000000 END,
               CASE WHEN i > 99000 THEN NULL ELSE ?1 + i * 950000 + 950000000 END,
               CASE WHEN i % 5 = 0 THEN 1 + i % 5 ELSE NULL END,
               CASE WHEN i > 99000 AND i % 3 = 2 THEN ?1 + i * 950000 + 800000000 ELSE NULL END
        FROM n`,
      args: [NOW - 100_000 * 950_000 - HOUR],
    });
    // Each case's reminders: one of each kind for the resolve stage, the older ones sent or cancelled.
    await f.database.client.execute({
      sql: `INSERT INTO reminders (key, case_id, stage, kind, level, fire_at, due_at, status, created_at)
        SELECT 'r:' || c.id || ':' || k.kind, c.id, 'resolve', k.kind, 0, c.due_at - k.before, c.due_at,
               CASE WHEN c.due_at - k.before > ?1 THEN 'pending' WHEN c.id % 4 = 0 THEN 'cancelled' ELSE 'sent' END, c.created_at
        FROM cases c, (SELECT 'half' AS kind, 400000000 AS before UNION ALL SELECT 'soon', 7200000 UNION ALL SELECT 'due', 0) k`,
      args: [NOW],
    });
  }, 120_000);
  afterAll(async () => {
    await f.dispose();
  });

  it("finds every period's and day's cases by an index, never by scanning cases", async () => {
    expect((await f.db.select({ n: sql<number>`count(*)` }).from(cases))[0]!.n).toBe(100_000);
    const db = drizzle(f.database.client, { schema, logger: { logQuery: (query, params) => statements.push({ query, params }) } });
    const figures = reportFigureService({ db, officeTz: TZ, clock: f.clock });
    const started = Date.now();
    const ranking = await figures.ranking("quarter", "current");
    const month = await figures.stats("month", "previous");
    const town = await figures.findArea("town-a");
    await figures.stats("week", "current", town.ok ? town : null);
    const mines = await figures.findArea("mines");
    await figures.stats("half", "previous", mines.ok ? mines : null);
    const digest = await figures.digest(NOW, calendar);
    const elapsed = Date.now() - started;
    // The figures are real (not empty queries): thousands of cases in a quarter, a day's receipts.
    expect(ranking.ranking.ranked.reduce((n, u) => n + u.received, 0)).toBeGreaterThan(4000);
    expect(month.figures.receivedAll).toBeGreaterThan(2000);
    expect(digest.figures.series.reduce((n, d) => n + d.opened, 0)).toBeGreaterThan(1000);
    expect(digest.figures.newlyOverdue).toBeGreaterThan(50);
    expect(digest.figures.overdueNow).toBeGreaterThan(300);
    expect(elapsed, "all report figures at 100k cases").toBeLessThan(15_000);

    const onCases = statements.filter((s) => /\bfrom "cases"/.test(s.query));
    expect(onCases.length).toBeGreaterThanOrEqual(15);
    const plans: string[] = [];
    for (const s of onCases) {
      const plan = await f.database.client.execute({ sql: `EXPLAIN QUERY PLAN ${s.query}`, args: s.params as never });
      const detail = plan.rows.map((r) => String(r.detail)).join("; ");
      plans.push(detail);
      expect(detail, s.query).not.toMatch(/\bSCAN cases\b/);
      expect(detail, s.query).toMatch(/SEARCH cases USING (COVERING )?INDEX/);
      // A period's query reads the period's range, whatever else it filters on.
      for (const [column, index] of [
        ["created_at", "cases_created_idx"],
        ["closed_at", "cases_closed_idx"],
        ["assigned_at", "cases_assigned_idx"],
      ]) {
        if (s.query.includes(`"${column}" >= ?`)) expect(detail, s.query).toContain(`INDEX ${index} (${column}>? AND ${column}<?)`);
      }
    }
    const used = plans.join("\n");
    for (const index of [
      "cases_assigned_idx",
      "cases_created_idx",
      "cases_closed_idx",
      "cases_status_due_idx",
      "cases_status_accept_due_idx",
      "cases_status_verify_due_idx",
      "cases_supervision_idx",
    ]) {
      expect(used).toContain(index);
    }
    // Overdue now: each stage read by its own index, never by every case of a status.
    for (const s of onCases.filter((q) => q.query.includes('"verify_due_at" <'))) {
      const plan = plans[onCases.indexOf(s)]!;
      expect(plan, s.query).toContain("cases_status_verify_due_idx (status=? AND verify_due_at<?)");
    }
    // Newly overdue: the notices sent in the period, by the reminders' time.
    const onReminders = statements.filter((s) => /\bfrom "reminders"/.test(s.query));
    expect(onReminders).toHaveLength(1);
    for (const s of onReminders) {
      const plan = await f.database.client.execute({ sql: `EXPLAIN QUERY PLAN ${s.query}`, args: s.params as never });
      const detail = plan.rows.map((r) => String(r.detail)).join("; ");
      expect(detail, s.query).toContain("SEARCH reminders USING INDEX reminders_due_idx (status=? AND fire_at>? AND fire_at<?)");
    }
  }, 60_000);

  it("renders sixty ranked units with long names in one message, in both languages, with nothing shown as NaN", () => {
    const unitIds = Array.from({ length: 60 }, (_, i) => `unit-${String(i).padStart(2, "0")}`);
    const units = Object.fromEntries(
      unitIds.map((u, i) => [
        u,
        { nameZh: `第${i}乡镇安全生产监督管理站`, nameEn: `Township ${i} Work Safety Supervision and Administration Station` },
      ]),
    );
    const facts = unitIds.flatMap((unitId, i) =>
      Array.from({ length: i < 55 ? 12 : 1 }, (_, k) => ({
        unitId,
        kind: "hazard" as const,
        status: "in_progress" as const,
        assignedAt: NOW - 200 * HOUR,
        acceptDueAt: NOW - 190 * HOUR,
        acceptedAt: k % 2 ? NOW - 195 * HOUR : null,
        dueAt: k % 3 ? NOW + HOUR : NOW - HOUR,
        resolvedAt: k % 4 === 0 ? NOW - 10 * HOUR : null,
        rating: k % 5 === 0 ? 4 : null,
        merged: false,
        reopened: 0,
      })),
    );
    const ranking = rankUnits({ unitIds, cases: facts, overdue: unitIds.map((unitId, i) => ({ unitId, count: i % 7 })) }, { now: NOW });
    const period = {
      kind: "month" as const,
      which: "current" as const,
      range: { from: sh("2026-11-01T00:00"), to: sh("2026-12-01T00:00") },
      now: NOW,
    };
    for (const locale of ["zh-CN", "en"] as const) {
      const text = renderRanking(translator(locale), locale, TZ, { period, ranking, units });
      expect(text.length, locale).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(text).not.toContain("…\n…");
      expect(text.endsWith("…")).toBe(false);
      // Every ranked unit has its line, and the five not ranked are named.
      expect(text.split("\n").filter((l) => /^\d+\. /.test(l))).toHaveLength(55);
      for (const i of [55, 59]) expect(text).toContain(locale === "en" ? `Township ${i} ` : `第${i}乡镇`);
      expect(text).not.toMatch(/NaN|undefined/);
    }
    const empty = rankUnits(
      {
        unitIds: ["unit-00"],
        cases: [facts[0]!, facts[1]!, facts[2]!].map((c) => ({
          ...c,
          resolvedAt: null,
          rating: null,
          acceptedAt: null,
          acceptDueAt: NOW + HOUR,
          dueAt: NOW + HOUR,
        })),
        overdue: [],
      },
      { now: NOW },
    );
    const zh = renderRanking(translator("zh-CN"), "zh-CN", TZ, { period, ranking: empty, units });
    expect(zh).toContain("1. 🏅第0乡镇安全生产监督管理站：3｜—｜—｜0｜—｜—");
    expect(zh).toContain("（截至 2026-11-25 10:00）");
  });

  it("renders /stats and the digest caption within Telegram's limits", async () => {
    const figures = reportFigureService({ db: f.db, officeTz: TZ, clock: f.clock });
    const stats = await figures.stats("month", "previous");
    const digest = await figures.digest(NOW, calendar);
    for (const locale of ["zh-CN", "en"] as const) {
      const t = translator(locale);
      const s = renderStats(t, locale, TZ, stats);
      expect(s.length).toBeLessThanOrEqual(MAX_MESSAGE);
      expect(s).not.toMatch(/NaN|undefined/);
      const caption = renderDigestCaption(t, locale, digest);
      expect(caption.length).toBeLessThanOrEqual(MAX_CAPTION);
      expect(caption).toContain("2026-11-24");
    }
    expect(renderStats(translator("zh-CN"), "zh-CN", TZ, stats).split("\n").slice(0, 2)).toEqual([
      "📈 办理情况统计 · 月：2026-10-01 至 2026-10-31",
      "范围：全县",
    ]);
  });
});
