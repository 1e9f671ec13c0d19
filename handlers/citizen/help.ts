/** /help: what the bot does and its commands. */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";

export const helpFeature = new Composer<BotContext>();

helpFeature.chatType("private").command("help", (ctx) => ctx.reply(ctx.t("help")));
