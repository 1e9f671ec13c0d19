/**
 * The office's working-day calendar: which days are working days (weekends, the public
 * holidays and their make-up working days, the office's own changes) and which hours of
 * them are office hours. Deadlines counted in working days or working hours, and the
 * reminders hanging off them, are computed here. Pure: no clock, no I/O, no host time zone;
 * every wall-clock question goes through office-time.ts in the office's IANA zone, so the
 * answers are the same on Workers (UTC) and on a Node host anywhere.
 *
 * Holidays come from the `chinese-days` package (the State Council's yearly schedule,
 * published each November for the next year). A year the package does not know falls back
 * to Monday-Friday; `calendarWarning` says so in time to update the package or add
 * overrides.
 */
// Default import on purpose. The package is "type": "commonjs" with no "exports" map:
// Node (tsx, vitest) loads its UMD `main`, whose exports cjs-module-lexer cannot see, so a
// named import (`import { getDayDetail }`) fails there with "Named export not found";
// bundlers (esbuild via wrangler) take its ESM `module` build instead. Both builds have a
// default export carrying every function, so the default import works in both.
import chineseDays from "chinese-days";
import { formatOfficeTime, zonedTime } from "./office-time";

/** [hour, minute] of a wall-clock time in the office's zone. */
export type ClockTime = [hour: number, minute: number];

export interface WorkHours {
  start: ClockTime;
  end: ClockTime;
  lunch?: { start: ClockTime; end: ClockTime };
}

/** The office's own changes, "YYYY-MM-DD"; they win over the package (holidays over workdays if a date is in both). */
export interface CalendarOverrides {
  workdays: string[];
  holidays: string[];
}

export interface OfficeCalendar {
  timeZone: string;
  workHours: WorkHours;
  overrides: CalendarOverrides;
}

/**
 * 08:30-12:00 and 14:00-17:30, a common county office day. Configurable: build an
 * OfficeCalendar with the office's own hours and overrides instead.
 */
export function defaultCalendar(timeZone = "Asia/Shanghai"): OfficeCalendar {
  return {
    timeZone,
    workHours: { start: [8, 30], end: [17, 30], lunch: { start: [12, 0], end: [14, 0] } },
    overrides: { workdays: [], holidays: [] },
  };
}

const MINUTE_MS = 60_000;
const HOUR_MS = 3_600_000;
/** More consecutive days without office hours than this means the calendar is broken. */
const MAX_IDLE_DAYS = 400;

// ---- calendar dates ("YYYY-MM-DD"), computed in UTC so the host's zone never matters ----

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

function dateParts(date: string): [year: number, month: number, day: number] | null {
  const m = DATE_RE.exec(date);
  if (!m) return null;
  const [y, mo, d] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(y, mo - 1, d));
  if (check.getUTCFullYear() !== y || check.getUTCMonth() !== mo - 1 || check.getUTCDate() !== d) return null;
  return [y, mo, d];
}

function partsOf(date: string): [number, number, number] {
  const p = dateParts(date);
  if (!p) throw new RangeError(`not a YYYY-MM-DD date: ${JSON.stringify(date)}`);
  return p;
}

/** True for a real "YYYY-MM-DD" date. */
export function isIsoDate(date: string): boolean {
  return dateParts(date) !== null;
}

function isoOfUtc(ms: number): string {
  return new Date(ms).toISOString().slice(0, 10);
}

/** The calendar date `days` after `date` (negative: before). */
export function addDays(date: string, days: number): string {
  const [y, m, d] = partsOf(date);
  return isoOfUtc(Date.UTC(y, m - 1, d + days));
}

/** 0 = Sunday … 6 = Saturday. */
function weekday(date: string): number {
  const [y, m, d] = partsOf(date);
  return new Date(Date.UTC(y, m - 1, d)).getUTCDay();
}

/** The office's calendar date ("YYYY-MM-DD") at an instant. */
export function officeDate(cal: OfficeCalendar, atMs: number): string {
  return formatOfficeTime(atMs, cal.timeZone).slice(0, 10);
}

// ---- the package ----

