/**
 * Loading a directory file into the database: read what is there, plan the difference to
 * what the file wants (added / changed / unchanged / missing, per table, and per section of
 * the office's time settings), and apply that plan in one transaction, optionally deleting
 * what the file no longer lists. Used by `npm run directory` (scripts/directory.ts).
 */
import { and, asc, eq, inArray, isNull, notInArray, or, type SQL, sql } from "drizzle-orm";
import type { SQLiteColumn } from "drizzle-orm/sqlite-core";
import {
  canonicalRoles,
  chatScheduleId,
  chatScheduleKey,
  type Directory,
  type DirectoryChat,
  type DirectoryMember,
  type DirectoryRegion,
  type DirectoryRoute,
  type DirectorySchedule,
  type DirectorySector,
  type DirectoryUnit,
  type StoredArea,
} from "../../src/domain/directory-file";
import { parseRegionArea } from "../../src/domain/geo";
import { type OfficeSettings, SETTINGS_SECTIONS, type SettingsSection } from "../../src/domain/office-settings";
import { latestSlot, parsePattern } from "../../src/domain/recurring";
import type { PeriodKind } from "../../src/domain/reports";
import type { Db, Executor } from "../client";
import { caseEvents, cases, chats, invites, members, notices, regions, routes, schedules, sectors, units } from "../schema";
import { readOfficeSettings, writeOfficeSettings } from "./settings";

export const DIRECTORY_TABLES = ["regions", "sectors", "units", "routes", "members", "chats", "schedules"] as const;
export type DirectoryTable = (typeof DIRECTORY_TABLES)[number];

type Rows = {
  regions: DirectoryRegion;
  sectors: DirectorySector;
  units: DirectoryUnit;
  routes: DirectoryRoute;
  members: DirectoryMember;
  chats: DirectoryChat;
  schedules: DirectorySchedule;
};

export interface RowChange<Row> {
  before: Row;
  after: Row;
  /** The changed fields by their names in the file, e.g. ["name_en", "area"]. */
  fields: string[];
}

export interface TablePlan<Row> {
  /** False when the file leaves the section out (members, chats, schedules): the table is left as it is. */
  managed: boolean;
  added: Row[];
  changed: RowChange<Row>[];
  /** Rows the file lists as they already are; for an unmanaged table, every row. */
  unchanged: Row[];
  /** In the database but not in the file: removed with --prune, otherwise only reported. */
  missing: Row[];
}

/** One section of the office's time settings: what the file gives against what is stored. */
export interface SettingsPlan<S> {
  /** False when the file leaves the section out: the stored setting (or the default) stays. */
  managed: boolean;
  /** added: nothing was stored (the default applied); absent: not in the file. */
  state: "added" | "changed" | "unchanged" | "absent";
  before: S | undefined;
  after: S | undefined;
  /** What changed, by the file's names: e.g. ["holidays"], ["hazard", "verify"]. */
  fields: string[];
}

export type SettingsPlans = { [S in SettingsSection]: SettingsPlan<NonNullable<OfficeSettings[S]>> };

/**
 * Members differ from the other tables in one way: a person who leaves but whom cases still
 * name (assigned, or acting in the ledger) cannot be deleted without losing the record, so
 * --prune turns their membership off (`active = false`) instead. Such turned-off rows are not
 * part of the directory: they are never `missing` again, and an export leaves them out.
 */
export interface MembersPlan extends TablePlan<DirectoryMember> {
  /** Listed in the file but turned off in the database: the import turns them on again (name and roles as the file says). */
  reactivated: DirectoryMember[];
  /** Turned off in the database and still not in the file: left as they are. */
  inactive: DirectoryMember[];
}

export type TablePlans = { [T in DirectoryTable]: TablePlan<Rows[T]> };
export type SyncPlan = Omit<TablePlans, "members"> & { members: MembersPlan; settings: SettingsPlans };

/** --prune asked to remove rows that something still refers to; nothing was written. */
export class DirectoryPruneError extends Error {
  override name = "DirectoryPruneError";
  constructor(readonly problems: string[]) {
    super(`Nothing was written: --prune would remove rows still in use:\n${problems.map((p) => `  - ${p}`).join("\n")}`);
  }
}

// ── Keys, fields and labels ──────────────────────────────────────────────────────────────

