/**
 * The one router for what people type: a private message that is not a command goes to the
 * flow the person has open (src/domain/conversation.ts), read once here; with none open it
 * goes on to the other features (and at last the main menu). `/cancel` ends whichever flow is
 * open and says so in that flow's words.
 */
import { Composer, type Middleware } from "grammy";
import type { BotContext } from "../src/bot/context";
import type { Conversation, ConversationFlow } from "../src/domain/conversation";
import { mainMenu } from "./citizen/keyboards";
import { materialInputFeature } from "./citizen/material";
import { ratingInputFeature } from "./citizen/rating";
import { reportCancelled, reportInputFeature } from "./citizen/report";
import { commandOf } from "./commands";
import { caseInputFeature } from "./staff/cases";
import { noticeInputFeature } from "./staff/notices";

/** Each flow's handler of what the person sends while it is open. */
const INPUT: Record<ConversationFlow, Middleware<BotContext>> = {
  report: reportInputFeature,
  "case-input": caseInputFeature,
  notice: noticeInputFeature,
  "rating-comment": ratingInputFeature,
  "reporter-reply": materialInputFeature,
};

/** What /cancel says, for the flow it ended. */
function cancelled(ctx: BotContext, ended: Conversation): Promise<unknown> {
  switch (ended.flow) {
    case "report":
      return reportCancelled(ctx, ended.state);
    case "case-input":
      return ctx.reply(ctx.t("input-cancelled"));
    case "notice":
      return ctx.reply(ctx.t("notice-cancelled"));
    case "rating-comment":
      return ctx.reply(ctx.t("rating-done"));
    case "reporter-reply":
      return ctx.reply(ctx.t("material-cancelled"));
  }
}

export const conversationFeature = new Composer<BotContext>();
const privateChat = conversationFeature.chatType("private");

privateChat.command("cancel", async (ctx) => {
  const ended = await ctx.services.conversations.update(ctx.from.id, async (current) => ({ state: current ? null : undefined, result: current }));
  if (ended) await cancelled(ctx, ended);
  else await ctx.reply(ctx.t("nothing-to-cancel"), { reply_markup: mainMenu(ctx.t) });
});

privateChat
  .on("message")
  // A command of the catalog is never an answer; an unknown one goes to the flow, which says what its step wants.
  .filter((ctx) => commandOf(ctx.msg.text) === null)
  .route(async (ctx) => (await ctx.services.conversations.get(ctx.from.id))?.flow, INPUT);
