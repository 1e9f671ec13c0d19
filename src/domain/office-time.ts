/**
 * Dates as the office means them. A person types "2026-12-10"; the office means the end of
 * that working day in its own time zone, which on Workers (running in UTC) is not the
 * machine's local time. Correct for any IANA zone, DST included.
 */

// One formatter per zone: making an Intl.DateTimeFormat costs about 60 µs, formatting with
// one about 2, and a ledger export formats a few hundred thousand times.
const formatters = new Map<string, Intl.DateTimeFormat>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat("en-US", {
      timeZone,
      hourCycle: "h23",
      year: "numeric",
      month: "2-digit",
      day: "2-digit",
      hour: "2-digit",
      minute: "2-digit",
      second: "2-digit",
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/** The wall-clock fields of an instant in the zone. */
function wallClock(atMs: number, timeZone: string): Record<"year" | "month" | "day" | "hour" | "minute" | "second", string> {
  const parts = formatterFor(timeZone).formatToParts(new Date(atMs));
  return Object.fromEntries(parts.map((p) => [p.type, p.value])) as ReturnType<typeof wallClock>;
}

/** "2026-11-25 14:30" in the office's zone. */
export function formatOfficeTime(atMs: number, timeZone: string): string {
  const p = wallClock(atMs, timeZone);
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`;
}

/** Minutes the zone is ahead of UTC at that instant. */
export function zoneOffsetMinutes(atMs: number, timeZone: string): number {
  const p = wallClock(atMs, timeZone);
  const asUtc = Date.UTC(Number(p.year), Number(p.month) - 1, Number(p.day), Number(p.hour), Number(p.minute), Number(p.second));
  return Math.round((asUtc - Math.floor(atMs / 1000) * 1000) / 60_000);
}

/** The instant a wall-clock time in the zone happens (the later one in a DST overlap). */
export function zonedTime(year: number, month: number, day: number, hour: number, minute: number, timeZone: string): number {
  const wall = Date.UTC(year, month - 1, day, hour, minute);
  let at = wall - zoneOffsetMinutes(wall, timeZone) * 60_000;
  at = wall - zoneOffsetMinutes(at, timeZone) * 60_000; // once more: the offset may differ at the answer
  return at;
}

/**
 * "2026-12-10" (also "2026/12/10", the Chinese year-month-day form, full-width digits) as
 * the instant `endOfDay` (the office's close of day, [hour, minute] office time) happens on
 * that date; null when it is not a real date. The close is passed in, not assumed, because
 * each office sets its own hours in the directory file. The Chinese date characters are
 * written as escapes to keep code free of user-facing text.
 */
export function parseOfficeDate(input: string, timeZone: string, endOfDay: readonly [hour: number, minute: number]): number | null {
  const m = /^(\d{4})\s*[-/.\u5e74]\s*(\d{1,2})\s*[-/.\u6708]\s*(\d{1,2})\s*\u65e5?$/.exec(input.normalize("NFKC").trim());
  if (!m) return null;
  const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])];
  const check = new Date(Date.UTC(year, month - 1, day));
  if (check.getUTCFullYear() !== year || check.getUTCMonth() !== month - 1 || check.getUTCDate() !== day) return null;
  return zonedTime(year, month, day, endOfDay[0], endOfDay[1], timeZone);
}
