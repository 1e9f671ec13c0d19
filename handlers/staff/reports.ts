/**
 * /ranking and /stats in a private chat, for dispatchers, leaders and admins: the units'
 * ranking (red and black lists) and the office's figures for a period, by region or sector
 * if asked. Who may look is read from the database on every command; the figures and their
 * text come from the report-figures service and src/services/report-messages.ts, which the
 * scheduled publication and the digest use too.
 *
 *   /ranking [week|half|month|quarter] [prev]                 default: this month so far
 *   /stats [week|half|month|quarter] [prev] [region or sector id or name]
 */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { DIGEST } from "../../src/domain/buttons";
import { parsePeriodWords } from "../../src/domain/reports";
import { renderRanking, renderStats } from "../../src/services/report-messages";
import { asStaff } from "../commands";
import { replySupervised } from "./cases";
import { replyInParts } from "./replies";

export const staffReportsFeature = new Composer<BotContext>();

const privateChat = staffReportsFeature.chatType("private");

privateChat.command(
  "ranking",
  asStaff("ranking", async (ctx) => {
    const { kind, which, rest } = parsePeriodWords(ctx.match);
    if (rest !== "") {
      await ctx.reply(ctx.t("ranking-usage"));
      return;
    }
    const report = await ctx.services.figures.ranking(kind, which);
    await replyInParts(ctx, renderRanking(ctx.t, ctx.locale, ctx.services.officeTz, report));
  }),
);

privateChat.command(
  "stats",
  asStaff("stats", async (ctx) => {
    const { kind, which, rest } = parsePeriodWords(ctx.match);
    let area = null;
    if (rest !== "") {
      const found = await ctx.services.figures.findArea(rest);
      if (!found.ok) {
        await ctx.reply(
          found.problem === "unknown"
            ? `${ctx.t("stats-unknown-area", { text: rest })}\n\n${ctx.t("stats-usage")}`
            : ctx.t("stats-ambiguous-area", { text: rest, ids: found.candidates.join(", ") }),
        );
        return;
      }
      area = found;
    }
    const report = await ctx.services.figures.stats(kind, which, area);
    await ctx.reply(renderStats(ctx.t, ctx.locale, ctx.services.officeTz, report));
  }),
);

/**
 * The buttons under the leaders' digest: this month's ranking, this week's figures, and the
 * cases listed for supervision (the same answers as /ranking, /stats and /supervised).
 */
privateChat.callbackQuery(DIGEST.pattern, async (ctx) => {
  // Each button is its command's answer, allowed to whoever may use that command.
  const command = DIGEST.decode(ctx.callbackQuery.data);
  if (!command) return ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
  return asStaff(command, async (ctx: BotContext) => {
    await ctx.answerCallbackQuery();
    const tz = ctx.services.officeTz;
    switch (command) {
      case "ranking":
        await replyInParts(ctx, renderRanking(ctx.t, ctx.locale, tz, await ctx.services.figures.ranking("month", "current")));
        return;
      case "stats":
        await ctx.reply(renderStats(ctx.t, ctx.locale, tz, await ctx.services.figures.stats("week", "current")));
        return;
      case "supervised":
        await replySupervised(ctx);
    }
  })(ctx);
});
