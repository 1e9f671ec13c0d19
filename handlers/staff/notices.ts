/**
 * Notices (see docs/glossary.md): `/notice` lets a dispatcher, leader or admin write one (text, or a photo or
 * file with the text as its caption), choose the units it is for, see it as it will look,
 * and send it. The "read" button on every copy is answered here for anyone; only a member of
 * a target unit is recorded. `/receipts [id]` shows who has read a notice and who has not.
 *
 * The draft lives in hot state under a per-user lock (the same as a citizen's report), so
 * it survives a restart and works on Workers; every button is checked against it and
 * against the sender's roles, never trusted for what it says.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { localName } from "../../src/domain/locale";
import { formatOfficeTime } from "../../src/domain/office-time";
import { getJson, setJson } from "../../src/services/hot-state";
import { NOTICE_READ, type NoticeDraft, type NoticeMedia, unitLabel } from "../../src/services/notices";
import { withUserLock } from "../../src/services/user-lock";
import { allowedMember, asStaff } from "../commands";
import { noticeDraftKey, staffInputKey } from "./pending";
import { replyInParts } from "./replies";

export const noticesFeature = new Composer<BotContext>();
const privateChat = noticesFeature.chatType("private");

const DRAFT_TTL_MS = 24 * 3_600_000;
const MAX_NOTICE_TEXT = 3500;
const RECENT = 5;
const draftKey = noticeDraftKey;

interface Draft extends Partial<NoticeDraft> {
  step: "content" | "targets" | "preview";
  unitIds: string[];
}

const BUTTON = /^nt:(cancel|all|next|back|send|u:(.{1,60}))$/;

/** Runs `work` on the sender's draft under their lock; the draft it returns is saved, `null` deletes it. */
async function withDraft(ctx: BotContext, work: (draft: Draft | undefined) => Promise<Draft | null | undefined>) {
  const userId = ctx.from!.id;
  await withUserLock(ctx.services.kv, "notice", userId, async () => {
    const next = await work((await getJson<Draft>(ctx.services.kv, draftKey(userId))) ?? undefined);
    if (next === null) await ctx.services.kv.delete(draftKey(userId));
    else if (next !== undefined) await setJson(ctx.services.kv, draftKey(userId), next, DRAFT_TTL_MS);
  });
}

async function targetsKeyboard(ctx: BotContext, chosen: string[]) {
  const units = await ctx.services.notices.units();
  const kb = new InlineKeyboard();
  units.forEach((u, i) => {
    kb.text(`${chosen.includes(u.id) ? "☑️" : "⬜"} ${localName(ctx.locale, u)}`, `nt:u:${u.id}`);
    if (i % 2 === 1) kb.row();
  });
  kb.row()
    .text(ctx.t(chosen.length === units.length ? "notice-none" : "notice-all"), "nt:all")
    .row()
    .text(ctx.t("notice-next"), "nt:next")
    .text(ctx.t("notice-cancel"), "nt:cancel");
  return kb;
}

privateChat.command(
  "notice",
  asStaff("notice", async (ctx) => {
    await withDraft(ctx, async () => {
      await ctx.services.kv.delete(staffInputKey(ctx.from.id)); // this is what they asked for last
      await ctx.reply(ctx.t("notice-ask-content"), { reply_markup: new InlineKeyboard().text(ctx.t("notice-cancel"), "nt:cancel") });
      return { step: "content", unitIds: [] };
    });
  }),
);

/** /cancel drops a notice being written (and, further on, anything else in progress). */
privateChat.command("cancel", async (ctx, next) => {
  if ((await ctx.services.kv.get(draftKey(ctx.from.id))) === null) return next();
  await ctx.services.kv.delete(draftKey(ctx.from.id));
  await ctx.reply(ctx.t("notice-cancelled"));
});

