/**
 * The leaders' daily digest: on each working day, at the office's digest time
 * (08:30 by default), every leader gets privately the figures of the period since the
 * previous working day (Monday's: Friday to Sunday; after a holiday, all its days off; see
 * digestPeriod), the three longest-overdue cases, the 14 days' trend as a chart, and buttons
 * for the details. The periods follow one another, so each case received is in one digest.
 *
 * The tick calls `sendDue(now)` every minute. The day's run is claimed in `job_runs` in the
 * same transaction that writes the leaders' messages to the outbox, so two ticks at once
 * (or a restart) send one digest; a tick that finds the day claimed reads one row and stops.
 * After a long outage the digest still goes that day, late; a day the bot was down for
 * entirely is not sent afterwards (a digest a day late helps no one), and its period
 * is in no digest.
 */
import { eq } from "drizzle-orm";
import type { Db } from "../../db/client";
import { membersWithRole } from "../../db/queries/staff";
import { jobRuns, users } from "../../db/schema";
import { DIGEST } from "../domain/buttons";
import { type ClockTime, isWorkday, officeDate } from "../domain/calendar";
import { trendChartPng } from "../domain/chart";
import { DEFAULT_LOCALE, isLocale, type Locale } from "../domain/locale";
import { MAX_CAPTION } from "../domain/message-parts";
import { zonedTime } from "../domain/office-time";
import { translator } from "../i18n";
import { fitMessage } from "./case-cards";
import type { Clock } from "./clock";
import type { TimeRulesSource } from "./deadlines";
import { enqueue, type OutboxMessage, uploadOf } from "./outbox";
import type { ReportFigureService } from "./report-figures";
import { renderDigestCaption } from "./report-messages";

export const DEFAULT_DIGEST_TIME: ClockTime = [8, 30];

const digestKeyboard = (locale: Locale) => {
  const t = translator(locale);
  return {
    inline_keyboard: [
      [
        { text: t("digest-button-supervised"), callback_data: DIGEST.encode("supervised") },
        { text: t("digest-button-ranking"), callback_data: DIGEST.encode("ranking") },
        { text: t("digest-button-stats"), callback_data: DIGEST.encode("stats") },
      ],
    ],
  };
};

export function digestService(deps: { db: Db; clock: Clock; rules: TimeRulesSource; figures: ReportFigureService; digestTime?: ClockTime }) {
  const { db } = deps;
  const [hour, minute] = deps.digestTime ?? DEFAULT_DIGEST_TIME;

  return {
    /** Writes today's digest for every leader once the digest time has come on a working day; returns how many. */
    async sendDue(now: number): Promise<number> {
      const { calendar } = await deps.rules(db);
      const date = officeDate(calendar, now);
      if (!isWorkday(calendar, date)) return 0;
      const [y, m, d] = date.split("-").map(Number) as [number, number, number];
      if (now < zonedTime(y, m, d, hour, minute, calendar.timeZone)) return 0;
      const key = `digest:${date}`;
      const [done] = await db.select({ key: jobRuns.key }).from(jobRuns).where(eq(jobRuns.key, key));
      if (done) return 0;
      // No leader yet: nothing to write, and the day stays open for one who joins later.
      if ((await membersWithRole(db, "leader")).length === 0) return 0;

      // Figures and chart before the transaction: reads only, and the write lock stays short.
      const report = await deps.figures.digest(now, calendar);
      const chart = uploadOf(trendChartPng(report.figures.series), `trend-${date}.png`);
      return db.transaction(async (tx) => {
        const claimed = await tx.insert(jobRuns).values({ key, at: now }).onConflictDoNothing().returning({ key: jobRuns.key });
        if (claimed.length === 0) return 0;
        const leaders = await membersWithRole(tx, "leader");
        const messages: OutboxMessage[] = [];
        for (const telegramId of new Set(leaders.map((l) => l.telegramId))) {
          const [user] = await tx.select({ locale: users.locale }).from(users).where(eq(users.telegramId, telegramId));
          const locale = isLocale(user?.locale) ? user.locale : DEFAULT_LOCALE;
          const t = translator(locale);
          messages.push({
            chatId: telegramId,
            method: "sendPhoto",
            payload: {
              photo: chart,
              caption: fitMessage(`${t("digest-legend")}\n${renderDigestCaption(t, locale, report)}`, MAX_CAPTION),
              reply_markup: digestKeyboard(locale),
            },
            dedupeKey: `${key}:${telegramId}`,
          });
        }
        await enqueue(tx, messages, now);
        return messages.length;
      });
    },
  };
}

export type DigestService = ReturnType<typeof digestService>;
