/**
 * Who someone is to the office: their memberships (unit and roles), read from the database
 * on every action, never from a button. Also invites (staff join by a one-time link) and
 * binding a group to a unit and purpose.
 */
import type { Db } from "../../db/client";
import { bindChat, findUnit, findUnitByIdOrName, insertInvite, inviteState, listUnits, membershipsOf, redeemInvite } from "../../db/queries/staff";
import { sha256Hex } from "../domain/hash";
import { LOCALES } from "../domain/locale";
import type { Actor } from "../domain/workflow";
import { ROLES, type Role } from "../domain/workflow";
import { translator } from "../i18n";
import type { Clock } from "./clock";
import { randomId } from "./drafts";

export const INVITE_TTL_MS = 7 * 24 * 60 * 60_000;
/** Telegram's /start payload allows A-Z a-z 0-9 _ - up to 64 characters. */
export const INVITE_PREFIX = "inv_";

/** What a group can be bound as: a unit's work group, the dispatchers' group, the leaders' group. */
export const BIND_PURPOSES = ["unit", "dispatchers", "leaders"] as const;
export type BindPurpose = (typeof BIND_PURPOSES)[number];

export interface StaffMember {
  /** The first membership's id: the member id recorded on events and assignments. */
  memberId: number;
  name: string;
  roles: Role[];
  unitIds: string[];
}

/** Each role by the name the bot shows for it in any locale (its zh-CN or en name), read from the locale files once. */
let roleByName: Map<string, Role> | undefined;
function roleNamed(name: string): Role | undefined {
  roleByName ??= new Map(LOCALES.flatMap((locale) => ROLES.map((role) => [translator(locale)(`role-${role}`).toLowerCase(), role] as const)));
  return roleByName.get(name.toLowerCase());
}

/** Roles separated by commas (either width), the ideographic comma or spaces, in English or Chinese; null when any is unknown. */
export function parseRoles(input: string): Role[] | null {
  const roles = input
    .split(/[,\uFF0C\u3001\s]+/)
    .map((r) => r.trim())
    .filter(Boolean)
    .map((r) => roleNamed(r) ?? r.toLowerCase());
  if (roles.length === 0 || !roles.every((r): r is Role => (ROLES as readonly string[]).includes(r))) return null;
  return [...new Set(roles)];
}

export function staffService(deps: { db: Db; clock: Clock }) {
  const { db, clock } = deps;

  async function member(telegramId: number): Promise<StaffMember | null> {
    const rows = await membershipsOf(db, telegramId);
    if (rows.length === 0) return null;
    return {
      memberId: rows[0]!.id,
      name: rows[0]!.name,
      roles: [...new Set(rows.flatMap((r) => r.roles))],
      unitIds: rows.map((r) => r.unitId),
    };
  }

  return {
    member,

    /**
     * The person as the workflow sees them. Office-wide roles (dispatcher, leader, admin)
     * count wherever they hold them; liaison work only in the units where they are a liaison,
     * so a liaison of one unit with another role elsewhere works no other unit's cases. The
     * member id is their membership in `forUnitId` (the case's unit) when they have one.
     */
    async actor(telegramId: number, forUnitId?: string | null): Promise<(Actor & { kind: "member" }) | null> {
      const rows = await membershipsOf(db, telegramId);
      if (rows.length === 0) return null;
      const here = rows.find((r) => r.unitId === forUnitId) ?? rows[0]!;
      return {
        kind: "member",
        memberId: here.id,
        roles: [...new Set(rows.flatMap((r) => r.roles))],
        unitIds: rows.filter((r) => r.roles.includes("liaison")).map((r) => r.unitId),
      };
    },

    async hasRole(telegramId: number, ...roles: Role[]): Promise<boolean> {
      const m = await member(telegramId);
      return m?.roles.some((r) => roles.includes(r)) ?? false;
    },

    /** A one-time invite to a unit (by id or name) with roles; returns the code (shown once, stored hashed) and the unit. */
    async createInvite(unitRef: string, roles: Role[], createdBy: number | null) {
      const unit = await findUnitByIdOrName(db, unitRef);
      if (!unit) return { ok: false as const, problem: "unknown-unit" as const };
      const code = `${INVITE_PREFIX}${randomId(16)}`;
      const now = clock.now();
      await insertInvite(db, { codeHash: await sha256Hex(code), unitId: unit.id, roles, createdBy, createdAt: now, expiresAt: now + INVITE_TTL_MS });
      return { ok: true as const, code, unit, expiresAt: now + INVITE_TTL_MS };
    },

    async redeem(code: string, telegramId: number, name: string) {
      const hash = await sha256Hex(code);
      const now = clock.now();
      const joined = await redeemInvite(db, hash, telegramId, name, now);
      if (joined) return { ok: true as const, ...joined, unit: await findUnit(db, joined.unitId) };
      return { ok: false as const, problem: await inviteState(db, hash, now) };
    },

    /**
     * Binds a group to a purpose; a unit's group names its unit by id or name. Null when the
     * unit is unknown (or its name ambiguous); otherwise the unit bound, if any.
     */
    async bind(chat: { chatId: number; title: string }, purpose: BindPurpose, unitRef: string | null) {
      const unit = purpose === "unit" && unitRef ? await findUnitByIdOrName(db, unitRef) : null;
      if (purpose === "unit" && !unit) return null;
      await bindChat(db, { ...chat, purpose, unitId: unit?.id ?? null }, clock.now());
      return { purpose, unit };
    },

    units: () => listUnits(db),
  };
}

export type StaffService = ReturnType<typeof staffService>;
