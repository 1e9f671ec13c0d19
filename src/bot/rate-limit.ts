/**
 * Flood control for private chats: a person may send RATE_RULES.messages (30 a minute);
 * past that, the first excess message is answered with when to try again and the rest are
 * dropped quietly, so a flood cannot make the bot flood back. Staff are not throttled: an
 * officer working through a queue, or sending a batch of evidence photos, must not be
 * told to wait. Membership is only looked up once someone is over the limit.
 */
import type { MiddlewareFn } from "grammy";
import { RATE_RULES, type RateCounter, rateCounter } from "../services/rate-limit";
import type { BotContext } from "./context";

/** The counter an update counts in (private chats only), for the update guard to count it with the update's claim. */
export function floodCounter(ctx: BotContext): RateCounter | undefined {
  if (ctx.chat?.type !== "private" || ctx.from === undefined) return undefined;
  return rateCounter("msg", ctx.from.id, RATE_RULES.messages, ctx.services.clock.now());
}

export function rateLimit(): MiddlewareFn<BotContext> {
  return async function rateLimit(ctx, next) {
    // Counted by the update guard, in the same step as the update's claim.
    const verdict = ctx.flood;
    if (verdict === undefined || ctx.from === undefined) return next();
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
