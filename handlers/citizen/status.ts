/**
 * Following one's own cases: /my (or the menu's "my cases") lists them; /status with a
 * tracking number or a claim code shows one with its public timeline. A person sees only
 * what they reported (or what their claim code proves); "not found" never says which.
 * A case of their own that is still open carries "add material" (handlers/citizen/material.ts);
 * an answered consultation with follow-ups left, "ask a follow-up".
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { FOLLOW_UP, MATERIAL, MENU, MY_CASE } from "../../src/domain/buttons";
import { acceptsMaterial, followUpRefusal } from "../../src/domain/workflow";
import { timelineText } from "../../src/services/case-cards";
import type { CaseStatus } from "../../src/services/citizen-cases";
import { formatTime } from "./render";

export const statusFeature = new Composer<BotContext>();
const privateChat = statusFeature.chatType("private");

async function listMine(ctx: BotContext): Promise<void> {
  const mine = await ctx.services.citizenCases.mine(ctx.from!.id);
  if (mine.length === 0) {
    await ctx.reply(ctx.t("my-empty"));
    return;
  }
  const keyboard = new InlineKeyboard();
  for (const c of mine)
    keyboard.text(ctx.t("my-button", { number: c.number, status: ctx.t(`status-${c.status}`) }), MY_CASE.encode({ caseId: c.id })).row();
  await ctx.reply(ctx.t("my-title"), { reply_markup: keyboard });
}

privateChat.command("my", listMine);
privateChat.callbackQuery(MENU.encode("my"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await listMine(ctx);
});

privateChat.command("status", async (ctx) => {
  const query = ctx.match.trim();
  if (query === "") {
    await ctx.reply(ctx.t("status-usage"));
    return;
  }
  const found = await ctx.services.citizenCases.lookup(query, ctx.from.id);
  await ctx.reply(found ? statusText(ctx, found) : ctx.t("status-not-found"));
});

privateChat.callbackQuery(MY_CASE.pattern, async (ctx) => {
  const press = MY_CASE.decode(ctx.callbackQuery.data);
  const found = press && (await ctx.services.citizenCases.byId(press.caseId, ctx.from.id));
  if (!found) {
    await ctx.answerCallbackQuery({ text: ctx.t("status-not-found") });
    return;
  }
  await ctx.answerCallbackQuery();
  const open = acceptsMaterial(found.case.status);
  const reply_markup = open ? new InlineKeyboard().text(ctx.t("btn-add-material"), MATERIAL.encode({ caseId: found.case.id })) : undefined;
  // Each follow-up asked is a step of the public timeline, so the timeline counts them.
  const asked = found.timeline.filter((entry) => entry.step === "follow_up").length;
  if (reply_markup && followUpRefusal(found.case, asked) === null)
    reply_markup.text(ctx.t("btn-follow-up"), FOLLOW_UP.encode({ caseId: found.case.id }));
  await ctx.reply(statusText(ctx, found), { reply_markup });
});

function statusText(ctx: BotContext, { case: c, timeline, units }: CaseStatus): string {
  const lines = [ctx.t("status-card", { number: c.number, kind: ctx.t(`kind-${c.kind}`), status: ctx.t(`status-${c.status}`) })];
  if (timeline.length > 0) {
    lines.push("", ctx.t("timeline-title"));
    for (const entry of timeline) {
      const text = timelineText(ctx.t, ctx.locale, entry, entry.unitId ? units.get(entry.unitId) : undefined);
      lines.push(ctx.t("timeline-line", { time: formatTime(entry.at, ctx.services.officeTz), text }));
    }
  }
  return lines.join("\n");
}
