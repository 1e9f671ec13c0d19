/**
 * Notices (see docs/glossary.md): `/notice` lets a dispatcher, leader or admin write one (text, or a photo or
 * file with the text as its caption), choose the units it is for, see it as it will look,
 * and send it. The "read" button on every copy is answered here for anyone; only a member of
 * a target unit is recorded. `/receipts [id]` shows who has read a notice and who has not.
 *
 * The notice being written is the author's conversation (src/domain/conversation.ts,
 * "notice"): it survives a restart and works on Workers, changes under the author's lock, and
 * is answered after the lock is released. Every button is checked against it and against the
 * sender's roles, never trusted for what it says.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { NOTICE, NOTICE_READ, type NoticeStep } from "../../src/domain/buttons";
import type { NoticeMedia, NoticeWriting } from "../../src/domain/conversation";
import { localName } from "../../src/domain/locale";
import { formatOfficeTime } from "../../src/domain/office-time";
import type { Change } from "../../src/services/conversations";
import { unitLabel } from "../../src/services/notices";
import { allowedMember, asStaff } from "../commands";
import { replyInParts } from "./replies";

export const noticesFeature = new Composer<BotContext>();
const privateChat = noticesFeature.chatType("private");

const MAX_NOTICE_TEXT = 3500;
const RECENT = 5;
const CANCEL = NOTICE.encode({ do: "cancel" });

/** What a step decides under the author's lock: the notice to keep, and the answer to give after. */
type Decision = Change<NoticeWriting, () => Promise<unknown>>;

const writing = (ctx: BotContext) => ctx.services.conversations.flow("notice");

/** Decides on the author's notice under their lock, then answers. */
async function withNotice(ctx: BotContext, decide: (notice: NoticeWriting | null) => Promise<Decision>) {
  const answer = await writing(ctx).update(ctx.from!.id, decide);
  await answer();
}

