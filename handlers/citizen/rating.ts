/**
 * Follow-up rating: the stars a citizen gives a closed case (buttons on the request the outbox sent),
 * then an optional comment typed as the next message, which the citizen may mark a complaint
 * (tousu: it goes to the dispatchers with the case's card, reopen among its buttons). The service
 * decides whether a rating may be given (the person's own closed case, once); a button's data
 * is only a reference.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { RATE, RATING_COMMENT } from "../../src/domain/buttons";

export const ratingFeature = new Composer<BotContext>();
const privateChat = ratingFeature.chatType("private");

const SKIP_COMMENT = RATING_COMMENT.encode("skip");
const COMPLAINT = RATING_COMMENT.encode("complaint");

privateChat.callbackQuery(RATE.pattern, async (ctx) => {
  const press = RATE.decode(ctx.callbackQuery.data);
  const verdict = press ? await ctx.services.ratings.rate(press.caseId, ctx.from.id, press.stars) : "refused";
  if (!press || verdict === "refused") {
    await ctx.answerCallbackQuery({ text: ctx.t("rating-refused") });
    return;
  }
  await ctx.answerCallbackQuery({ text: ctx.t("rating-thanks") });
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  // Someone in the middle of a report is not asked for a comment: the report keeps their next message.
  if (verdict === "rated-no-comment") return;
  await ctx.reply(ctx.t("rating-ask-comment", { stars: "⭐".repeat(press.stars) }), {
    reply_markup: new InlineKeyboard().text(ctx.t("btn-complaint"), COMPLAINT).text(ctx.t("btn-skip"), SKIP_COMMENT),
  });
});

privateChat.callbackQuery(COMPLAINT, async (ctx) => {
  if (!(await ctx.services.ratings.markComplaint(ctx.from.id))) {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t("rating-complaint-prompt"), { reply_markup: new InlineKeyboard().text(ctx.t("btn-skip"), SKIP_COMMENT) });
});

privateChat.callbackQuery(SKIP_COMMENT, async (ctx) => {
  await ctx.services.ratings.skipComment(ctx.from.id);
  await ctx.answerCallbackQuery();
  await ctx.editMessageReplyMarkup().catch(() => undefined);
  await ctx.reply(ctx.t("rating-done"));
});

/** The comment typed after the stars, routed here by handlers/conversation.ts. */
export const ratingInputFeature = new Composer<BotContext>();

ratingInputFeature.chatType("private").on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next(); // an unknown command, not a comment
  const saved = await ctx.services.ratings.comment(ctx.from.id, ctx.msg.text.trim());
  if (saved === null) return next();
  await ctx.reply(ctx.t(saved.complaint ? "rating-complaint-saved" : "rating-comment-saved"));
});
