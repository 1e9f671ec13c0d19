/**
 * The office's own time settings, as the directory file gives them and the database keeps
 * them: its working hours and calendar overrides (make-up workdays, extra days off), the
 * deadline policies it changes, and its escalation chain. Each is optional; what the office
 * leaves out keeps the default. `applySettings` lays the settings over the defaults to give
 * the rules deadlines are computed from. Pure.
 */
import type { OfficeCalendar, WorkHours } from "./calendar";
import { DEADLINE_STAGES, type DeadlinePolicies, type DeadlineStage, type Duration, type EscalationLevel } from "./deadlines";
import { CASE_KINDS, type CaseKind, SEVERITIES, type Severity } from "./workflow";

/** The office's calendar, its deadline policies and its escalation chain: what deadlines are computed from. */
export interface TimeRules {
  calendar: OfficeCalendar;
  policies: DeadlinePolicies;
  chain: readonly EscalationLevel[];
}

/** `calendar:` in the file. Dates are "YYYY-MM-DD", sorted, each once. Without `workHours`, the default hours. */
export interface CalendarSettings {
  workHours?: WorkHours;
  workdays: string[];
  holidays: string[];
}

/** The durations of some stages. */
export type StageDurations = Partial<Record<DeadlineStage, Duration>>;

/**
 * One case kind's deadlines: stages given directly apply to every severity; a severity's own
 * entry wins over them for that severity.
 */
export type KindDeadlines = StageDurations & Partial<Record<Severity, StageDurations>>;

/** `deadlines:` in the file: per kind, and `verify` for every kind's verification. */
export type DeadlineSettings = Partial<Record<CaseKind, KindDeadlines>> & { verify?: Duration };

/** `retention:` in the file: how long a closed case's reporter is known; without it, DEFAULT_REPORTER_IDENTITY_DAYS. */
export interface RetentionSettings {
  /** Days after a case is closed or rejected before its reporter's name, phone, Telegram id and claim code are erased. */
  reporterIdentityDays?: number;
}

/**
 * `publication:` in the file: what the office shows the public on the web. The public page
 * (/public) and Open311's public list are off unless the office turns them on: publishing is
 * its decision, not the software's.
 */
export interface PublicationSettings {
  publicPage?: boolean;
}

/**
 * The reporter-identity period when the directory file gives none: three years after a case is
 * closed (issue 21), so that no office keeps who reported what for ever by leaving a section out.
 */
export const DEFAULT_REPORTER_IDENTITY_DAYS = 1095;

/** Days after a case is closed or rejected that its reporter is kept: the file's, else the default. */
export function reporterIdentityDays(settings: OfficeSettings): number {
  return settings.retention?.reporterIdentityDays ?? DEFAULT_REPORTER_IDENTITY_DAYS;
}

export interface OfficeSettings {
  calendar?: CalendarSettings;
  deadlines?: DeadlineSettings;
  escalation?: EscalationLevel[];
  retention?: RetentionSettings;
  publication?: PublicationSettings;
}

export const SETTINGS_SECTIONS = ["calendar", "deadlines", "escalation", "retention", "publication"] as const;
export type SettingsSection = (typeof SETTINGS_SECTIONS)[number];

export const ESCALATION_LEVELS: readonly EscalationLevel[] = ["liaison", "unit_head", "dispatchers", "leaders"];

/** The time of a stage for a kind and severity under the office's deadlines, or undefined where it keeps the default. */
export function configuredDuration(d: DeadlineSettings, kind: CaseKind, severity: Severity, stage: DeadlineStage): Duration | undefined {
  const k = d[kind];
  return k?.[severity]?.[stage] ?? k?.[stage] ?? (stage === "verify" ? d.verify : undefined);
}

/** The office's settings laid over `base`; a section the office has not set keeps `base`'s. */
export function applySettings(base: TimeRules, settings: OfficeSettings): TimeRules {
  let calendar = base.calendar;
  if (settings.calendar) {
    const c = settings.calendar;
    calendar = {
      ...base.calendar,
      workHours: c.workHours ?? base.calendar.workHours,
      overrides: {
        workdays: [...new Set([...base.calendar.overrides.workdays, ...c.workdays])],
        holidays: [...new Set([...base.calendar.overrides.holidays, ...c.holidays])],
      },
    };
  }
  let policies = base.policies;
  const d = settings.deadlines;
  if (d) {
    const out = {} as Record<CaseKind, Record<Severity, Record<DeadlineStage, Duration>>>;
    for (const kind of CASE_KINDS) {
      out[kind] = {} as Record<Severity, Record<DeadlineStage, Duration>>;
      for (const severity of SEVERITIES) {
        const policy = {} as Record<DeadlineStage, Duration>;
        for (const stage of DEADLINE_STAGES) policy[stage] = configuredDuration(d, kind, severity, stage) ?? base.policies[kind][severity][stage];
        out[kind][severity] = policy;
      }
    }
    policies = out;
  }
  return { calendar, policies, chain: settings.escalation ?? base.chain };
}

