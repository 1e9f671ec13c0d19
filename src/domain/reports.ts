/**
 * The figures behind the units' ranking (red and black lists), /stats and the leaders' daily
 * digest, as pure functions of plain query results and `now`. The rules are the office's
 * (docs/glossary.md, "Rankings"): what counts as received, as on time, as overdue, how units
 * are ordered and which go on the red or the black list. Nothing here touches storage or
 * Telegram; db/queries/reports.ts reads the rows, src/services/report-messages.ts shows them.
 *
 * Periods and days are the office's, in its time zone (any IANA zone, DST included): the
 * server may run in UTC, so calendar arithmetic is done on plain dates and turned into
 * instants with zonedTime, never with the machine's local time.
 */
import { addDays, isWorkday, type OfficeCalendar } from "./calendar";
import type { TrendDay } from "./chart";
import type { DeadlineStage } from "./deadlines";
import { SOURCES, type Source } from "./doors";
import { formatOfficeTime, zonedTime } from "./office-time";
import { CASE_KINDS, type CaseKind, type CaseStatus, type EventType } from "./workflow";

const HOUR_MS = 3_600_000;
const DAY_MS = 24 * HOUR_MS;

// ── Periods and days ────────────────────────────────────────────────────────────────────

export const PERIOD_KINDS = ["week", "half", "month", "quarter"] as const;
export type PeriodKind = (typeof PERIOD_KINDS)[number];
export type PeriodWhich = "current" | "previous";

/** Instants, `from` inclusive, `to` exclusive. */
export interface Range {
  from: number;
  to: number;
}

type Ymd = { y: number; m: number; d: number };

const ymdOf = (date: string): Ymd => ({ y: Number(date.slice(0, 4)), m: Number(date.slice(5, 7)), d: Number(date.slice(8, 10)) });
const isoOf = ({ y, m, d }: Ymd) => `${String(y).padStart(4, "0")}-${String(m).padStart(2, "0")}-${String(d).padStart(2, "0")}`;
/** Office midnight at the start of a date. */
const startOfDate = (date: string, tz: string) => {
  const { y, m, d } = ymdOf(date);
  return zonedTime(y, m, d, 0, 0, tz);
};
/** The office's calendar date at an instant. */
export const officeDateOf = (at: number, tz: string): string => formatOfficeTime(at, tz).slice(0, 10);

/** The first day of the month `months` after the one `ymd` is in (negative: before). */
function monthStart(ymd: Ymd, months: number): Ymd {
  const index = ymd.y * 12 + (ymd.m - 1) + months;
  return { y: Math.floor(index / 12), m: (index % 12) + 1, d: 1 };
}

/** The first date of the period of this kind that contains `date`. */
function periodStart(kind: PeriodKind, date: string): string {
  const ymd = ymdOf(date);
  switch (kind) {
    case "week": {
      // Weeks start on Monday; getUTCDay of a UTC date is that calendar date's weekday.
      const weekday = new Date(Date.UTC(ymd.y, ymd.m - 1, ymd.d)).getUTCDay();
      return addDays(date, -((weekday + 6) % 7));
    }
    case "half":
      return isoOf({ ...ymd, d: ymd.d <= 15 ? 1 : 16 });
    case "month":
      return isoOf(monthStart(ymd, 0));
    case "quarter":
      return isoOf(monthStart({ ...ymd, m: ymd.m - ((ymd.m - 1) % 3) }, 0));
  }
}

/** The first date of the period after (step 1) or before (step -1) the one starting at `start`. */
function stepPeriod(kind: PeriodKind, start: string, step: 1 | -1): string {
  const ymd = ymdOf(start);
  switch (kind) {
    case "week":
      return addDays(start, 7 * step);
    case "half":
      // Halves are the 1st–15th and the 16th–end of each month.
      if (step === 1) return ymd.d === 1 ? isoOf({ ...ymd, d: 16 }) : isoOf(monthStart(ymd, 1));
      return ymd.d === 16 ? isoOf({ ...ymd, d: 1 }) : isoOf({ ...monthStart(ymd, -1), d: 16 });
    case "month":
      return isoOf(monthStart(ymd, step));
    case "quarter":
      return isoOf(monthStart(ymd, 3 * step));
  }
}