const memberKey = (telegramId: number, unitId: string) => JSON.stringify([telegramId, unitId]);

const KEYS: { [T in DirectoryTable]: (row: Rows[T]) => string } = {
  regions: (r) => r.id,
  sectors: (s) => s.id,
  units: (u) => u.id,
  // Null matters: (chengguan, null) is the town's route, (chengguan, fireworks) a narrower one.
  routes: (r) => JSON.stringify([r.regionId, r.sectorId]),
  members: (m) => memberKey(m.telegramId, m.unitId),
  chats: (c) => String(c.chatId),
  schedules: (s) => s.key,
};

/** Compared fields: the row's property → the field's name in the file. */
const FIELDS: { [T in DirectoryTable]: [keyof Rows[T], string][] } = {
  regions: [
    ["parentId", "parent"],
    ["level", "level"],
    ["nameZh", "name_zh"],
    ["nameEn", "name_en"],
    ["area", "area"],
  ],
  sectors: [
    ["nameZh", "name_zh"],
    ["nameEn", "name_en"],
    ["sort", "sort"],
  ],
  units: [
    ["kind", "kind"],
    ["nameZh", "name_zh"],
    ["nameEn", "name_en"],
    ["regionId", "region"],
    ["sectorId", "sector"],
  ],
  routes: [["unitId", "unit"]],
  members: [
    ["name", "name"],
    ["roles", "roles"],
  ],
  chats: [
    ["title", "title"],
    ["purpose", "purpose"],
    ["unitId", "unit"],
  ],
  schedules: [
    ["chatId", "chat"],
    ["cron", "cron"],
    ["text", "text"],
    ["holidays", "holidays"],
    ["paused", "paused"],
    ["ranking", "ranking"],
  ],
};

/** How a row is named in messages: an id, or what identifies a route, member or chat. */
export function rowLabel<T extends DirectoryTable>(table: T, row: Rows[T]): string {
  switch (table) {
    case "routes": {
      const r = row as DirectoryRoute;
      return `${r.regionId ?? "any region"} / ${r.sectorId ?? "any sector"} → ${r.unitId}`;
    }
    case "members": {
      const m = row as DirectoryMember;
      return `${m.telegramId} in ${m.unitId}`;
    }
    case "chats":
      return String((row as DirectoryChat).chatId);
    case "schedules":
      return (row as DirectorySchedule).key;
    default:
      return (row as { id: string }).id;
  }
}

// ── Reading ──────────────────────────────────────────────────────────────────────────────

/**
 * The directory tables and the office's settings as a Directory, regions parents first
 * (siblings by id), in the forms the file produces. Every recurring reminder is listed, a
 * /schedule one (no key) as `schedule-N`; a settings section the office never set is absent.
 */
export async function readDirectory(db: Db): Promise<Directory> {
  const [regionRows, sectorRows, unitRows, routeRows, memberRows, chatRows, scheduleRows, settings] = await Promise.all([
    db.select().from(regions).orderBy(asc(regions.id)),
    db.select().from(sectors).orderBy(asc(sectors.sort), asc(sectors.id)),
    db.select().from(units).orderBy(asc(units.id)),
    db.select().from(routes).orderBy(asc(routes.id)),
    db.select().from(members).orderBy(asc(members.unitId), asc(members.telegramId)),
    db.select().from(chats).orderBy(asc(chats.chatId)),
    db.select().from(schedules).orderBy(asc(schedules.id)),
    readOfficeSettings(db),
  ]);

  const flat: DirectoryRegion[] = regionRows.map((r) => ({
    id: r.id,
    parentId: r.parentId,
    level: r.level,
    nameZh: r.nameZh,
    nameEn: r.nameEn,
    area: storedArea(r.area),
  }));
  return {
    regions: parentsFirst(flat),
    sectors: sectorRows.map((s) => ({ id: s.id, nameZh: s.nameZh, nameEn: s.nameEn, sort: s.sort })),
    units: unitRows.map((u) => ({
      id: u.id,
      kind: u.kind,
      nameZh: u.nameZh,
      nameEn: u.nameEn,
      regionId: u.regionId,
      sectorId: u.sectorId,
    })),
    routes: routeRows.map((r) => ({ regionId: r.regionId, sectorId: r.sectorId, unitId: r.unitId })),
    members: memberRows.map((m) => ({
      telegramId: m.telegramId,
      unitId: m.unitId,
      name: m.name,
      roles: canonicalRoles(Array.isArray(m.roles) ? m.roles : []),
      ...(m.active ? {} : { active: false }),
    })),
    chats: chatRows.map((c) => ({ chatId: c.chatId, title: c.title, purpose: c.purpose, unitId: c.unitId })),
    schedules: scheduleRows.map((s) => ({
      key: s.key ?? chatScheduleKey(s.id),
      chatId: s.chatId,
      cron: s.cron,
      text: s.text,
      holidays: s.holidays,
      paused: s.paused,
      ranking: s.job === "ranking" ? ((s.params?.period as PeriodKind | undefined) ?? null) : null,
    })),
    ...settings,
  };
}

