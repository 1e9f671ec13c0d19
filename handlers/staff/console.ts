/**
 * /web: a staff member's one-time link into the console from a desktop browser (valid ten
 * minutes, one use). The link goes to the private chat it was asked in (the command catalog
 * keeps /web to private chats), with no link preview: Telegram fetching the page for a
 * preview would use the link up before its owner could.
 */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { LOGIN_LINK_TTL_MS, loginLink } from "../../src/domain/console-links";
import { asStaff } from "../commands";

export const consoleFeature = new Composer<BotContext>();

consoleFeature.chatType("private").command(
  "web",
  asStaff("web", async (ctx) => {
    const consoleUrl = ctx.services.consoleUrl;
    if (consoleUrl === undefined) {
      await ctx.reply(ctx.t("web-no-address"));
      return;
    }
    const token = await ctx.services.consoleSessions.issueLogin(ctx.from.id);
    await ctx.reply(ctx.t("web-link", { link: loginLink(consoleUrl, token), minutes: LOGIN_LINK_TTL_MS / 60_000 }), {
      link_preview_options: { is_disabled: true },
    });
  }),
);
