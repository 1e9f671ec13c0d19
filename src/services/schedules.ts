/**
 * Recurring reminders to groups (the weekly work report on Fridays, the monthly plan on the
 * 25th, any the office adds with /schedule; see docs/glossary.md). tick() calls
 * fireDue(now): for each schedule that is not paused, the latest slot at or before now, if
 * it is new, is claimed (last_slot moves forward only, guarded in the UPDATE, so of two
 * ticks one wins) and its message written to the outbox in the same transaction. After
 * downtime only the latest missed slot goes out, once. The pure rules (slots, holidays)
 * are in src/domain/recurring.ts. A schedule of the job "ranking" posts the units' ranking
 * for the period that just ended instead (e.g. the 1st and 16th of each month, the half
 * month before, like the printed work-safety bulletin), under its text as a heading.
 */
import type { Db } from "../../db/client";
import {
  activeSchedules,
  claimSlot,
  deleteSchedule,
  insertSchedule,
  scheduleOfChat,
  schedulesOfChat,
  updateSchedule,
} from "../../db/queries/schedules";
import type { Schedule } from "../../db/schema";
import type { OfficeCalendar } from "../domain/calendar";
import { decideSlot, type HolidayRule, latestSlot, MAX_SCHEDULE_TEXT, nextSendTime, parsePattern } from "../domain/recurring";
import { PERIOD_KINDS, type PeriodKind } from "../domain/reports";
import { translator } from "../i18n";
import type { Logger } from "../log";
import type { Clock } from "./clock";
import type { TimeRulesSource } from "./deadlines";
import { retryOnBusy } from "./errors";
import { enqueue } from "./outbox";
import { LATE_AFTER_MS } from "./reminders";
import type { ReportFigureService } from "./report-figures";
import { renderRanking } from "./report-messages";
import { localeOf } from "./staff-messages";

export interface ScheduleRun {
  /** Slots sent (written to the outbox). */
  sent: number;
  /** Slots on a day off dropped under the "skip" rule. */
  skipped: number;
  /** Failed and rolled back: tried again next tick. */
  failed: number;
}

/** The period a ranking schedule publishes, if its stored one is still a known kind. */
export function rankingPeriod(s: Pick<Schedule, "params">): PeriodKind | null {
  const period = s.params?.period;
  return (PERIOD_KINDS as readonly string[]).includes(period ?? "") ? (period as PeriodKind) : null;
}

export type AddOutcome = { ok: true; schedule: Schedule; next: number | null } | { ok: false; problem: "cron" | "text" };

/** What a recurring slot posts: a reminder's text, or the units' ranking for the period just ended. */
export type ScheduleJob = { job: "message" } | { job: "ranking"; period: PeriodKind };

