/**
 * Flood control for private chats: a person may send RATE_RULES.messages (30 a minute);
 * past that, the first excess message is answered with when to try again and the rest are
 * dropped quietly, so a flood cannot make the bot flood back. Staff are not throttled: an
 * officer working through a queue, or sending a batch of evidence photos, must not be
 * told to wait. Membership is only looked up once someone is over the limit.
 */
import type { MiddlewareFn } from "grammy";
import { hitRateLimit, RATE_RULES } from "../services/rate-limit";
import type { BotContext } from "./context";

export function rateLimit(): MiddlewareFn<BotContext> {
  return async function rateLimit(ctx, next) {
    if (ctx.chat?.type !== "private" || ctx.from === undefined) return next();
    const { kv, clock } = ctx.services;
    const verdict = await hitRateLimit(kv, "msg", ctx.from.id, RATE_RULES.messages, clock.now());
    if (verdict.allowed || (await ctx.services.staff.member(ctx.from.id)) !== null) return next();
    if (verdict.count === RATE_RULES.messages.limit + 1) {
      const seconds = Math.max(1, Math.ceil(verdict.retryAfterMs / 1000));
      if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text: ctx.t("rate-messages", { seconds }) });
      else await ctx.reply(ctx.t("rate-messages", { seconds }));
    } else if (ctx.callbackQuery) {
      await ctx.answerCallbackQuery();
    }
  };
}
