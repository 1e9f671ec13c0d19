/** Queries for Follow-up rating: asking a citizen to rate a closed case, and storing the answer. */
import { and, eq, isNotNull, isNull, lte, sql } from "drizzle-orm";
import type { Db, Executor } from "../client";
import { caseEvents, caseReporters, cases, users } from "../schema";
import { eventRow } from "./case-events";

type Tx = Parameters<Parameters<Db["transaction"]>[0]>[0];

async function isReporter(tx: Tx, caseId: number, telegramId: number): Promise<boolean> {
  const [mine] = await tx
    .select({ caseId: caseReporters.caseId })
    .from(caseReporters)
    .where(and(eq(caseReporters.caseId, caseId), eq(caseReporters.telegramId, telegramId)));
  return mine !== undefined;
}

/** The case's number and status, and every reporter's chat with their language. */
export async function ratingTargets(db: Executor, caseId: number) {
  const [found] = await db.select({ number: cases.number, status: cases.status, rating: cases.rating }).from(cases).where(eq(cases.id, caseId));
  if (!found) return null;
  const reporters = await db
    .select({ chatId: caseReporters.chatId, locale: users.locale })
    .from(caseReporters)
    .leftJoin(users, eq(users.telegramId, caseReporters.telegramId))
    .where(and(eq(caseReporters.caseId, caseId), isNotNull(caseReporters.chatId)));
  // Only reporters who came by Telegram can be asked: one from the web or a phone call has no chat.
  return { ...found, reporters: reporters.flatMap((r) => (r.chatId === null ? [] : [{ ...r, chatId: r.chatId }])) };
}

export async function scheduleRatingReminder(db: Executor, caseId: number, at: number) {
  await db
    .update(cases)
    .set({ ratingReminderAt: at })
    .where(and(eq(cases.id, caseId), isNull(cases.rating)));
}

/** Records the stars once, in the caller's transaction; false when the case is not this person's, not closed, or already rated. */
export async function recordRating(tx: Tx, caseId: number, telegramId: number, stars: number, at: number): Promise<boolean> {
  if (!(await isReporter(tx, caseId, telegramId))) return false;
  const updated = await tx
    .update(cases)
    .set({ rating: stars, ratedAt: at, ratingReminderAt: null, updatedAt: at, version: sql`${cases.version} + 1` })
    .where(and(eq(cases.id, caseId), eq(cases.status, "closed"), isNull(cases.rating)))
    .returning({ id: cases.id });
  if (updated.length === 0) return false;
  await tx.insert(caseEvents).values(eventRow(caseId, at, { kind: "citizen" }, { action: "rated", data: { stars } }));
  return true;
}

/**
 * Records the comment after the stars once, in the caller's transaction, marked when the
 * citizen said it is a complaint; the stars given, or null when the case is not this person's,
 * not rated, or already commented on.
 */
export async function recordRatingComment(
  tx: Tx,
  caseId: number,
  telegramId: number,
  comment: string,
  complaint: boolean,
  at: number,
): Promise<number | null> {
  if (!(await isReporter(tx, caseId, telegramId))) return null;
  const [updated] = await tx
    .update(cases)
    .set({ ratingComment: comment, updatedAt: at })
    .where(and(eq(cases.id, caseId), isNotNull(cases.rating), isNull(cases.ratingComment)))
    .returning({ rating: cases.rating });
  if (!updated) return null;
  const data = complaint ? { comment, complaint: true as const } : { comment };
  await tx.insert(caseEvents).values(eventRow(caseId, at, { kind: "citizen" }, { action: "rating_comment", data }));
  return updated.rating;
}

/** Cases whose one reminder is due; the index on rating_reminder_at keeps this to due work. */
export function dueRatingReminders(db: Executor, now: number, limit: number) {
  return db
    .select({ id: cases.id })
    .from(cases)
    .where(and(lte(cases.ratingReminderAt, now), isNull(cases.rating)))
    .limit(limit);
}

export async function clearRatingReminder(db: Executor, caseId: number) {
  await db.update(cases).set({ ratingReminderAt: null }).where(eq(cases.id, caseId));
}
