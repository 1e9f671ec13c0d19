/**
 * The office's side of a case in chat: dispatchers' /queue, units' /mine, the leaders'
 * /supervised (cases listed for supervision; see docs/glossary.md), /case NUMBER, and
 * every button on a case card. A button's data names the case, the version the presser saw
 * and the operation; who may do it is decided on the server (src/domain/workflow.ts through
 * the case-actions service) from the database, never from the button.
 *
 * Operations that need words (a reason, measures, a date, photos) collect them over the next
 * messages: the pending input lives in hot state, so it survives a restart and works on
 * Workers; /cancel drops it.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { parseCaseNumber } from "../../src/domain/numbering";
import { formatOfficeTime, parseOfficeDate } from "../../src/domain/office-time";
import type { MediaItem } from "../../src/domain/report-draft";
import { type Action, type Actor, SEVERITIES } from "../../src/domain/workflow";
import type { ActionOutcome } from "../../src/services/case-actions";
import {
  type Audience,
  CASE_BUTTON,
  cardKeyboard,
  caseButton,
  fitMessage,
  refusalText,
  renderCard,
  renderLedger,
} from "../../src/services/case-cards";
import { getJson, setJson } from "../../src/services/hot-state";
import { withUserLock } from "../../src/services/user-lock";
import { localName } from "../citizen/render";
import { noticeDraftKey, staffInputKey } from "./pending";

export const staffCasesFeature = new Composer<BotContext>();

type Member = Extract<Actor, { kind: "member" }>;

/** What a staff member is in the middle of typing for a case. */
interface PendingInput {
  caseId: number;
  version: number;
  op: "rej" | "trr" | "tu" | "pg" | "ext" | "exr" | "res" | "ans" | "dup" | "dl" | "sb";
  step: "text" | "date" | "reason" | "measures" | "responsible" | "evidence";
  data: Record<string, string | number>;
  media: MediaItem[];
}

const INPUT_TTL_MS = 30 * 60_000;
const inputKey = staffInputKey;
const EVIDENCE_DONE = "si:done";

/** The first prompt of each operation that needs input. */
const FIRST_STEP: Record<PendingInput["op"], [PendingInput["step"], string]> = {
  rej: ["text", "ask-reject-reason"],
  trr: ["text", "ask-refuse-reason"],
  tu: ["text", "ask-transfer-reason"],
  pg: ["text", "ask-progress"],
  ext: ["date", "ask-extension-date"],
  exr: ["text", "ask-refuse-reason"],
  res: ["measures", "ask-measures"],
  ans: ["text", "ask-answer"],
  dup: ["text", "ask-duplicate-of"],
  dl: ["date", "ask-deadline"],
  sb: ["text", "ask-send-back-reason"],
};

async function actorOf(ctx: BotContext, forUnitId?: string | null): Promise<Member | null> {
  return ctx.from ? ctx.services.staff.actor(ctx.from.id, forUnitId) : null;
}

function audienceFor(actor: Member, row: { unitId: string | null; pendingTransfer: { toUnitId: string } | null }): Audience {
  if (row.pendingTransfer && actor.unitIds.includes(row.pendingTransfer.toUnitId)) return "transfer-target";
  if (row.unitId && actor.unitIds.includes(row.unitId) && actor.roles.includes("liaison")) return "unit";
  if (actor.roles.includes("dispatcher") || actor.roles.includes("admin")) return "dispatcher";
  if (actor.roles.includes("leader")) return "leader";
  return "unit";
}

/** The case as it stands, with the buttons for this person. */
async function sendCard(
  ctx: BotContext,
  actor: Member,
  caseId: number,
  header = "card-header-current",
  edit = false,
  withLedger = false,
): Promise<void> {
  const data = await ctx.services.caseActions.card(caseId);
  if (!data) {
    await ctx.reply(ctx.t("refusal-CASE-NOT_FOUND"));
    return;
  }
  let text = renderCard(ctx.t, ctx.locale, ctx.services.officeTz, data, header);
  if (withLedger) text = fitMessage(`${text}\n\n${renderLedger(ctx.t, ctx.services.officeTz, await ctx.services.caseActions.ledger(caseId))}`);
  const reply_markup = cardKeyboard(ctx.t, data, audienceFor(actor, data.row));
  if (edit) {
    const edited = await ctx.editMessageText(text, { reply_markup }).then(
      () => true,
      () => false,
    );
    if (edited) return;
  }
  await ctx.reply(text, { reply_markup });
}

