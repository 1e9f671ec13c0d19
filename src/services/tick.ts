/**
 * tick(now): the one periodic entry point, called every minute by the Workers cron trigger
 * and by croner on Node. It reads the rules in force (the office's settings from the
 * directory file over the defaults: one row), then, in order: the intake of cases stored but
 * not yet routed (a process that died right after storing one), deadline reminders and
 * escalations that are due, the recurring group reminders, the rating reminders, the
 * reminders of unread notices, the leaders' digest (all five only write to the outbox), the
 * daily erasure of reporters past the office's retention period, then
 * the outbox drain, so that what they wrote goes out in this
 * same tick; then a batch of the evidence archive (files copied from Telegram); then it keeps the embedded hot-state table small and records that it ran.
 *
 * Every step is safe to run twice or at once in two places: reminders and slots are
 * claimed in the database before their messages are written, in the same transaction.
 */
import type { Db } from "../../db/client";
import { calendarWarning, officeDate } from "../domain/calendar";
import type { Logger } from "../log";
import { type ArchiveRun, type ArchiveService, TICK_ARCHIVE_MS } from "./archive";
import type { TimeRulesSource } from "./deadlines";
import type { DigestService } from "./digest";
import { retryOnBusy } from "./errors";
import type { HotState } from "./hot-state";
import type { IntakeService } from "./intake";
import type { NoticeService } from "./notices";
import { type DrainResult, type OutboxService, TICK_DRAIN_MS } from "./outbox";
import type { RatingService } from "./ratings";
import type { ReminderRun, ReminderService } from "./reminders";
import type { RetentionService } from "./retention";
import type { ScheduleRun, ScheduleService } from "./schedules";

export const LAST_TICK_KEY = "tick:last";

export interface TickResult {
  at: number;
  reminders: ReminderRun;
  schedules: ScheduleRun;
  /** Cases whose intake (routing, or the dispatchers' card) was finished by this tick. */
  intake: number;
  ratingReminders: number;
  noticeReminders: number;
  digests: number;
  /** Cases whose reporter's identity was erased, its retention period over. */
  erasedReporters: number;
  outbox: DrainResult;
  /** Files copied into the evidence archive (or found unavailable, or left to retry). */
  archive: ArchiveRun;
  purgedHotState: number;
}

export type Tick = (now: number) => Promise<TickResult>;

export function createTick(deps: {
  kv: HotState;
  log: Logger;
  outbox: OutboxService;
  ratings: RatingService;
  notices: NoticeService;
  digest: DigestService;
  retention: Pick<RetentionService, "eraseDue">;
  reminders: ReminderService;
  schedules: ScheduleService;
  intake: Pick<IntakeService, "finishPending">;
  archive: Pick<ArchiveService, "runDue">;
  db: Db;
  /** The rules in force, read once a tick (one row), so an import of the directory file takes effect at the next tick. */
  rules: TimeRulesSource;
}): Tick {
  return async (now) => {
    const rules = await retryOnBusy(() => deps.rules(deps.db));
    // A year the holiday table does not cover would silently count holidays as workdays:
    // say so in the log, once a day.
    const warning = calendarWarning(rules.calendar, now);
    if (warning && (await deps.kv.setIfAbsent(`calendar-warning:${officeDate(rules.calendar, now)}`, "1", 26 * 3_600_000))) {
      deps.log.warn(warning);
    }
    // Each of these claims its work with its messages in one transaction (or keys each message),
    // so it is safe to repeat when the database was busy; one that fails wrote nothing, is
    // logged, and is tried again at the next tick without holding up the others.
    const step = async (name: string, work: () => Promise<number>) => {
      try {
        return await retryOnBusy(work);
      } catch (err) {
        deps.log.error(`tick: ${name} failed; the next tick tries again`, { err });
        return 0;
      }
    };
    // Cases stored but not routed (the process died in between) first: they may need cards.
    const intake = await step("intake", () => deps.intake.finishPending());
    const reminders = await deps.reminders.fireDue(now, rules);
    const schedules = await deps.schedules.fireDue(now, rules.calendar);
    const ratingReminders = await step("rating reminders", () => deps.ratings.remindUnrated(now));
    const noticeReminders = await step("notice reminders", () => deps.notices.remindDue(now));
    const digests = await step("leaders' digest", () => deps.digest.sendDue(now));
    const erasedReporters = await step("reporter identity retention", () => deps.retention.eraseDue(now));
    const outbox = await deps.outbox.drain({ budgetMs: TICK_DRAIN_MS });
    // After the messages: a file's download must not hold up a reminder.
    const archive = await deps.archive.runDue({ budgetMs: TICK_ARCHIVE_MS }).catch((err: unknown) => {
      deps.log.error("tick: archive failed; the next tick tries again", { err });
      return { archived: 0, unavailable: 0, retried: 0 };
    });
    const purgedHotState = await retryOnBusy(() => deps.kv.purgeExpired());
    await retryOnBusy(() => deps.kv.set(LAST_TICK_KEY, String(now)));
    if (purgedHotState > 0) deps.log.info("tick purged expired hot state", { purgedHotState });
    if (erasedReporters > 0) deps.log.info("tick erased reporters past their retention", { cases: erasedReporters });
    return { at: now, intake, reminders, schedules, ratingReminders, noticeReminders, digests, erasedReporters, outbox, archive, purgedHotState };
  };
}