/**
 * The period of this kind in the office's zone: "current" is the one `at` falls in (its end
 * is still ahead; nothing after `at` exists yet), "previous" the complete one before it.
 * Weeks start on Monday; a "half" is the 1st–15th or the 16th to the end of the month;
 * quarters start in January, April, July and October.
 */
export function periodRange(kind: PeriodKind, at: number, tz: string, which: PeriodWhich): Range {
  const current = periodStart(kind, officeDateOf(at, tz));
  const start = which === "current" ? current : stepPeriod(kind, current, -1);
  const end = which === "current" ? stepPeriod(kind, current, 1) : current;
  return { from: startOfDate(start, tz), to: startOfDate(end, tz) };
}

/** One office day: its date and its instants. */
export interface DayWindow extends Range {
  date: string;
}

export function officeDay(date: string, tz: string): DayWindow {
  return { date, from: startOfDate(date, tz), to: startOfDate(addDays(date, 1), tz) };
}

/** The `count` office days before the one `at` falls in, oldest first (the last is "yesterday"). */
export function daysBefore(at: number, tz: string, count: number): DayWindow[] {
  const today = officeDateOf(at, tz);
  return Array.from({ length: count }, (_, i) => officeDay(addDays(today, i - count), tz));
}

/** How many of the instants fall in each window (windows in order, not overlapping). */
export function countByDay(days: readonly Range[], instants: readonly number[]): number[] {
  const counts = days.map(() => 0);
  for (const at of instants) {
    const i = days.findIndex((d) => at >= d.from && at < d.to);
    if (i >= 0) counts[i]! += 1;
  }
  return counts;
}

// ── One case's steps (the denormalized timestamps on `cases`) ─────────────────────────────

export interface Milestones {
  assignedAt: number | null;
  acceptedAt: number | null;
  resolvedAt: number | null;
  closedAt: number | null;
}

/**
 * The case's step times after the workflow events just taken at `now` (the accept deadline
 * is set by the deadlines service, which plans it). A hand-over (assignment, reassignment or
 * an accepted transfer) starts the new owner's clock, as the accept deadline does, and
 * forgets the previous owner's acceptance. Answering a consultation straight away counts as
 * signing for it. resolvedAt keeps the LAST resolve or answer: a case sent back has none
 * until it is resolved again, so a rework is judged by when it was really finished.
 */
export function caseMilestones(before: Milestones, events: ReadonlyArray<{ action: EventType }>, now: number): Milestones {
  const m = { assignedAt: before.assignedAt, acceptedAt: before.acceptedAt, resolvedAt: before.resolvedAt, closedAt: before.closedAt };
  for (const { action } of events) {
    switch (action) {
      case "assigned":
      case "transfer_accepted":
        m.assignedAt = now;
        m.acceptedAt = null;
        break;
      case "accepted":
        m.acceptedAt = now;
        break;
      case "answered":
        m.acceptedAt ??= now;
        m.resolvedAt = now;
        break;
      case "resolved":
        m.resolvedAt = now;
        break;
      case "sent_back":
      case "follow_up_asked":
        // Back with the unit: done again when it answers again.
        m.resolvedAt = null;
        break;
      case "closed":
        m.closedAt = now;
        break;
      case "reopened":
        // Handed over again, to be done again: the steps after the hand-over start over.
        m.assignedAt = now;
        m.acceptedAt = null;
        m.resolvedAt = null;
        m.closedAt = null;
        break;
      case "submitted":
      case "severity_set":
      case "deadline_set":
      case "merged":
      case "duplicate_dismissed":
      case "rejected":
      case "supervised":
      case "transfer_requested":
      case "transfer_refused":
      case "progress":
      case "extension_requested":
      case "extension_granted":
      case "extension_refused":
      case "rated":
      case "rating_comment":
      case "reporter_asked":
      case "reporter_replied":
      case "material_added":
      case "reporter_erased":
        break;
      default:
        action satisfies never;
    }
  }
  return m;
}

// ── Tallies ─────────────────────────────────────────────────────────────────────────────

