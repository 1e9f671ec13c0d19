/**
 * The period a ledger export covers, as a person types it after /export (or the script's
 * --from/--to): nothing (this month so far), a month ("2026-11"), one day or two inclusive
 * office dates ("2026-11-01 2026-11-15"), or the current week, month or quarter to date.
 * The answer is a half-open range of instants [from, to) cut at midnight in the office's
 * zone, with the first and last office dates it covers for captions and file names.
 *
 * Self-contained on purpose (only office-time.ts): the rankings keep their own periods, and
 * a change there must not move what an export covers.
 */
import { zonedTime } from "./office-time";

export interface ExportPeriod {
  /** The first instant covered: midnight office time of `first`. */
  from: number;
  /** The first instant not covered: midnight office time of the day after `last`. */
  to: number;
  /** YYYY-MM-DD, office dates, both inclusive. */
  first: string;
  last: string;
}

export type ExportPeriodProblem = "unreadable" | "reversed";

export type ExportPeriodResult = { ok: true; period: ExportPeriod } | { ok: false; problem: ExportPeriodProblem };

interface Day {
  year: number;
  month: number;
  day: number;
}

const pad = (n: number, width = 2) => String(n).padStart(width, "0");
const isoDate = (d: Day) => `${pad(d.year, 4)}-${pad(d.month)}-${pad(d.day)}`;

/** The day `days` after (or before) `d`, by the proleptic Gregorian calendar. */
function shift(d: Day, days: number): Day {
  const at = new Date(Date.UTC(d.year, d.month - 1, d.day + days));
  return { year: at.getUTCFullYear(), month: at.getUTCMonth() + 1, day: at.getUTCDate() };
}

/** A real calendar day, or null (2026-02-30 is not one). */
function day(year: number, month: number, dayOfMonth: number): Day | null {
  const at = new Date(Date.UTC(year, month - 1, dayOfMonth));
  if (year < 1970 || year > 9999 || at.getUTCFullYear() !== year || at.getUTCMonth() !== month - 1 || at.getUTCDate() !== dayOfMonth) return null;
  return { year, month, day: dayOfMonth };
}

/** The office's calendar day at an instant. */
function officeDay(atMs: number, timeZone: string): Day {
  const parts = new Intl.DateTimeFormat("en-US", { timeZone, year: "numeric", month: "numeric", day: "numeric" }).formatToParts(new Date(atMs));
  const part = (type: string) => Number(parts.find((p) => p.type === type)?.value);
  return { year: part("year"), month: part("month"), day: part("day") };
}

function between(first: Day, last: Day, timeZone: string): ExportPeriodResult {
  if (isoDate(first) > isoDate(last)) return { ok: false, problem: "reversed" };
  const next = shift(last, 1);
  return {
    ok: true,
    period: {
      from: zonedTime(first.year, first.month, first.day, 0, 0, timeZone),
      to: zonedTime(next.year, next.month, next.day, 0, 0, timeZone),
      first: isoDate(first),
      last: isoDate(last),
    },
  };
}

// "2026-11-05", "2026/11/5", "2026.11.05" and the Chinese year-month-day form; the Chinese
// characters are escapes, to keep the code free of user-facing text.
const DATE = /^(\d{4})\s*[-/.\u5e74]\s*(\d{1,2})\s*[-/.\u6708]\s*(\d{1,2})\s*\u65e5?$/;
const MONTH = /^(\d{4})\s*[-/.\u5e74]\s*(\d{1,2})\s*\u6708?$/;
// Between two dates: spaces, "~", "..", a dash between spaces, an en or em dash, or the Chinese "to" (zhi).
const RANGE_SEPARATOR = /\s*(?:~|\.\.|\u2013|\u2014|\u81f3)\s*|\s+-\s+|\s+/;

/** One office date as typed, or null. */
export function parseExportDate(input: string): Day | null {
  const m = DATE.exec(input.normalize("NFKC").trim());
  return m ? day(Number(m[1]), Number(m[2]), Number(m[3])) : null;
}

/**
 * The period `input` names, judged at `now` in the office's zone. "week" starts on Monday
 * (the office's week); "month" and "quarter" on their first day; each runs to today.
 */
export function parseExportPeriod(input: string, now: number, timeZone: string): ExportPeriodResult {
  const text = input.normalize("NFKC").trim();
  const today = officeDay(now, timeZone);
  const keyword = text.toLowerCase();
  if (keyword === "" || keyword === "month") return between({ ...today, day: 1 }, today, timeZone);
  if (keyword === "week") {
    const weekday = (new Date(Date.UTC(today.year, today.month - 1, today.day)).getUTCDay() + 6) % 7; // Monday = 0
    return between(shift(today, -weekday), today, timeZone);
  }
  if (keyword === "quarter") return between({ year: today.year, month: Math.floor((today.month - 1) / 3) * 3 + 1, day: 1 }, today, timeZone);

  const month = MONTH.exec(text);
  if (month) {
    const first = day(Number(month[1]), Number(month[2]), 1);
    if (!first) return { ok: false, problem: "unreadable" };
    return between(first, shift({ year: first.year, month: first.month + 1, day: 1 }, -1), timeZone); // Date.UTC carries month 13 into the next year
  }

  const one = parseExportDate(text);
  if (one) return between(one, one, timeZone);
  const parts = text.split(RANGE_SEPARATOR).filter(Boolean);
  if (parts.length === 2) {
    const [first, last] = parts.map(parseExportDate);
    if (first && last) return between(first, last, timeZone);
  }
  return { ok: false, problem: "unreadable" };
}

/** The period from two typed office dates, both inclusive (the script's --from and --to). */
export function exportPeriodBetween(first: string, last: string, timeZone: string): ExportPeriodResult {
  const a = parseExportDate(first);
  const b = parseExportDate(last);
  return a && b ? between(a, b, timeZone) : { ok: false, problem: "unreadable" };
}
