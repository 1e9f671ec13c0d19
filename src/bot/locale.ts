/** Decides the language of each update: the user's choice, else their client's language. */
import type { MiddlewareFn } from "grammy";
import { negotiateLocale } from "../domain/locale";
import { translator } from "../i18n";
import type { BotContext } from "./context";

export function resolveLocale(): MiddlewareFn<BotContext> {
  return async function resolveLocale(ctx, next) {
    const from = ctx.from;
    const chosen = from && ctx.chat?.type === "private" ? await ctx.services.users.chosenLocale(from.id) : null;
    ctx.locale = chosen ?? negotiateLocale(from?.language_code);
    ctx.t = translator(ctx.locale);
    await next();
  };
}
