/**
 * What the rankings, /stats and the leaders' digest read. Every query is bounded by an index:
 * a period by `cases_assigned_idx`, `cases_created_idx` or `cases_closed_idx` (a range), the
 * overdue notices of a period by `reminders_due_idx`, the state now by the (status, deadline)
 * index of each stage (`cases_status_accept_due_idx`, `cases_status_due_idx`,
 * `cases_status_verify_due_idx`: overdue), `cases_supervision_idx`, or, with a filter,
 * `cases_sector_status_idx` / `cases_region_status_idx` (open); test/services/reports.test.ts
 * checks their plans. Nothing here reads `case_reporters`.
 *
 * Two kinds of answer, by what bounds them:
 * - what spans all time (open now, overdue now, per unit) is counted here, in SQL, with GROUP
 *   BY, so its cost never reaches the rows;
 * - a period's cases come back one narrow array each (a few integers), all in one JSON text
 *   (factRows), and the figures are taken by the pure functions of src/domain/reports.ts,
 *   where the office's rules (on time, exactly at the deadline, rejected and merged cases)
 *   live once and are tested. A period holds what a county receives in it (hundreds to a
 *   few thousand cases, not the table's 100k), read by an index range. The digest's 14 days
 *   come back as bare timestamps read from covering indexes and are bucketed into office
 *   days there too: that is right in any time zone, DST included, where a SQL day bucket
 *   from a fixed UTC offset would not be.
 */
import { type AnyColumn, and, asc, count, eq, gte, inArray, lt, or, type SQL, type SQLChunk, sql } from "drizzle-orm";
import type { DeadlineStage } from "../../src/domain/deadlines";
import type { Source } from "../../src/domain/doors";
import { type CaseFacts, OVERDUE_STAGES, type Range, UNIT_STAGES } from "../../src/domain/reports";
import type { CaseKind, CaseStatus } from "../../src/domain/workflow";
import type { Executor } from "../client";
import { cases, regions, reminders, sectors, units } from "../schema";

/** A /stats filter: a sector, or a region with every region under it. */
export type AreaFilter = { sectorId: string } | { regionIds: string[] } | null;

const OPEN = ["new", "assigned", "in_progress", "resolved", "answered"] as const;

/** The column holding each stage's deadline. */
const STAGE_DEADLINE = { accept: cases.acceptDueAt, resolve: cases.dueAt, verify: cases.verifyDueAt } as const;
const ALL_STAGES = Object.keys(OVERDUE_STAGES) as DeadlineStage[];

/** Waiting at this stage with its deadline passed: served by the stage's (status, deadline) index. */
const overdueAt = (stage: DeadlineStage, now: number) => and(inArray(cases.status, [...OVERDUE_STAGES[stage]]), lt(STAGE_DEADLINE[stage], now));

/**
 * Overdue now, the one definition the ranking, /stats and the digest count by
 * (OVERDUE_STAGES in src/domain/reports.ts): waiting at one of the stages with its deadline
 * passed. An OR of one term per stage, which SQLite reads as a MULTI-INDEX OR, each term by
 * its own index (`cases_status_accept_due_idx`, `cases_status_due_idx`,
 * `cases_status_verify_due_idx`), uniting their rows by rowid: a case past two deadlines (an
 * assigned case past both its accept and its resolve deadline) is one row, counted once. The
 * area's filter goes into each term, so that the planner may read a term by the area's index
 * instead.
 */
function overdueCondition(now: number, stages: readonly DeadlineStage[], area?: SQL): SQL {
  return or(...stages.map((stage) => and(overdueAt(stage, now), area)))!;
}

const inRange = (column: typeof cases.createdAt | typeof cases.assignedAt | typeof cases.closedAt, r: Range) =>
  and(gte(column, r.from), lt(column, r.to));

/**
 * The filter's condition. In a period's query (`byPeriod`) it is written with SQLite's unary
 * `+` (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_),
 * which keeps the planner from reading by it: without statistics it would otherwise prefer
 * the sector's or region's index, that is every case of the sector since the beginning,
 * over the period's range. For the state now (open, overdue) the area's index may serve.
 */
function areaCondition(filter: AreaFilter, byPeriod = false): SQL | undefined {
  if (filter === null) return undefined;
  if ("sectorId" in filter) return byPeriod ? sql`+${cases.sectorId} = ${filter.sectorId}` : eq(cases.sectorId, filter.sectorId);
  if (!byPeriod) return inArray(cases.regionId, filter.regionIds);
  return sql`+${cases.regionId} in (${sql.join(
    filter.regionIds.map((id) => sql`${id}`),
    sql`, `,
  )})`;
}