/**
 * A stored area in the one form the file produces, so that equal shapes compare equal. An
 * area geo cannot read is taken as none: it was unmappable already.
 */
function storedArea(value: unknown): StoredArea | null {
  const area = parseRegionArea(value);
  if (!area) return null;
  if (area.kind === "circle") return { lat: area.center.lat, lng: area.center.lng, radiusM: area.radiusM };
  const ring = area.points.map((p) => [p.lng, p.lat]);
  const first = ring[0];
  if (first) ring.push([...first]);
  return { type: "Polygon", coordinates: [ring] };
}

/** Pre-order over the tree, so every parent comes before its children; rows whose parent is missing count as roots. */
function parentsFirst(list: DirectoryRegion[]): DirectoryRegion[] {
  const ids = new Set(list.map((r) => r.id));
  const children = new Map<string | null, DirectoryRegion[]>();
  for (const r of list) {
    const parent = r.parentId !== null && ids.has(r.parentId) ? r.parentId : null;
    children.set(parent, [...(children.get(parent) ?? []), r]);
  }
  const out: DirectoryRegion[] = [];
  const seen = new Set<string>();
  const visit = (parent: string | null) => {
    for (const r of children.get(parent) ?? []) {
      if (seen.has(r.id)) continue;
      seen.add(r.id);
      out.push(r);
      visit(r.id);
    }
  };
  visit(null);
  // Rows on a parent cycle are reachable from no root; keep them rather than lose them.
  for (const r of list) if (!seen.has(r.id)) out.push(r);
  return out;
}

// ── Planning ─────────────────────────────────────────────────────────────────────────────

/** What importing `wanted` over `current` would do. Pure. */
export function planSync(current: Directory, wanted: Directory): SyncPlan {
  return {
    regions: planTable("regions", current.regions, wanted.regions),
    sectors: planTable("sectors", current.sectors, wanted.sectors),
    units: planTable("units", current.units, wanted.units),
    routes: planTable("routes", current.routes, wanted.routes),
    members: planMembers(current.members ?? [], wanted.members),
    chats: planTable("chats", current.chats ?? [], wanted.chats),
    schedules: planTable("schedules", current.schedules ?? [], wanted.schedules),
    settings: {
      calendar: planSettings(current.calendar, wanted.calendar, { workHours: "work_hours", workdays: "workdays", holidays: "holidays" }),
      deadlines: planSettings(current.deadlines, wanted.deadlines),
      escalation: planSettings(current.escalation, wanted.escalation),
      retention: planSettings(current.retention, wanted.retention, { reporterIdentityDays: "reporter_identity_days" }),
      publication: planSettings(current.publication, wanted.publication, { publicPage: "public_page" }),
    },
  };
}

/** A settings section: the file's version replaces the stored one whole; left out, the stored one stays. */
function planSettings<S>(before: S | undefined, after: S | undefined, names: Record<string, string> = {}): SettingsPlan<S> {
  if (after === undefined) return { managed: false, state: "absent", before, after: before, fields: [] };
  const state = before === undefined ? "added" : sameValue(before, after) ? "unchanged" : "changed";
  let fields: string[] = [];
  if (state !== "unchanged" && typeof after === "object" && after !== null && !Array.isArray(after)) {
    const b = (before ?? {}) as Record<string, unknown>;
    const a = after as Record<string, unknown>;
    fields = [...new Set([...Object.keys(b), ...Object.keys(a)])]
      .filter((k) => !sameValue(b[k], a[k]) && !(isEmpty(b[k]) && isEmpty(a[k])))
      .map((k) => names[k] ?? k);
  }
  return { managed: true, state, before, after, fields };
}