const WEEKDAY_NAMES = new Set(["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]);

/**
 * What the package's tables say about a date: true (make-up working day), false (public
 * holiday), or null (not in its tables: an ordinary day, or a year it does not know).
 *
 * Only the table lookup is used, never the package's own weekday logic: it parses
 * "YYYY-MM-DD" as UTC midnight but reads it back with the host's local-time getters, so on
 * a host west of UTC its weekday is a day early. Its tables are keyed the same shifted way
 * in the same process, so the lookup itself is right on any host; the name it returns is a
 * table entry ("National Day,...") or, for an ordinary day, the English weekday name.
 */
function packageSays(date: string): boolean | null {
  const detail = chineseDays.getDayDetail(date);
  return WEEKDAY_NAMES.has(detail.name) ? null : detail.work;
}

let covered: { from: number; to: number } | null = null;

/** The years for which the package has the State Council's holiday schedule. */
export function coveredYears(): { from: number; to: number } {
  if (covered) return { ...covered };
  const known: number[] = [];
  // New Year's Day and National Day are public holidays every year, whatever the weekday.
  for (let year = 1949; year <= 2200; year++) {
    if (packageSays(`${year}-01-01`) === false && packageSays(`${year}-10-01`) === false) known.push(year);
  }
  covered = known.length > 0 ? { from: known[0]!, to: known[known.length - 1]! } : { from: 0, to: -1 };
  return { ...covered };
}

function yearHasOverrides(cal: OfficeCalendar, year: number): boolean {
  const prefix = `${year}-`;
  return [...cal.overrides.workdays, ...cal.overrides.holidays].some((d) => d.startsWith(prefix));
}

/**
 * A warning for the logs when this year (or next year, from December on) has no holiday
 * schedule: not in the package and no overrides for it, so it falls back to Monday-Friday
 * and Spring Festival would count as working days. Null when all is well.
 */
export function calendarWarning(cal: OfficeCalendar, nowMs: number): string | null {
  const today = officeDate(cal, nowMs);
  const [year, month] = partsOf(today);
  const years = month === 12 ? [year, year + 1] : [year];
  const { from, to } = coveredYears();
  const missing = years.filter((y) => (y < from || y > to) && !yearHasOverrides(cal, y));
  if (missing.length === 0) return null;
  const list = missing.join(" and ");
  return (
    `calendar: chinese-days covers ${from}-${to} and the office calendar has no overrides for ${list}; ` +
    `working days in ${list} fall back to Monday-Friday (public holidays and make-up working days ignored). ` +
    `Update the chinese-days package once the State Council publishes the schedule, or add the holidays and make-up working days as calendar overrides.`
  );
}

/** Overrides first, then the package's holidays and make-up working days, then Monday-Friday. */
export function isWorkday(cal: OfficeCalendar, date: string): boolean {
  partsOf(date);
  if (cal.overrides.holidays.includes(date)) return false;
  if (cal.overrides.workdays.includes(date)) return true;
  const said = packageSays(date);
  if (said !== null) return said;
  const wd = weekday(date);
  return wd >= 1 && wd <= 5;
}

// ---- office hours as instants ----

type Interval = readonly [startMs: number, endMs: number];

const minutesOf = (t: ClockTime): number => t[0] * 60 + t[1];

/** The wall-clock stretches of a working day, in minutes after midnight. */
function wallStretches(hours: WorkHours): Array<[number, number]> {
  const start = minutesOf(hours.start);
  const end = minutesOf(hours.end);
  const parts: Array<[number, number]> = hours.lunch
    ? [
        [start, minutesOf(hours.lunch.start)],
        [minutesOf(hours.lunch.end), end],
      ]
    : [[start, end]];
  return parts.filter(([a, b]) => b > a);
}

/** Office time in an ordinary working day (no DST change inside office hours), in ms. */
export function officeDayMs(cal: OfficeCalendar): number {
  return wallStretches(cal.workHours).reduce((sum, [a, b]) => sum + (b - a) * MINUTE_MS, 0);
}

// zonedTime builds Intl formatters and costs ~0.1 ms; reminder plans revisit the same days
// many times, so each day's intervals are remembered (pure values; bounded).
const intervalCache = new Map<string, readonly Interval[]>();
const INTERVAL_CACHE_MAX = 4096;

/** The office-hour intervals of a date, as instants; none on a day that is not a working day. */
export function officeIntervals(cal: OfficeCalendar, date: string): readonly Interval[] {
  if (!isWorkday(cal, date)) return [];
  const stretches = wallStretches(cal.workHours);
  const key = `${cal.timeZone}|${stretches.flat().join(",")}|${date}`;
  const hit = intervalCache.get(key);
  if (hit) return hit;
  const [y, m, d] = partsOf(date);
  const at = (minutes: number): number => zonedTime(y, m, d, Math.floor(minutes / 60), minutes % 60, cal.timeZone);
  const first = stretches[0];
  const last = stretches[stretches.length - 1];
  let result: Interval[] = [];
  if (first && last) {
    const open = at(first[0]);
    const close = at(last[1]);
    // The same offset at opening and closing (no DST change in office hours, i.e. always in
    // practice): the inner boundaries follow from the wall-clock minutes.
    const steady = close - open === (last[1] - first[0]) * MINUTE_MS;
    const instant = (minutes: number): number => (steady ? open + (minutes - first[0]) * MINUTE_MS : at(minutes));
    result = stretches.map(([a, b]) => [instant(a), instant(b)] as const).filter(([a, b]) => b > a);
  }
  if (intervalCache.size >= INTERVAL_CACHE_MAX) intervalCache.clear();
  intervalCache.set(key, result);
  return result;
}

/** The end of office hours on a date (on any date, working day or not), as an instant. */
export function closeOfDay(cal: OfficeCalendar, date: string): number {
  const [y, m, d] = partsOf(date);
  return zonedTime(y, m, d, cal.workHours.end[0], cal.workHours.end[1], cal.timeZone);
}

function nextWorkday(cal: OfficeCalendar, date: string): string {
  let day = addDays(date, 1);
  for (let i = 0; !isWorkday(cal, day); i++) {
    if (i > MAX_IDLE_DAYS) throw new RangeError(`calendar: no working day within ${MAX_IDLE_DAYS} days after ${date}`);
    day = addDays(day, 1);
  }
  return day;
}

/** Office-hour intervals from the office day of `fromMs` on (forward) or back (backward). */
function* intervalsFrom(cal: OfficeCalendar, fromMs: number, direction: 1 | -1): Generator<Interval> {
  let day = officeDate(cal, fromMs);
  let idle = 0;
  for (;;) {
    const intervals = officeIntervals(cal, day);
    if (intervals.length === 0) {
      if (++idle > MAX_IDLE_DAYS) throw new RangeError(`calendar: no office hours within ${MAX_IDLE_DAYS} days of ${day}`);
    } else {
      idle = 0;
      yield* direction === 1 ? intervals : [...intervals].reverse();
    }
    day = addDays(day, direction);
  }
}

/** The first instant at or after `atMs` inside office hours on a working day. */
export function nextWorkingMoment(cal: OfficeCalendar, atMs: number): number {
  return addWorkingTime(cal, atMs, 0);
}

/** True when `atMs` is inside office hours on a working day (opening included, closing not). */
export function isWorkingMoment(cal: OfficeCalendar, atMs: number): boolean {
  return officeIntervals(cal, officeDate(cal, atMs)).some(([a, b]) => atMs >= a && atMs < b);
}

/**
 * The instant when `ms` of office time has passed since `fromMs`, counting only office
 * hours on working days; a start outside them begins at the next opening. Landing exactly
 * on a closing (or lunch) time gives that time, not the next opening.
 */
export function addWorkingTime(cal: OfficeCalendar, fromMs: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`working time must be >= 0: ${ms}`);
  let remaining = ms;
  for (const [a, b] of intervalsFrom(cal, fromMs, 1)) {
    if (b <= fromMs) continue;
    const start = Math.max(a, fromMs);
    if (b - start >= remaining) return start + remaining;
    remaining -= b - start;
  }
  throw new Error("unreachable");
}

/** `addWorkingTime` in hours. */
export function addWorkingHours(cal: OfficeCalendar, fromMs: number, hours: number): number {
  return addWorkingTime(cal, fromMs, Math.round(hours * HOUR_MS));
}

/** The instant `ms` of office time before `atMs` (the mirror of addWorkingTime). */
export function subtractWorkingTime(cal: OfficeCalendar, atMs: number, ms: number): number {
  if (!(ms >= 0) || !Number.isFinite(ms)) throw new RangeError(`working time must be >= 0: ${ms}`);
  let remaining = ms;
  for (const [a, b] of intervalsFrom(cal, atMs, -1)) {
    if (a >= atMs) continue;
    const end = Math.min(b, atMs);
    if (end - a >= remaining) return end - remaining;
    remaining -= end - a;
  }
  throw new Error("unreachable");
}

/** Milliseconds of office time between two instants (0 when `toMs` is not after `fromMs`). */
export function workingTimeBetween(cal: OfficeCalendar, fromMs: number, toMs: number): number {
  if (!(toMs > fromMs)) return 0;
  let total = 0;
  const last = officeDate(cal, toMs);
  for (let day = officeDate(cal, fromMs); day <= last; day = addDays(day, 1)) {
    for (const [a, b] of officeIntervals(cal, day)) {
      const overlap = Math.min(b, toMs) - Math.max(a, fromMs);
      if (overlap > 0) total += overlap;
    }
  }
  return total;
}

/**
 * The end of office hours on the Nth working day after the office day of `fromMs`: day 1 is
 * the next working day; 0 is the end of today's office hours if today is a working day
 * (even when that is already past), else the next working day's end.
 */
export function addWorkingDays(cal: OfficeCalendar, fromMs: number, days: number): number {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`working days must be a whole number >= 0: ${days}`);
  const today = officeDate(cal, fromMs);
  let day = today;
  if (days === 0) {
    if (!isWorkday(cal, today)) day = nextWorkday(cal, today);
  } else {
    for (let n = 0; n < days; n++) day = nextWorkday(cal, day);
  }
  return closeOfDay(cal, day);
}