/**
 * A number column, written so that it comes back through JSON exactly. SQLite writes a REAL
 * into JSON with 15 significant digits, which rounds a time with a fraction of a millisecond
 * (the app writes whole milliseconds, but a row seeded or imported may hold a fraction; an
 * integer is written whole). A REAL comes as text with 17 digits instead, which reads back
 * as the same double (`num`).
 */
const exact = (column: AnyColumn) => sql`case when typeof(${column}) = 'real' then printf('%!.17g', ${column}) else ${column} end`;
const num = (v: number | string | null): number | null => (typeof v === "string" ? Number(v) : v);

/**
 * The narrow columns the pure figures read (CaseFacts in src/domain/reports.ts), in the order
 * `toFacts` takes them back.
 */
const FACT_COLUMNS: SQLChunk[] = [
  cases.unitId,
  cases.kind,
  cases.status,
  exact(cases.assignedAt),
  exact(cases.acceptDueAt),
  exact(cases.acceptedAt),
  exact(cases.dueAt),
  exact(cases.resolvedAt),
  exact(cases.rating),
  sql`${cases.mergedInto} is not null`,
  // Read by the case_events case index; a handful of events per case. Written out in full:
  // unqualified, "id" would be the event's. A second query counting the period's reopenings
  // with GROUP BY costs as much (each event's row is read either way) and adds a statement.
  sql`(select count(*) from "case_events" e where e."case_id" = "cases"."id" and e."action" = 'reopened')`,
];

type Num = number | string | null;
/** One case's FACT_COLUMNS as the JSON gives them back (`merged` is SQLite's 0 or 1). */
type FactsRow = [string | null, CaseKind, CaseStatus, Num, Num, Num, Num, Num, Num, 0 | 1, number];

const toFacts = (r: FactsRow): CaseFacts => ({
  unitId: r[0],
  kind: r[1],
  status: r[2],
  assignedAt: num(r[3]),
  acceptDueAt: num(r[4]),
  acceptedAt: num(r[5]),
  dueAt: num(r[6]),
  resolvedAt: num(r[7]),
  rating: num(r[8]),
  merged: r[9] === 1,
  reopened: r[10],
});

/**
 * A period's cases, FACT_COLUMNS and then `more`, one array each, read as one row: SQLite
 * gathers them into one JSON array (json_group_array of json_array), parsed here at once.
 * Read a row per case, the reading was what cost, not SQLite's search nor the figures: a
 * month at 100k cases is some 7,000 rows, for each of which the libSQL client makes a native
 * call and builds an object property by property, and drizzle maps it again, about 100 ms
 * for a whole month (scripts/bench/reports.ts); as one JSON text the same read takes about a
 * quarter of that, and a remote database (Turso over HTTP) sends one value instead of
 * thousands of rows of typed ones. The aggregate takes the rows in the order of the index
 * range, as a row-per-case read returns them, so the figures add them up in the same order.
 */
async function factRows(db: Executor, where: SQL | undefined, more: SQLChunk[] = []): Promise<unknown[]> {
  const [row] = await db
    .select({ rows: sql<string>`json_group_array(json_array(${sql.join([...FACT_COLUMNS, ...more], sql`, `)}))` })
    .from(cases)
    .where(where);
  // An aggregate without GROUP BY gives one row even when no case matched: '[]'.
  return JSON.parse(row!.rows) as unknown[];
}

/** The cases handed to a unit in the period (the ranking's cases), by `cases_assigned_idx`. */
export async function casesHandedOver(db: Executor, period: Range): Promise<CaseFacts[]> {
  return ((await factRows(db, inRange(cases.assignedAt, period))) as FactsRow[]).map(toFacts);
}

/** The cases received in the period, in a sector or region if asked, by `cases_created_idx`. */
export async function casesReceived(db: Executor, period: Range, filter: AreaFilter): Promise<Array<CaseFacts & { source: Source }>> {
  const rows = (await factRows(db, and(inRange(cases.createdAt, period), areaCondition(filter, true)), [cases.source])) as Array<
    FactsRow & { 11: Source }
  >;
  return rows.map((r) => ({ ...toFacts(r), source: r[11] }));
}

/**
 * Each unit's cases overdue now at its own stages, accepting and resolving (UNIT_STAGES:
 * verifying is the dispatchers'), whenever received; each case once.
 */
export function overdueByUnit(db: Executor, now: number) {
  return db.select({ unitId: cases.unitId, count: count() }).from(cases).where(overdueCondition(now, UNIT_STAGES)).groupBy(cases.unitId);
}

