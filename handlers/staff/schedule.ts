/**
 * Recurring group reminders (/schedule): a dispatcher or admin adds one in the group that
 * should get it, with a five-field cron pattern in the office's time zone and its text, and
 * lists, pauses, resumes, deletes it or sets what it does on days off. Each command acts
 * on the schedules of the group it is sent in; authority is read from the database.
 */
import { Composer } from "grammy";
import type { Schedule } from "../../db/schema";
import type { BotContext } from "../../src/bot/context";
import { formatOfficeTime } from "../../src/domain/office-time";
import { HOLIDAY_RULES, type HolidayRule, MAX_SCHEDULE_TEXT } from "../../src/domain/recurring";
import type { PeriodKind } from "../../src/domain/reports";
import { clip } from "../../src/services/case-cards";
import { asStaff } from "../commands";

export const scheduleFeature = new Composer<BotContext>();

const ADD = /^add\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/i;
const RANKING = /^ranking\s+(week|half|month|quarter)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)\s+(\S+)(?:\s+([\s\S]*))?$/i;
const LIST_TEXT_CHARS = 120;

const when = (ctx: BotContext, at: number | null) => (at === null ? ctx.t("schedule-next-none") : formatOfficeTime(at, ctx.services.officeTz));
const holidaysText = (ctx: BotContext, rule: HolidayRule) => ctx.t(`schedule-holidays-${rule}`);
const parseId = (text: string | undefined) => (text !== undefined && /^#?\d{1,9}$/.test(text) ? Number(text.replace("#", "")) : null);

function line(ctx: BotContext, s: Schedule & { next: number | null }): string {
  return ctx.t("schedule-line", {
    id: String(s.id),
    // One kept in the directory file says so: an import would undo changes made here.
    source: s.key === null ? "" : ctx.t("schedule-from-file", { key: s.key }),
    cron: s.cron,
    state: ctx.t(s.paused ? "schedule-state-paused" : "schedule-state-active"),
    holidays: holidaysText(ctx, s.holidays),
    next: when(ctx, s.next),
    text: clip(
      s.job === "ranking"
        ? ctx.t("schedule-ranking-text", { kind: ctx.t("report-kind", { kind: s.params?.period ?? "month" }), text: s.text })
        : s.text,
      LIST_TEXT_CHARS,
    ),
  });
}

scheduleFeature.chatType(["group", "supergroup"]).command(
  "schedule",
  asStaff("schedule", async (ctx, me) => {
    const chatId = ctx.chat.id;
    const input = ctx.match.trim();
    const [sub, ...args] = input.split(/\s+/);
    switch (sub?.toLowerCase()) {
      case "add": {
        const m = ADD.exec(input);
        if (!m) break;
        const cron = m.slice(1, 6).join(" ");
        const added = await ctx.services.schedules.add({ chatId, cron, text: m[6] ?? "", createdBy: me.memberId });
        if (!added.ok) {
          await ctx.reply(
            added.problem === "cron" ? ctx.t("schedule-invalid-cron", { cron }) : ctx.t("schedule-bad-text", { max: String(MAX_SCHEDULE_TEXT) }),
          );
          return;
        }
        const s = added.schedule;
        await ctx.reply(
          ctx.t("schedule-added", { id: String(s.id), cron: s.cron, holidays: holidaysText(ctx, s.holidays), next: when(ctx, added.next) }),
        );
        return;
      }
      case "ranking": {
        const m = RANKING.exec(input);
        if (!m) break;
        const period = m[1]!.toLowerCase() as PeriodKind;
        const cron = m.slice(2, 7).join(" ");
        const added = await ctx.services.schedules.add({ chatId, cron, text: m[7] ?? "", createdBy: me.memberId, job: "ranking", period });
        if (!added.ok) {
          await ctx.reply(
            added.problem === "cron" ? ctx.t("schedule-invalid-cron", { cron }) : ctx.t("schedule-bad-text", { max: String(MAX_SCHEDULE_TEXT) }),
          );
          return;
        }
        const s = added.schedule;
        await ctx.reply(
          ctx.t("schedule-ranking-added", {
            id: String(s.id),
            kind: ctx.t("report-kind", { kind: period }),
            cron: s.cron,
            holidays: holidaysText(ctx, s.holidays),
            next: when(ctx, added.next),
          }),
        );
        return;
      }
      case "list": {
        const list = await ctx.services.schedules.list(chatId);
        await ctx.reply(
          list.length === 0 ? ctx.t("schedule-list-empty") : [ctx.t("schedule-list-title"), ...list.map((s) => line(ctx, s))].join("\n\n"),
        );
        return;
      }
      case "pause":
      case "resume":
      case "delete": {
        const id = parseId(args[0]);
        if (id === null || args.length !== 1) break;
        const shown = String(id); // not "1,234": Fluent groups the digits of a number
        if (sub.toLowerCase() === "delete") {
          const gone = await ctx.services.schedules.remove(chatId, id);
          await ctx.reply(ctx.t(gone ? "schedule-deleted" : "schedule-not-found", { id: shown }));
          return;
        }
        const pausing = sub.toLowerCase() === "pause";
        const s = await ctx.services.schedules.setPaused(chatId, id, pausing);
        if (!s) await ctx.reply(ctx.t("schedule-not-found", { id: shown }));
        else if (pausing) await ctx.reply(ctx.t("schedule-paused", { id: shown }));
        else await ctx.reply(ctx.t("schedule-resumed", { id: shown, next: when(ctx, await ctx.services.schedules.nextSendTime(s)) }));
        return;
      }
      case "holidays": {
        const id = parseId(args[0]);
        const rule = args[1]?.toLowerCase() as HolidayRule | undefined;
        if (id === null || rule === undefined || !HOLIDAY_RULES.includes(rule) || args.length !== 2) break;
        const s = await ctx.services.schedules.setHolidays(chatId, id, rule);
        await ctx.reply(
          s ? ctx.t("schedule-holidays-set", { id: String(id), holidays: holidaysText(ctx, rule) }) : ctx.t("schedule-not-found", { id: String(id) }),
        );
        return;
      }
    }
    await ctx.reply(ctx.t("schedule-usage"));
  }),
);