/** A refused press, answered where the person is looking. */
const refuseButton = (ctx: BotContext, code: Extract<ActionOutcome, { ok: false }>["code"]) =>
  ctx.answerCallbackQuery({ text: refusalText(ctx.t, { code }), show_alert: true });

const isUnit = async (ctx: BotContext, unitId: string) => (await ctx.services.caseActions.units()).some((u) => u.id === unitId);

/** Performs an action and tells the presser how it went, with the card as it now stands. */
async function act(ctx: BotContext, actor: Member, caseId: number, version: number, action: Action, media: MediaItem[] = []): Promise<ActionOutcome> {
  const outcome = await ctx.services.caseActions.perform(caseId, action, actor, version, media);
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({
      text: outcome.ok ? ctx.t("action-done", { action: ctx.t(`btn-${actionLabel(action)}`) }) : refusalText(ctx.t, outcome),
      show_alert: !outcome.ok,
    });
  } else {
    await ctx.reply(outcome.ok ? ctx.t("action-done", { action: ctx.t(`btn-${actionLabel(action)}`) }) : refusalText(ctx.t, outcome));
  }
  if (outcome.ok || outcome.code === "CASE.STALE") await sendCard(ctx, actor, caseId, "card-header-current", ctx.callbackQuery !== undefined);
  return outcome;
}

/** Input the person can correct (too short, no photo yet) keeps the pending operation open. */
const correctable = (outcome: ActionOutcome) => !outcome.ok && (outcome.code === "CASE.INVALID" || outcome.code === "CASE.EVIDENCE_REQUIRED");

function actionLabel(action: Action): string {
  switch (action.type) {
    case "accept":
      return "accept";
    case "assign":
      return "assign";
    case "reject":
      return "reject";
    case "verify_close":
      return "close";
    case "transfer_request":
      return "transfer";
    case "transfer_accept":
      return "transfer-accept";
    case "transfer_refuse":
      return "transfer-refuse";
    case "progress":
      return "progress";
    case "extension_request":
      return "extension";
    case "extension_decide":
      return action.approve ? "extension-approve" : "extension-refuse";
    case "resolve":
      return "resolve";
    case "answer":
      return "answer";
    case "mark_duplicate":
      return "duplicate";
    case "set_deadline":
      return "deadline";
    case "set_severity":
      return "severity";
    case "supervise":
      return action.listed ? "supervise" : "unsupervise";
    case "send_back":
      return "send-back";
    default:
      return "refresh";
  }
}

// ── Lists and lookups ────────────────────────────────────────────────────────────────────

const privateChat = staffCasesFeature.chatType("private");

/** A list of cases, one button each to open its card ("view" needs no version). */
async function replyCaseList<T extends { id: number }>(
  ctx: BotContext,
  items: T[],
  list: "queue" | "mine" | "supervised",
  label: (item: T) => string,
) {
  if (items.length === 0) {
    await ctx.reply(ctx.t(`${list}-empty`));
    return;
  }
  const keyboard = new InlineKeyboard();
  for (const item of items) keyboard.text(label(item), caseButton(item.id, 0, "view")).row();
  await ctx.reply(ctx.t(`${list}-title`, { count: items.length }), { reply_markup: keyboard });
}

privateChat.command("queue", async (ctx) => {
  const actor = await actorOf(ctx);
  if (!actor || !(actor.roles.includes("dispatcher") || actor.roles.includes("admin"))) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  const queue = await ctx.services.caseActions.queue();
  await replyCaseList(ctx, queue, "queue", (c) => `${c.number} · ${ctx.t(`kind-${c.kind}`)} · ${ctx.t(`severity-${c.severity}`)}`);
});

privateChat.command("mine", async (ctx) => {
  const actor = await actorOf(ctx);
  if (!actor) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  const open = await ctx.services.caseActions.openCasesOf(actor.unitIds);
  await replyCaseList(ctx, open, "mine", (c) => `${c.number} · ${ctx.t(`status-${c.status}`)}`);
});