const isEmpty = (v: unknown) => v === undefined || (Array.isArray(v) && v.length === 0);

function planTable<T extends DirectoryTable>(table: T, current: Rows[T][], wanted: Rows[T][] | undefined): TablePlan<Rows[T]> {
  if (wanted === undefined) return { managed: false, added: [], changed: [], unchanged: [...current], missing: [] };
  const key = KEYS[table];
  const byKey = new Map(current.map((row) => [key(row), row]));
  const plan: TablePlan<Rows[T]> = { managed: true, added: [], changed: [], unchanged: [], missing: [] };
  const listed = new Set<string>();
  for (const after of wanted) {
    const k = key(after);
    listed.add(k);
    const before = byKey.get(k);
    if (!before) {
      plan.added.push(after);
      continue;
    }
    const fields = FIELDS[table].filter(([prop]) => !sameValue(before[prop], after[prop])).map(([, name]) => name);
    if (fields.length > 0) plan.changed.push({ before, after, fields });
    else plan.unchanged.push(after);
  }
  plan.missing = current.filter((row) => !listed.has(key(row)));
  return plan;
}

/** planTable over the active memberships, with the turned-off ones set apart (see MembersPlan). */
function planMembers(current: DirectoryMember[], wanted: DirectoryMember[] | undefined): MembersPlan {
  const off = current.filter((m) => m.active === false);
  if (wanted === undefined) return { ...planTable("members", current, undefined), reactivated: [], inactive: [] };
  const plan = planTable(
    "members",
    current.filter((m) => m.active !== false),
    wanted,
  );
  const offKeys = new Set(off.map(KEYS.members));
  const wantedKeys = new Set(wanted.map(KEYS.members));
  return {
    ...plan,
    added: plan.added.filter((m) => !offKeys.has(KEYS.members(m))),
    reactivated: plan.added.filter((m) => offKeys.has(KEYS.members(m))),
    inactive: off.filter((m) => !wantedKeys.has(KEYS.members(m))),
  };
}

/** Structural equality for JSON-like values; key order does not matter. */
function sameValue(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => sameValue(x, b[i]));
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  return (
    ka.length === kb.length && ka.every((k) => Object.hasOwn(b, k) && sameValue((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]))
  );
}

/** Whether applying the plan would write anything (with --prune, removals count). */
export function planHasWrites(plan: SyncPlan, prune: boolean): boolean {
  return (
    settingsChanged(plan) ||
    DIRECTORY_TABLES.some((t) => {
      const p = plan[t];
      return p.added.length > 0 || p.changed.length > 0 || (prune && p.missing.length > 0);
    }) ||
    plan.members.reactivated.length > 0
  );
}

function settingsChanged(plan: SyncPlan): boolean {
  return SETTINGS_SECTIONS.some((section) => plan.settings[section].state === "added" || plan.settings[section].state === "changed");
}

// ── Prune checks ─────────────────────────────────────────────────────────────────────────

/** A table's rows once the plan is applied with --prune. */
function afterPrune<Row>(p: TablePlan<Row>): Row[] {
  return [...p.added, ...p.changed.map((c) => c.after), ...p.unchanged];
}

/** Every membership row left in the table once the plan is applied with --prune: turned off ones hold their unit too. */
function membersAfterPrune(p: MembersPlan, deactivated: DirectoryMember[]): DirectoryMember[] {
  return [...afterPrune(p), ...p.reactivated, ...p.inactive, ...deactivated];
}

/**
 * The members the plan finds missing whom something still names: a case assigned to them, a
 * ledger entry they made (case_events names its actor by members.id, and the ledger shows the
 * name through it), or a notice they wrote. --prune turns these off instead of deleting them,
 * so the record keeps who did what. Read-only; the rest of `plan.members.missing` is deleted.
 */
