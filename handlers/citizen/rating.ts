/**
 * Follow-up rating: the stars a citizen gives a closed case (buttons on the request the outbox sent),
 * then an optional comment typed as the next message. The service decides whether a rating
 * may be given (the person's own closed case, once); a button's data is only a reference.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";

export const ratingFeature = new Composer<BotContext>();
const privateChat = ratingFeature.chatType("private");

const SKIP_COMMENT = "ratec:skip";

privateChat.callbackQuery(/^rate:(\d{1,12}):([1-5])$/, async (ctx) => {
  const stars = Number(ctx.match[2]);
  const verdict = await ctx.services.ratings.rate(Number(ctx.match[1]), ctx.from.id, stars);
  if (verdict === "refused") {
    await ctx.answerCallbackQuery({ text: ctx.t("rating-refused") });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t("rating-thanks") });
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t("rating-ask-comment", { stars: "⭐".repeat(stars) }), {
    reply_markup: new InlineKeyboard().text(ctx.t("btn-skip"), SKIP_COMMENT),
  });
});

privateChat.callbackQuery(SKIP_COMMENT, async (ctx) => {
  await ctx.services.ratings.skipComment(ctx.from.id);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t("rating-done"));
});

privateChat.on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next();
  if (!(await ctx.services.ratings.comment(ctx.from.id, ctx.msg.text.trim()))) return next();
  await ctx.reply(ctx.t("rating-comment-saved"));
});
