/**
 * Deadlines (xianshi banjie) and what happens around them: the time allowed for each stage
 * of a case by kind and severity, the national cap on how long a report may run, and the
 * reminder plan for one deadline (half time, shortly before, at the deadline, then one
 * escalation per further working day up the chain). Pure: the caller passes the clock and
 * the calendar, and stores the plan's keys so that each reminder fires once.
 */
import {
  addCalendarDays,
  addWorkingDays,
  addWorkingHours,
  addWorkingTime,
  type OfficeCalendar,
  officeDayMs,
  subtractWorkingTime,
  workingTimeBetween,
} from "./calendar";
import type { CaseKind, Severity } from "./workflow";

export type Duration = { workingHours: number } | { workingDays: number } | { calendarDays: number };

export type DeadlineStage = "accept" | "resolve" | "verify";
export const DEADLINE_STAGES: readonly DeadlineStage[] = ["accept", "resolve", "verify"];

/** Time allowed to accept (sign for) a case, to resolve it (or answer, for a consultation), and to verify a resolved case. */
export interface DeadlinePolicy {
  accept: Duration;
  resolve: Duration;
  verify: Duration;
}

export type DeadlinePolicies = Record<CaseKind, Record<Severity, DeadlinePolicy>>;

const VERIFY: Duration = { calendarDays: 10 };
const ACCEPT_DAY: Duration = { workingDays: 1 };

const bySeverity = (ordinary: DeadlinePolicy, urgent: DeadlinePolicy, major: DeadlinePolicy): Record<Severity, DeadlinePolicy> => ({
  ordinary,
  urgent,
  major,
});

const HAZARD: Record<Severity, DeadlinePolicy> = bySeverity(
  { accept: ACCEPT_DAY, resolve: { workingDays: 15 }, verify: VERIFY },
  { accept: { workingHours: 2 }, resolve: { workingDays: 3 }, verify: VERIFY },
  { accept: ACCEPT_DAY, resolve: { workingDays: 7 }, verify: VERIFY },
);
const CONSULTATION: DeadlinePolicy = { accept: ACCEPT_DAY, resolve: { workingDays: 5 }, verify: VERIFY };
const TASK: DeadlinePolicy = { accept: ACCEPT_DAY, resolve: { workingDays: 10 }, verify: VERIFY };

/**
 * The defaults; an office may replace any of them. Hazards and violations: urgent, accept
 * within 2 working hours and resolve within 3 working days; ordinary and major, accept
 * within 1 working day and resolve within 15 (major: 7). A consultation is answered within
 * 5 working days (its `resolve`); a task is accepted within 1 and done within 10, whatever
 * the severity. Every resolved case is verified within 10 calendar days.
 */
export const DEFAULT_POLICIES: DeadlinePolicies = {
  hazard: HAZARD,
  violation: HAZARD,
  consultation: bySeverity(CONSULTATION, CONSULTATION, CONSULTATION),
  task: bySeverity(TASK, TASK, TASK),
};

export function policyFor(kind: CaseKind, severity: Severity, policies: DeadlinePolicies = DEFAULT_POLICIES): DeadlinePolicy {
  return policies[kind][severity];
}

/** A report may run at most 60 days from receipt, plus one extension of at most 30 (calendar days). */
export const MAX_CASE_DAYS = 60;
export const MAX_EXTENSION_DAYS = 30;
const DAY_MS = 86_400_000;

/** When a stage's deadline falls for a stage started at `fromMs`. */
export function dueFor(cal: OfficeCalendar, policy: DeadlinePolicy, stage: DeadlineStage, fromMs: number): number {
  return durationEnd(cal, policy[stage], fromMs);
}

/** The end of a duration started at `fromMs`: working hours from the next opening, days at close of office. */
export function durationEnd(cal: OfficeCalendar, duration: Duration, fromMs: number): number {
  if ("workingHours" in duration) return addWorkingHours(cal, fromMs, duration.workingHours);
  if ("workingDays" in duration) return addWorkingDays(cal, fromMs, duration.workingDays);
  return addCalendarDays(cal, fromMs, duration.calendarDays);
}