// The leaders' list of cases listed for supervision: each stays on it until closed or rejected.
privateChat.command("supervised", async (ctx) => {
  const actor = await actorOf(ctx);
  if (!actor?.roles.some((r) => r === "leader" || r === "dispatcher" || r === "admin")) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  await replySupervised(ctx);
});

/** The open cases listed for supervision, each a button to its card (also under the leaders' digest). */
export async function replySupervised(ctx: BotContext) {
  const now = ctx.services.clock.now();
  const listed = await ctx.services.caseActions.supervised();
  await replyCaseList(ctx, listed, "supervised", (c) => {
    const due =
      c.dueAt === null
        ? ctx.t("supervised-no-due")
        : ctx.t(c.dueAt < now ? "supervised-overdue" : "supervised-due", { due: formatOfficeTime(c.dueAt, ctx.services.officeTz) });
    return `${c.number} · ${ctx.t(`status-${c.status}`)} · ${due}`;
  });
}

privateChat.command("case", async (ctx) => {
  const actor = await actorOf(ctx);
  if (!actor) {
    await ctx.reply(ctx.t("not-allowed"));
    return;
  }
  const number = parseCaseNumber(ctx.match);
  const found = number ? await ctx.services.caseActions.byNumber(number) : null;
  if (!found) {
    await ctx.reply(number ? ctx.t("refusal-CASE-NOT_FOUND") : ctx.t("case-usage"));
    return;
  }
  await sendCard(ctx, actor, found.id, "card-header-current", false, true);
});

// ── Buttons on a card ────────────────────────────────────────────────────────────────────

staffCasesFeature.callbackQuery(CASE_BUTTON, async (ctx) => {
  const [, idText, versionText, op, arg] = ctx.match as unknown as [string, string, string, string, string | undefined];
  const caseId = Number(idText);
  const version = Number(versionText);
  const row = await ctx.services.caseActions.row(caseId);
  // As a member of the unit the press concerns: the transfer's target for its answers.
  const actor = await actorOf(ctx, op === "tra" || op === "trr" ? row?.pendingTransfer?.toUnitId : row?.unitId);
  if (!actor) {
    await ctx.answerCallbackQuery({ text: ctx.t("not-allowed"), show_alert: true });
    return;
  }
  if (!row) {
    await ctx.answerCallbackQuery({ text: ctx.t("refusal-CASE-NOT_FOUND") });
    return;
  }

  switch (op) {
    case "view":
      await ctx.answerCallbackQuery();
      return sendCard(ctx, actor, caseId);
    case "acc":
      return act(ctx, actor, caseId, version, { type: "accept" });
    case "tra":
      return act(ctx, actor, caseId, version, { type: "transfer_accept" });
    case "cls":
      return act(ctx, actor, caseId, version, { type: "verify_close" });
    case "exa":
      return act(ctx, actor, caseId, version, { type: "extension_decide", approve: true });
    case "sup":
    case "uns":
      return act(ctx, actor, caseId, version, { type: "supervise", listed: op === "sup" });
    case "sv":
      if (arg && (SEVERITIES as readonly string[]).includes(arg)) {
        return act(ctx, actor, caseId, version, { type: "set_severity", severity: arg as (typeof SEVERITIES)[number] });
      }
      break;
    case "au": {
      // The unit is chosen; now the whole unit, or one of its liaisons.
      if (!arg) break;
      if (!(await isUnit(ctx, arg))) return refuseButton(ctx, "CASE.UNKNOWN_UNIT");
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard().text(ctx.t("btn-whole-unit"), caseButton(caseId, version, "ax", arg)).row();
      for (const m of await ctx.services.caseActions.liaisonsOf(arg)) keyboard.text(m.name, caseButton(caseId, version, "am", m.id)).row();
      await ctx.reply(ctx.t("ask-assign-liaison"), { reply_markup: keyboard });
      return;
    }
    case "ax":
      if (arg) return act(ctx, actor, caseId, version, { type: "assign", unitId: arg });
      break;
    case "am": {
      const member = arg && /^\d+$/.test(arg) ? await ctx.services.caseActions.memberById(Number(arg)) : null;
      if (member) return act(ctx, actor, caseId, version, { type: "assign", unitId: member.unitId, assigneeId: member.id });
      return refuseButton(ctx, "CASE.UNKNOWN_MEMBER");
    }
    case "sev": {
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard();
      for (const s of SEVERITIES) keyboard.text(ctx.t(`severity-${s}`), caseButton(caseId, version, "sv", s));
      await ctx.reply(ctx.t("ask-severity"), { reply_markup: keyboard });
      return;
    }
    case "as":
    case "tr": {
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard();
      const choices = (await ctx.services.caseActions.units()).filter((u) => u.id !== row.unitId);
      choices.forEach((u, i) => {
        keyboard.text(localName(ctx.locale, u), caseButton(caseId, version, op === "as" ? "au" : "tu", u.id));
        if (i % 2 === 1) keyboard.row();
      });
      await ctx.reply(ctx.t(op === "as" ? "ask-assign-unit" : "ask-transfer-unit"), { reply_markup: keyboard });
      return;
    }
    case "tu":
    case "rej":
    case "trr":
    case "pg":
    case "ext":
    case "exr":
    case "res":
    case "ans":
    case "dup":
    case "dl":
    case "sb": {
      if (op === "tu" && !arg) break;
      // Before asking for words: a stale card, or a transfer to a unit that does not exist, goes no further.
      if (version !== row.version) return refuseButton(ctx, "CASE.STALE");
      if (op === "tu" && !(await isUnit(ctx, arg!))) return refuseButton(ctx, "CASE.UNKNOWN_UNIT");
      const [step, prompt] = FIRST_STEP[op];
      const pending: PendingInput = { caseId, version, op, step, data: op === "tu" ? { toUnitId: arg! } : {}, media: [] };
      await setJson(ctx.services.kv, inputKey(ctx.from.id), pending, INPUT_TTL_MS);
      await ctx.services.kv.delete(noticeDraftKey(ctx.from.id)); // this is what they asked for last
      await ctx.answerCallbackQuery();
      // Asked in private: words typed in a group would be everyone's business.
      await ctx.api.sendMessage(ctx.from.id, `${row.number}\n${ctx.t(prompt)}`).catch(() => ctx.reply(ctx.t(prompt)));
      return;
    }
  }
  await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
});

