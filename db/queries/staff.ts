/** Queries on the office's people and places: members, invites, bound chats. */
import { and, eq, gt, isNull, or, sql } from "drizzle-orm";
import type { Role } from "../../src/domain/workflow";
import type { Db, Executor } from "../client";
import { chats, invites, members, units } from "../schema";

export function membershipsOf(db: Executor, telegramId: number) {
  return db
    .select({ id: members.id, unitId: members.unitId, roles: members.roles, name: members.name })
    .from(members)
    .where(and(eq(members.telegramId, telegramId), eq(members.active, true)))
    .orderBy(members.id);
}

export async function findUnit(db: Executor, unitId: string) {
  const [row] = await db.select().from(units).where(eq(units.id, unitId));
  return row ?? null;
}

/**
 * A unit named the way a person would name it: by its id, or by its Chinese or English name.
 * An id wins; a name that more than one unit bears names none (null), so nothing goes to the
 * wrong unit.
 */
export async function findUnitByIdOrName(db: Executor, ref: string) {
  const rows = await db
    .select()
    .from(units)
    .where(or(eq(units.id, ref), eq(units.nameZh, ref), eq(units.nameEn, ref)));
  return rows.find((u) => u.id === ref) ?? (rows.length === 1 ? rows[0]! : null);
}

export function listUnits(db: Db) {
  return db.select().from(units).orderBy(units.kind, units.id);
}

export async function insertInvite(
  db: Db,
  invite: { codeHash: string; unitId: string; roles: Role[]; createdBy: number | null; createdAt: number; expiresAt: number },
) {
  await db.insert(invites).values(invite);
}

/**
 * Uses an invite once: marks it used and makes the person a member of its unit (adding the
 * invite's roles to any they already have there), in one transaction. Null when the code is
 * unknown, used or expired; which of these is told apart by `inviteState`.
 */
export async function redeemInvite(db: Db, codeHash: string, telegramId: number, name: string, now: number) {
  return db.transaction(async (tx) => {
    const [invite] = await tx
      .update(invites)
      .set({ usedAt: now, usedBy: telegramId })
      .where(and(eq(invites.codeHash, codeHash), isNull(invites.usedAt), gt(invites.expiresAt, now)))
      .returning();
    if (!invite) return null;
    const [existing] = await tx
      .select()
      .from(members)
      .where(and(eq(members.telegramId, telegramId), eq(members.unitId, invite.unitId)));
    const roles = [...new Set([...(existing?.roles ?? []), ...invite.roles])];
    if (existing) await tx.update(members).set({ roles, active: true, name }).where(eq(members.id, existing.id));
    else await tx.insert(members).values({ telegramId, unitId: invite.unitId, roles, name, createdAt: now });
    return { unitId: invite.unitId, roles };
  });
}

export async function inviteState(db: Db, codeHash: string, now: number): Promise<"unknown" | "used" | "expired" | "valid"> {
  const [invite] = await db.select().from(invites).where(eq(invites.codeHash, codeHash));
  if (!invite) return "unknown";
  if (invite.usedAt !== null) return "used";
  return invite.expiresAt <= now ? "expired" : "valid";
}

export async function bindChat(
  db: Db,
  chat: { chatId: number; title: string; purpose: "unit" | "dispatchers" | "leaders" | "public"; unitId: string | null },
  now: number,
) {
  await db
    .insert(chats)
    .values({ ...chat, createdAt: now })
    .onConflictDoUpdate({ target: chats.chatId, set: { title: chat.title, purpose: chat.purpose, unitId: chat.unitId, blockedAt: null } });
}

/** Active members of a unit who have a role (e.g. the unit's liaisons). */
export function membersWithRole(db: Executor, role: Role, unitId?: string) {
  return db
    .select({ id: members.id, telegramId: members.telegramId, unitId: members.unitId, name: members.name })
    .from(members)
    .where(
      and(
        eq(members.active, true),
        sql`exists (select 1 from json_each(${members.roles}) where value = ${role})`,
        unitId === undefined ? undefined : eq(members.unitId, unitId),
      ),
    );
}

/** Groups bound for a purpose (and unit), that have not removed the bot. */
export function chatsFor(db: Executor, purpose: "unit" | "dispatchers" | "leaders" | "public", unitId?: string) {
  return db
    .select({ chatId: chats.chatId })
    .from(chats)
    .where(and(eq(chats.purpose, purpose), isNull(chats.blockedAt), unitId === undefined ? undefined : eq(chats.unitId, unitId)));
}
