/** Queries on recurring group reminders. */
import { and, eq, isNull, lt, or } from "drizzle-orm";
import type { Executor } from "../client";
import { type Schedule, schedules } from "../schema";

export async function insertSchedule(
  ex: Executor,
  s: Pick<Schedule, "chatId" | "text" | "cron" | "timeZone" | "holidays" | "createdBy" | "createdAt"> & Partial<Pick<Schedule, "job" | "params">>,
) {
  const [row] = await ex.insert(schedules).values(s).returning();
  return row!;
}

export function schedulesOfChat(ex: Executor, chatId: number) {
  return ex.select().from(schedules).where(eq(schedules.chatId, chatId)).orderBy(schedules.id);
}

export async function scheduleOfChat(ex: Executor, chatId: number, id: number) {
  const [row] = await ex
    .select()
    .from(schedules)
    .where(and(eq(schedules.id, id), eq(schedules.chatId, chatId)));
  return row ?? null;
}

/** Every schedule that is not paused: one row per schedule the office keeps, whatever the number of cases. */
export function activeSchedules(ex: Executor) {
  return ex.select().from(schedules).where(eq(schedules.paused, false)).orderBy(schedules.id);
}

export async function updateSchedule(ex: Executor, chatId: number, id: number, set: Partial<Pick<Schedule, "paused" | "holidays" | "lastSlot">>) {
  const rows = await ex
    .update(schedules)
    .set(set)
    .where(and(eq(schedules.id, id), eq(schedules.chatId, chatId)))
    .returning();
  return rows[0] ?? null;
}

export async function deleteSchedule(ex: Executor, chatId: number, id: number): Promise<boolean> {
  const rows = await ex
    .delete(schedules)
    .where(and(eq(schedules.id, id), eq(schedules.chatId, chatId)))
    .returning({ id: schedules.id });
  return rows.length > 0;
}

/** Records a slot as handled; false when it (or a later one) already was: another tick has it. */
export async function claimSlot(ex: Executor, id: number, slot: number): Promise<boolean> {
  const rows = await ex
    .update(schedules)
    .set({ lastSlot: slot })
    .where(and(eq(schedules.id, id), or(isNull(schedules.lastSlot), lt(schedules.lastSlot, slot))))
    .returning({ id: schedules.id });
  return rows.length > 0;
}
