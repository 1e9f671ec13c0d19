/**
 * Tracking numbers people can read out over the phone: a kind prefix, the office's calendar
 * date, and that day's sequence, e.g. YH-20261125-0042. YH (yinhuan) covers hazard and
 * violation reports, ZX (zixun) consultations, RW (renwu) tasks. The sequence itself comes
 * from a per-scope counter in storage; this module only names scopes and formats and reads
 * numbers.
 */

export type CaseKind = "hazard" | "violation" | "consultation" | "task";

export const CASE_PREFIXES = {
  hazard: "YH",
  violation: "YH",
  consultation: "ZX",
  task: "RW",
} as const satisfies Record<CaseKind, string>;

export const SEQ_MIN_DIGITS = 4;

/**
 * The calendar date "YYYYMMDD" at the given instant in the office's IANA time zone, so a
 * report made at 00:30 Beijing time carries that day's date, not yesterday's UTC date.
 * Throws RangeError for an unknown time zone or an invalid instant.
 */
export function officeDate(atMs: number, timeZone: string): string {
  const parts = new Intl.DateTimeFormat("en-US", {
    timeZone,
    calendar: "gregory",
    numberingSystem: "latn",
    year: "numeric",
    month: "2-digit",
    day: "2-digit",
  }).formatToParts(atMs);
  const part = (type: Intl.DateTimeFormatPartTypes) => parts.find((p) => p.type === type)?.value ?? "";
  return part("year").padStart(4, "0") + part("month") + part("day");
}

/** The scope of one day's sequence, e.g. "YH-20261125". Hazards and violations share YH. */
export function counterScope(kind: CaseKind, atMs: number, timeZone: string): string {
  return `${CASE_PREFIXES[kind]}-${officeDate(atMs, timeZone)}`;
}

/** "YH-20261125" and 42 → "YH-20261125-0042"; a busy day past 9999 just gets wider numbers. */
export function formatCaseNumber(scope: string, seq: number): string {
  if (!Number.isSafeInteger(seq) || seq < 1) {
    throw new RangeError(`Case sequence must be a positive integer, got ${seq}`);
  }
  return `${scope}-${String(seq).padStart(SEQ_MIN_DIGITS, "0")}`;
}

// After NFKC and upper-casing: prefix, date and sequence, optionally separated by spaces,
// dashes of any kind or underscores. The date is either eight digits in a row or YYYY-MM-DD
// with a separator between every part (and then before the sequence too). Separators may only
// sit between groups, so "YH-2026112-542" (a mistyped date) is rejected rather than read as
// 20261125 / 42. Without separators the date is the first eight digits and the rest is the
// sequence: "YH2026112500042" is YH-20261125-0042.
const SEP = "[\\s\\p{Pd}\\u2212_]";
const CASE_NUMBER = new RegExp(`^(YH|ZX|RW)${SEP}*(?:(\\d{8})${SEP}*|(\\d{4})${SEP}+(\\d{2})${SEP}+(\\d{2})${SEP}+)(\\d{1,6})$`, "u");

/**
 * Reads a tracking number as a person types it (any case, full-width, odd or missing
 * separators) and returns the canonical form, or null when it is not one. The date must be a
 * real calendar date and the sequence at least 1, so a typo is "not a number" rather than
 * "not found".
 */
export function parseCaseNumber(input: string): string | null {
  const match = CASE_NUMBER.exec(input.normalize("NFKC").trim().toUpperCase());
  if (!match) return null;
  const [, prefix = "", compactDate, year = "", month = "", day = "", seqDigits = ""] = match;
  const date = compactDate ?? year + month + day;
  if (!isCalendarDate(Number(date.slice(0, 4)), Number(date.slice(4, 6)), Number(date.slice(6)))) return null;
  const seq = Number(seqDigits);
  if (seq < 1) return null;
  return formatCaseNumber(`${prefix}-${date}`, seq);
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false;
  const leap = (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0;
  const daysInMonth = month === 2 ? (leap ? 29 : 28) : [4, 6, 9, 11].includes(month) ? 30 : 31;
  return day <= daysInMonth;
}