export async function membersToDeactivate(db: Pick<Db, "select">, plan: SyncPlan): Promise<DirectoryMember[]> {
  if (plan.members.missing.length === 0) return [];
  const missingUnits = [...new Set(plan.members.missing.map((m) => m.unitId))];
  const rows = await db
    .select({ id: members.id, telegramId: members.telegramId, unitId: members.unitId })
    .from(members)
    .where(inArray(members.unitId, missingUnits));
  const missing = new Set(plan.members.missing.map((m) => memberKey(m.telegramId, m.unitId)));
  const ids = rows.filter((r) => missing.has(memberKey(r.telegramId, r.unitId))).map((r) => r.id);
  if (ids.length === 0) return [];
  const named = new Set<number>();
  for (const r of await db.select({ ref: cases.assigneeId }).from(cases).where(inArray(cases.assigneeId, ids))) named.add(Number(r.ref));
  for (const r of await db
    .select({ ref: caseEvents.actorId })
    .from(caseEvents)
    .where(and(eq(caseEvents.actorKind, "member"), inArray(caseEvents.actorId, ids)))) {
    named.add(Number(r.ref));
  }
  for (const r of await db.select({ ref: notices.authorId }).from(notices).where(inArray(notices.authorId, ids))) named.add(r.ref);
  const namedKeys = new Set(rows.filter((r) => named.has(r.id)).map((r) => memberKey(r.telegramId, r.unitId)));
  return plan.members.missing.filter((m) => namedKeys.has(memberKey(m.telegramId, m.unitId)));
}

const count = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;
const sample = (values: (string | number)[]) => (values.length <= 3 ? values.join(", ") : `${values.slice(0, 3).join(", ")}, …`);

/**
 * Why --prune cannot remove what the plan would remove: for each such row, what still refers
 * to it — cases (which keep their history), or directory rows the sync leaves in place (e.g.
 * members when the file has no members section). Empty when pruning is safe. A member is never
 * blocked: one whom cases still name is turned off instead (membersToDeactivate).
 */
export async function findPruneBlockers(db: Pick<Db, "select">, plan: SyncPlan): Promise<string[]> {
  const kept = {
    regions: afterPrune(plan.regions),
    units: afterPrune(plan.units),
    routes: afterPrune(plan.routes),
    members: membersAfterPrune(plan.members, await membersToDeactivate(db, plan)),
    chats: afterPrune(plan.chats),
  };
  const problems: string[] = [];
  const blocked = (what: string, refs: string[]) => {
    if (refs.length > 0) problems.push(`cannot remove ${what}: still referenced by ${refs.join(" and ")}`);
  };
  const caseRefs = async (column: SQLiteColumn, ids: string[]) => {
    const found = new Map<string, string[]>();
    if (ids.length === 0) return found;
    const rows = await db.select({ ref: column, number: cases.number }).from(cases).where(inArray(column, ids)).orderBy(asc(cases.id));
    for (const r of rows) found.set(String(r.ref), [...(found.get(String(r.ref)) ?? []), r.number]);
    return found;
  };
  const casesText = (numbers: string[] | undefined) => (numbers ? [`${count(numbers.length, "case")} (${sample(numbers)})`] : []);

  const regionIds = plan.regions.missing.map((r) => r.id);
  const regionCases = await caseRefs(cases.regionId, regionIds);
  for (const id of regionIds) {
    const childRegions = kept.regions.filter((r) => r.parentId === id).map((r) => r.id);
    const refUnits = kept.units.filter((u) => u.regionId === id).map((u) => u.id);
    const refRoutes = kept.routes.filter((r) => r.regionId === id);
    blocked(`region "${id}"`, [
      ...casesText(regionCases.get(id)),
      ...(childRegions.length ? [`${count(childRegions.length, "region")} under it (${sample(childRegions)})`] : []),
      ...(refUnits.length ? [`${count(refUnits.length, "unit")} (${sample(refUnits)})`] : []),
      ...(refRoutes.length ? [`${count(refRoutes.length, "route")}`] : []),
    ]);
  }

  const sectorIds = plan.sectors.missing.map((s) => s.id);
  const sectorCases = await caseRefs(cases.sectorId, sectorIds);
  for (const id of sectorIds) {
    const refUnits = kept.units.filter((u) => u.sectorId === id).map((u) => u.id);
    const refRoutes = kept.routes.filter((r) => r.sectorId === id);
    blocked(`sector "${id}"`, [
      ...casesText(sectorCases.get(id)),
      ...(refUnits.length ? [`${count(refUnits.length, "unit")} (${sample(refUnits)})`] : []),
      ...(refRoutes.length ? [`${count(refRoutes.length, "route")}`] : []),
    ]);
  }

  const unitIds = plan.units.missing.map((u) => u.id);
  const unitCases = await caseRefs(cases.unitId, unitIds);
  // Invite links, used or not, keep their unit: they record who was let in, and by what.
  const unitInvites = unitIds.length ? await db.select({ unitId: invites.unitId }).from(invites).where(inArray(invites.unitId, unitIds)) : [];
  for (const id of unitIds) {
    const inviteCount = unitInvites.filter((i) => i.unitId === id).length;
    const refRoutes = kept.routes.filter((r) => r.unitId === id);
    const refMembers = kept.members.filter((m) => m.unitId === id).map((m) => m.telegramId);
    const refChats = kept.chats.filter((c) => c.unitId === id).map((c) => c.chatId);
    blocked(`unit "${id}"`, [
      ...casesText(unitCases.get(id)),
      ...(refRoutes.length ? [`${count(refRoutes.length, "route")}`] : []),
      ...(refMembers.length ? [`${count(refMembers.length, "member")} (telegram_id ${sample(refMembers)}) the file does not list`] : []),
      ...(refChats.length ? [`${count(refChats.length, "chat")} (${sample(refChats)}) the file does not list`] : []),
      ...(inviteCount ? [count(inviteCount, "invite link")] : []),
    ]);
  }

  return problems;
}