export function scheduleService(deps: {
  db: Db;
  log: Logger;
  clock: Clock;
  officeTz: string;
  rules: TimeRulesSource;
  /** For a ranking slot: the last complete period's figures. */
  figures: Pick<ReportFigureService, "ranking">;
}) {
  const { db, log, clock, officeTz } = deps;
  /** The office calendar in force now (the directory file's overrides included). */
  const calendarNow = async () => (await deps.rules(db)).calendar;

  /**
   * One schedule's slot, in one transaction: claim it, then queue its message. A ranking's
   * figures are read before the transaction (reads only; the write lock stays short).
   */
  async function handle(s: Schedule, calendar: OfficeCalendar, now: number): Promise<"sent" | "skipped" | "none"> {
    const decision = decideSlot(calendar, s, now);
    if (decision === null) return "none";
    const period = s.job === "ranking" ? rankingPeriod(s) : null;
    const ranking = decision.send && period !== null ? await deps.figures.ranking(period, "previous") : null;
    return db.transaction(async (tx) => {
      if (!(await claimSlot(tx, s.id, decision.slot))) return "none"; // another tick has it
      if (!decision.send) return "skipped";
      const locale = await localeOf(tx, s.chatId);
      const t = translator(locale);
      const late = now - decision.sendAt > LATE_AFTER_MS;
      const text =
        ranking !== null
          ? [late ? t("reminder-late") : "", s.text, renderRanking(t, locale, officeTz, ranking)].filter((l) => l !== "").join("\n\n")
          : t(late ? "schedule-post-late" : "schedule-post", { text: s.text });
      await enqueue(tx, [{ chatId: s.chatId, method: "sendMessage", dedupeKey: `sch:${s.id}:${decision.slot}`, payload: { text } }], now);
      return "sent";
    });
  }

  return {
    /** Adds a reminder (its text is required) or a ranking (its text is an optional heading). */
    async add(input: { chatId: number; cron: string; text: string; createdBy: number | null } & Partial<ScheduleJob>): Promise<AddOutcome> {
      const cron = input.cron.trim().split(/\s+/).join(" ");
      if (!parsePattern(cron, officeTz)) return { ok: false, problem: "cron" };
      const text = input.text.trim();
      const ranking = input.job === "ranking";
      if ((!ranking && text === "") || [...text].length > MAX_SCHEDULE_TEXT) return { ok: false, problem: "text" };
      const now = clock.now();
      const schedule = await insertSchedule(db, {
        chatId: input.chatId,
        text,
        cron,
        timeZone: officeTz,
        // A ranking due on a day off goes out on the next working day: none is lost.
        holidays: ranking ? "shift" : "skip",
        createdBy: input.createdBy,
        createdAt: now,
        ...(input.job === "ranking" ? { job: "ranking" as const, params: { period: input.period } } : {}),
      });
      return { ok: true, schedule, next: nextSendTime(await calendarNow(), schedule, now) };
    },

    /** A group's schedules, each with when it next sends (null while paused). */
    async list(chatId: number) {
      const now = clock.now();
      const calendar = await calendarNow();
      return (await schedulesOfChat(db, chatId)).map((s) => ({ ...s, next: s.paused ? null : nextSendTime(calendar, s, now) }));
    },

    /** Pauses or resumes one of the group's schedules; resuming does not send what fell due while it was paused. */
    async setPaused(chatId: number, id: number, paused: boolean): Promise<Schedule | null> {
      const s = await scheduleOfChat(db, chatId, id);
      if (!s) return null;
      if (paused) return updateSchedule(db, chatId, id, { paused: true });
      const cron = parsePattern(s.cron, s.timeZone);
      const missed = cron ? latestSlot(cron, clock.now()) : null;
      const lastSlot = missed !== null && (s.lastSlot === null || missed > s.lastSlot) ? missed : s.lastSlot;
      return updateSchedule(db, chatId, id, { paused: false, lastSlot });
    },

    setHolidays: (chatId: number, id: number, holidays: HolidayRule) => updateSchedule(db, chatId, id, { holidays }),

    remove: (chatId: number, id: number) => deleteSchedule(db, chatId, id),

    nextSendTime: async (s: Schedule) => nextSendTime(await calendarNow(), s, clock.now()),

    /** tick(): each schedule's latest slot, if it is new, once, on the calendar in force (read now unless given). */
    async fireDue(now: number, given?: OfficeCalendar): Promise<ScheduleRun> {
      const run: ScheduleRun = { sent: 0, skipped: 0, failed: 0 };
      const active = await retryOnBusy(() => activeSchedules(db));
      if (active.length === 0) return run;
      const calendar = given ?? (await retryOnBusy(calendarNow));
      for (const s of active) {
        try {
          const outcome = await retryOnBusy(() => handle(s, calendar, now));
          if (outcome === "sent") run.sent++;
          else if (outcome === "skipped") run.skipped++;
        } catch (err) {
          run.failed++;
          log.error("recurring reminder failed; it will be tried again", { scheduleId: s.id, err });
        }
      }
      if (run.sent > 0 || run.failed > 0) log.info("recurring reminders fired", { ...run });
      return run;
    },
  };
}

export type ScheduleService = ReturnType<typeof scheduleService>;