/** What a period's figures need to know of one case (the narrow columns of `cases`). */
export interface CaseFacts {
  unitId: string | null;
  kind: CaseKind;
  status: CaseStatus;
  assignedAt: number | null;
  acceptDueAt: number | null;
  acceptedAt: number | null;
  dueAt: number | null;
  resolvedAt: number | null;
  rating: number | null;
  /** Marked a duplicate of another case (closed into it). */
  merged: boolean;
  /**
   * How many times the case was reopened (`reopened` events): closed after its unit
   * resolved or answered it, and handed back because the citizen was not satisfied.
   */
  reopened: number;
}

/** Rejected and merged cases were nobody's to work: no unit is judged on them. */
const worked = (c: CaseFacts) => c.status !== "rejected" && !c.merged;

/** `count` of `of` cases; `rate` is null when there is nothing to judge yet (never NaN). */
export interface Rate {
  count: number;
  of: number;
  rate: number | null;
}

export interface Mean {
  mean: number | null;
  count: number;
}

export interface Tally {
  received: number;
  /** Signed for by the accept deadline, of those signed for or past it. */
  acceptedOnTime: Rate;
  resolved: number;
  /** Resolved (or answered) by the deadline, of those resolved or past it. */
  resolvedOnTime: Rate;
  /** Mean hours from hand-over to resolution, over the resolved ones (calendar hours). */
  avgHandlingHours: number | null;
  /** The citizens' 1–5 stars. */
  satisfaction: Mean;
  /** Cases reopened after the unit had done them (the citizen not satisfied): the strongest sign of work not done. */
  reopened: number;
}

const rate = (count: number, of: number): Rate => ({ count, of, rate: of === 0 ? null : count / of });
const mean = (values: number[]): Mean => ({
  mean: values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length,
  count: values.length,
});

/**
 * A step is judged once it is done or its deadline has passed: done at or before the
 * deadline is on time (exactly at the deadline counts as on time), done later or not done by
 * a deadline now past is late, and one still within its deadline is not judged yet. A step
 * done with no deadline set was not late.
 */
function judge(doneAt: number | null, dueAt: number | null, now: number): "on-time" | "late" | "open" {
  if (doneAt !== null) return dueAt === null || doneAt <= dueAt ? "on-time" : "late";
  return dueAt !== null && now > dueAt ? "late" : "open";
}

/** The figures of a set of cases (one unit's, or the office's) as of `now`; rejected and merged ones are left out. */
export function tally(cases: readonly CaseFacts[], now: number): Tally {
  let received = 0,
    accepted = 0,
    acceptJudged = 0,
    resolved = 0,
    resolvedOnTime = 0,
    resolveJudged = 0,
    reopened = 0;
  const hours: number[] = [];
  const ratings: number[] = [];
  for (const c of cases) {
    if (!worked(c)) continue;
    received += 1;
    const accept = judge(c.acceptedAt, c.acceptDueAt, now);
    if (accept !== "open") acceptJudged += 1;
    if (accept === "on-time") accepted += 1;
    const resolve = judge(c.resolvedAt, c.dueAt, now);
    if (resolve !== "open") resolveJudged += 1;
    if (resolve === "on-time") resolvedOnTime += 1;
    if (c.resolvedAt !== null) {
      resolved += 1;
      if (c.assignedAt !== null && c.resolvedAt >= c.assignedAt) hours.push((c.resolvedAt - c.assignedAt) / HOUR_MS);
    }
    if (c.rating !== null) ratings.push(c.rating);
    if (c.reopened > 0) reopened += 1;
  }
  return {
    received,
    acceptedOnTime: rate(accepted, acceptJudged),
    resolved,
    resolvedOnTime: rate(resolvedOnTime, resolveJudged),
    avgHandlingHours: mean(hours).mean,
    satisfaction: mean(ratings),
    reopened,
  };
}

// ── The units' ranking ──────────────────────────────────────────────────────────────────

