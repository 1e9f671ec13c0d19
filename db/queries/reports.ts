/**
 * What the rankings, /stats and the leaders' digest read. Every query is bounded by an index:
 * a period by `cases_assigned_idx`, `cases_created_idx` or `cases_closed_idx` (a range), the
 * state now by `cases_status_due_idx` (open and overdue), `cases_supervision_idx`, or, with a
 * filter, `cases_sector_status_idx` / `cases_region_status_idx`; test/services/reports.test.ts
 * checks their plans. Nothing here reads `case_reporters`.
 *
 * Two kinds of answer, by what bounds them:
 * - what spans all time (open now, overdue now, per unit) is counted here, in SQL, with GROUP
 *   BY, so its cost never reaches the rows;
 * - a period's cases come back one narrow row each (a few integers), and the figures are
 *   taken by the pure functions of src/domain/reports.ts, where the office's rules (on time,
 *   exactly at the deadline, rejected and merged cases) live once and are tested. A period
 *   holds what a county receives in it (hundreds to a few thousand cases, not the table's
 *   100k), read by an index range. The digest's 14 days come back as bare timestamps read
 *   from covering indexes and are bucketed into office days there too: that is right in any
 *   time zone, DST included, where a SQL day bucket from a fixed UTC offset would not be.
 */
import { and, asc, count, eq, gte, inArray, isNull, lt, type SQL, sql } from "drizzle-orm";
import type { Range } from "../../src/domain/reports";
import type { Executor } from "../client";
import { cases, regions, sectors, units } from "../schema";

/** A /stats filter: a sector, or a region with every region under it. */
export type AreaFilter = { sectorId: string } | { regionIds: string[] } | null;

const OPEN = ["new", "assigned", "in_progress", "resolved", "answered"] as const;
/** Where a deadline can be missed: the unit has the case and has not resolved it. */
const WORKING = ["assigned", "in_progress"] as const;

const inRange = (column: typeof cases.createdAt | typeof cases.assignedAt | typeof cases.closedAt | typeof cases.dueAt, r: Range) =>
  and(gte(column, r.from), lt(column, r.to));

/**
 * The filter's condition. In a period's query (`byPeriod`) it is written with SQLite's unary
 * `+` (https://sqlite.org/optoverview.html#disqualifying_where_clause_terms_using_unary_),
 * which keeps the planner from reading by it: without statistics it would otherwise prefer
 * the sector's or region's index, that is every case of the sector since the beginning,
 * over the period's range. For the state now (open, overdue) the area's index is the good one.
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

/** The narrow columns the pure figures read (CaseFacts in src/domain/reports.ts). */
const facts = {
  unitId: cases.unitId,
  kind: cases.kind,
  status: cases.status,
  assignedAt: cases.assignedAt,
  acceptDueAt: cases.acceptDueAt,
  acceptedAt: cases.acceptedAt,
  dueAt: cases.dueAt,
  resolvedAt: cases.resolvedAt,
  rating: cases.rating,
  merged: sql<boolean>`${cases.mergedInto} is not null`.mapWith((v) => Boolean(Number(v))),
};

/** The cases handed to a unit in the period (the ranking's cases), by `cases_assigned_idx`. */
export function casesHandedOver(db: Executor, period: Range) {
  return db.select(facts).from(cases).where(inRange(cases.assignedAt, period));
}

/** The cases received in the period, in a sector or region if asked, by `cases_created_idx`. */
export function casesReceived(db: Executor, period: Range, filter: AreaFilter) {
  return db
    .select(facts)
    .from(cases)
    .where(and(inRange(cases.createdAt, period), areaCondition(filter, true)));
}

/** Each unit's open cases past their deadline now, whenever received. */
export function overdueByUnit(db: Executor, now: number) {
  return db
    .select({ unitId: cases.unitId, count: count() })
    .from(cases)
    .where(and(inArray(cases.status, [...WORKING]), lt(cases.dueAt, now)))
    .groupBy(cases.unitId);
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

export function countOverdue(db: Executor, now: number, filter: AreaFilter): Promise<number> {
  return single(
    db
      .select({ n: count() })
      .from(cases)
      .where(and(inArray(cases.status, [...WORKING]), lt(cases.dueAt, now), areaCondition(filter))),
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
 * The cases whose deadline falls in the range and that a unit had (resolved late or not at
 * all, or on time): every status but new and rejected, by `cases_status_due_idx`; merged
 * ones left out.
 */
export async function casesDueIn(db: Executor, range: Range) {
  const rows = await db
    .select({ dueAt: cases.dueAt, resolvedAt: cases.resolvedAt })
    .from(cases)
    .where(and(inArray(cases.status, [...WORKING, "resolved", "answered", "closed"]), inRange(cases.dueAt, range), isNull(cases.mergedInto)));
  return rows.map((r) => ({ dueAt: r.dueAt!, resolvedAt: r.resolvedAt }));
}

/** The open cases longest past their deadline, the oldest deadline first. */
export async function mostOverdue(db: Executor, now: number, limit: number) {
  const rows = await db
    .select({ number: cases.number, unitId: cases.unitId, dueAt: cases.dueAt })
    .from(cases)
    .where(and(inArray(cases.status, [...WORKING]), lt(cases.dueAt, now)))
    .orderBy(asc(cases.dueAt), asc(cases.id))
    .limit(limit);
  return rows.map((r) => ({ number: r.number, unitId: r.unitId, dueAt: r.dueAt! }));
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