/**
 * The end of office hours on the Nth calendar day after the office day of `fromMs`; when
 * that day is not a working day, the end of the next working day (as the Civil Code, art.
 * 203, moves a period that ends on a rest day).
 */
export function addCalendarDays(cal: OfficeCalendar, fromMs: number, days: number): number {
  if (!Number.isSafeInteger(days) || days < 0) throw new RangeError(`calendar days must be a whole number >= 0: ${days}`);
  let day = addDays(officeDate(cal, fromMs), days);
  if (!isWorkday(cal, day)) day = nextWorkday(cal, day);
  return closeOfDay(cal, day);
}

/** What is wrong with a calendar's settings, in English for logs and config errors; empty when fine. */
export function calendarProblems(cal: OfficeCalendar): string[] {
  const problems: string[] = [];
  try {
    new Intl.DateTimeFormat("en-US", { timeZone: cal.timeZone });
  } catch {
    problems.push(`unknown time zone ${JSON.stringify(cal.timeZone)}`);
  }
  const h = cal.workHours;
  const times: Array<[string, ClockTime]> = [
    ["start", h.start],
    ["end", h.end],
    ...(h.lunch
      ? ([
          ["lunch start", h.lunch.start],
          ["lunch end", h.lunch.end],
        ] as Array<[string, ClockTime]>)
      : []),
  ];
  for (const [name, [hh, mm]] of times) {
    if (!Number.isInteger(hh) || !Number.isInteger(mm) || hh < 0 || hh > 23 || mm < 0 || mm > 59)
      problems.push(`work hours ${name} is not a time of day: ${hh}:${mm}`);
  }
  const order = h.lunch ? [h.start, h.lunch.start, h.lunch.end, h.end] : [h.start, h.end];
  for (let i = 1; i < order.length; i++) {
    if (minutesOf(order[i]!) < minutesOf(order[i - 1]!)) problems.push("work hours are not in order (start <= lunch start <= lunch end <= end)");
  }
  if (officeDayMs(cal) <= 0) problems.push("work hours leave no office time in a day");
  for (const d of [...cal.overrides.workdays, ...cal.overrides.holidays]) {
    if (!isIsoDate(d)) problems.push(`override ${JSON.stringify(d)} is not a YYYY-MM-DD date`);
  }
  for (const d of cal.overrides.workdays) {
    if (cal.overrides.holidays.includes(d)) problems.push(`override ${d} is both a workday and a holiday (holiday wins)`);
  }
  return [...new Set(problems)];
}
