/**
 * /export [period]: the ledger of the cases received in a period, as an XLSX and a
 * CSV file, for dispatchers, leaders and admins in their private chat. Who may is read from
 * the database on every use. The period's forms are in src/domain/export-period.ts; the
 * files come from the ledger service, the same one `npm run export` uses.
 */
import { Composer, InputFile } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { parseExportPeriod } from "../../src/domain/export-period";
import { clip } from "../../src/services/case-cards";
import { asStaff } from "../commands";

export const exportFeature = new Composer<BotContext>();

/**
 * The most cases one /export sends. The whole ledger is built in memory in the bot's
 * process, which on Workers is an isolate of 128 MB with a limited CPU time per request:
 * 20,000 cases with their timelines are tens of megabytes of sheet text before zipping, and
 * Telegram takes at most 50 MB per document from a bot. A larger period goes through
 * `npm run export` on a machine, which has neither limit.
 */
export const MAX_CHAT_EXPORT = 20_000;

/** How much of a period that cannot be read is quoted back. */
const QUOTED_INPUT_CHARS = 40;

exportFeature.chatType("private").command(
  "export",
  asStaff("export", async (ctx) => {
    const parsed = parseExportPeriod(ctx.match, ctx.services.clock.now(), ctx.services.officeTz);
    if (!parsed.ok) {
      const why =
        parsed.problem === "reversed" ? ctx.t("export-reversed") : ctx.t("export-bad-period", { input: clip(ctx.match.trim(), QUOTED_INPUT_CHARS) });
      await ctx.reply(`${why}\n\n${ctx.t("export-usage")}`);
      return;
    }
    const { from, to, first, last } = parsed.period;
    const period = ctx.t("export-period", { first, last });
    const count = await ctx.services.ledger.count({ from, to });
    if (count === 0) {
      await ctx.reply(ctx.t("export-empty", { period }));
      return;
    }
    if (count > MAX_CHAT_EXPORT) {
      await ctx.reply(ctx.t("export-too-large", { period, count, max: MAX_CHAT_EXPORT, first, last }));
      return;
    }

    // A large period takes a few seconds: "sending a file…" meanwhile. Cosmetic, so a refusal is ignored.
    await ctx.replyWithChatAction("upload_document").catch(() => undefined);
    const made = await ctx.services.ledger.exportFiles({ from, to, locale: ctx.locale, formats: ["xlsx", "csv"] });
    for (const { format, error } of made.failed) ctx.services.log.error("ledger export: a format could not be written", { format, err: error });
    const caption = ctx.t("export-caption", { period, count: made.count });
    for (const file of made.files) await ctx.replyWithDocument(new InputFile(file.bytes, file.filename), { caption });
    if (made.failed.length > 0) await ctx.reply(ctx.t("export-xlsx-failed", { first, last }));
  }),
);
