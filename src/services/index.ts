/** The services handlers and entry points call, built once from explicit dependencies. */
import type { Api } from "grammy";
import type { Db } from "../../db/client";
import type { ClockTime } from "../domain/calendar";
import type { Logger } from "../log";
import { archiveService } from "./archive";
import { caseActionService } from "./case-actions";
import { citizenCaseService } from "./citizen-cases";
import type { Clock } from "./clock";
import { consoleService } from "./console";
import { consoleIntakeService } from "./console-intake";
import { consoleSessionService } from "./console-sessions";
import { conversationService } from "./conversations";
import { deadlineService, defaultTimeRules, type TimeRules, timeRulesSource } from "./deadlines";
import { digestService } from "./digest";
import { directoryService } from "./directory";
import { draftService } from "./drafts";
import type { FileStore } from "./file-store";
import { healthService } from "./health";
import type { HotState } from "./hot-state";
import { intakeService } from "./intake";
import { ledgerService } from "./ledger";
import { noticeService } from "./notices";
import { outboxService, type Pacing } from "./outbox";
import { partnerService } from "./partners";
import { posterService } from "./posters";
import { publicCaseService } from "./public-cases";
import { publicChannelService } from "./public-channel";
import { ratingService } from "./ratings";
import { reminderService } from "./reminders";
import { reportFigureService } from "./report-figures";
import { reporterMaterialService } from "./reporter-material";
import { reportService } from "./reports";
import { retentionService } from "./retention";
import { scheduleService } from "./schedules";
import { staffService } from "./staff";
import { createTick } from "./tick";
import { userService } from "./users";

export interface ServiceDeps {
  db: Db;
  kv: HotState;
  clock: Clock;
  log: Logger;
  /** The office's IANA time zone: tracking numbers follow its calendar day. */
  officeTz: string;
  /** The Bot API for messages sent outside an update (the outbox). */
  api: Api;
  /**
   * The base office calendar, deadline policies and escalation chain (defaults:
   * defaultCalendar(officeTz), DEFAULT_POLICIES, DEFAULT_CHAIN). The office's settings from
   * the directory file (the `office_settings` row) are laid over them whenever they are used.
   */
  time?: Partial<TimeRules>;
  /** How fast the outbox may write to Telegram (default: Telegram's limits, see DEFAULT_PACING). */
  pacing?: Partial<Pacing>;
  /** Working hours after a notice before those who have not read it are reminded (default 4). */
  noticeRemindHours?: number;
  /** When the leaders' digest goes out on working days (default 08:30, office time). */
  digestTime?: ClockTime;
  /** The evidence archive's storage (a folder on Node, R2 on Workers); without it files are queued, not archived. */
  files?: FileStore;
  /** The console's public address (Config.consoleUrl): the /web link, and the Mini App buttons when it is https. */
  consoleUrl?: string;
  /** The public site's base address (Config.siteUrl): where the QR posters' codes lead. */
  siteUrl?: string;
  /** The key claim codes are stored under (Config.claimSecret). */
  claimSecret: string;
}

export function createServices(deps: ServiceDeps) {
  const archive = archiveService(deps);
  const outbox = outboxService({ ...deps, archive });
  const conversations = conversationService(deps.kv);
  const ratings = ratingService({ ...deps, outbox, conversations });
  const rules = timeRulesSource(defaultTimeRules(deps.officeTz, deps.time), deps.log);
  const deadlines = deadlineService(rules);
  const reminders = reminderService({ ...deps, rules });
  const figures = reportFigureService(deps);
  const schedules = scheduleService({ ...deps, rules, figures });
  const digest = digestService({ db: deps.db, clock: deps.clock, rules, figures, digestTime: deps.digestTime });
  const notices = noticeService({ db: deps.db, clock: deps.clock, rules, remindAfterHours: deps.noticeRemindHours });
  const publicChannel = publicChannelService(deps);
  const caseActions = caseActionService({ ...deps, deadlines, publicChannel });
  const intake = intakeService({ db: deps.db, caseActions, log: deps.log });
  const retention = retentionService(deps);
  const staff = staffService(deps);
  const calendar = async () => (await rules(deps.db)).calendar;
  const directory = directoryService(deps.db);
  const reports = reportService({ ...deps, intake });
  return {
    kv: deps.kv,
    officeTz: deps.officeTz,
    consoleUrl: deps.consoleUrl,
    /** The office's calendar in force now: its hours and days off from the directory file over the defaults. */
    calendar,
    log: deps.log,
    clock: deps.clock,
    users: userService(deps.db, deps.clock),
    health: healthService(deps.db, deps.kv, archive),
    tick: createTick({ ...deps, outbox, ratings, reminders, schedules, notices, digest, rules, intake, archive, retention }),
    archive,
    notices,
    publicChannel,
    outbox,
    deadlines,
    reminders,
    schedules,
    ratings,
    directory,
    /** What each person is in the middle of (one flow at a time), and the report flow's view of it. */
    conversations,
    drafts: draftService(conversations),
    reports,
    /** Rankings, /stats and the digest's figures (not to be confused with `reports`, citizens' submissions). */
    figures,
    digest,
    caseActions,
    intake,
    staff,
    citizenCases: citizenCaseService(deps.db, deps.claimSecret),
    /** What anyone may read on the web: the cases listed for supervision, when the office publishes them. */
    publicCases: publicCaseService(deps),
    /** Partner systems' Open311 keys. */
    partners: partnerService(deps),
    /** What a reporter sends to their open case: answers to the office's questions, material of their own, follow-up questions. */
    material: reporterMaterialService({ ...deps, conversations, caseActions }),
    ledger: ledgerService(deps),
    retention,
    /** The console's desktop sign-in: one-time login links and the sessions they open. */
    consoleSessions: consoleSessionService(deps),
    /** The office's console: lists, map, a case with its actions, the dashboard (src/console/api.ts is its HTTP door). */
    console: consoleService({ db: deps.db, clock: deps.clock, officeTz: deps.officeTz, caseActions, staff, archive, calendar }),
    /** QR posters for the public web report form (/poster and npm run poster). */
    posters: posterService(deps),
    /** The console's new-case form: a case that reached the office another way, as /new records it in chat. */
    consoleIntake: consoleIntakeService({ clock: deps.clock, directory, reports }),
  };
}

export type Services = ReturnType<typeof createServices>;
