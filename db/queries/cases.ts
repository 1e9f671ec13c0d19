/** Queries on cases as citizens see them: creating a report, finding and listing their own. */
import { and, desc, eq, gte, inArray, or, type SQL, sql } from "drizzle-orm";
import { SEQ_MIN_DIGITS } from "../../src/domain/numbering";
import type { MediaItem } from "../../src/domain/report-draft";
import { OPEN_STATUSES } from "../../src/domain/workflow";
import type { Db, Executor } from "../client";
import { caseEvents, caseLinks, caseReporters, cases, counters, type NewCase } from "../schema";
import { attachmentStatements } from "./archive";
import { type EventActor, eventRow } from "./case-events";

/** The door and its reference, in the ledger's first line; a chat report's is empty, as it always was. */
const submittedData = (c: Pick<NewCase, "source" | "sourceRef">) =>
  c.source === undefined || c.source === "telegram" ? {} : { source: c.source, ...(c.sourceRef ? { ref: c.sourceRef } : {}) };

export interface NewReport {
  /** The submission id (per person and draft) is what makes a retried submit find its case. */
  caseRow: Omit<NewCase, "number" | "submissionId"> & { submissionId: string };
  /** The per-day counter scope, e.g. "YH-20261125"; the number is made from its next value (caseNumberSql). */
  counterScope: string;
  /** Telegram's ids are null for a reporter who came by another door. */
  reporter: { telegramId: number | null; chatId: number | null; name: string | null; phone: string | null; claimHash: string | null };
  media: MediaItem[];
  possibleDuplicates: Array<{ otherCaseId: number; detail: unknown }>;
  /** Who the ledger says submitted it: the citizen, or the dispatcher who recorded it for them. */
  by: EventActor;
  at: number;
}

/**
 * formatCaseNumber's rule (src/domain/numbering.ts) in SQL, on the scope's counter as it is
 * in the statement's transaction: "YH-20261125" and 42 give "YH-20261125-0042", wider past
 * 9999. test/db/case-number.test.ts holds the two to the same answers.
 */
export function caseNumberSql(scope: string): SQL<string> {
  return sql<string>`${scope} || '-' || printf(${`%0${SEQ_MIN_DIGITS}d`}, (select ${counters.value} from ${counters} where ${counters.scope} = ${scope}))`;
}

/** Whether a write failed because a case with this submission id is already stored. */
function isStoredSubmission(err: unknown): boolean {
  for (let e: unknown = err; e instanceof Error; e = e.cause) {
    if (/UNIQUE constraint failed: cases\.submission_id/.test(e.message)) return true;
  }
  return false;
}

/**
 * Stores a report and everything that belongs to it in one batch (one round trip to a
 * database server, and one transaction): the day's next number, the case, its reporter,
 * attachments, the first timeline event and any possible-duplicate links. Each statement
 * after the case's names it by its submission id, and the number is made in SQL from the
 * counter, so nothing waits for an answer in between (an interactive transaction sent these
 * one round trip each). A second call with the same submission id fails on the case's unique
 * submission id, which rolls the whole batch back (the counter too), and returns the case
 * stored before.
 */
export async function insertReport(db: Db, report: NewReport): Promise<{ id: number; number: string; created: boolean }> {
  const { submissionId } = report.caseRow;
  const theCase = sql<number>`(select ${cases.id} from ${cases} where ${cases.submissionId} = ${submissionId})`;
  const itsReport = sql<number>`(select ${caseEvents.id} from ${caseEvents} where ${caseEvents.caseId} = ${theCase} and ${caseEvents.action} = 'submitted')`;
  // The event's row as every event's is made, its case then named by the subquery (no id yet).
  const event = {
    ...eventRow(0, report.at, report.by, { action: "submitted", data: submittedData(report.caseRow), toStatus: "new" }),
    caseId: theCase,
  };
  try {
    const [, stored] = await db.batch([
      db
        .insert(counters)
        .values({ scope: report.counterScope, value: 1 })
        .onConflictDoUpdate({ target: counters.scope, set: { value: sql`${counters.value} + 1` } }),
      db
        .insert(cases)
        .values({ ...report.caseRow, number: caseNumberSql(report.counterScope), intakePending: true, createdAt: report.at, updatedAt: report.at })
        .returning({ id: cases.id, number: cases.number }),
      db.insert(caseReporters).values({ caseId: theCase, ...report.reporter, createdAt: report.at }),
      db.insert(caseEvents).values(event),
      ...attachmentStatements(db, theCase, itsReport, report.media, report.at),
      ...report.possibleDuplicates.map((link) =>
        db
          .insert(caseLinks)
          .values({ caseId: theCase, otherCaseId: link.otherCaseId, kind: "possible_duplicate", detail: link.detail, createdAt: report.at })
          .onConflictDoNothing(),
      ),
    ]);
    return { ...stored[0]!, created: true };
  } catch (err) {
    if (!isStoredSubmission(err)) throw err;
    const [existing] = await db.select({ id: cases.id, number: cases.number }).from(cases).where(eq(cases.submissionId, submissionId));
    if (!existing) throw err;
    return { ...existing, created: false };
  }
}

