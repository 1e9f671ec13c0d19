/**
 * `/publish NUMBER`: a dispatcher (or admin) posts a case listed for supervision to the
 * public channel, or its closure — first as a preview with a confirm button. The button
 * names only the case and the kind of post; the role and the case's state are checked again
 * when it is pressed.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { PUBLISH } from "../../src/domain/buttons";
import type { PublishCheck } from "../../src/services/public-channel";
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
        .text(ctx.t("publish-confirm"), PUBLISH.encode({ do: "post", caseId: found!.id, kind: check.kind }))
        .text(ctx.t("publish-cancel"), PUBLISH.encode({ do: "cancel" })),
    });
  }),
);

privateChat.callbackQuery(PUBLISH.encode({ do: "cancel" }), async (ctx) => {
  await ctx.answerCallbackQuery();
  await ctx.editMessageText(ctx.t("publish-cancelled"));
});

privateChat.callbackQuery(
  PUBLISH.pattern,
  asStaff("publish", async (ctx) => {
    const press = PUBLISH.decode(ctx.callbackQuery.data);
    if (press?.do !== "post") {
      await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      return;
    }
    const done = await ctx.services.publicChannel.publish(press.caseId, press.kind);
    await ctx.answerCallbackQuery();
    await ctx.editMessageText(done.ok ? ctx.t("publish-done") : problemText(ctx, done, ""));
  }),
);