// ── Typed input for a pending operation ──────────────────────────────────────────────────

privateChat.command("cancel", async (ctx, next) => {
  if (!(await getJson<PendingInput>(ctx.services.kv, inputKey(ctx.from.id)))) return next();
  await ctx.services.kv.delete(inputKey(ctx.from.id));
  await ctx.reply(ctx.t("input-cancelled"));
});

/**
 * Runs a handler of pending input under the person's lock: the photos of an album arrive as
 * simultaneous updates, and each must add to the same pending input, not overwrite it. The handler
 * resolves to "pass" to hand the update on; to anything else when it took the update.
 */
function withPendingInput(handle: (ctx: BotContext & { from: NonNullable<BotContext["from"]> }, pending: PendingInput | null) => Promise<unknown>) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const from = ctx.from!;
    const verdict = await withUserLock(ctx.services.kv, "staff-input", from.id, async () =>
      handle(ctx as BotContext & { from: typeof from }, await getJson<PendingInput>(ctx.services.kv, inputKey(from.id))),
    );
    if (verdict === "pass") await next();
  };
}

privateChat.on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next();
  return withPendingInput((c, pending) => typedInput(c, pending, ctx.msg.text.trim()))(ctx, next);
});

async function typedInput(ctx: BotContext & { from: NonNullable<BotContext["from"]> }, pending: PendingInput | null, text: string): Promise<unknown> {
  if (!pending) return "pass";
  const row = await ctx.services.caseActions.row(pending.caseId);
  const actor = await actorOf(ctx, pending.op === "trr" ? row?.pendingTransfer?.toUnitId : row?.unitId);
  if (!actor) {
    await ctx.services.kv.delete(inputKey(ctx.from.id));
    return "pass";
  }
  const save = (changed: PendingInput) => setJson(ctx.services.kv, inputKey(ctx.from.id), changed, INPUT_TTL_MS);
  const finish = async (action: Action) => {
    const outcome = await act(ctx, actor, pending.caseId, pending.version, action, pending.media);
    if (!correctable(outcome)) await ctx.services.kv.delete(inputKey(ctx.from.id));
  };

  if (pending.step === "date") {
    const at = parseOfficeDate(text, ctx.services.officeTz);
    if (at === null || at <= ctx.services.clock.now()) {
      await ctx.reply(ctx.t("input-bad-date"));
      return;
    }
    if (pending.op === "dl") return finish({ type: "set_deadline", dueAt: at });
    await save({ ...pending, step: "reason", data: { ...pending.data, until: at } });
    await ctx.reply(ctx.t("ask-extension-reason"));
    return;
  }
  if (pending.step === "measures") {
    await save({ ...pending, step: "responsible", data: { ...pending.data, measures: text } });
    await ctx.reply(ctx.t("ask-responsible"));
    return;
  }
  if (pending.step === "responsible") {
    await save({ ...pending, step: "evidence", data: { ...pending.data, responsible: text } });
    const done = new InlineKeyboard().text(ctx.t("btn-done-evidence"), EVIDENCE_DONE);
    await ctx.reply(ctx.t(row?.kind === "consultation" ? "ask-evidence-optional" : "ask-evidence"), { reply_markup: done });
    return;
  }
  if (pending.step === "evidence") {
    await ctx.reply(ctx.t("ask-evidence"), { reply_markup: new InlineKeyboard().text(ctx.t("btn-done-evidence"), EVIDENCE_DONE) });
    return;
  }

  switch (pending.op) {
    case "rej":
      return finish({ type: "reject", reason: text });
    case "trr":
      return finish({ type: "transfer_refuse", reason: text });
    case "tu":
      return finish({ type: "transfer_request", toUnitId: String(pending.data.toUnitId), reason: text });
    case "pg":
      return finish({ type: "progress", text, attachments: pending.media.length });
    case "ext":
      return finish({ type: "extension_request", until: Number(pending.data.until), reason: text });
    case "exr":
      return finish({ type: "extension_decide", approve: false, reason: text });
    case "ans":
      return finish({ type: "answer", text });
    case "sb":
      return finish({ type: "send_back", reason: text });
    case "dup": {
      const number = parseCaseNumber(text);
      const other = number ? await ctx.services.caseActions.byNumber(number) : null;
      if (!other) {
        await ctx.reply(ctx.t("input-unknown-case"));
        return;
      }
      return finish({ type: "mark_duplicate", ofCaseId: other.id, ofCaseOpen: true });
    }
  }
  return "pass";
}

