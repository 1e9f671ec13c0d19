/** Replies longer than one Telegram message (a ranking of many units, a notice's receipts). */
import type { BotContext } from "../../src/bot/context";
import { MAX_TEXT, splitText } from "../../src/domain/message-parts";

/** Sends `text` as one reply, or as several in order when it is longer than Telegram takes. */
export async function replyInParts(ctx: BotContext, text: string): Promise<void> {
  for (const part of splitText(text, MAX_TEXT)) await ctx.reply(part);
}