// ── Applying ─────────────────────────────────────────────────────────────────────────────

export interface ApplyOptions {
  prune: boolean;
  /** The office's zone, for recurring reminders the file adds (default Asia/Shanghai). */
  timeZone?: string;
  /** The time of the import (default: now): a reminder added or changed fires only slots after it. */
  now?: number;
  /**
   * Called in the same transaction, after everything is written, with the Telegram ids whose
   * memberships the import added, changed the roles of, or removed (their command menus change).
   */
  onStaffChanged?: (tx: Executor, telegramIds: number[]) => Promise<void>;
}

/** What applySync did to the members the file no longer lists (with --prune). */
export interface SyncResult {
  /** Deleted: nothing named them. */
  removedMembers: DirectoryMember[];
  /** Turned off (active = false): cases, the ledger or a notice still name them. */
  deactivatedMembers: DirectoryMember[];
}

/**
 * Writes the plan in one transaction: regions (parents first), sectors, units, then routes,
 * members, chats, recurring reminders and the settings sections the file gives; with `prune`,
 * then deletes what the file no longer lists, children before parents. With `prune` and
 * anything still in use, throws DirectoryPruneError before writing. A member the file no longer
 * lists is deleted if nothing names them, and otherwise turned off (`active = false`: they can no
 * longer act, open the console or receive cards, and the ledger keeps their name); a turned-off
 * member the file lists again is turned on. A chat's `blocked_at` and a reminder's last slot are
 * the bot's to keep and are never touched, except that a reminder whose pattern changes, or that is resumed, counts the latest
 * slot already past as handled (as /schedule resume does), so it does not fire for it at once.
 */
