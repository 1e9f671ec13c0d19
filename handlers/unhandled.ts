/**
 * Last in line: whatever no feature took. A private message gets the main menu and a pointer to /help; a
 * button nobody recognises (stale, forged, from an old keyboard) is answered so the client
 * stops spinning. Group chatter and other update types are left alone on purpose.
 */
import { Composer } from "grammy";
import type { BotContext } from "../src/bot/context";
import { mainMenu } from "./citizen/keyboards";

export const unhandledFeature = new Composer<BotContext>();

unhandledFeature.on("callback_query", (ctx) => ctx.answerCallbackQuery({ text: ctx.t("stale-button") }));

unhandledFeature.chatType("private").on("message", (ctx) => ctx.reply(ctx.t("unhandled"), { reply_markup: mainMenu(ctx.t) }));
