/** /start and the citizen's main menu (and, for staff, their own command menu). */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { refreshStaffMenu } from "../staff/menu";
import { mainMenu } from "./keyboards";

export const startFeature = new Composer<BotContext>();

const privateChat = startFeature.chatType("private");

privateChat.command("start", async (ctx) => {
  await ctx.services.users.greet(ctx.from.id, ctx.locale);
  await ctx.reply(ctx.t("welcome", { name: ctx.from.first_name }), { reply_markup: mainMenu(ctx.t) });
  // Staff the directory import added before they had talked to the bot get their menu now.
  await refreshStaffMenu(ctx, "start");
});

startFeature.chatType(["group", "supergroup"]).command("start", (ctx) =>
  ctx.reply(ctx.t("welcome-group", { link: `https://t.me/${ctx.me.username}` }), {
    reply_parameters: { message_id: ctx.msg.message_id, allow_sending_without_reply: true },
  }),
);
