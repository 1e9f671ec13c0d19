/**
 * Recurring group reminders (weekly report, monthly plan): when a cron pattern's slots fall
 * and what a slot on a day off becomes. Pure: croner only computes dates here (no callback,
 * so it starts no timer), and the calendar answers which days are working days.
 *
 * A schedule remembers the latest slot it handled. At any moment the one slot that matters
 * is the latest one at or before now: after downtime the missed slots before it are not
 * sent one by one; the latest is sent once.
 */
import { Cron } from "croner";
import { addDays, isWorkday, type OfficeCalendar } from "./calendar";
import { formatOfficeTime, zonedTime } from "./office-time";

/** A reminder's text fits one message with room for the bell and the late note. */
export const MAX_SCHEDULE_TEXT = 3500;

export const HOLIDAY_RULES = ["fire", "skip", "shift"] as const;
/** A slot on a day off: send it anyway, drop it, or send it at the same time on the next working day. */
export type HolidayRule = (typeof HOLIDAY_RULES)[number];

export interface RecurringSchedule {
  cron: string;
  timeZone: string;
  holidays: HolidayRule;
  createdAt: number;
  /** The latest slot handled (sent or skipped), or null before the first. */
  lastSlot: number | null;
}

/** A five-field pattern (minute hour day-of-month month day-of-week) that runs at least once; null when it is not one. */
export function parsePattern(cron: string, timeZone: string): Cron | null {
  // Five fields exactly: croner would also take nicknames such as "@weekly".
  if (cron.trim().split(/\s+/).length !== 5) return null;
  try {
    const job = new Cron(cron.trim(), { timezone: timeZone, paused: true, mode: "5-part" });
    return job.nextRun() === null ? null : job;
  } catch {
    return null;
  }
}

/** The latest slot at or before `atMs`, or null. */
export function latestSlot(cron: Cron, atMs: number): number | null {
  const [slot] = cron.previousRuns(1, new Date(atMs + 1));
  return slot ? slot.getTime() : null;
}

/** The slot's date in the schedule's zone ("YYYY-MM-DD") and whether the office works that day. */
function dateOf(slotMs: number, timeZone: string): string {
  return formatOfficeTime(slotMs, timeZone).slice(0, 10);
}

/** A slot on a day off moved to the same wall-clock time on the next working day. */
export function shiftedTime(cal: OfficeCalendar, slotMs: number, timeZone: string): number {
  const wall = formatOfficeTime(slotMs, timeZone); // "YYYY-MM-DD HH:mm"
  let day = addDays(wall.slice(0, 10), 1);
  for (let i = 0; !isWorkday(cal, day); i++) {
    if (i > 400) throw new RangeError(`calendar: no working day within 400 days after ${wall}`);
    day = addDays(day, 1);
  }
  const [y, m, d] = day.split("-").map(Number) as [number, number, number];
  return zonedTime(y, m, d, Number(wall.slice(11, 13)), Number(wall.slice(14, 16)), timeZone);
}

/** When a slot is actually sent under the schedule's holiday rule; null when it is dropped. */
export function sendTimeOf(cal: OfficeCalendar, s: Pick<RecurringSchedule, "timeZone" | "holidays">, slotMs: number): number | null {
  if (s.holidays === "fire" || isWorkday(cal, dateOf(slotMs, s.timeZone))) return slotMs;
  return s.holidays === "skip" ? null : shiftedTime(cal, slotMs, s.timeZone);
}

export type SlotDecision =
  /** Nothing to do now. */
  | null
  /** Record `slot` as handled and send it (`sendAt` is when it was due to go out). */
  | { slot: number; send: true; sendAt: number }
  /** Record `slot` as handled without sending: it fell on a day off under "skip". */
  | { slot: number; send: false };

/**
 * What a schedule owes at `now`: the latest slot at or before now, if it is new (after the
 * last one handled and not before the schedule was made). A shifted slot waits for its
 * working day; until then nothing is done.
 */
export function decideSlot(cal: OfficeCalendar, s: RecurringSchedule, now: number, cron = parsePattern(s.cron, s.timeZone)): SlotDecision {
  if (!cron) return null;
  const slot = latestSlot(cron, now);
  if (slot === null || slot < s.createdAt || (s.lastSlot !== null && slot <= s.lastSlot)) return null;
  const sendAt = sendTimeOf(cal, s, slot);
  if (sendAt === null) return { slot, send: false };
  return sendAt <= now ? { slot, send: true, sendAt } : null;
}

/**
 * When the schedule will next send something after `now`, its holiday rule applied: a
 * shifted slot still waiting for its working day, else the next slot that is not dropped.
 * Null when nothing within `limit` slots.
 */
export function nextSendTime(cal: OfficeCalendar, s: RecurringSchedule, now: number, limit = 400): number | null {
  const cron = parsePattern(s.cron, s.timeZone);
  if (!cron) return null;
  const waiting = latestSlot(cron, now);
  if (waiting !== null && waiting >= s.createdAt && (s.lastSlot === null || waiting > s.lastSlot)) {
    const sendAt = sendTimeOf(cal, s, waiting);
    if (sendAt !== null && sendAt > now) return sendAt;
  }
  let from = new Date(now);
  for (let i = 0; i < limit; i++) {
    const next = cron.nextRun(from);
    if (!next) return null;
    const sendAt = sendTimeOf(cal, s, next.getTime());
    if (sendAt !== null) return sendAt;
    from = next;
  }
  return null;
}