/** Units with fewer cases than this in the period are listed apart, not ranked on one case. */
export const MIN_RANKED_CASES = 3;
/** How many places at the top and at the bottom the red and black lists look at. */
export const LIST_PLACES = 3;
/** Below this on-time rate a unit is on neither the red list nor spared the black one. */
export const ON_TIME_BAR = 0.8;

export interface UnitFigures extends Tally {
  unitId: string;
  /** The unit's open cases past their deadline now, whenever they were received. */
  overdueNow: number;
}

export interface RankedUnit extends UnitFigures {
  /** 1 is best; units equal on every criterion share a rank (1, 2, 2, 4). */
  rank: number;
  list: "red" | "black" | null;
}

export interface Ranking {
  ranked: RankedUnit[];
  /** Fewer than `minCases` received: listed apart, by received (most first), then id. */
  unranked: UnitFigures[];
  minCases: number;
}

/** A rate with nothing to judge yet counts as full marks for ordering: nothing was late. */
const forOrder = (r: Rate) => r.rate ?? 1;

/** Negative when `a` ranks above `b`; 0 when they are equal on every criterion. */
function compareUnits(a: UnitFigures, b: UnitFigures): number {
  return (
    a.reopened - b.reopened ||
    forOrder(b.resolvedOnTime) - forOrder(a.resolvedOnTime) ||
    forOrder(b.acceptedOnTime) - forOrder(a.acceptedOnTime) ||
    a.overdueNow - b.overdueNow ||
    b.received - a.received
  );
}

/**
 * The units' ranking for a period. Each unit's figures are over the cases handed to it in
 * the period (`cases`; rejected and merged ones do not count), plus its open cases overdue
 * now (`overdue`, whenever received). Units with fewer than `minCases`
 * received are listed apart. The rest are ordered by
 *   1. fewer cases reopened (the citizen not satisfied with what the unit did: the strongest signal),
 *   2. resolved-on-time rate, higher first,
 *   3. accepted-on-time rate, higher first (a rate with nothing judged yet counts as 100%),
 *   4. fewer cases overdue now,
 *   5. more cases received;
 * units equal on all five share a rank and are listed by id.
 * Red list: a unit ranked in the top three places with no case reopened, nothing overdue now
 * and a resolved-on-time rate of at least 80% (or nothing judged yet). Black list: the
 * strongest signal first, every ranked unit with a case reopened, whatever its place; then a
 * unit in the bottom three places, but not in the top three (with few units they overlap),
 * with something overdue now or a resolved-on-time rate under 80%.
 */
export function rankUnits(
  input: { unitIds: readonly string[]; cases: readonly CaseFacts[]; overdue: ReadonlyArray<{ unitId: string | null; count: number }> },
  opts: { now: number; minCases?: number },
): Ranking {
  const minCases = opts.minCases ?? MIN_RANKED_CASES;
  const ids = [...new Set([...input.unitIds, ...input.cases.map((c) => c.unitId), ...input.overdue.map((o) => o.unitId)])].filter(
    (id): id is string => id !== null,
  );
  // Each unit's cases in one pass over the period's, in the order they came (a month holds
  // thousands of cases and a county dozens of units, so filtering per unit would read them
  // all once per unit).
  const casesOf = new Map<string | null, CaseFacts[]>();
  for (const c of input.cases) {
    const list = casesOf.get(c.unitId);
    if (list) list.push(c);
    else casesOf.set(c.unitId, [c]);
  }
  const overdueOf = new Map<string | null, number>();
  for (const o of input.overdue) overdueOf.set(o.unitId, (overdueOf.get(o.unitId) ?? 0) + o.count);
  const figures: UnitFigures[] = ids.map((unitId) => ({
    unitId,
    ...tally(casesOf.get(unitId) ?? [], opts.now),
    overdueNow: overdueOf.get(unitId) ?? 0,
  }));
  const byId = (a: UnitFigures, b: UnitFigures) => (a.unitId < b.unitId ? -1 : a.unitId > b.unitId ? 1 : 0);

  const sorted = figures.filter((f) => f.received >= minCases).sort((a, b) => compareUnits(a, b) || byId(a, b));
  const ranked: RankedUnit[] = [];
  sorted.forEach((f, i) => {
    const previous = ranked[i - 1];
    const rank = previous && compareUnits(sorted[i - 1]!, f) === 0 ? previous.rank : i + 1;
    ranked.push({ ...f, rank, list: null });
  });
  const good = (f: UnitFigures) => f.reopened === 0 && f.overdueNow === 0 && forOrder(f.resolvedOnTime) >= ON_TIME_BAR;
  const bottomRank = ranked[Math.max(0, ranked.length - LIST_PLACES)]?.rank ?? Infinity;
  for (const u of ranked) {
    if (u.reopened > 0) u.list = "black";
    else if (u.rank <= LIST_PLACES && good(u)) u.list = "red";
    else if (u.rank > LIST_PLACES && u.rank >= bottomRank && !good(u)) u.list = "black";
  }
  const unranked = figures.filter((f) => f.received < minCases).sort((a, b) => b.received - a.received || byId(a, b));
  return { ranked, unranked, minCases };
}