const single = async (query: Promise<Array<{ n: number }>>) => (await query)[0]?.n ?? 0;

export function countClosed(db: Executor, period: Range, filter: AreaFilter): Promise<number> {
  return single(
    db
      .select({ n: count() })
      .from(cases)
      .where(and(inRange(cases.closedAt, period), areaCondition(filter, true))),
  );
}

export function countOpen(db: Executor, filter: AreaFilter): Promise<number> {
  return single(
    db
      .select({ n: count() })
      .from(cases)
      .where(and(inArray(cases.status, [...OPEN]), areaCondition(filter))),
  );
}

/** Cases overdue now at any stage, each once, in the area if asked. */
export function countOverdue(db: Executor, now: number, filter: AreaFilter): Promise<number> {
  return single(
    db
      .select({ n: count() })
      .from(cases)
      .where(overdueCondition(now, ALL_STAGES, areaCondition(filter))),
  );
}

/** Open cases listed for supervision, by `cases_supervision_idx`. */
export function countSupervisedOpen(db: Executor): Promise<number> {
  return single(
    db
      .select({ n: count() })
      .from(cases)
      .where(and(eq(cases.supervision, "listed"), inArray(cases.status, [...OPEN]))),
  );
}

/** When each case received in the range was received (covering `cases_created_idx`). */
export async function receivedTimes(db: Executor, range: Range): Promise<number[]> {
  return (await db.select({ at: cases.createdAt }).from(cases).where(inRange(cases.createdAt, range))).map((r) => r.at);
}

/** When each case closed in the range was closed (covering `cases_closed_idx`). */
export async function closedTimes(db: Executor, range: Range): Promise<number[]> {
  return (await db.select({ at: cases.closedAt }).from(cases).where(inRange(cases.closedAt, range))).map((r) => r.at!);
}

/**
 * How many deadlines passed in the range unmet, at every stage: the overdue notices sent
 * for them (`reminders` of kind `due` and status `sent`, by their time, `reminders_due_idx`).
 *
 * Counted from the notices rather than from the deadlines on `cases`, because the columns
 * keep only a case's current deadlines: a reassignment or a transfer replaces
 * `accept_due_at`, an extension granted after the deadline moves `due_at`, and a close or a
 * send-back clears `verify_due_at`, so a deadline missed yesterday and dealt with this
 * morning would vanish from yesterday's figure. A notice, once sent, stays sent. And it is
 * sent exactly when the stage is missed: the reminders service fires a `due` reminder at its
 * deadline and sends it only if the case still waits at that stage with that deadline, else
 * records it cancelled (src/services/reminders.ts). So the digest counts what the unit's
 * group, its liaisons and the dispatchers were told was overdue. A notice sent late after
 * downtime counts on the day of its deadline (its `fire_at`): the tick fires what is due
 * before the digest is taken.
 */
export function newlyOverdue(db: Executor, range: Range): Promise<number> {
  return single(
    db
      .select({ n: count() })
      .from(reminders)
      .where(and(eq(reminders.status, "sent"), gte(reminders.fireAt, range.from), lt(reminders.fireAt, range.to), eq(reminders.kind, "due"))),
  );
}

/**
 * The cases overdue now longest, by stage: for each stage, the `limit` whose deadline there
 * passed longest ago (each by its own index). A case overdue at two stages may come twice;
 * digestFigures keeps its earliest missed deadline, so the top `limit` of all are among these.
 */
export async function mostOverdue(db: Executor, now: number, limit: number) {
  const byStage = await Promise.all(
    ALL_STAGES.map((stage) =>
      db
        .select({ number: cases.number, unitId: cases.unitId, dueAt: STAGE_DEADLINE[stage] })
        .from(cases)
        .where(overdueAt(stage, now))
        .orderBy(asc(STAGE_DEADLINE[stage]), asc(cases.id))
        .limit(limit),
    ),
  );
  return byStage.flat().map((r) => ({ number: r.number, unitId: r.unitId, dueAt: r.dueAt! }));
}

/** The directory's units, regions and sectors (small tables) for names and filters. */
export function reportUnits(db: Executor) {
  return db.select({ id: units.id, kind: units.kind, nameZh: units.nameZh, nameEn: units.nameEn }).from(units).orderBy(asc(units.id));
}

export function reportRegions(db: Executor) {
  return db.select({ id: regions.id, parentId: regions.parentId, nameZh: regions.nameZh, nameEn: regions.nameEn }).from(regions);
}

export function reportSectors(db: Executor) {
  return db.select({ id: sectors.id, nameZh: sectors.nameZh, nameEn: sectors.nameEn }).from(sectors);
}
