/**
 * The evidence archive's rows (`archive_files`): queuing the files a case or a notice
 * received, in the transaction that stores them; claiming the due ones; recording what
 * became of each; and what the ledger export and the outbox read back.
 */
import { and, asc, count, eq, inArray, lte, type SQL, sql } from "drizzle-orm";
import { archiveFileOf } from "../../src/domain/media";
import type { MediaItem } from "../../src/domain/report-draft";
import type { Executor } from "../client";
import { archiveFiles, attachments, caseEvents } from "../schema";

export interface ArchivedFileSource {
  kind: string;
  fileId: string;
  fileUniqueId: string;
}

export type ArchiveRow = typeof archiveFiles.$inferSelect;

/**
 * Queues files for the archive; a file already known (by its unique id) is left as it is. A
 * file uploaded straight into the archive (the web form's) is recorded as archived at once.
 */
export async function queueForArchive(db: Executor, files: readonly (ArchivedFileSource & { size?: number })[], now: number): Promise<void> {
  if (files.length === 0) return;
  await queueForArchiveQuery(db, files, now);
}

/** queueForArchive's statement, for a batch; `files` must not be empty. */
export function queueForArchiveQuery(db: Executor, files: readonly (ArchivedFileSource & { size?: number })[], now: number) {
  return db
    .insert(archiveFiles)
    .values(
      files.map((f) => {
        const row = { fileUniqueId: f.fileUniqueId, fileId: f.fileId, kind: f.kind, nextTryAt: now, createdAt: now };
        const archived = archiveFileOf(f.fileId);
        return archived ? { ...row, status: "archived" as const, ...archived, size: f.size ?? null, archivedAt: now } : row;
      }),
    )
    .onConflictDoNothing({ target: archiveFiles.fileUniqueId });
}

/** A case's files of one event (the report, a progress note, a resolution): stored, and queued for the archive. */
export async function insertAttachments(db: Executor, caseId: number, eventId: number, media: readonly MediaItem[], now: number): Promise<void> {
  for (const statement of attachmentStatements(db, caseId, eventId, media, now)) await statement;
}

/**
 * insertAttachments' statements, for a batch (none without media); the case and the event may
 * be given as subqueries, when the batch creates them.
 */
export function attachmentStatements(db: Executor, caseId: number | SQL, eventId: number | SQL, media: readonly MediaItem[], now: number) {
  if (media.length === 0) return [];
  return [
    db.insert(attachments).values(media.map((m) => ({ caseId, eventId, kind: m.kind, fileId: m.fileId, fileUniqueId: m.fileUniqueId }))),
    queueForArchiveQuery(db, media, now),
  ] as const;
}

const due = (now: number) => and(eq(archiveFiles.status, "pending"), lte(archiveFiles.nextTryAt, now));

/** Whether any file waits to be archived now (one indexed look, made after every update). */
export async function anyArchiveDue(db: Executor, now: number): Promise<boolean> {
  const [row] = await db.select({ id: archiveFiles.fileUniqueId }).from(archiveFiles).where(due(now)).limit(1);
  return row !== undefined;
}

/**
 * Claims up to `limit` due files, oldest due first, by moving their next try to `leaseUntil`
 * (and counting the attempt) in one statement: another worker does not see them until then,
 * and a worker that dies with them leaves them to be tried again when the lease runs out.
 */
export async function claimDueFiles(db: Executor, now: number, limit: number, leaseUntil: number): Promise<ArchiveRow[]> {
  const ids = db.select({ id: archiveFiles.fileUniqueId }).from(archiveFiles).where(due(now)).orderBy(asc(archiveFiles.nextTryAt)).limit(limit);
  return db
    .update(archiveFiles)
    .set({ nextTryAt: leaseUntil, attempts: sql`${archiveFiles.attempts} + 1` })
    .where(and(inArray(archiveFiles.fileUniqueId, ids), due(now)))
    .returning();
}

export async function markArchived(
  db: Executor,
  fileUniqueId: string,
  file: { sha256: string; size: number; ext: string | null },
  now: number,
): Promise<void> {
  await db
    .update(archiveFiles)
    .set({ status: "archived", ...file, archivedAt: now, lastError: null, reason: null })
    .where(eq(archiveFiles.fileUniqueId, fileUniqueId));
}

export async function markUnavailable(db: Executor, fileUniqueId: string, reason: "too_big" | "gone", detail: string): Promise<void> {
  await db.update(archiveFiles).set({ status: "unavailable", reason, lastError: detail }).where(eq(archiveFiles.fileUniqueId, fileUniqueId));
}

/** A failed try: the row stays pending and is tried again at `nextTryAt`. */
export async function markRetry(db: Executor, fileUniqueId: string, error: string, nextTryAt: number): Promise<void> {
  await db.update(archiveFiles).set({ lastError: error, nextTryAt }).where(eq(archiveFiles.fileUniqueId, fileUniqueId));
}

/** The archived copy behind a Telegram file id, if there is one. */
export async function archivedByFileId(db: Executor, fileId: string): Promise<Pick<ArchiveRow, "sha256" | "kind" | "ext"> | undefined> {
  const [row] = await db
    .select({ sha256: archiveFiles.sha256, kind: archiveFiles.kind, ext: archiveFiles.ext })
    .from(archiveFiles)
    .where(and(eq(archiveFiles.fileId, fileId), eq(archiveFiles.status, "archived")))
    .limit(1);
  return row;
}

/** How many files wait to be archived (for /healthz). */
export async function archiveBacklog(db: Executor): Promise<number> {
  const [row] = await db.select({ n: count() }).from(archiveFiles).where(eq(archiveFiles.status, "pending"));
  return row?.n ?? 0;
}

/**
 * The files of these cases for the ledger, each with the step it came with and when, in the
 * order they were received. By chunks of case ids, as the ledger reads events.
 */
export async function caseFiles(db: Executor, caseIds: readonly number[], chunk = 500) {
  const out = [];
  for (let i = 0; i < caseIds.length; i += chunk) {
    const rows = await db
      .select({
        caseId: attachments.caseId,
        at: caseEvents.at,
        action: caseEvents.action,
        kind: attachments.kind,
        status: archiveFiles.status,
        sha256: archiveFiles.sha256,
        size: archiveFiles.size,
        ext: archiveFiles.ext,
        reason: archiveFiles.reason,
      })
      .from(attachments)
      .innerJoin(caseEvents, eq(caseEvents.id, attachments.eventId))
      .leftJoin(archiveFiles, eq(archiveFiles.fileUniqueId, attachments.fileUniqueId))
      .where(inArray(attachments.caseId, caseIds.slice(i, i + chunk)))
      .orderBy(asc(attachments.caseId), asc(attachments.id));
    out.push(...rows);
  }
  return out;
}

export type CaseFileRow = Awaited<ReturnType<typeof caseFiles>>[number];