/** A case a repeated submission found by its number: its id, and the submission (a draft's, per person) it was made from. */
export async function repeatedCase(db: Executor, number: string) {
  const [row] = await db.select({ id: cases.id, submissionId: cases.submissionId }).from(cases).where(eq(cases.number, number));
  return row ?? null;
}

/**
 * Puts a new claim code's hash in place of the one an anonymous reporter's case was stored
 * with, in one statement; true when the case has such a code (a named report or an erased
 * reporter has none, and gets none).
 */
export async function replaceClaimHash(db: Executor, caseId: number, claimHash: string): Promise<boolean> {
  const rows = await db
    .update(caseReporters)
    .set({ claimHash })
    .where(and(eq(caseReporters.caseId, caseId), sql`${caseReporters.claimHash} IS NOT NULL`))
    .returning({ id: caseReporters.id });
  return rows.length > 0;
}

/** Open reports in a sector since a time, for the possible-duplicate check. */
export function openReportsInSector(db: Db, sectorId: string, since: number, limit = 500) {
  return db
    .select({
      id: cases.id,
      sectorId: cases.sectorId,
      regionId: cases.regionId,
      latitude: cases.latitude,
      longitude: cases.longitude,
      description: cases.description,
    })
    .from(cases)
    .where(
      and(
        eq(cases.sectorId, sectorId),
        inArray(cases.status, [...OPEN_STATUSES]),
        inArray(cases.kind, ["hazard", "violation"]),
        gte(cases.createdAt, since),
      ),
    )
    .orderBy(desc(cases.createdAt))
    .limit(limit);
}

const citizenView = {
  id: cases.id,
  number: cases.number,
  kind: cases.kind,
  status: cases.status,
  sectorId: cases.sectorId,
  unitId: cases.unitId,
  createdAt: cases.createdAt,
  updatedAt: cases.updatedAt,
  rating: cases.rating,
};

/** A person's own cases, newest first. */
export function casesOfReporter(db: Db, telegramId: number, limit: number) {
  return db
    .select(citizenView)
    .from(caseReporters)
    .innerJoin(cases, eq(cases.id, caseReporters.caseId))
    .where(eq(caseReporters.telegramId, telegramId))
    .orderBy(desc(cases.createdAt), desc(cases.id))
    .limit(limit);
}

/** A case by number or id, only if this person reported it. */
export async function caseOfReporter(db: Executor, which: { number: string } | { id: number }, telegramId: number) {
  const [row] = await db
    .select(citizenView)
    .from(cases)
    .innerJoin(caseReporters, eq(caseReporters.caseId, cases.id))
    .where(and("number" in which ? eq(cases.number, which.number) : eq(cases.id, which.id), eq(caseReporters.telegramId, telegramId)));
  return row ?? null;
}

/** The case a claim code is for, by any of the hashes it may be stored under (src/domain/claim-code.ts). */
export async function caseByClaimHash(db: Db, claimHashes: string[]) {
  const [row] = await db
    .select(citizenView)
    .from(cases)
    .innerJoin(caseReporters, eq(caseReporters.caseId, cases.id))
    .where(inArray(caseReporters.claimHash, claimHashes));
  return row ?? null;
}

export type CitizenCaseView = NonNullable<Awaited<ReturnType<typeof caseOfReporter>>>;

/**
 * A case by number, only for who holds its reporter's code or phone: the web's status lookup,
 * where there is no Telegram account to know the reporter by. Either proof is enough.
 */
export async function caseOfProof(db: Db, number: string, proof: { claimHashes?: string[]; phone?: string }) {
  const proofs = [
    ...(proof.claimHashes ? [inArray(caseReporters.claimHash, proof.claimHashes)] : []),
    ...(proof.phone ? [eq(caseReporters.phone, proof.phone)] : []),
  ];
  if (proofs.length === 0) return null;
  const [row] = await db
    .select(citizenView)
    .from(cases)
    .innerJoin(caseReporters, eq(caseReporters.caseId, cases.id))
    .where(and(eq(cases.number, number), or(...proofs)))
    .limit(1);
  return row ?? null;
}