async function targetsKeyboard(ctx: BotContext, chosen: string[]) {
  const units = await ctx.services.notices.units();
  const kb = new InlineKeyboard();
  units.forEach((u, i) => {
    kb.text(`${chosen.includes(u.id) ? "☑️" : "⬜"} ${localName(ctx.locale, u)}`, NOTICE.encode({ do: "unit", unitId: u.id }));
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text(ctx.t(chosen.length === units.length ? "notice-none" : "notice-all"), NOTICE.encode({ do: "all" }))
    .row()
    .text(ctx.t("notice-next"), NOTICE.encode({ do: "next" }))
    .text(ctx.t("notice-cancel"), CANCEL);
  return kb;
}

privateChat.command(
  "notice",
  asStaff("notice", (ctx) =>
    // What they asked for last: it replaces anything else they were in the middle of.
    withNotice(ctx, async () => ({
      state: { step: "content", unitIds: [] },
      result: () => ctx.reply(ctx.t("notice-ask-content"), { reply_markup: new InlineKeyboard().text(ctx.t("notice-cancel"), CANCEL) }),
    })),
  ),
);

/** The notice's content: a text, or a photo or file with the text as its caption. */
export const noticeInputFeature = new Composer<BotContext>();

noticeInputFeature.chatType("private").on(["message:text", "message:photo", "message:document"], async (ctx, next) => {
  if (ctx.msg.text?.startsWith("/")) return next(); // an unknown command, not the notice
  let handled = true;
  await withNotice(ctx, async (notice): Promise<Decision> => {
    const nothing = async () => undefined;
    if (notice?.step !== "content") {
      handled = false;
      return { result: nothing };
    }
    if (!(await allowedMember(ctx, "notice"))) return { state: null, result: nothing };
    const text = (ctx.msg.text ?? ctx.msg.caption ?? "").trim();
    const media: NoticeMedia | undefined = ctx.msg.photo
      ? { type: "photo", fileId: ctx.msg.photo.at(-1)!.file_id, fileUniqueId: ctx.msg.photo.at(-1)!.file_unique_id }
      : ctx.msg.document
        ? { type: "document", fileId: ctx.msg.document.file_id, fileUniqueId: ctx.msg.document.file_unique_id }
        : undefined;
    if (text === "") return { result: () => ctx.reply(ctx.t("notice-needs-text")) };
    if (text.length > MAX_NOTICE_TEXT) return { result: () => ctx.reply(ctx.t("notice-too-long", { max: MAX_NOTICE_TEXT, length: text.length })) };
    const keyboard = await targetsKeyboard(ctx, notice.unitIds);
    return { state: { ...notice, step: "targets", text, media }, result: () => ctx.reply(ctx.t("notice-ask-targets"), { reply_markup: keyboard }) };
  });
  if (!handled) await next();
});

privateChat.callbackQuery(
  NOTICE.pattern,
  asStaff("notice", async (ctx, me) => {
    const press = NOTICE.decode(ctx.callbackQuery.data);
    await withNotice(ctx, (notice) => pressNotice(ctx, me, notice, press));
  }),
);

async function pressNotice(
  ctx: BotContext,
  me: Parameters<Parameters<typeof asStaff>[1]>[1],
  notice: NoticeWriting | null,
  press: NoticeStep | null,
): Promise<Decision> {
  const stale = { result: () => ctx.answerCallbackQuery({ text: ctx.t("notice-stale") }) };
  const answer = (then: () => Promise<unknown>) => async (): Promise<void> => {
    await ctx.answerCallbackQuery();
    await then();
  };
  if (!notice || !press) return stale;
  if (press.do === "cancel") return { state: null, result: answer(() => ctx.editMessageText(ctx.t("notice-cancelled"))) };
  if (notice.step === "content" || notice.text === undefined) return stale;
  const text = notice.text;
  const units = await ctx.services.notices.units();
  if (press.do === "all" || press.do === "unit") {
    if (notice.step !== "targets") return stale;
    let chosen = notice.unitIds;
    if (press.do === "unit") {
      const { unitId } = press;
      if (units.some((u) => u.id === unitId)) chosen = chosen.includes(unitId) ? chosen.filter((id) => id !== unitId) : [...chosen, unitId];
    } else chosen = chosen.length === units.length ? [] : units.map((u) => u.id);
    const keyboard = await targetsKeyboard(ctx, chosen);
    return { state: { ...notice, unitIds: chosen }, result: answer(() => ctx.editMessageReplyMarkup({ reply_markup: keyboard })) };
  }
  if (press.do === "back") {
    const keyboard = await targetsKeyboard(ctx, notice.unitIds);
    return {
      state: { ...notice, step: "targets" },
      result: answer(() => ctx.editMessageText(ctx.t("notice-ask-targets"), { reply_markup: keyboard })),
    };
  }
  // Units removed from the directory since they were chosen are dropped here.
  const unitIds = notice.unitIds.filter((id) => units.some((u) => u.id === id));
  if (press.do === "next") {
    if (unitIds.length === 0) return { result: () => ctx.answerCallbackQuery({ text: ctx.t("notice-choose-one") }) };
    const reach = await ctx.services.notices.audience(unitIds);
    const names = units.filter((u) => unitIds.includes(u.id)).map((u) => localName(ctx.locale, u));
    const preview = ctx.t("notice-preview", {
      units: names.join(ctx.t("list-separator")),
      groups: reach.groups,
      privately: reach.privately,
      members: reach.members,
    });
    const keyboard = new InlineKeyboard()
      .text(ctx.t("notice-send"), NOTICE.encode({ do: "send" }))
      .text(ctx.t("notice-back"), NOTICE.encode({ do: "back" }))
      .row()
      .text(ctx.t("notice-cancel"), CANCEL);
    return {
      state: { ...notice, step: "preview", unitIds },
      result: answer(async () => {
        await ctx.editMessageText(preview, { reply_markup: keyboard });
        await replyInParts(ctx, ctx.t("notice-copy", { id: "…", text, author: ctx.t("notice-preview-author") }));
      }),
    };
  }
  // press.do === "send"
  if (notice.step !== "preview" || unitIds.length === 0) return stale;
  const sent = await ctx.services.notices.send(
    { memberId: me.memberId, name: me.name, unit: units.find((u) => me.unitIds.includes(u.id)) },
    { text, media: notice.media, unitIds },
  );
  return { state: null, result: answer(() => ctx.editMessageText(ctx.t("notice-sent", { id: String(sent.id), copies: sent.copies }))) };
}

/** "Read", pressed in a group or a private chat. */
noticesFeature.callbackQuery(NOTICE_READ.pattern, async (ctx) => {
  const press = NOTICE_READ.decode(ctx.callbackQuery.data);
  if (!press) return ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
  const outcome = await ctx.services.notices.read(press.noticeId, ctx.from.id, ctx.chat?.id ?? ctx.from.id);
  await ctx.answerCallbackQuery({ text: ctx.t(`notice-read-${outcome}`) });
});

privateChat.command(
  "receipts",
  asStaff("receipts", async (ctx) => {
    const tz = ctx.services.officeTz;
    const arg = ctx.match.trim().replace(/^#/, "");
    if (arg === "") {
      const recent = await ctx.services.notices.recent(RECENT);
      if (recent.length === 0) {
        await ctx.reply(ctx.t("receipts-none"));
        return;
      }
      const lines = recent.map((n) =>
        ctx.t("receipts-recent-line", {
          id: String(n.id),
          at: formatOfficeTime(n.sentAt, tz),
          reads: n.reads,
          excerpt: n.text.replace(/\s+/g, " ").slice(0, 30),
        }),
      );
      await ctx.reply([ctx.t("receipts-recent"), ...lines, "", ctx.t("receipts-usage")].join("\n"));
      return;
    }
    const report = /^\d{1,9}$/.test(arg) ? await ctx.services.notices.receipts(Number(arg)) : undefined;
    if (!report) {
      await ctx.reply(ctx.t("receipts-unknown", { id: arg }));
      return;
    }
    const lines = [ctx.t("receipts-title", { id: String(report.notice.id), at: formatOfficeTime(report.notice.sentAt, tz) })];
    for (const u of report.units) {
      const total = u.read.length + u.unread.length;
      lines.push(
        "",
        ctx.t("receipts-unit", { unit: unitLabel(u, ctx.locale), groups: u.groups.join(ctx.t("list-separator")) || "—", read: u.read.length, total }),
      );
      for (const r of u.read) lines.push(ctx.t("receipts-read", { name: r.name, at: formatOfficeTime(r.at, tz) }));
      for (const name of u.unread) lines.push(ctx.t("receipts-unread", { name }));
    }
    await replyInParts(ctx, lines.join("\n"));
  }),
);
