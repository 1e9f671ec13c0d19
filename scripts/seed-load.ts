/**
 * npm run seed-load -- --cases N --db file:./data/load.db [--open N] [--seed 1] [--now ISO|now] [--due 20]
 *
 * A county's worth of load for the benchmarks (scripts/bench/) and for trying the bot on a
 * full database: the fictional county of examples/directory.yaml, imported through the
 * app's own directory code, with generated staff and groups for every unit, then N cases
 * spread over ~18 months before `now`, as the workflow would have left them: mostly hazards,
 * some consultations; most closed, some open, some overdue, a few listed for supervision;
 * each with its reporter, its ledger (case_events with the workflow's action names), photos,
 * the step times on `cases` (src/domain/reports.ts, caseMilestones), deadlines from the
 * office's calendar and policies, ratings; and for open cases their pending reminders,
 * none due except a fixed number (`dueReminders`), so that a tick's work is known.
 *
 * Deterministic: the same seed, size and `now` make the same database. Usable as a module
 * (`seedLoad`) and from the command line. Writes in large batches in one transaction.
 */
import { existsSync, mkdirSync, readFileSync, statSync } from "node:fs";
import { dirname, resolve } from "node:path";
import { fileURLToPath, pathToFileURL } from "node:url";
import { parseArgs } from "node:util";
import type { InValue, Transaction } from "@libsql/client";
import { getTableColumns, getTableName, sql } from "drizzle-orm";
import { migrate } from "drizzle-orm/libsql/migrator";
import type { SQLiteColumn, SQLiteTable } from "drizzle-orm/sqlite-core";
import { createDb, type Db, preferWal } from "../db/client";
import { openClient } from "../db/node-client";
import { eventRow } from "../db/queries/case-events";
import { applySync, planSync, readDirectory } from "../db/queries/directory-sync";
import { attachments, caseEvents, caseReporters, cases, counters, members, type NewCase, reminders, users } from "../db/schema";
import { officeDate } from "../src/domain/calendar";
import { capDeadline, type Duration, durationEnd, planReminders, type ReminderPlanItem, reminderKey } from "../src/domain/deadlines";
import { type Directory, type DirectoryChat, type DirectoryMember, formatDirectoryError, parseDirectory } from "../src/domain/directory-file";
import { CASE_PREFIXES, formatCaseNumber } from "../src/domain/numbering";
import { caseMilestones, type Milestones } from "../src/domain/reports";
import { regionPath, routeCase } from "../src/domain/routing";
import { type Action, type Actor, type CaseKind, type CaseState, type CaseStatus, decide, type Severity } from "../src/domain/workflow";
import { defaultTimeRules, type TimeRules, timeRulesSource } from "../src/services/deadlines";
import { formatBytes } from "./bench/process-stats";
import { runCli, UsageError } from "./cli";

/** A Wednesday, 10:00 in Asia/Shanghai: a working day in office hours, as the tests use. */
export const SEED_NOW = Date.parse("2026-11-25T02:00:00Z");
export const DEFAULT_DIRECTORY = fileURLToPath(new URL("../examples/directory.yaml", import.meta.url));
const MIGRATIONS = fileURLToPath(new URL("../db/migrations", import.meta.url));

const MINUTE = 60_000;
const HOUR = 60 * MINUTE;
const DAY = 24 * HOUR;

export interface SeedOptions {
  /** libSQL URL, e.g. file:./data/load.db; migrated here. It must hold no cases yet. */
  url: string;
  cases: number;
  /** How many of the cases are open now (default 5 %); the rest are closed, rejected or merged. */
  open?: number;
  seed?: number;
  /** The moment the database describes (default SEED_NOW): every time is at or before it, every pending reminder after it. */
  now?: number;
  /** Months of history (default 18). */
  months?: number;
  /** Pending reminders made due at `now` (default 20): a tick at `now` fires exactly these. */
  dueReminders?: number;
  /** The directory file (default examples/directory.yaml). */
  directoryFile?: string;
  officeTz?: string;
  /** Progress lines (default: none). */
  log?: (line: string) => void;
}

export interface SeedSummary {
  url: string;
  now: number;
  seed: number;
  cases: number;
  byKind: Record<string, number>;
  byStatus: Record<string, number>;
  open: number;
  overdue: number;
  listed: number;
  merged: number;
  rated: number;
  events: number;
  attachments: number;
  reporters: number;
  citizens: number;
  staff: number;
  groups: number;
  reminders: { pending: number; due: number; sent: number };
  /** Database file size in bytes (file: URLs only). */
  fileBytes: number | null;
  elapsedMs: number;
}

// ── Randomness ───────────────────────────────────────────────────────────────────────────

/**
 * mulberry32: a 32-bit state, good enough statistically for test data, and five lines. Kept
 * here rather than taken from a library so that the stream a seed gives can never change
 * under us with an upgrade (same seed, same database, for as long as this file says so),
 * and because nothing is to be installed for a benchmark.
 */
