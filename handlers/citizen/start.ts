/** /start and the citizen's main menu. */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { mainMenu, MENU } from "./keyboards";

export const startFeature = new Composer<BotContext>();

const privateChat = startFeature.chatType("private");

privateChat.command("start", async (ctx) => {
  await ctx.services.users.greet(ctx.from.id, ctx.locale);
  await ctx.reply(ctx.t("welcome", { name: ctx.from.first_name }), { reply_markup: mainMenu(ctx.t) });
});

// Reporting, asking and following cases arrive with their own issues; the menu is real now.
privateChat.callbackQuery([MENU.report, MENU.ask, MENU.my], (ctx) =>
  ctx.answerCallbackQuery({ text: ctx.t("coming-soon"), show_alert: true }),
);

startFeature.chatType(["group", "supergroup"]).command("start", (ctx) =>
  ctx.reply(ctx.t("welcome-group", { link: `https://t.me/${ctx.me.username}` }), {
    reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
  }),
);
