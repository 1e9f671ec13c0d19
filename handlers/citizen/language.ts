/** /lang and the menu's language button: the user's choice is stored and wins from then on. */
import { Composer } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { LANGUAGE, MENU } from "../../src/domain/buttons";
import { translator } from "../../src/i18n";
import { refreshStaffMenu } from "../staff/menu";
import { languageChooser, mainMenu } from "./keyboards";

export const languageFeature = new Composer<BotContext>();

const privateChat = languageFeature.chatType("private");

privateChat.command("lang", (ctx) => ctx.reply(ctx.t("lang-choose"), { reply_markup: languageChooser() }));

privateChat.callbackQuery(MENU.encode("lang"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("lang-choose"), { reply_markup: languageChooser() });
});

privateChat.callbackQuery(LANGUAGE.pattern, async (ctx) => {
  const locale = LANGUAGE.decode(ctx.callbackQuery.data);
  if (!locale) {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    return;
  }
  await ctx.services.users.chooseLocale(ctx.from.id, locale);
  ctx.locale = locale;
  ctx.t = translator(locale);
  // A staff member's menu is their own list, in one language: set it again in the new one.
  await refreshStaffMenu(ctx, "language");
  await ctx.answerCallbackQuery({ text: ctx.t("lang-set") });
  await ctx.editMessageText(ctx.t("lang-set"));
  await ctx.reply(ctx.t("welcome", { name: ctx.from.first_name }), { reply_markup: mainMenu(ctx.t) });
});
