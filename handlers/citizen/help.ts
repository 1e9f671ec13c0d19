/** /help: the commands this person can use, read from the command catalog for their roles. */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { helpText } from "../../src/services/command-menus";

export const helpFeature = new Composer<BotContext>();

helpFeature.chatType("private").command("help", async (ctx) => {
  const me = await ctx.services.staff.member(ctx.from.id);
  await ctx.reply(helpText(ctx.t, me?.roles ?? []));
});