export async function applySync(db: Db, plan: SyncPlan, options: ApplyOptions): Promise<SyncResult> {
  const { prune } = options;
  const now = options.now ?? Date.now();
  const timeZone = options.timeZone ?? "Asia/Shanghai";
  const result: SyncResult = { removedMembers: [], deactivatedMembers: [] };
  await db.transaction(async (tx) => {
    if (prune) {
      const problems = await findPruneBlockers(tx, plan);
      if (problems.length > 0) throw new DirectoryPruneError(problems);
    }

    for (const r of byDepth(afterPrune(plan.regions), upserts(plan.regions))) {
      const values = { parentId: r.parentId, level: r.level, nameZh: r.nameZh, nameEn: r.nameEn, area: r.area };
      await tx
        .insert(regions)
        .values({ id: r.id, ...values })
        .onConflictDoUpdate({ target: regions.id, set: values });
    }
    for (const s of upserts(plan.sectors)) {
      const values = { nameZh: s.nameZh, nameEn: s.nameEn, sort: s.sort };
      await tx
        .insert(sectors)
        .values({ id: s.id, ...values })
        .onConflictDoUpdate({ target: sectors.id, set: values });
    }
    for (const u of upserts(plan.units)) {
      const values = { kind: u.kind, nameZh: u.nameZh, nameEn: u.nameEn, regionId: u.regionId, sectorId: u.sectorId };
      await tx
        .insert(units)
        .values({ id: u.id, ...values })
        .onConflictDoUpdate({ target: units.id, set: values });
    }
    for (const r of plan.routes.added) await tx.insert(routes).values(r);
    for (const { after } of plan.routes.changed) {
      await tx.update(routes).set({ unitId: after.unitId }).where(routeKey(after));
    }
    for (const m of plan.members.added) {
      await tx.insert(members).values({ telegramId: m.telegramId, unitId: m.unitId, name: m.name, roles: m.roles });
    }
    for (const m of plan.members.reactivated) {
      await tx
        .update(members)
        .set({ name: m.name, roles: m.roles, active: true })
        .where(and(eq(members.telegramId, m.telegramId), eq(members.unitId, m.unitId)));
    }
    for (const { after } of plan.members.changed) {
      await tx
        .update(members)
        .set({ name: after.name, roles: after.roles })
        .where(and(eq(members.telegramId, after.telegramId), eq(members.unitId, after.unitId)));
    }
    for (const c of plan.chats.added) await tx.insert(chats).values(c);
    for (const { after } of plan.chats.changed) {
      await tx.update(chats).set({ title: after.title, purpose: after.purpose, unitId: after.unitId }).where(eq(chats.chatId, after.chatId));
    }
    for (const s of plan.schedules.added) {
      await tx.insert(schedules).values({
        key: s.key,
        chatId: s.chatId,
        text: s.text,
        cron: s.cron,
        timeZone,
        holidays: s.holidays,
        paused: s.paused,
        ...jobOf(s),
        createdBy: null,
        createdAt: now,
      });
    }
    for (const { before, after } of plan.schedules.changed) {
      const [row] = await tx.select().from(schedules).where(scheduleKey(after.key));
      if (!row) continue;
      let lastSlot = row.lastSlot;
      if (before.cron !== after.cron || (before.paused && !after.paused)) {
        const cron = parsePattern(after.cron, row.timeZone);
        const past = cron ? latestSlot(cron, now) : null;
        if (past !== null && (lastSlot === null || past > lastSlot)) lastSlot = past;
      }
      await tx
        .update(schedules)
        .set({
          key: after.key,
          chatId: after.chatId,
          text: after.text,
          cron: after.cron,
          holidays: after.holidays,
          paused: after.paused,
          ...jobOf(after),
          lastSlot,
        })
        .where(eq(schedules.id, row.id));
    }

    if (settingsChanged(plan)) {
      const stored = await readOfficeSettings(tx);
      const next: OfficeSettings = { ...stored };
      for (const section of SETTINGS_SECTIONS) {
        const p = plan.settings[section];
        if (p.managed) (next as Record<SettingsSection, unknown>)[section] = p.after;
      }
      await writeOfficeSettings(tx, next, now);
    }

    const staffChanged = () =>
      options.onStaffChanged?.(tx, [
        ...new Set([
          ...plan.members.added.map((m) => m.telegramId),
          ...plan.members.reactivated.map((m) => m.telegramId),
          ...plan.members.changed.filter((c) => c.fields.includes("roles")).map((c) => c.after.telegramId),
          ...(prune ? plan.members.missing.map((m) => m.telegramId) : []),
        ]),
      ]);

    if (!prune) {
      await staffChanged();
      return;
    }
    // The checks above know the references of today; a table added later that refers to these
    // rows still stops the delete (foreign keys are on), and says which row it was.
    const remove = async (what: string, run: () => Promise<unknown>) => {
      try {
        await run();
      } catch (error) {
        const reason = foreignKeyFailure(error);
        if (reason === undefined) throw error;
        throw new DirectoryPruneError([`cannot remove ${what}: another table still refers to it (${reason})`]);
      }
    };
    for (const r of plan.routes.missing) await remove(`route ${rowLabel("routes", r)}`, () => tx.delete(routes).where(routeKey(r)));
    result.deactivatedMembers = await membersToDeactivate(tx, plan);
    const deactivate = new Set(result.deactivatedMembers);
    result.removedMembers = plan.members.missing.filter((m) => !deactivate.has(m));
    for (const m of result.deactivatedMembers) {
      const [row] = await tx
        .update(members)
        .set({ active: false })
        .where(and(eq(members.telegramId, m.telegramId), eq(members.unitId, m.unitId)))
        .returning({ id: members.id });
      if (!row) continue;
      // An open case assigned to them stays with their unit, unassigned: the unit owns a case
      // (首问责任制), the assignee is only who in it works it, and a case assigned to someone
      // who cannot act would reach none of the unit's liaisons (unitRecipients sends to the
      // assignee alone). The ledger gets no entry: no workflow event means "unassigned by the
      // directory", and an invented assign event would say someone in the office chose it.
      // Closed and rejected cases keep their assignee: that is who did the work.
      await tx
        .update(cases)
        // A change like any other to the case: its version moves, so a card pressed on the old state loses.
        .set({ assigneeId: null, version: sql`${cases.version} + 1`, updatedAt: now })
        .where(and(eq(cases.assigneeId, row.id), notInArray(cases.status, ["closed", "rejected"])));
    }
    for (const m of result.removedMembers) {
      await remove(`member ${m.telegramId} in "${m.unitId}"`, () =>
        tx.delete(members).where(and(eq(members.telegramId, m.telegramId), eq(members.unitId, m.unitId))),
      );
    }
    for (const c of plan.chats.missing) await remove(`chat ${c.chatId}`, () => tx.delete(chats).where(eq(chats.chatId, c.chatId)));
    for (const s of plan.schedules.missing) await tx.delete(schedules).where(scheduleKey(s.key));
    for (const u of plan.units.missing) await remove(`unit "${u.id}"`, () => tx.delete(units).where(eq(units.id, u.id)));
    for (const s of plan.sectors.missing) await remove(`sector "${s.id}"`, () => tx.delete(sectors).where(eq(sectors.id, s.id)));
    const current = [...plan.regions.missing, ...afterPrune(plan.regions)];
    for (const r of byDepth(current, plan.regions.missing).reverse()) {
      await remove(`region "${r.id}"`, () => tx.delete(regions).where(eq(regions.id, r.id)));
    }
    await staffChanged();
  });
  return result;
}

