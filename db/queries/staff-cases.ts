/** Queries on cases as the office works them: the full row, the card's details, queues. */
import { and, asc, count, desc, eq, getTableColumns, inArray, isNotNull, isNull, sql } from "drizzle-orm";
import { latestResolution } from "../../src/domain/resolution";
import type { Executor } from "../client";
import { attachments, caseEvents, caseLinks, caseReporters, cases, regions, sectors, units } from "../schema";

export async function caseRow(db: Executor, caseId: number) {
  const [row] = await db.select().from(cases).where(eq(cases.id, caseId));
  return row ?? null;
}

export async function caseIdByNumber(db: Executor, number: string) {
  const [row] = await db.select({ id: cases.id, status: cases.status }).from(cases).where(eq(cases.number, number));
  return row ?? null;
}

/** The numbers of the cases intake suggested this one may duplicate, neither confirmed nor dismissed: the card's hint. */
export async function openDuplicateHints(db: Executor, caseId: number): Promise<string[]> {
  const rows = await db
    .select({ number: cases.number })
    .from(caseLinks)
    .innerJoin(cases, eq(cases.id, caseLinks.otherCaseId))
    .where(and(eq(caseLinks.caseId, caseId), eq(caseLinks.kind, "possible_duplicate"), eq(caseLinks.status, "open")))
    .orderBy(asc(caseLinks.otherCaseId));
  return rows.map((r) => r.number);
}

/** A dispatcher judged the case not a duplicate: its open hints are dismissed, so no card shows them again. */
export function dismissDuplicateHints(db: Executor, caseId: number) {
  return db
    .update(caseLinks)
    .set({ status: "dismissed" })
    .where(and(eq(caseLinks.caseId, caseId), eq(caseLinks.kind, "possible_duplicate"), eq(caseLinks.status, "open")));
}

/**
 * Everything a staff card shows. The reporter's name and phone are read only for a named
 * report: for an anonymous one the query never touches them, so no card can leak them.
 */
export async function caseCardData(db: Executor, caseId: number) {
  const row = await caseRow(db, caseId);
  if (!row) return null;
  const one = async <T>(query: Promise<T[]>) => (await query)[0] ?? null;
  const [sector, region, unit, transferUnit, files, reporter, duplicates, resolved] = await Promise.all([
    row.sectorId ? one(db.select().from(sectors).where(eq(sectors.id, row.sectorId))) : null,
    row.regionId ? one(db.select().from(regions).where(eq(regions.id, row.regionId))) : null,
    row.unitId ? one(db.select().from(units).where(eq(units.id, row.unitId))) : null,
    row.pendingTransfer ? one(db.select().from(units).where(eq(units.id, row.pendingTransfer.toUnitId))) : null,
    one(db.select({ n: count() }).from(attachments).where(eq(attachments.caseId, caseId))),
    row.anonymous
      ? null
      : one(db.select({ name: caseReporters.name, phone: caseReporters.phone }).from(caseReporters).where(eq(caseReporters.caseId, caseId))),
    openDuplicateHints(db, caseId),
    // The latest rectification: what was done, by whom responsible, when.
    db
      .select({ at: caseEvents.at, action: caseEvents.action, data: caseEvents.data })
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseId), eq(caseEvents.action, "resolved")))
      .orderBy(desc(caseEvents.id))
      .limit(1),
  ]);
  const mergedInto = row.mergedInto ? await one(db.select({ number: cases.number }).from(cases).where(eq(cases.id, row.mergedInto))) : null;
  return {
    row,
    sector,
    region,
    unit,
    transferUnit,
    attachments: files?.n ?? 0,
    reporter,
    duplicates,
    mergedInto,
    resolution: latestResolution(resolved),
  };
}

export type CaseCardData = NonNullable<Awaited<ReturnType<typeof caseCardData>>>;

/** New cases no route took: the dispatchers' triage queue, oldest first. */
export function triageQueue(db: Executor, limit: number) {
  return db
    .select({ id: cases.id, number: cases.number, kind: cases.kind, severity: cases.severity })
    .from(cases)
    .where(and(eq(cases.status, "new"), isNull(cases.unitId)))
    .orderBy(asc(cases.createdAt))
    .limit(limit);
}

export function openCasesOfUnits(db: Executor, unitIds: string[], limit: number) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return db
    .select({ id: cases.id, number: cases.number, kind: cases.kind, status: cases.status, dueAt: cases.dueAt })
    .from(cases)
    .where(and(inArray(cases.unitId, unitIds), inArray(cases.status, ["assigned", "in_progress", "resolved", "answered"])))
    .orderBy(desc(cases.severity), asc(cases.dueAt), asc(cases.createdAt))
    .limit(limit);
}

/**
 * Cases listed for supervision that are still open: the leaders' list. Closed and rejected
 * cases drop off; the earliest deadline first (none last), then the oldest.
 */
export function supervisedCases(db: Executor, limit: number) {
  return db
    .select({ id: cases.id, number: cases.number, kind: cases.kind, status: cases.status, dueAt: cases.dueAt })
    .from(cases)
    .where(and(eq(cases.supervision, "listed"), inArray(cases.status, ["new", "assigned", "in_progress", "resolved", "answered"])))
    .orderBy(sql`${cases.dueAt} is null`, asc(cases.dueAt), asc(cases.createdAt))
    .limit(limit);
}

/** Every reporter of a case, whatever door they came by: what a merge carries over to the case it joins. */
export function reportersOf(db: Executor, caseId: number) {
  const { id: _, ...columns } = getTableColumns(caseReporters);
  return db.select(columns).from(caseReporters).where(eq(caseReporters.caseId, caseId));
}

/** The reporters the bot can write to: those who came by Telegram (a web or phone reporter has no chat). */
export async function reporterChatsOf(db: Executor, caseId: number): Promise<Array<{ telegramId: number; chatId: number }>> {
  const rows = await db
    .select({ telegramId: caseReporters.telegramId, chatId: caseReporters.chatId })
    .from(caseReporters)
    .where(and(eq(caseReporters.caseId, caseId), isNotNull(caseReporters.chatId), isNotNull(caseReporters.telegramId)));
  return rows.flatMap((r) => (r.telegramId !== null && r.chatId !== null ? [{ telegramId: r.telegramId, chatId: r.chatId }] : []));
}