// Photos: evidence for a resolution, or pictures with a progress note.
privateChat.on(
  "message:photo",
  withPendingInput(async (ctx, pending) => {
    if (!pending || !(pending.step === "evidence" || pending.op === "pg")) return "pass";
    const photo = ctx.msg!.photo!.at(-1)!;
    if (pending.media.some((m) => m.fileUniqueId === photo.file_unique_id)) return;
    const media = [...pending.media, { kind: "photo" as const, fileId: photo.file_id, fileUniqueId: photo.file_unique_id }];
    await setJson(ctx.services.kv, inputKey(ctx.from.id), { ...pending, media }, INPUT_TTL_MS);
    await ctx.reply(ctx.t("evidence-received", { count: media.length }), {
      reply_markup: pending.step === "evidence" ? new InlineKeyboard().text(ctx.t("btn-done-evidence"), EVIDENCE_DONE) : undefined,
    });
  }),
);

privateChat.callbackQuery(
  EVIDENCE_DONE,
  withPendingInput(async (ctx, pending) => {
    const actor = pending ? await actorOf(ctx, (await ctx.services.caseActions.row(pending.caseId))?.unitId) : null;
    if (pending?.step !== "evidence" || !actor) {
      await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
      return;
    }
    const outcome = await act(
      ctx,
      actor,
      pending.caseId,
      pending.version,
      {
        type: "resolve",
        measures: String(pending.data.measures ?? ""),
        responsible: String(pending.data.responsible ?? ""),
        evidence: pending.media.length,
      },
      pending.media,
    );
    if (!correctable(outcome)) await ctx.services.kv.delete(inputKey(ctx.from.id));
  }),
);
