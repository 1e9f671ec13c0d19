/**
 * What the ledger export reads: the cases received in a period with their timelines, and
 * the names of the directory's units, sectors and regions. A handful of queries whatever
 * the period's size: the cases in one (by `cases_created_idx`), their events in chunks of
 * case ids, the names in three.
 *
 * Nothing here touches `case_reporters`: the ledger names no reporter.
 */
import { and, asc, count, gte, inArray, lt, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { caseEvents, cases, regions, sectors, units } from "../schema";

/** Case ids per events query: well under SQLite's limit on bound parameters, on every libSQL. */
const EVENT_CHUNK = 500;

const inPeriod = (from: number, to: number) => and(gte(cases.createdAt, from), lt(cases.createdAt, to));

/** How many cases were received in [from, to): asked first, so a period too large is never loaded. */
export async function countCasesCreated(db: Executor, from: number, to: number): Promise<number> {
  const [row] = await db.select({ n: count() }).from(cases).where(inPeriod(from, to));
  return row?.n ?? 0;
}

/** The cases received in [from, to), oldest first, each with its events in order. */
export async function casesCreatedWithEvents(db: Executor, from: number, to: number) {
  const rows = await db
    .select({
      id: cases.id,
      number: cases.number,
      kind: cases.kind,
      source: cases.source,
      sourceRef: cases.sourceRef,
      status: cases.status,
      severity: cases.severity,
      sectorId: cases.sectorId,
      regionId: cases.regionId,
      unitId: cases.unitId,
      address: cases.address,
      description: cases.description,
      supervision: cases.supervision,
      createdAt: cases.createdAt,
      dueAt: cases.dueAt,
      anonymous: cases.anonymous,
      rating: cases.rating,
      ratingComment: cases.ratingComment,
    })
    .from(cases)
    .where(inPeriod(from, to))
    .orderBy(asc(cases.createdAt), asc(cases.id));

  type Event = { at: number; action: string; fromStatus: string | null; toStatus: string | null; data: unknown };
  const events = new Map<number, Event[]>(rows.map((r) => [r.id, []]));
  for (let i = 0; i < rows.length; i += EVENT_CHUNK) {
    const ids = rows.slice(i, i + EVENT_CHUNK).map((r) => r.id);
    // `data` of the rectifications only (the office's measures and who is responsible): the rest holds what
    // people wrote (reasons, comments), which the ledger does not show.
    const chunk = await db
      .select({
        caseId: caseEvents.caseId,
        at: caseEvents.at,
        action: caseEvents.action,
        fromStatus: caseEvents.fromStatus,
        toStatus: caseEvents.toStatus,
        data: sql<unknown>`case when ${caseEvents.action} = 'resolved' then ${caseEvents.data} end`.mapWith(caseEvents.data),
      })
      .from(caseEvents)
      .where(inArray(caseEvents.caseId, ids))
      .orderBy(asc(caseEvents.caseId), asc(caseEvents.id));
    for (const { caseId, ...event } of chunk) events.get(caseId)?.push(event);
  }
  return rows.map((row) => ({ ...row, events: events.get(row.id) ?? [] }));
}

export type LedgerCaseRow = Awaited<ReturnType<typeof casesCreatedWithEvents>>[number];

/**
 * Every unit's, sector's and region's names by id. The whole tables: a county's directory is
 * at most a few thousand rows, fewer reads than asking for the ids a large period uses.
 */
export async function directoryNames(db: Executor) {
  const columns = (t: typeof units | typeof sectors | typeof regions) => ({ id: t.id, nameZh: t.nameZh, nameEn: t.nameEn });
  const [unitRows, sectorRows, regionRows] = await Promise.all([
    db.select(columns(units)).from(units),
    db.select(columns(sectors)).from(sectors),
    db.select(columns(regions)).from(regions),
  ]);
  const byId = (rows: Array<{ id: string; nameZh: string; nameEn: string }>) => new Map(rows.map(({ id, ...names }) => [id, names]));
  return { units: byId(unitRows), sectors: byId(sectorRows), regions: byId(regionRows) };
}