/** What a schedule from the file does: post its text, or a ranking of the period. */
function jobOf(s: DirectorySchedule) {
  return s.ranking ? { job: "ranking" as const, params: { period: s.ranking } } : { job: "message" as const, params: null };
}

/** A reminder by the key the file knows it by: its own, or `schedule-N` for /schedule's #N. */
function scheduleKey(key: string): SQL | undefined {
  const id = chatScheduleId(key);
  return id === null ? eq(schedules.key, key) : or(eq(schedules.key, key), and(isNull(schedules.key), eq(schedules.id, id)));
}

/** The driver's message when `error` (or what it wraps: drizzle wraps driver errors) is a foreign key failure. */
function foreignKeyFailure(error: unknown): string | undefined {
  for (let e = error, depth = 0; e instanceof Error && depth < 5; e = e.cause, depth++) {
    if (/FOREIGN KEY constraint failed/i.test(e.message)) return e.message;
  }
  return undefined;
}

function upserts<Row>(p: TablePlan<Row>): Row[] {
  return [...p.added, ...p.changed.map((c) => c.after)];
}

function routeKey(r: DirectoryRoute): SQL | undefined {
  return and(
    r.regionId === null ? isNull(routes.regionId) : eq(routes.regionId, r.regionId),
    r.sectorId === null ? isNull(routes.sectorId) : eq(routes.sectorId, r.sectorId),
  );
}

/** `rows` ordered by their depth in the tree `all` forms, shallowest first, so a parent is written before its child. */
function byDepth(all: DirectoryRegion[], rows: DirectoryRegion[]): DirectoryRegion[] {
  const parent = new Map(all.map((r) => [r.id, r.parentId]));
  const depth = (id: string) => {
    let d = 0;
    // Bounded: a parent cycle must not hang the import.
    for (let p = parent.get(id); p != null && d <= all.length; p = parent.get(p)) d++;
    return d;
  };
  return rows
    .map((r, i) => ({ r, i, d: depth(r.id) }))
    .sort((a, b) => a.d - b.d || a.i - b.i)
    .map((x) => x.r);
}