export function mulberry32(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

type Rng = () => number;
const between = (rng: Rng, lo: number, hi: number) => lo + rng() * (hi - lo);
const int = (rng: Rng, lo: number, hi: number) => Math.floor(between(rng, lo, hi + 1));
const chance = (rng: Rng, p: number) => rng() < p;
function pick<T>(rng: Rng, items: readonly T[]): T {
  return items[Math.floor(rng() * items.length)]!;
}
function weighted<T>(rng: Rng, items: ReadonlyArray<readonly [T, number]>): T {
  const total = items.reduce((s, [, w]) => s + w, 0);
  let r = rng() * total;
  for (const [item, w] of items) {
    r -= w;
    if (r < 0) return item;
  }
  return items[items.length - 1]![0];
}
const hex = (rng: Rng, n: number) => Array.from({ length: n }, () => Math.floor(rng() * 16).toString(16)).join("");
const B64 = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
const b64 = (rng: Rng, n: number) => Array.from({ length: n }, () => B64[Math.floor(rng() * 64)]).join("");

// ── The mix ──────────────────────────────────────────────────────────────────────────────

/** Where a case stands at `now`; "overdue" are assigned or in progress past their deadline. */
type Target = "new" | "assigned" | "in_progress" | "done" | "closed" | "rejected" | "merged";

const OPEN_MIX: ReadonlyArray<readonly [Target, number]> = [
  ["new", 1],
  ["assigned", 6],
  ["in_progress", 70],
  ["done", 23],
];
const SETTLED_MIX: ReadonlyArray<readonly [Target, number]> = [
  ["closed", 95],
  ["rejected", 4],
  ["merged", 1],
];
/** Of the open cases a unit is working on (assigned or in progress), about this share is past its deadline. */
const OVERDUE_SHARE = 0.2;
const KINDS: ReadonlyArray<readonly [CaseKind, number]> = [
  ["hazard", 80],
  ["violation", 5],
  ["consultation", 15],
];
const SEVERITIES: ReadonlyArray<readonly [Severity, number]> = [
  ["ordinary", 85],
  ["urgent", 10],
  ["major", 5],
];
/** The example county's busier sectors; any other sector weighs 1. */
const SECTOR_WEIGHT: Record<string, number> = { "industry-trade": 4, construction: 4, fire: 4, other: 1.5, "hazardous-chemicals": 2, fireworks: 1.5 };
const STARS: ReadonlyArray<readonly [number, number]> = [
  [1, 3],
  [2, 4],
  [3, 10],
  [4, 30],
  [5, 53],
];

// Short ASCII texts: a benchmark needs their size, not their language (and scripts/ holds no Chinese).
const HAZARDS = [
  "Blocked fire exit behind the warehouse",
  "Gas cylinders stored in a basement kitchen",
  "Fireworks sold from an unlicensed stall",
  "Scaffolding without guard rails on the third floor",
  "Chemical drums leaking next to a storm drain",
  "Overloaded wiring and extension leads in a workshop",
  "Fire extinguishers missing in the school canteen",
  "Dust collector not working in a wood workshop",
  "Forklift driven by an untrained worker",
  "Electric bikes charged in the stairwell",
  "Night work on a building site without lighting",
  "Open trench at the roadside without a fence",
];
const QUESTIONS = [
  "What training must a small workshop owner have?",
  "How do I apply for a fireworks retail licence?",
  "Who inspects the gas pipes in an old residential block?",
  "Must a shop with two staff have an emergency plan?",
  "Where can I report a dangerous building next door?",
];
const ADDRESSES = ["Main Street", "River Road", "Station Road", "Industrial Park", "Market Lane", "East Ring Road", "School Road"];

// ── One case's life ──────────────────────────────────────────────────────────────────────

interface Draws {
  kind: CaseKind;
  severity: Severity;
  sectorId: string;
  regionId: string;
  target: Target;
  overdue: boolean;
  routeDelay: number;
  /** Signing for it, as a share of the accept time allowed (over 1: late). */
  acceptShare: number;
  /** Resolving it, as a share of the time left to the deadline (over 1: late). */
  resolveShare: number;
  answeredDirectly: boolean;
  sentBack: boolean;
  progress: boolean;
  verifyDelay: number;
  listed: boolean;
  /** Where `now` falls in the stage the case is in, 0-1. */
  placement: number;
}

interface Life {
  created: number;
  assignedAt: number | null;
  acceptDueAt: number | null;
  dueAt: number | null;
  acceptedAt: number | null;
  progressAt: number | null;
  firstResolvedAt: number | null;
  sentBackAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
  endedAt: number | null;
  supervisedAt: number | null;
}

interface Planned extends Draws {
  life: Life;
  status: CaseStatus;
}

function policyDuration(rules: TimeRules, kind: CaseKind, severity: Severity, stage: "accept" | "resolve" | "verify"): Duration {
  return rules.policies[kind][severity][stage];
}

/**
 * Deadlines from the office's calendar, remembered: a deadline in working or calendar days
 * depends only on the office date it starts on (it ends at the close of office), so it is
 * computed once per date and duration, exactly; one in working hours is computed each time.
 * Computing every one afresh costs ~0.05 ms, seconds over 100k cases.
 */
function deadlineClock(rules: TimeRules) {
  const cal = rules.calendar;
  const dates = new Map<number, string>();
  // Every zone's offset is a whole number of quarter hours: within one, the office date is one.
  const dateOf = (at: number) => {
    const q = Math.floor(at / (15 * MINUTE));
    let d = dates.get(q);
    if (d === undefined) {
      d = officeDate(cal, q * 15 * MINUTE);
      dates.set(q, d);
    }
    return d;
  };
  const ends = new Map<string, number>();
  const end = (duration: Duration, from: number): number => {
    if ("workingHours" in duration) return durationEnd(cal, duration, from);
    const key = `${JSON.stringify(duration)}|${dateOf(from)}`;
    let at = ends.get(key);
    if (at === undefined) {
      at = durationEnd(cal, duration, from);
      ends.set(key, at);
    }
    return at;
  };
  /**
   * A reminder plan as planReminders makes it, remembered by the office date it started on
   * and its deadline: the plan is taken from that date's first minute, so its "half"
   * reminder can fall up to an office day earlier than the app's. Exact plans cost ~0.3 ms
   * each, half a minute for 100k open cases; a benchmark needs the rows, not that precision.
   */
  const plans = new Map<string, ReminderPlanItem[]>();
  const plan = (stage: "accept" | "resolve" | "verify", start: number, due: number): ReminderPlanItem[] => {
    const date = dateOf(start);
    const key = `${stage}|${date}|${due}`;
    let items = plans.get(key);
    if (items === undefined) {
      const [y, m, d] = date.split("-").map(Number) as [number, number, number];
      // UTC midnight less 14 hours is before that date begins in any zone; office time counts from its opening.
      const from = Math.min(start, Date.UTC(y, m - 1, d) - 14 * HOUR);
      items = planReminders(cal, { stage, startMs: from, dueMs: due }, stage === "verify" ? [] : rules.chain);
      plans.set(key, items);
    }
    return items.filter((i) => i.fireAt > start);
  };
  return { dateOf, end, plan };
}

type DeadlineClock = ReturnType<typeof deadlineClock>;

/** The case's whole life from `created` on, as if nothing stopped it; `status` then cuts it at now. */
function live(d: Draws, created: number, rules: TimeRules, clock: DeadlineClock, routed: boolean): Life {
  const life: Life = {
    created,
    assignedAt: null,
    acceptDueAt: null,
    dueAt: null,
    acceptedAt: null,
    progressAt: null,
    firstResolvedAt: null,
    sentBackAt: null,
    resolvedAt: null,
    closedAt: null,
    endedAt: null,
    supervisedAt: null,
  };
  if (!routed) return life;
  const assignedAt = created + d.routeDelay;
  const acceptDueAt = clock.end(policyDuration(rules, d.kind, d.severity, "accept"), assignedAt);
  const dueAt = capDeadline(created, clock.end(policyDuration(rules, d.kind, d.severity, "resolve"), assignedAt), false);
  Object.assign(life, { assignedAt, acceptDueAt, dueAt });
  if (d.target === "rejected" || d.target === "merged") {
    life.endedAt = assignedAt + Math.round(d.placement * 20 * HOUR) + 10 * MINUTE;
    return life;
  }
  if (d.listed) life.supervisedAt = assignedAt + HOUR + Math.round(d.placement * 6 * HOUR);
  if (d.kind === "consultation" && d.answeredDirectly) {
    life.acceptedAt = life.resolvedAt = assignedAt + Math.round(Math.max(dueAt - assignedAt, HOUR) * d.resolveShare);
  } else {
    const acceptedAt = assignedAt + Math.round(Math.max(acceptDueAt - assignedAt, 10 * MINUTE) * d.acceptShare);
    life.acceptedAt = acceptedAt;
    life.resolvedAt = acceptedAt + Math.round(Math.max(dueAt - acceptedAt, DAY) * d.resolveShare);
    if (d.progress) life.progressAt = acceptedAt + Math.round((life.resolvedAt - acceptedAt) * 0.5);
    if (d.sentBack) {
      life.firstResolvedAt = life.resolvedAt;
      life.sentBackAt = life.firstResolvedAt + Math.round(d.verifyDelay / 3);
      life.resolvedAt = life.sentBackAt + 2 * DAY + Math.round(d.placement * 3 * DAY);
    }
  }
  life.closedAt = life.resolvedAt + d.verifyDelay;
  return life;
}

/** Where a life stands at `now`. */
function statusAt(d: Draws, life: Life, now: number): CaseStatus {
  if (life.assignedAt === null || now < life.assignedAt) return "new";
  if (life.endedAt !== null) return now < life.endedAt ? "assigned" : d.target === "rejected" ? "rejected" : "closed";
  if (now < life.acceptedAt!) return "assigned";
  if (life.firstResolvedAt !== null && now >= life.firstResolvedAt && now < life.sentBackAt!) return "resolved";
  if (now < life.resolvedAt!) return "in_progress";
  if (now < life.closedAt!) return d.kind === "consultation" ? "answered" : "resolved";
  return "closed";
}

const WANTED: Record<Target, CaseStatus[]> = {
  new: ["new"],
  assigned: ["assigned"],
  in_progress: ["in_progress"],
  done: ["resolved", "answered"],
  closed: ["closed"],
  rejected: ["rejected"],
  merged: ["closed"],
};

/**
 * Places a case's life so that `now` falls where its target says: the stage's window is
 * read from the life at a guessed start, `now` put at `placement` inside it, and the life
 * lived again from there (its deadlines move with the calendar, so a few rounds). A life the
 * rounds cannot place (a holiday in the way) is cut to the target by hand: its later steps
 * simply have not happened yet.
 */
function place(d: Draws, now: number, earliest: number, rules: TimeRules, clock: DeadlineClock, rng: Rng): Planned {
  const routed = d.target !== "new";
  if (d.target === "new") {
    const life = live(d, now - Math.round(between(rng, 1, 30) * MINUTE), rules, clock, false);
    return { ...d, life, status: "new" };
  }
  if (d.target === "closed" || d.target === "rejected" || d.target === "merged") {
    // Settled cases: received uniformly over the history (more in office hours) such that
    // they were settled by now, so that settling times do not pile up just before it.
    const span = (life: Life) => (life.closedAt ?? life.endedAt!) - life.created;
    // The length depends on the calendar (a holiday week makes it longer): taken where it falls.
    const u = rng();
    const at = (length: number) => earliest + u * Math.max(DAY, now - earliest - length);
    let created = at(span(live(d, at(span(live(d, now - 30 * DAY, rules, clock, routed))), rules, clock, routed)));
    if (chance(rng, 0.7)) created = created - (created % DAY) + Math.round(between(rng, 0, 10) * HOUR); // 08:00-18:00 in UTC+8
    let life = live(d, created, rules, clock, routed);
    for (let round = 0; round < 6 && span(life) + life.created > now - MINUTE; round++) {
      created -= span(life) + life.created - now + Math.round(between(rng, 1, 24) * HOUR);
      life = live(d, created, rules, clock, routed);
    }
    return { ...d, life, status: statusAt(d, life, now) };
  }
  // Open: the window in which now should fall, as offsets from creation.
  const window = (life: Life): [number, number] => {
    const c = life.created;
    const due = life.dueAt! - c;
    switch (d.target) {
      case "assigned": {
        const [lo, hi] = [life.assignedAt! - c + MINUTE, life.acceptedAt! - c];
        return d.overdue ? [Math.max(lo, due + HOUR), Math.max(hi, due + 30 * DAY)] : [lo, Math.min(hi, due)];
      }
      case "in_progress": {
        const [lo, hi] = [life.acceptedAt! - c + MINUTE, life.resolvedAt! - c];
        return d.overdue ? [Math.max(lo, due + HOUR), Math.max(hi, due + 40 * DAY)] : [lo, Math.min(hi, due)];
      }
      default:
        return [life.resolvedAt! - c + MINUTE, Math.min(life.closedAt!, life.resolvedAt! + 9 * DAY) - c];
    }
  };
  let life = live(d, now - 5 * DAY, rules, clock, routed);
  for (let round = 0; round < 4; round++) {
    const [lo, hi] = window(life);
    const offset = Math.round(lo + Math.max(0, hi - lo) * d.placement);
    life = live(d, now - offset, rules, clock, routed);
    if (WANTED[d.target].includes(statusAt(d, life, now)) && (d.overdue ? life.dueAt! < now : life.dueAt! >= now)) break;
  }
  return { ...d, life: cut(d, life, now), status: d.target === "done" ? (d.kind === "consultation" ? "answered" : "resolved") : d.target };
}

/** The life up to its target stage, every step at or before now (later steps have not happened). */
function cut(d: Draws, life: Life, now: number): Life {
  const l = { ...life, closedAt: null };
  const clamp = (at: number | null, floor: number) => (at === null ? null : Math.max(floor, Math.min(at, now - MINUTE)));
  if (d.target === "assigned") {
    Object.assign(l, { acceptedAt: null, progressAt: null, firstResolvedAt: null, sentBackAt: null, resolvedAt: null });
  }
  if (d.target === "in_progress") {
    l.acceptedAt = clamp(l.acceptedAt, l.assignedAt!);
    if (l.firstResolvedAt !== null && l.sentBackAt !== null && l.sentBackAt < now) {
      l.resolvedAt = null;
    } else {
      Object.assign(l, { firstResolvedAt: null, sentBackAt: null, resolvedAt: null });
    }
    if (l.progressAt !== null && l.progressAt >= now) l.progressAt = null;
    if (d.kind === "consultation" && d.answeredDirectly) l.acceptedAt = clamp(l.assignedAt! + HOUR, l.assignedAt!);
  }
  if (d.target === "done") {
    l.acceptedAt = clamp(l.acceptedAt, l.assignedAt!);
    l.resolvedAt = clamp(l.resolvedAt, l.acceptedAt!);
    if (l.sentBackAt !== null && l.sentBackAt >= l.resolvedAt!) Object.assign(l, { firstResolvedAt: null, sentBackAt: null });
    if (l.progressAt !== null && l.progressAt >= l.resolvedAt!) l.progressAt = null;
  }
  if (l.supervisedAt !== null && l.supervisedAt >= now) l.supervisedAt = clamp(l.supervisedAt, l.assignedAt!);
  return l;
}

// ── The directory ────────────────────────────────────────────────────────────────────────

/**
 * The example file binds no person and no group; a county's load needs everyone a reminder
 * goes to. Each unit gets two liaisons, a head (the leader role in that unit) and a group;
 * the office two dispatchers, a liaison and a leader; the dispatchers and the leaders a group
 * each. Added to the parsed file and imported with it, through the same plan and apply as
 * `npm run directory`. Their ids are made up, like the cases: load for the benchmarks, which
 * talk to a fake Bot API.
 */
function withGeneratedStaff(directory: Directory): Directory {
  const memberRows: DirectoryMember[] = [...(directory.members ?? [])];
  const chatRows: DirectoryChat[] = [...(directory.chats ?? [])];
  const bound = new Set(chatRows.filter((c) => c.purpose === "unit").map((c) => c.unitId));
  directory.units.forEach((unit, u) => {
    const id = (k: number) => 300_000 + u * 10 + k;
    const add = (k: number, role: DirectoryMember["roles"][number], label: string) =>
      memberRows.push({ telegramId: id(k), unitId: unit.id, name: `${label} ${k} (${unit.id})`, roles: [role] });
    if (unit.kind === "office") {
      add(1, "dispatcher", "Dispatcher");
      add(2, "dispatcher", "Dispatcher");
      add(3, "liaison", "Liaison");
      add(4, "leader", "Leader");
    } else {
      add(1, "liaison", "Liaison");
      add(2, "liaison", "Liaison");
      add(3, "leader", "Head");
      if (!bound.has(unit.id)) chatRows.push({ chatId: -1_003_000_000_000 - u, title: `Work group ${unit.id}`, purpose: "unit", unitId: unit.id });
    }
  });
  if (!chatRows.some((c) => c.purpose === "dispatchers"))
    chatRows.push({ chatId: -1_003_000_000_998, title: "Dispatchers", purpose: "dispatchers", unitId: null });
  if (!chatRows.some((c) => c.purpose === "leaders"))
    chatRows.push({ chatId: -1_003_000_000_999, title: "Leaders", purpose: "leaders", unitId: null });
  return { ...directory, members: memberRows, chats: chatRows };
}

async function importDirectory(db: Db, file: string, now: number, timeZone: string): Promise<Directory> {
  const parsed = parseDirectory(readFileSync(file, "utf8"), file);
  if (!parsed.ok) throw new Error(parsed.errors.map(formatDirectoryError).join("\n"));
  const wanted = withGeneratedStaff(parsed.directory);
  // No onStaffChanged: in the county this database describes, the staff's command menus went
  // out long ago; queued now, they would be the first tick's work instead of its load.
  await applySync(db, planSync(await readDirectory(db), wanted), { prune: false, timeZone, now });
  return wanted;
}

// ── Writing ──────────────────────────────────────────────────────────────────────────────

/**
 * Inserts rows in statements of up to ~30,000 parameters (SQLite's limit is 32,766), each
 * value through its drizzle column (JSON, booleans) but with SQL built here: drizzle's
 * query building costs more than SQLite's writing at this size (about half the time).
 * Every row must have the keys of the first.
 */
async function insertAll<T extends SQLiteTable>(tx: Pick<Transaction, "execute">, table: T, rows: Array<T["$inferInsert"]>): Promise<void> {
  if (rows.length === 0) return;
  const columns = getTableColumns(table) as Record<string, SQLiteColumn>;
  const keys = Object.keys(rows[0]!).filter((k) => k in columns);
  const placeholders = `(${keys.map(() => "?").join(", ")})`;
  const head = `insert into "${getTableName(table)}" (${keys.map((k) => `"${columns[k]!.name}"`).join(", ")}) values `;
  const size = Math.max(1, Math.floor(30_000 / keys.length));
  for (let i = 0; i < rows.length; i += size) {
    const chunk = rows.slice(i, i + size);
    const args = chunk.flatMap((row) =>
      keys.map((k) => {
        const value = (row as Record<string, unknown>)[k];
        return (value === undefined || value === null ? null : columns[k]!.mapToDriverValue(value)) as InValue;
      }),
    );
    await tx.execute({ sql: head + Array(chunk.length).fill(placeholders).join(", "), args });
  }
}

type EventRow = typeof caseEvents.$inferInsert;
type AttachmentRow = typeof attachments.$inferInsert;
type ReminderRow = typeof reminders.$inferInsert;

export async function seedLoad(opts: SeedOptions): Promise<SeedSummary> {
  const started = performance.now();
  const seed = opts.seed ?? 1;
  const now = opts.now ?? SEED_NOW;
  const timeZone = opts.officeTz ?? "Asia/Shanghai";
  const total = opts.cases;
  const openCount = Math.min(total, opts.open ?? Math.round(total * 0.05));
  const earliest = now - Math.round((opts.months ?? 18) * 30.44 * DAY);
  const dueCount = opts.dueReminders ?? 20;
  const log = opts.log ?? (() => {});
  if (!Number.isSafeInteger(total) || total < 0) throw new RangeError(`cases must be a whole number >= 0: ${total}`);

  if (opts.url.startsWith("file:")) mkdirSync(dirname(opts.url.slice("file:".length)), { recursive: true });
  const client = openClient(opts.url);
  try {
    const db = createDb(client);
    await preferWal(client, opts.url); // as the Node entry opens it

    await migrate(db, { migrationsFolder: MIGRATIONS });
    const [{ n: existing } = { n: 0 }] = await db.all<{ n: number }>(sql`select count(*) as n from cases`);
    if (existing > 0) throw new Error(`${opts.url} already holds ${existing} cases; seed a new file`);

    const directory = await importDirectory(db, opts.directoryFile ?? DEFAULT_DIRECTORY, now, timeZone);
    const rules = await timeRulesSource(defaultTimeRules(timeZone))(db);
    const clock = deadlineClock(rules);
    const staff = await db.select({ id: members.id, telegramId: members.telegramId, unitId: members.unitId, roles: members.roles }).from(members);
    const withRole = (role: string, unitId?: string) =>
      staff.filter((m) => m.roles.includes(role as never) && (unitId === undefined || m.unitId === unitId));
    /** A staff member as the workflow sees them when they act. */
    const asActor = (m: (typeof staff)[number]): Actor => ({ kind: "member", memberId: m.id, roles: m.roles, unitIds: m.unitId ? [m.unitId] : [] });
    const dispatchers = withRole("dispatcher");
    const leaders = withRole("leader");
    const liaisonsOf = new Map(directory.units.map((u) => [u.id, withRole("liaison", u.id)]));
    // Staff have talked to the bot (they joined by invite or pressed /start): they are users, in Chinese.
    await insertAll(
      client,
      users,
      [...new Set(staff.map((m) => m.telegramId))].map((telegramId) => ({ telegramId, locale: "zh-CN", createdAt: now, updatedAt: now })),
    );
    log(
      `directory: ${directory.regions.length} regions, ${directory.sectors.length} sectors, ${directory.units.length} units, ${staff.length} staff`,
    );

    // ── Draw every case, place it in time, then number them in the order they came in.
    const rng = mulberry32(seed);
    const regionsBelow = directory.regions.filter((r) => r.parentId !== null);
    const regionWeights = regionsBelow.map((r) => [r.id, r.level === "town" ? 2 : 1] as const);
    const sectorWeights = directory.sectors.map((s) => [s.id, SECTOR_WEIGHT[s.id] ?? 1] as const);
    const regionTree = directory.regions.map((r) => ({ id: r.id, parentId: r.parentId }));
    const routeTable = directory.routes;
    const openTargets = Array.from({ length: openCount }, () => weighted(rng, OPEN_MIX));
    const planned: Array<Planned & { unitId: string | null }> = [];
    for (let i = 0; i < total; i++) {
      const target = i < openCount ? openTargets[i]! : weighted(rng, SETTLED_MIX);
      const kind = weighted(rng, KINDS);
      const draws: Draws = {
        kind,
        severity: kind === "consultation" ? "ordinary" : weighted(rng, SEVERITIES),
        sectorId: weighted(rng, sectorWeights),
        regionId: weighted(rng, regionWeights),
        target,
        overdue: (target === "assigned" || target === "in_progress") && chance(rng, target === "assigned" ? OVERDUE_SHARE / 4 : OVERDUE_SHARE * 1.3),
        routeDelay: int(rng, 800, 5000),
        // Most sign for it in time; about one in eight late.
        acceptShare: chance(rng, 0.88) ? between(rng, 0.05, 0.95) : between(rng, 1.02, 2),
        resolveShare: chance(rng, 0.85) ? between(rng, 0.1, 0.97) : between(rng, 1.02, 1.6),
        answeredDirectly: chance(rng, 0.6),
        sentBack: chance(rng, 0.03),
        progress: chance(rng, 0.3),
        verifyDelay: Math.round(between(rng, 2 * HOUR, 9 * DAY)),
        listed: kind !== "consultation" && chance(rng, i < openCount ? 0.03 : 0.01),
        placement: between(rng, 0.05, 0.95),
      };
      const p = place(draws, now, earliest, rules, clock, rng);
      const unitId = p.status === "new" ? null : routeCase(routeTable, regionPath(regionTree, p.regionId), p.sectorId);
      planned.push({ ...p, unitId });
    }
    planned.sort((a, b) => a.life.created - b.life.created);
    log(`planned ${total} cases in ${Math.round(performance.now() - started)} ms`);

    const summary: SeedSummary = {
      url: opts.url.replace(/\/\/[^@/]*@/, "//"),
      now,
      seed,
      cases: total,
      byKind: {},
      byStatus: {},
      open: 0,
      overdue: 0,
      listed: 0,
      merged: 0,
      rated: 0,
      events: 0,
      attachments: 0,
      reporters: 0,
      citizens: 0,
      staff: staff.length,
      groups: (directory.chats ?? []).length,
      reminders: { pending: 0, due: 0, sent: 0 },
      fileBytes: null,
      elapsedMs: 0,
    };
    const count = (m: Record<string, number>, k: string) => (m[k] = (m[k] ?? 0) + 1);

    // Citizens: most report once, some often. Their ids are well clear of the staff's.
    const citizenPool = Math.max(1, Math.round(total * 0.7));
    const citizensSeen = new Set<number>();
    const sequences = new Map<string, number>();
    const dueCandidates: Array<{ key: string; caseId: number }> = [];

    const CHUNK = 5000;
    const tx = await client.transaction("write");
    try {
      for (let from = 0; from < planned.length; from += CHUNK) {
        const caseRows: NewCase[] = [];
        const reporterRows: Array<typeof caseReporters.$inferInsert> = [];
        const eventRows: EventRow[] = [];
        const media: Array<{ eventIndex: number; row: Omit<AttachmentRow, "eventId"> }> = [];
        const reminderRows: ReminderRow[] = [];
        const userRows: Array<typeof users.$inferInsert> = [];

        for (let j = from; j < Math.min(from + CHUNK, planned.length); j++) {
          const c = planned[j]!;
          const id = j + 1;
          const { life } = c;
          const scope = `${CASE_PREFIXES[c.kind]}-${clock.dateOf(life.created).replaceAll("-", "")}`;
          const seq = (sequences.get(scope) ?? 0) + 1;
          sequences.set(scope, seq);
          const liaisons = c.unitId ? (liaisonsOf.get(c.unitId) ?? []) : [];
          const liaison = liaisons.length > 0 ? pick(rng, liaisons) : null;
          const dispatcher = pick(rng, dispatchers);
          const merged = c.target === "merged" && id > 1 ? int(rng, Math.max(1, id - 200), id - 1) : null;
          const anonymous = chance(rng, 0.55);
          const reward = c.kind !== "consultation" && chance(rng, 0.2);
          const area = directory.regions.find((r) => r.id === c.regionId)?.area;
          const circle = area && "radiusM" in area ? area : null;
          const pin = circle !== null && chance(rng, 0.3);
          const r = Math.sqrt(rng()) * (circle && pin ? circle.radiusM * 0.7 : 0);
          const angle = rng() * 2 * Math.PI;

          // The ledger, written by the workflow itself (src/domain/workflow.ts, `decide`): each
          // step is an action by whoever would take it, at its time, and its events are what the
          // app would store; a step after `now` has not happened. The status, the step times and
          // the version on the case follow from the decisions, as case-actions derives them.
          const events: EventRow[] = [eventRow(id, life.created, { kind: "citizen" }, { action: "submitted", data: {}, toStatus: "new" })];
          const caseMedia: Array<{ eventIndex: number; row: Omit<AttachmentRow, "eventId"> }> = [];
          const photo = (eventIndex: number) =>
            caseMedia.push({
              eventIndex,
              row: { caseId: id, kind: "photo", fileId: `AgACAgUAAxkBAAI${b64(rng, 60)}`, fileUniqueId: `AQAD${b64(rng, 12)}` },
            });
          let state: CaseState = {
            status: "new",
            kind: c.kind,
            severity: c.severity,
            unitId: null,
            assigneeId: null,
            dueAt: null,
            supervision: "none",
            pendingTransfer: null,
            pendingExtension: null,
            mergedInto: null,
            duplicateHints: [],
            version: 1,
          };
          let milestones: Milestones = { assignedAt: null, acceptedAt: null, resolvedAt: null, closedAt: null };
          let sentBackAt = null as number | null; // set by the steps below (closures: TS would narrow it to null)
          const act = (at: number, action: Action, actor: Actor) => {
            const decision = decide(state, action, actor, { now: at, expectedVersion: state.version, caseId: id });
            if (!decision.ok) throw new Error(`case ${id}: the workflow refused ${action.type} (${decision.code} ${decision.field ?? ""})`);
            state = decision.state;
            milestones = caseMilestones(milestones, decision.events, at);
            for (const event of decision.events) {
              events.push(eventRow(id, at, actor, event));
              if (event.action === "sent_back") sentBackAt = at;
            }
          };
          const reportPhotos = chance(rng, 0.7) ? int(rng, 1, 3) : 0;
          for (let k = 0; k < reportPhotos; k++) photo(0);

          const office = asActor(dispatcher);
          const steps: Array<[number, () => void]> = [];
          const at = (time: number | null, run: () => void) => {
            if (time !== null && time <= now) steps.push([time, run]);
          };
          if (life.assignedAt !== null && c.unitId !== null) {
            if (liaison === null) throw new Error(`unit ${c.unitId} has no liaison to work case ${id}`);
            const unit = asActor(liaison);
            at(life.assignedAt, () => act(life.assignedAt!, { type: "route", unitId: c.unitId! }, { kind: "system" }));
            const settled = Math.min(life.endedAt ?? Infinity, life.closedAt ?? Infinity);
            if (life.supervisedAt !== null && life.supervisedAt < settled) {
              at(life.supervisedAt, () => act(life.supervisedAt!, { type: "supervise", listed: true }, asActor(pick(rng, leaders))));
            }
            if (life.endedAt !== null) {
              at(life.endedAt, () =>
                merged === null
                  ? act(life.endedAt!, { type: "reject", reason: "Outside the office's remit; referred to the market regulator." }, office)
                  : // The case it repeats was open then: the seed does not follow that case's life.
                    act(life.endedAt!, { type: "mark_duplicate", ofCaseId: merged, ofCaseOpen: true }, office),
              );
            }
            const resolve = (time: number) => () => {
              if (c.kind === "consultation") return act(time, { type: "answer", text: "Answered in writing after a site visit." }, unit);
              const evidence = int(rng, 1, 2);
              act(
                time,
                { type: "resolve", measures: "Rectified on site; equipment replaced and staff briefed.", responsible: "Site manager", evidence },
                unit,
              );
              for (let k = 0; k < evidence; k++) photo(events.length - 1);
            };
            // A consultation still being worked on was signed for first (its life was cut there).
            if (c.kind === "consultation" && c.answeredDirectly && c.target !== "in_progress") {
              at(life.resolvedAt, () =>
                act(life.resolvedAt!, { type: "answer", text: "Answered by phone and in writing; see the rules attached." }, unit),
              );
            } else {
              at(life.acceptedAt, () => act(life.acceptedAt!, { type: "accept" }, unit));
              at(life.progressAt, () =>
                act(life.progressAt!, { type: "progress", text: "Inspected on site; rectification under way.", attachments: 0 }, unit),
              );
              if (life.firstResolvedAt !== null && life.sentBackAt !== null) {
                at(life.firstResolvedAt, resolve(life.firstResolvedAt));
                at(life.sentBackAt, () => act(life.sentBackAt!, { type: "send_back", reason: "The photo does not show the rectification." }, office));
              }
              at(life.resolvedAt, resolve(life.resolvedAt!));
            }
            if (life.endedAt === null) at(life.closedAt, () => act(life.closedAt!, { type: "verify_close" }, office));
          }
          for (const [, run] of steps.sort((a, b) => a[0] - b[0])) run();
          const { status } = state;
          for (const m of caseMedia) media.push({ eventIndex: eventRows.length + m.eventIndex, row: m.row });
          eventRows.push(...events);

          const closedAt = milestones.closedAt;
          const rated = status === "closed" && merged === null && closedAt !== null && chance(rng, 0.45);
          const ratedAt = rated ? Math.min(now, closedAt + Math.round(between(rng, 5 * MINUTE, 3 * DAY))) : null;
          const lastAt = events[events.length - 1]!.at;
          const listed = state.supervision === "listed";
          caseRows.push({
            id,
            number: formatCaseNumber(scope, seq),
            kind: c.kind,
            status,
            sectorId: c.sectorId,
            regionId: c.regionId,
            latitude: circle && pin ? circle.lat + (r * Math.cos(angle)) / 111_320 : null,
            longitude: circle && pin ? circle.lng + (r * Math.sin(angle)) / (111_320 * Math.cos((circle.lat * Math.PI) / 180)) : null,
            address: `No. ${int(rng, 1, 300)} ${pick(rng, ADDRESSES)}`,
            description: c.kind === "consultation" ? pick(rng, QUESTIONS) : `${pick(rng, HAZARDS)}. Seen again this week; please check.`,
            severity: c.severity,
            anonymous,
            rewardRequested: reward,
            unitId: state.unitId,
            assigneeId: state.assigneeId,
            dueAt: status === "new" ? null : life.dueAt,
            supervision: state.supervision,
            mergedInto: state.mergedInto,
            submissionId: `load-${seed}-${id}`,
            rating: rated ? weighted(rng, STARS) : null,
            ratingComment: rated && chance(rng, 0.3) ? "Fixed quickly, thank you." : null,
            ratedAt,
            // Asked once more three days after closing unless rated; older ones were asked long ago.
            ratingReminderAt:
              status === "closed" && merged === null && !rated && closedAt !== null && closedAt + 3 * DAY > now ? closedAt + 3 * DAY : null,
            assignedAt: milestones.assignedAt,
            acceptDueAt: status === "new" ? null : life.acceptDueAt,
            acceptedAt: milestones.acceptedAt,
            resolvedAt: milestones.resolvedAt,
            closedAt,
            version: state.version,
            createdAt: life.created,
            updatedAt: Math.max(lastAt, ratedAt ?? 0),
          });

          const citizen = 500_000_000 + Math.floor(rng() ** 1.6 * citizenPool);
          reporterRows.push({
            caseId: id,
            telegramId: citizen,
            chatId: citizen,
            name: anonymous ? null : `Citizen ${citizen % 100_000}`,
            phone: anonymous ? null : `138${String(citizen % 100_000_000).padStart(8, "0")}`,
            claimHash: anonymous && reward ? hex(rng, 64) : null,
            createdAt: life.created,
          });
          if (!citizensSeen.has(citizen)) {
            citizensSeen.add(citizen);
            userRows.push({ telegramId: citizen, locale: chance(rng, 0.95) ? "zh-CN" : "en", createdAt: life.created, updatedAt: life.created });
          }

          // Reminders of the stage the case is in (src/services/deadlines.ts): fired ones sent, the rest pending.
          const stagePlans: Array<{ stage: "accept" | "resolve" | "verify"; start: number; due: number }> = [];
          if (status === "assigned") stagePlans.push({ stage: "accept", start: milestones.assignedAt!, due: life.acceptDueAt! });
          if (status === "assigned" || status === "in_progress") {
            // A case sent back is reminded of its deadline again from then on.
            stagePlans.push({ stage: "resolve", start: sentBackAt ?? milestones.assignedAt!, due: life.dueAt! });
          }
          if (status === "resolved" || status === "answered") {
            const resolvedAt = milestones.resolvedAt!;
            stagePlans.push({ stage: "verify", start: resolvedAt, due: clock.end(policyDuration(rules, c.kind, c.severity, "verify"), resolvedAt) });
          }
          const overdue = (status === "assigned" || status === "in_progress") && life.dueAt! < now;
          let nextResolve: string | null = null;
          for (const p of stagePlans) {
            for (const item of clock.plan(p.stage, p.start, p.due)) {
              const sent = item.fireAt <= now;
              const key = reminderKey(id, item, p.due);
              reminderRows.push({
                key,
                caseId: id,
                stage: item.stage,
                kind: item.kind,
                level: item.level,
                fireAt: item.fireAt,
                dueAt: p.due,
                status: sent ? "sent" : "pending",
                sentAt: sent ? item.fireAt : null,
                createdAt: p.start,
              });
              if (sent) summary.reminders.sent++;
              else summary.reminders.pending++;
              if (!sent && item.stage === "resolve") nextResolve ??= key;
            }
          }
          // The next resolve reminder of a case being worked on (a half-time or 2-hour warning,
          // or for an overdue case its next escalation) is what a tick would find due.
          if (nextResolve !== null) dueCandidates.push({ key: nextResolve, caseId: id });

          count(summary.byKind, c.kind);
          count(summary.byStatus, status);
          if (["new", "assigned", "in_progress", "resolved", "answered"].includes(status)) summary.open++;
          if (overdue) summary.overdue++;
          if (listed) summary.listed++;
          if (merged !== null) summary.merged++;
          if (rated) summary.rated++;
        }

        await insertAll(tx, users, userRows);
        await insertAll(tx, cases, caseRows);
        await insertAll(tx, caseReporters, reporterRows);
        // Event ids are needed for the photos: this chunk's ids follow the last one written.
        const last = Number((await tx.execute("select coalesce(max(id), 0) as last from case_events")).rows[0]!.last);
        await insertAll(tx, caseEvents, eventRows);
        await insertAll(
          tx,
          attachments,
          media.map((m) => ({ ...m.row, eventId: last + m.eventIndex + 1 })),
        );
        await insertAll(tx, reminders, reminderRows);
        summary.events += eventRows.length;
        summary.attachments += media.length;
        summary.reporters += reporterRows.length;
        log(`wrote ${Math.min(from + CHUNK, planned.length)} of ${total} cases (${Math.round(performance.now() - started)} ms)`);
      }

      // The day's sequences, so that the next report of a seeded day gets the next number.
      await insertAll(
        tx,
        counters,
        [...sequences].map(([scope, value]) => ({ scope, value })),
      );

      // A fixed amount of due work: that many pending reminders of distinct cases fall due
      // within the last minutes (under LATE_AFTER_MS, so none is marked late).
      const chosen = new Map<number, string>();
      const order = mulberry32(seed ^ 0x5eed);
      for (let tries = 0; chosen.size < Math.min(dueCount, dueCandidates.length) && tries < dueCandidates.length * 4; tries++) {
        const candidate = dueCandidates[Math.floor(order() * dueCandidates.length)]!;
        if (!chosen.has(candidate.caseId)) chosen.set(candidate.caseId, candidate.key);
      }
      let k = 0;
      for (const key of chosen.values()) {
        await tx.execute({ sql: "update reminders set fire_at = ? where key = ?", args: [now - MINUTE - k++ * 10_000, key] });
      }
      summary.reminders.due = chosen.size;
      await tx.commit();
    } finally {
      tx.close();
    }
    summary.citizens = citizensSeen.size;
    if (opts.url.startsWith("file:")) {
      // Everything into the main file, so that a copy of it alone is the whole database.
      await client.execute("PRAGMA wal_checkpoint(TRUNCATE)");
      const path = opts.url.slice("file:".length);
      summary.fileBytes = existsSync(path) ? statSync(path).size : null;
    }
    summary.elapsedMs = Math.round(performance.now() - started);
    return summary;
  } finally {
    client.close();
  }
}

/** What was made, in a few lines. */
export function describeSeed(s: SeedSummary): string[] {
  const list = (m: Record<string, number>) =>
    Object.entries(m)
      .sort((a, b) => b[1] - a[1])
      .map(([k, v]) => `${k} ${v}`)
      .join(", ");
  return [
    `Seeded ${s.url} (seed ${s.seed}, now ${new Date(s.now).toISOString()}) in ${(s.elapsedMs / 1000).toFixed(1)} s:`,
    `  ${s.cases} cases: ${list(s.byKind)}`,
    `  status: ${list(s.byStatus)}`,
    `  open ${s.open}, overdue ${s.overdue}, listed for supervision ${s.listed}, merged ${s.merged}, rated ${s.rated}`,
    `  ${s.events} case events, ${s.attachments} attachments, ${s.reporters} reporters (${s.citizens} citizens), ${s.staff} staff, ${s.groups} groups`,
    `  reminders: ${s.reminders.pending} pending (${s.reminders.due} due now), ${s.reminders.sent} sent`,
    `  database file: ${s.fileBytes === null ? "not a file" : formatBytes(s.fileBytes)}`,
  ];
}

// ── Command line ─────────────────────────────────────────────────────────────────────────

const USAGE = `Usage:
  npm run seed-load -- --cases N --db file:./data/load.db [--open N] [--seed 1] [--now ISO|now] [--due 20]
Makes a new database with the example county and N generated cases (about 5 % open unless
--open says how many). --now is the moment the data describes (default ${new Date(SEED_NOW).toISOString()},
so that a seed always makes the same database; "now" for the current time).`;

async function main(argv: string[]): Promise<number> {
  const { values, positionals } = parseArgs({
    args: argv,
    allowPositionals: true,
    options: {
      cases: { type: "string" },
      db: { type: "string" },
      open: { type: "string" },
      seed: { type: "string", default: "1" },
      now: { type: "string" },
      due: { type: "string", default: "20" },
      help: { type: "boolean", short: "h" },
    },
  });
  if (values.help) {
    console.log(USAGE);
    return 0;
  }
  if (positionals.length > 0) throw new UsageError(`unexpected ${positionals.join(" ")}`);
  const whole = (name: string, value: string | undefined) => {
    const n = Number(value);
    if (value === undefined || !Number.isSafeInteger(n) || n < 0)
      throw new UsageError(`--${name} must be a whole number, not ${JSON.stringify(value)}`);
    return n;
  };
  if (!values.db) throw new UsageError("--db is needed, e.g. --db file:./data/load.db");
  let now = SEED_NOW;
  if (values.now === "now") now = Date.now();
  else if (values.now !== undefined) {
    now = Date.parse(values.now);
    if (Number.isNaN(now)) throw new UsageError(`--now must be an ISO date and time or "now", not ${JSON.stringify(values.now)}`);
  }
  // npm runs scripts from the package root; a relative file: URL is relative to where the operator typed it.
  const url = values.db.startsWith("file:") ? `file:${resolve(process.env.INIT_CWD || process.cwd(), values.db.slice("file:".length))}` : values.db;
  const summary = await seedLoad({
    url,
    cases: whole("cases", values.cases),
    open: values.open === undefined ? undefined : whole("open", values.open),
    seed: whole("seed", values.seed),
    now,
    dueReminders: whole("due", values.due),
    officeTz: process.env.OFFICE_TZ || "Asia/Shanghai",
    log: (line) => console.error(line),
  });
  for (const line of describeSeed(summary)) console.log(line);
  return 0;
}

if (process.argv[1] && import.meta.url === pathToFileURL(resolve(process.argv[1])).href) {
  await runCli("seed-load", USAGE, main);
}
