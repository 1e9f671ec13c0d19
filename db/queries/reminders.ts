/** Queries on deadline reminders: planning, cancelling, and the tick's claim on what is due. */
import { and, eq, inArray, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { type Reminder, reminders } from "../schema";

export type NewReminder = Pick<Reminder, "key" | "caseId" | "stage" | "kind" | "level" | "fireAt" | "dueAt">;

/**
 * Stores a plan. A key already stored is left alone if it was sent (a reminder fires once,
 * ever) or is still pending; one that was cancelled and is planned again for the same
 * deadline (a case sent back, a severity changed) becomes pending again at its new time.
 */
export async function insertReminders(ex: Executor, rows: NewReminder[], now: number): Promise<void> {
  if (rows.length === 0) return;
  await ex
    .insert(reminders)
    .values(rows.map((r) => ({ ...r, status: "pending" as const, createdAt: now })))
    .onConflictDoUpdate({
      target: reminders.key,
      set: { status: "pending", fireAt: sql`excluded.fire_at`, sentAt: null, late: false },
      setWhere: eq(reminders.status, "cancelled"),
    });
}

/** Cancels a case's pending reminders, of some stages or all. */
export async function cancelReminders(ex: Executor, caseId: number, stages?: Array<Reminder["stage"]>): Promise<void> {
  await ex
    .update(reminders)
    .set({ status: "cancelled" })
    .where(and(eq(reminders.caseId, caseId), eq(reminders.status, "pending"), stages ? inArray(reminders.stage, stages) : undefined));
}

/**
 * The oldest pending reminders whose time has come. Served by reminders_due_idx
 * (status, fire_at): the cost is the number due, not the number planned.
 */
export function dueReminders(ex: Executor, now: number, limit: number) {
  return ex
    .select()
    .from(reminders)
    .where(and(eq(reminders.status, "pending"), lte(reminders.fireAt, now)))
    .orderBy(reminders.fireAt)
    .limit(limit);
}

/** Takes a due reminder for sending; null when someone else took it (or it was cancelled) first. */
export async function claimReminder(ex: Executor, key: string, now: number, lateAfterMs: number): Promise<Reminder | null> {
  const [row] = await ex
    .update(reminders)
    .set({ status: "sent", sentAt: now, late: sql`${now} - ${reminders.fireAt} > ${lateAfterMs}` })
    .where(and(eq(reminders.key, key), eq(reminders.status, "pending")))
    .returning();
  return row ?? null;
}

/** A claimed reminder that no longer applies (the case moved on): recorded as cancelled, never sent. */
export async function dropReminder(ex: Executor, key: string): Promise<void> {
  await ex.update(reminders).set({ status: "cancelled", sentAt: null, late: false }).where(eq(reminders.key, key));
}

export function remindersOf(ex: Executor, caseId: number) {
  return ex.select().from(reminders).where(eq(reminders.caseId, caseId)).orderBy(reminders.fireAt, reminders.key);
}
