/**
 * `/publish NUMBER`: a dispatcher (or admin) posts a case listed for supervision to the
 * public channel, or its closure — first as a preview with a confirm button. The button
 * names only the case and the kind of post; the role and the case's state are checked again
 * when it is pressed.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { PUBLISH_BUTTON, type PublicPostKind, type PublishCheck, publishButton } from "../../src/services/public-channel";
import { asStaff } from "../commands";

export const publishFeature = new Composer<BotContext>();
const privateChat = publishFeature.chatType("private");

const CASE_NUMBER = /^[A-Z]{2}-\d{8}-\d{4}$/;

const problemText = (ctx: BotContext, check: Extract<PublishCheck, { ok: false }>, number: string) => ctx.t(`publish-${check.problem}`, { number });

privateChat.command(
  "publish",
  asStaff("publish", async (ctx) => {
    const number = ctx.match.trim().toUpperCase();
    if (!CASE_NUMBER.test(number)) {
      await ctx.reply(ctx.t("publish-usage"));
      return;
    }
    const found = await ctx.services.caseActions.byNumber(number);
    const check: PublishCheck = found ? await ctx.services.publicChannel.preview(found.id) : { ok: false, problem: "not-found" };
    if (!check.ok) {
      await ctx.reply(problemText(ctx, check, number));
      return;
    }
    await ctx.reply(ctx.t("publish-preview", { text: check.text }), {
      reply_markup: new InlineKeyboard()
        .text(ctx.t("publish-confirm"), publishButton(found!.id, check.kind))
        .text(ctx.t("publish-cancel"), "pb:cancel"),
    });
  }),
);

privateChat.callbackQuery("pb:cancel", async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t("publish-cancelled"));
});

privateChat.callbackQuery(
  PUBLISH_BUTTON,
  asStaff("publish", async (ctx) => {
    const [, caseId, kind] = ctx.match as RegExpMatchArray;
    const done = await ctx.services.publicChannel.publish(Number(caseId), kind as PublicPostKind);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(done.ok ? ctx.t("publish-done") : problemText(ctx, done, ""));
  }),
);