/** The notice's content: a text, or a photo or file with the text as its caption. */
privateChat.on(["message:text", "message:photo", "message:document"], async (ctx, next) => {
  if (ctx.msg.text?.startsWith("/")) return next();
  // Every private message passes here: one read decides, the lock only for a notice being written.
  if ((await getJson<Draft>(ctx.services.kv, draftKey(ctx.from.id)))?.step !== "content") return next();
  let handled = false;
  await withDraft(ctx, async (draft) => {
    if (draft?.step !== "content") return undefined;
    handled = true;
    if (!(await allowedMember(ctx, "notice"))) return null;
    const text = (ctx.msg.text ?? ctx.msg.caption ?? "").trim();
    const media: NoticeMedia | undefined = ctx.msg.photo
      ? { type: "photo", fileId: ctx.msg.photo.at(-1)!.file_id, fileUniqueId: ctx.msg.photo.at(-1)!.file_unique_id }
      : ctx.msg.document
        ? { type: "document", fileId: ctx.msg.document.file_id, fileUniqueId: ctx.msg.document.file_unique_id }
        : undefined;
    if (text === "") {
      await ctx.reply(ctx.t("notice-needs-text"));
      return undefined;
    }
    if (text.length > MAX_NOTICE_TEXT) {
      await ctx.reply(ctx.t("notice-too-long", { max: MAX_NOTICE_TEXT, length: text.length }));
      return undefined;
    }
    await ctx.reply(ctx.t("notice-ask-targets"), { reply_markup: await targetsKeyboard(ctx, draft.unitIds) });
    return { ...draft, step: "targets", text, media };
  });
  if (!handled) await next();
});

privateChat.callbackQuery(
  BUTTON,
  asStaff("notice", async (ctx, me) => {
    const [, op, unitId] = ctx.match as RegExpMatchArray;
    await withDraft(ctx, async (draft) => {
      if (!draft) {
        await ctx.answerCallbackQuery({ text: ctx.t("notice-stale") });
        return undefined;
      }
      if (op === "cancel") {
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(ctx.t("notice-cancelled"));
        return null;
      }
      if (draft.step === "content" || draft.text === undefined) {
        await ctx.answerCallbackQuery({ text: ctx.t("notice-stale") });
        return undefined;
      }
      const units = await ctx.services.notices.units();
      if (op === "all" || op?.startsWith("u:")) {
        if (draft.step !== "targets") {
          await ctx.answerCallbackQuery({ text: ctx.t("notice-stale") });
          return undefined;
        }
        let chosen = draft.unitIds;
        if (op === "all") chosen = chosen.length === units.length ? [] : units.map((u) => u.id);
        else if (units.some((u) => u.id === unitId)) chosen = chosen.includes(unitId!) ? chosen.filter((id) => id !== unitId) : [...chosen, unitId!];
        await ctx.answerCallbackQuery();
        await ctx.editMessageReplyMarkup({ reply_markup: await targetsKeyboard(ctx, chosen) });
        return { ...draft, unitIds: chosen };
      }
      if (op === "back") {
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(ctx.t("notice-ask-targets"), { reply_markup: await targetsKeyboard(ctx, draft.unitIds) });
        return { ...draft, step: "targets" };
      }
      // Units removed from the directory since they were chosen are dropped here.
      const unitIds = draft.unitIds.filter((id) => units.some((u) => u.id === id));
      if (op === "next") {
        if (unitIds.length === 0) {
          await ctx.answerCallbackQuery({ text: ctx.t("notice-choose-one") });
          return undefined;
        }
        const reach = await ctx.services.notices.audience(unitIds);
        const names = units.filter((u) => unitIds.includes(u.id)).map((u) => localName(ctx.locale, u));
        const preview = ctx.t("notice-preview", {
          units: names.join(ctx.t("list-separator")),
          groups: reach.groups,
          privately: reach.privately,
          members: reach.members,
        });
        await ctx.answerCallbackQuery();
        await ctx.editMessageText(preview, {
          reply_markup: new InlineKeyboard()
            .text(ctx.t("notice-send"), "nt:send")
            .text(ctx.t("notice-back"), "nt:back")
            .row()
            .text(ctx.t("notice-cancel"), "nt:cancel"),
        });
        await replyInParts(ctx, ctx.t("notice-copy", { id: "…", text: draft.text, author: ctx.t("notice-preview-author") }));
        return { ...draft, step: "preview", unitIds };
      }
      // op === "send"
      if (draft.step !== "preview" || unitIds.length === 0) {
        await ctx.answerCallbackQuery({ text: ctx.t("notice-stale") });
        return undefined;
      }
      const sent = await ctx.services.notices.send(
        { memberId: me.memberId, name: me.name, unit: units.find((u) => me.unitIds.includes(u.id)) },
        { text: draft.text, media: draft.media, unitIds },
      );
      await ctx.answerCallbackQuery();
      await ctx.editMessageText(ctx.t("notice-sent", { id: String(sent.id), copies: sent.copies }));
      return null;
    });
  }),
);

/** "Read", pressed in a group or a private chat. */
noticesFeature.callbackQuery(NOTICE_READ, async (ctx) => {
  const outcome = await ctx.services.notices.read(Number(ctx.match![1]), ctx.from.id, ctx.chat?.id ?? ctx.from.id);
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
