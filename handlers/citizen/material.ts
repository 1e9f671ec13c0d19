/**
 * A reporter sending more to their open case: the answer to the office's question (the
 * "reply" button under it) or material of their own (the "add material" button under the
 * case in /my). Both open the person's "reporter-reply" conversation; words, photos, files
 * and a pin are gathered (each acknowledged, with the send button) until "send", which
 * records them and relays them to the office (src/services/reporter-material.ts). /cancel
 * drops what was gathered. "Ask a follow-up" (zhuiwen) under the answer to a consultation opens
 * the same gathering for words only, which go back to the unit that answered.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { FOLLOW_UP, MATERIAL, MATERIAL_SEND } from "../../src/domain/buttons";
import { evidenceOf, MAX_FILE_BYTES } from "../../src/domain/media";
import { MAX_FOLLOW_UPS, MAX_MATERIAL_FILES } from "../../src/domain/workflow";
import type { AddOutcome, MaterialPiece } from "../../src/services/reporter-material";

export const materialFeature = new Composer<BotContext>();
const privateChat = materialFeature.chatType("private");

const SEND = MATERIAL_SEND.encode("send");
const sendKeyboard = (ctx: BotContext) => new InlineKeyboard().text(ctx.t("btn-material-send"), SEND);

privateChat.callbackQuery(MATERIAL.pattern, async (ctx) => {
  const press = MATERIAL.decode(ctx.callbackQuery.data);
  const number = press && (await ctx.services.material.open(press.caseId, ctx.from.id));
  if (!number) {
    await ctx.answerCallbackQuery({ text: ctx.t("material-closed"), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("material-prompt", { number, max: MAX_MATERIAL_FILES }), { reply_markup: sendKeyboard(ctx) });
});

privateChat.callbackQuery(FOLLOW_UP.pattern, async (ctx) => {
  const press = FOLLOW_UP.decode(ctx.callbackQuery.data);
  const opened = press ? await ctx.services.material.openFollowUp(press.caseId, ctx.from.id) : null;
  if (!opened?.ok) {
    const why = opened?.why === "follow-up-limit" ? "follow-up-limit" : "follow-up-closed";
    await ctx.answerCallbackQuery({ text: ctx.t(why, { max: MAX_FOLLOW_UPS }), show_alert: true });
    return;
  }
  await ctx.answerCallbackQuery();
  await ctx.reply(ctx.t("follow-up-prompt", { number: opened.number, left: opened.left }), { reply_markup: sendKeyboard(ctx) });
});

privateChat.callbackQuery(SEND, async (ctx) => {
  const sent = await ctx.services.material.send(ctx.from.id);
  if (!sent.ok && sent.why === "none") {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    return;
  }
  await ctx.answerCallbackQuery();
  if (sent.ok) {
    await ctx.editMessageReplyMarkup().catch(() => undefined);
    await ctx.reply(ctx.t(sent.followUp ? "follow-up-sent" : sent.answered ? "material-sent-answer" : "material-sent", { number: sent.number }));
  } else {
    const why = { none: "stale-button", empty: "material-empty", closed: "material-closed", "follow-up-limit": "follow-up-limit" } as const;
    await ctx.reply(ctx.t(why[sent.why], { max: MAX_FOLLOW_UPS }));
  }
});

/** What the person sends while the flow is open, routed here by handlers/conversation.ts. */
export const materialInputFeature = new Composer<BotContext>();
const input = materialInputFeature.chatType("private");

/** Adds the pieces of one message (a photo and its caption are two) and answers once. */
async function add(ctx: BotContext & { from: NonNullable<BotContext["from"]> }, pieces: MaterialPiece[], next: () => Promise<void>) {
  let outcome: AddOutcome = { added: false, why: "none" };
  for (const piece of pieces) {
    outcome = await ctx.services.material.add(ctx.from.id, piece);
    if (!outcome.added) break;
  }
  if (!outcome.added && outcome.why === "none") return next();
  if (!outcome.added) {
    const why = { none: "stale-button", full: "material-full", long: "material-too-long", "words-only": "follow-up-words-only" } as const;
    await ctx.reply(ctx.t(why[outcome.why], { max: MAX_MATERIAL_FILES }), { reply_markup: sendKeyboard(ctx) });
    return;
  }
  const received = outcome.followUp
    ? ctx.t("follow-up-received")
    : ctx.t("material-received", { texts: outcome.texts, files: outcome.files, pin: outcome.pin ? "yes" : "no" });
  await ctx.reply(received, { reply_markup: sendKeyboard(ctx) });
}

input.on("message:text", (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next(); // an unknown command, not material
  return add(ctx, [{ text: ctx.msg.text.trim() }], next);
});
// Photos, videos, voice notes and files, taken as a report's are (the same kinds and limits).
input.on(["message:photo", "message:video", "message:voice", "message:document"], async (ctx, next) => {
  const read = evidenceOf(ctx.msg);
  if (read === null) return next();
  if (!read.ok) {
    await ctx.reply(ctx.t(read.problem, { max: MAX_FILE_BYTES / 1024 / 1024 }), { reply_markup: sendKeyboard(ctx) });
    return;
  }
  return add(ctx, withCaption({ file: read.item }, ctx.msg.caption), next);
});
input.on("message:location", (ctx, next) =>
  add(ctx, [{ pin: { latitude: ctx.msg.location.latitude, longitude: ctx.msg.location.longitude } }], next),
);

/** A file, and the words written under it, if any. */
function withCaption(file: MaterialPiece, caption: string | undefined): MaterialPiece[] {
  const text = caption?.trim();
  return text ? [file, { text }] : [file];
}
// Anything else (a sticker, a contact) cannot be relayed: say what can.
input.on("message", (ctx) => ctx.reply(ctx.t("material-unsupported"), { reply_markup: sendKeyboard(ctx) }));