/** The latest a case received at `receivedAtMs` may be due: 60 days on, or 90 with its one extension (24-hour days). */
export function latestDue(receivedAtMs: number, extended: boolean): number {
  return receivedAtMs + (MAX_CASE_DAYS + (extended ? MAX_EXTENSION_DAYS : 0)) * DAY_MS;
}

/** A deadline never past the national cap. */
export function capDeadline(receivedAtMs: number, dueMs: number, extended: boolean): number {
  return Math.min(dueMs, latestDue(receivedAtMs, extended));
}

/** Who is chased, in order, once a deadline has passed. */
export type EscalationLevel = "liaison" | "unit_head" | "dispatchers" | "leaders";
/** The "due" notice already goes to the liaison, the unit's group and the dispatchers; then up this chain. */
export const DEFAULT_CHAIN: EscalationLevel[] = ["unit_head", "dispatchers", "leaders"];

export type ReminderKind = "half" | "soon" | "due" | "escalate";

/** `level` is 0 except for "escalate", where level n goes to chain[n - 1]. */
export interface ReminderPlanItem {
  stage: DeadlineStage;
  kind: ReminderKind;
  level: number;
  fireAt: number;
}

/** "soon" comes this much office time before the deadline. */
export const SOON_BEFORE_MS = 2 * 3_600_000;

const KIND_ORDER: Record<ReminderKind, number> = { half: 0, soon: 1, due: 2, escalate: 3 };

/**
 * The reminders for one deadline: "half" at 50 % of the office time between start and
 * due; "soon" 2 office hours before due (left out when that is not after "half", or not
 * after the start); "due" at the deadline; then "escalate" level 1, 2, … one office day
 * (a full day's office hours) after another past the deadline, one per level of the chain.
 * Half, soon and the escalations fall inside office hours on working days (or on a
 * closing time); "due" is the deadline itself. Sorted by fireAt.
 */
export function planReminders(
  cal: OfficeCalendar,
  deadline: { stage: DeadlineStage; startMs: number; dueMs: number },
  chain: readonly EscalationLevel[] = DEFAULT_CHAIN,
): ReminderPlanItem[] {
  const { stage, startMs, dueMs } = deadline;
  const items: ReminderPlanItem[] = [];
  const total = workingTimeBetween(cal, startMs, dueMs);
  let half: number | null = null;
  if (total > 0) {
    half = addWorkingTime(cal, startMs, Math.round(total / 2));
    if (half >= dueMs) half = null;
    else items.push({ stage, kind: "half", level: 0, fireAt: half });
  }
  const soon = subtractWorkingTime(cal, dueMs, SOON_BEFORE_MS);
  if (soon > startMs && (half === null || soon > half) && soon < dueMs) items.push({ stage, kind: "soon", level: 0, fireAt: soon });
  items.push({ stage, kind: "due", level: 0, fireAt: dueMs });
  const day = officeDayMs(cal);
  chain.forEach((_, i) => {
    items.push({ stage, kind: "escalate", level: i + 1, fireAt: addWorkingTime(cal, dueMs, (i + 1) * day) });
  });
  return items.sort((a, b) => a.fireAt - b.fireAt || KIND_ORDER[a.kind] - KIND_ORDER[b.kind] || a.level - b.level);
}

/** Who an escalation of that level goes to; null for a level the chain does not have. */
export function escalationTarget(chain: readonly EscalationLevel[], level: number): EscalationLevel | null {
  return level >= 1 ? (chain[level - 1] ?? null) : null;
}

/**
 * A key unique per (case, stage, kind, level, deadline): store it when the reminder is sent
 * so it fires once; a moved deadline gives new keys, and a reminder whose key no longer
 * matches the case's current deadline must not fire.
 */
export function reminderKey(caseId: number, item: Pick<ReminderPlanItem, "stage" | "kind" | "level">, dueMs: number): string {
  return `case:${caseId}:${item.stage}:${item.kind}:${item.level}:${dueMs}`;
}