// ── /stats ──────────────────────────────────────────────────────────────────────────────

export interface StatsFigures extends Tally {
  /** Received in the period, rejected and merged ones included (the rest of the tally leaves them out). */
  receivedAll: number;
  /** Received in the period, by kind, rejected and merged ones included. */
  byKind: Record<CaseKind, number>;
  /** The same, by the door they came by. */
  bySource: Record<Source, number>;
  /** Closed in the period (verified, or merged into another case). */
  closed: number;
  openNow: number;
  overdueNow: number;
}

/**
 * The office's figures for a period (and a region or sector, when the query filtered):
 * `received` are the cases received in the period, whose tally is taken as for a unit
 * (rejected and merged ones counted as received, `receivedAll`, and by kind, but not
 * judged); `closed` counts closes in the period; `openNow` and `overdueNow` are as of now.
 */
export function statsFigures(
  input: { received: readonly (CaseFacts & { source: Source })[]; closed: number; openNow: number; overdueNow: number },
  now: number,
): StatsFigures {
  const byKind = Object.fromEntries(CASE_KINDS.map((k) => [k, 0])) as Record<CaseKind, number>;
  const bySource = Object.fromEntries(SOURCES.map((s) => [s, 0])) as Record<Source, number>;
  for (const c of input.received) {
    byKind[c.kind] += 1;
    bySource[c.source] += 1;
  }
  return {
    ...tally(input.received, now),
    receivedAll: input.received.length,
    byKind,
    bySource,
    closed: input.closed,
    openNow: input.openNow,
    overdueNow: input.overdueNow,
  };
}

// ── Overdue, stage by stage ─────────────────────────────────────────────────────────────

/**
 * Where a case waits at each stage, and so where it can be overdue: the statuses in which
 * that stage's deadline runs (`cases.accept_due_at`, `due_at`, `verify_due_at`). A case is
 * overdue now when it waits at a stage whose deadline has passed, which is exactly when the
 * reminders service sends, rather than drops, that stage's overdue notice
 * (src/services/reminders.ts, `applies`); an assigned case not yet signed for waits at two
 * stages at once, accepting and resolving. db/queries/reports.ts turns this into the one
 * condition /stats, the ranking and the digest count by.
 */
export const OVERDUE_STAGES = {
  accept: ["assigned"],
  resolve: ["assigned", "in_progress"],
  verify: ["resolved", "answered"],
} as const satisfies Record<DeadlineStage, readonly CaseStatus[]>;

/**
 * The stages a unit answers for in the ranking: verifying is the dispatchers' step, so a
 * resolved case waiting for them is not held against the unit.
 */
export const UNIT_STAGES = ["accept", "resolve"] as const satisfies readonly DeadlineStage[];

// ── The leaders' daily digest ───────────────────────────────────────────────────────────

export type { TrendDay };

/** How many days the digest's trend covers, ending yesterday. */
export const TREND_DAYS = 14;
/** How many of the most overdue cases the digest names. */
export const WORST_OVERDUE = 3;
/**
 * The longest period one digest covers. Even China's longest holiday (Spring Festival, with
 * the weekends around it) is under two weeks; a calendar with a month of days off is broken,
 * and the digest then covers the last 31 days rather than reading back without end.
 */
