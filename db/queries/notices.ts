/** Notices, who they are for, and who has read them. */
import { and, desc, eq, inArray, isNull, lte, sql } from "drizzle-orm";
import type { Executor } from "../client";
import { chats, members, noticeReceipts, notices, units, users } from "../schema";

export async function insertNotice(ex: Executor, row: typeof notices.$inferInsert): Promise<number> {
  const [inserted] = await ex.insert(notices).values(row).returning({ id: notices.id });
  return inserted!.id;
}

export async function noticeById(ex: Executor, id: number) {
  const [row] = await ex.select().from(notices).where(eq(notices.id, id));
  return row;
}

export function recentNotices(ex: Executor, limit: number) {
  return ex
    .select({
      id: notices.id,
      text: notices.text,
      sentAt: notices.sentAt,
      unitIds: notices.unitIds,
      reads: sql<number>`(select count(*) from ${noticeReceipts} where ${noticeReceipts.noticeId} = ${notices.id})`,
    })
    .from(notices)
    .orderBy(desc(notices.id))
    .limit(limit);
}

/** The units' bound groups that the bot can still write to. */
export function unitGroups(ex: Executor, unitIds: string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return ex
    .select({ chatId: chats.chatId, title: chats.title, unitId: chats.unitId })
    .from(chats)
    .where(and(eq(chats.purpose, "unit"), inArray(chats.unitId, unitIds), isNull(chats.blockedAt)));
}

/** The active members of the units: the people a notice to them expects to read it. */
export function unitMembers(ex: Executor, unitIds: string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return ex
    .select({ telegramId: members.telegramId, name: members.name, unitId: members.unitId, locale: users.locale, blockedAt: users.blockedAt })
    .from(members)
    .leftJoin(users, eq(users.telegramId, members.telegramId))
    .where(and(inArray(members.unitId, unitIds), eq(members.active, true)));
}

export function unitNames(ex: Executor, unitIds: string[]) {
  if (unitIds.length === 0) return Promise.resolve([]);
  return ex.select({ id: units.id, nameZh: units.nameZh, nameEn: units.nameEn }).from(units).where(inArray(units.id, unitIds));
}

/** Records a read once; true when this press was the first. */
export async function insertReceipt(ex: Executor, row: typeof noticeReceipts.$inferInsert): Promise<boolean> {
  const inserted = await ex.insert(noticeReceipts).values(row).onConflictDoNothing().returning({ noticeId: noticeReceipts.noticeId });
  return inserted.length > 0;
}

export function receiptsOf(ex: Executor, noticeId: number) {
  return ex.select().from(noticeReceipts).where(eq(noticeReceipts.noticeId, noticeId));
}

/** Notices whose reminder time has come, through notices_remind_idx. */
export function noticesToRemind(ex: Executor, now: number) {
  return ex
    .select()
    .from(notices)
    .where(and(lte(notices.remindAt, now), isNull(notices.remindedAt)));
}

/** Takes a notice's reminder for this run: false when another run took it first. */
export async function claimNoticeReminder(ex: Executor, id: number, now: number): Promise<boolean> {
  const taken = await ex
    .update(notices)
    .set({ remindAt: null, remindedAt: now })
    .where(and(eq(notices.id, id), isNull(notices.remindedAt)))
    .returning({ id: notices.id });
  return taken.length > 0;
}