// ── The file's words for durations and times ────────────────────────────────────────────

/** `{ working_hours: 2 }` and the like, as the file writes a duration. */
export type FileDuration = { working_hours: number } | { working_days: number } | { calendar_days: number };

export function durationFromFile(d: FileDuration): Duration {
  if ("working_hours" in d) return { workingHours: d.working_hours };
  if ("working_days" in d) return { workingDays: d.working_days };
  return { calendarDays: d.calendar_days };
}

export function durationToFile(d: Duration): FileDuration {
  if ("workingHours" in d) return { working_hours: d.workingHours };
  if ("workingDays" in d) return { working_days: d.workingDays };
  return { calendar_days: d.calendarDays };
}

/** "2 working hours", "15 working days", "10 calendar days": for the import's report. */
export function describeDuration(d: Duration): string {
  const [n, unit] =
    "workingHours" in d ? [d.workingHours, "working hour"] : "workingDays" in d ? [d.workingDays, "working day"] : [d.calendarDays, "calendar day"];
  return `${n} ${unit}${n === 1 ? "" : "s"}`;
}

/** "8:30" or "08:30" → [8, 30]; null when it is not a time of day. */
export function parseClock(text: string): [number, number] | null {
  const m = /^([01]?\d|2[0-3]):([0-5]\d)$/.exec(text);
  return m ? [Number(m[1]), Number(m[2])] : null;
}

export function formatClock([h, m]: readonly [number, number]): string {
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** "08:30-12:00, 14:00-17:30" */
export function describeWorkHours(w: WorkHours): string {
  return w.lunch
    ? `${formatClock(w.start)}-${formatClock(w.lunch.start)}, ${formatClock(w.lunch.end)}-${formatClock(w.end)}`
    : `${formatClock(w.start)}-${formatClock(w.end)}`;
}

/** A stored settings value as it should be, or nothing: a damaged row must not stop the office's work. */
export function readSettings(value: unknown): OfficeSettings {
  if (typeof value !== "object" || value === null || Array.isArray(value)) return {};
  const v = value as Record<string, unknown>;
  const out: OfficeSettings = {};
  if (typeof v.calendar === "object" && v.calendar !== null) {
    const c = v.calendar as Record<string, unknown>;
    const dates = (list: unknown) => (Array.isArray(list) ? list.filter((d): d is string => typeof d === "string") : []);
    out.calendar = { ...(isWorkHours(c.workHours) ? { workHours: c.workHours } : {}), workdays: dates(c.workdays), holidays: dates(c.holidays) };
  }
  if (isRecord(v.deadlines)) out.deadlines = cleanDeadlines(v.deadlines);
  if (Array.isArray(v.escalation))
    out.escalation = (v.escalation as unknown[]).filter((l): l is EscalationLevel => ESCALATION_LEVELS.includes(l as EscalationLevel));
  if (isRecord(v.retention)) {
    const days = v.retention.reporterIdentityDays;
    out.retention = typeof days === "number" && Number.isSafeInteger(days) && days >= 1 ? { reporterIdentityDays: days } : {};
  }
  if (isRecord(v.publication)) out.publication = typeof v.publication.publicPage === "boolean" ? { publicPage: v.publication.publicPage } : {};
  return out;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === "object" && v !== null && !Array.isArray(v);

/** A duration as the code computes with it: one unit, a finite number of at least 0. */
function isDuration(v: unknown): v is Duration {
  if (!isRecord(v)) return false;
  const keys = Object.keys(v);
  const n = v[keys[0] ?? ""];
  return (
    keys.length === 1 && ["workingHours", "workingDays", "calendarDays"].includes(keys[0]!) && typeof n === "number" && Number.isFinite(n) && n >= 0
  );
}

/** Only the durations that are durations, where the file's shape has them. */
function cleanDeadlines(d: Record<string, unknown>): DeadlineSettings {
  const stagesOf = (v: unknown): StageDurations => {
    const out: StageDurations = {};
    if (isRecord(v)) for (const stage of DEADLINE_STAGES) if (isDuration(v[stage])) out[stage] = v[stage];
    return out;
  };
  const out: DeadlineSettings = {};
  for (const kind of CASE_KINDS) {
    const k = d[kind];
    if (!isRecord(k)) continue;
    const kd: KindDeadlines = stagesOf(k);
    for (const severity of SEVERITIES) if (isRecord(k[severity])) kd[severity] = stagesOf(k[severity]);
    out[kind] = kd;
  }
  if (isDuration(d.verify)) out.verify = d.verify;
  return out;
}

const isClock = (v: unknown) => Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n));

function isWorkHours(v: unknown): v is WorkHours {
  if (!isRecord(v) || !isClock(v.start) || !isClock(v.end)) return false;
  return v.lunch === undefined || (isRecord(v.lunch) && isClock(v.lunch.start) && isClock(v.lunch.end));
}