export const MAX_DIGEST_DAYS = 31;

/** The office days of the digest's trend chart: the TREND_DAYS days ending yesterday, oldest first. */
export function digestDays(at: number, tz: string): DayWindow[] {
  return daysBefore(at, tz, TREND_DAYS);
}

/** The office days one digest reports on: `first` to `last` inclusive, `days` of them, as instants [from, to). */
export interface DigestPeriod extends Range {
  first: string;
  last: string;
  days: number;
}

/**
 * The period the digest of office date `date` (a working day) covers: from the working day
 * before it, inclusive, up to the day before it. Tuesday's covers Monday; Monday's, Friday to
 * Sunday; the first working day after a holiday's, the last working day before it and every
 * day off; a make-up working day (a Saturday worked) ends the period like any working day.
 * Since each working day's period starts where the previous working day's ended, the periods
 * of the working days follow one another with no gap and no overlap, and every case received
 * falls in exactly one digest. At most MAX_DIGEST_DAYS days, should the calendar have no
 * working day for that long.
 */
export function digestPeriod(calendar: OfficeCalendar, date: string): DigestPeriod {
  const last = addDays(date, -1);
  let first = last;
  while (!isWorkday(calendar, first) && first > addDays(date, -MAX_DIGEST_DAYS)) first = addDays(first, -1);
  const tz = calendar.timeZone;
  const from = startOfDate(first, tz);
  const to = startOfDate(date, tz);
  // Whole calendar days between the two dates (UTC dates, so no DST hour gets in the way).
  const days = Math.round((Date.parse(`${date}T00:00:00Z`) - Date.parse(`${first}T00:00:00Z`)) / DAY_MS);
  return { first, last, days, from, to };
}

export interface DigestInput {
  /** digestPeriod(): the days reported on. */
  period: DigestPeriod;
  /** digestDays(at): the trend's days, oldest first, ending with the period's last day. */
  days: readonly DayWindow[];
  /** When the cases received over the trend's days and the period were received. */
  openedAt: readonly number[];
  /** When the cases closed over the trend's days and the period were closed. */
  closedAt: readonly number[];
  /**
   * The deadlines (accept, resolve or answer, verify) that passed in the period unmet: the
   * overdue notices sent for them (see newlyOverdue in db/queries/reports.ts).
   */
  newlyOverdue: number;
  /** Cases overdue now at any stage (OVERDUE_STAGES), each counted once. */
  overdueNow: number;
  /**
   * The longest overdue, by stage: for each stage, at least the WORST_OVERDUE cases whose
   * deadline there passed longest ago. A case overdue at two stages may come twice, with
   * each stage's deadline.
   */
  overdue: ReadonlyArray<{ number: string; unitId: string | null; dueAt: number }>;
  /** Open cases listed for supervision. */
  supervisedOpen: number;
}

export interface DigestFigures {
  /** The period reported on: its first and last office dates and how many days. */
  period: { first: string; last: string; days: number };
  /** Received in the period. */
  opened: number;
  /** Closed in the period (verified, or merged into another case). */
  closed: number;
  /** Deadlines that passed in the period unmet, at every stage. */
  newlyOverdue: number;
  overdueNow: number;
  supervisedOpen: number;
  /**
   * Most overdue first, each case once, overdue since the earliest deadline it missed; days
   * counted as started days (1 minute over is 1 day).
   */
  worstOverdue: Array<{ number: string; unitId: string | null; daysOverdue: number }>;
  series: TrendDay[];
}

/** The digest for the period given, with the trend over `input.days`, as of `now`. */
export function digestFigures(input: DigestInput, now: number): DigestFigures {
  const { period } = input;
  const opened = countByDay(input.days, input.openedAt);
  const closed = countByDay(input.days, input.closedAt);
  const series = input.days.map((d, i) => ({ date: d.date, opened: opened[i]!, closed: closed[i]! }));
  // A case past two deadlines (not signed for, and past its resolve deadline too) has been
  // overdue since the first of them.
  const since = new Map<string, { number: string; unitId: string | null; dueAt: number }>();
  for (const c of input.overdue) {
    if (c.dueAt >= now) continue;
    const seen = since.get(c.number);
    if (!seen || c.dueAt < seen.dueAt) since.set(c.number, c);
  }
  const worstOverdue = [...since.values()]
    .sort((a, b) => a.dueAt - b.dueAt || (a.number < b.number ? -1 : 1))
    .slice(0, WORST_OVERDUE)
    .map((c) => ({ number: c.number, unitId: c.unitId, daysOverdue: Math.ceil((now - c.dueAt) / DAY_MS) }));
  return {
    period: { first: period.first, last: period.last, days: period.days },
    opened: countByDay([period], input.openedAt)[0]!,
    closed: countByDay([period], input.closedAt)[0]!,
    newlyOverdue: input.newlyOverdue,
    overdueNow: input.overdueNow,
    supervisedOpen: input.supervisedOpen,
    worstOverdue,
    series,
  };
}

// ── Areas for /stats ────────────────────────────────────────────────────────────────────

interface Named {
  id: string;
  nameZh: string;
  nameEn: string;
}

export type AreaMatch =
  | { ok: true; area: { type: "region" | "sector"; id: string; nameZh: string; nameEn: string }; regionIds: string[] }
  | { ok: false; problem: "unknown" | "ambiguous"; candidates: string[] };

/** A region's id with the ids of every region under it (a town and its villages). */
export function regionAndBelow(regions: ReadonlyArray<{ id: string; parentId: string | null }>, id: string): string[] {
  const out = [id];
  // Breadth first over the tree; `out` grows as children are found, and a cycle in bad data stops at ids seen.
  for (let i = 0; i < out.length; i++) {
    for (const r of regions) if (r.parentId === out[i] && !out.includes(r.id)) out.push(r.id);
  }
  return out;
}

/**
 * The region or sector a person means by `text`: its id or its name in either language
 * (letter case ignored); failing that, the one whose name contains the text. More than one
 * match is ambiguous, and the candidates' ids are given so the person can pick one.
 */
export function matchArea(text: string, regions: ReadonlyArray<Named & { parentId: string | null }>, sectors: readonly Named[]): AreaMatch {
  const want = text.trim().toLowerCase();
  const all = [...regions.map((r) => ({ type: "region" as const, row: r })), ...sectors.map((s) => ({ type: "sector" as const, row: s }))];
  const names = (r: Named) => [r.nameZh.toLowerCase(), r.nameEn.toLowerCase()];
  let found = all.filter(({ row }) => row.id.toLowerCase() === want);
  if (found.length === 0) found = all.filter(({ row }) => names(row).includes(want));
  if (found.length === 0 && want !== "") found = all.filter(({ row }) => names(row).some((n) => n.includes(want)));
  if (found.length !== 1) return { ok: false, problem: found.length === 0 ? "unknown" : "ambiguous", candidates: found.map(({ row }) => row.id) };
  const { type, row } = found[0]!;
  return {
    ok: true,
    area: { type, id: row.id, nameZh: row.nameZh, nameEn: row.nameEn },
    regionIds: type === "region" ? regionAndBelow(regions, row.id) : [],
  };
}

// ── Command arguments ───────────────────────────────────────────────────────────────────

/**
 * The words after /ranking or /stats: an optional period kind, an optional "prev" (the
 * previous complete period), and the rest (for /stats, a region or sector). Defaults: the
 * current month to date.
 */
export function parsePeriodWords(text: string): { kind: PeriodKind; which: PeriodWhich; rest: string } {
  const words = text.trim().split(/\s+/).filter(Boolean);
  let kind: PeriodKind | null = null;
  let which: PeriodWhich | null = null;
  let i = 0;
  // "month prev" and "prev month" alike; each at most once, then the rest is the filter.
  for (; i < words.length; i++) {
    const w = words[i]!.toLowerCase();
    if (kind === null && (PERIOD_KINDS as readonly string[]).includes(w)) kind = w as PeriodKind;
    else if (which === null && (w === "prev" || w === "previous")) which = "previous";
    else break;
  }
  return { kind: kind ?? "month", which: which ?? "current", rest: words.slice(i).join(" ") };
}
