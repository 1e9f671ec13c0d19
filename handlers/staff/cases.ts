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
import { EVIDENCE } from "../../src/domain/buttons";
import { type AskCode, askOf, CARD_BUTTONS, CASE_PRESS, doneLabel, type InputStep, isAskCode, type Next, VIEW } from "../../src/domain/case-buttons";
import { parseCaseNumber } from "../../src/domain/numbering";
import { formatOfficeTime, parseOfficeDate } from "../../src/domain/office-time";
import type { MediaItem } from "../../src/domain/report-draft";
import { type Action, type Actor, needsEvidence, SEVERITIES } from "../../src/domain/workflow";
import type { ActionOutcome } from "../../src/services/case-actions";
import { cardKeyboard, fitMessage, refusalText, renderCard, renderLedger } from "../../src/services/case-cards";
import { getJson, setJson } from "../../src/services/hot-state";
import { withUserLock } from "../../src/services/user-lock";
import { localName } from "../citizen/render";
import { asStaff, notAllowed } from "../commands";
import { noticeDraftKey, staffInputKey } from "./pending";

export const staffCasesFeature = new Composer<BotContext>();

type Member = Extract<Actor, { kind: "member" }>;

/** What a staff member is in the middle of typing for a case. */
interface PendingInput {
  caseId: number;
  version: number;
  op: AskCode;
  step: InputStep | "reason" | "responsible" | "evidence";
  data: Record<string, string | number>;
  media: MediaItem[];
}

const INPUT_TTL_MS = 30 * 60_000;
const inputKey = staffInputKey;
const EVIDENCE_DONE = EVIDENCE.encode("done");

async function actorOf(ctx: BotContext, forUnitId?: string | null): Promise<Member | null> {
  return ctx.from ? ctx.services.staff.actor(ctx.from.id, forUnitId) : null;
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
  const reply_markup = cardKeyboard(ctx.t, data, actor);
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
      text: outcome.ok ? ctx.t("action-done", { action: ctx.t(doneLabel(action)) }) : refusalText(ctx.t, outcome),
      show_alert: !outcome.ok,
    });
  } else {
    await ctx.reply(outcome.ok ? ctx.t("action-done", { action: ctx.t(doneLabel(action)) }) : refusalText(ctx.t, outcome));
  }
  if (outcome.ok || outcome.code === "CASE.STALE") await sendCard(ctx, actor, caseId, "card-header-current", ctx.callbackQuery !== undefined);
  return outcome;
}

/** Input the person can correct (too short, no photo yet) keeps the pending operation open. */
const correctable = (outcome: ActionOutcome) => !outcome.ok && (outcome.code === "CASE.INVALID" || outcome.code === "CASE.EVIDENCE_REQUIRED");

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
  for (const item of items) keyboard.text(label(item), CASE_PRESS.encode({ caseId: item.id, version: 0, code: VIEW })).row();
  await ctx.reply(ctx.t(`${list}-title`, { count: items.length }), { reply_markup: keyboard });
}

privateChat.command(
  "queue",
  asStaff("queue", async (ctx) => {
    const queue = await ctx.services.caseActions.queue();
    await replyCaseList(ctx, queue, "queue", (c) => `${c.number} · ${ctx.t(`kind-${c.kind}`)} · ${ctx.t(`severity-${c.severity}`)}`);
  }),
);

privateChat.command(
  "mine",
  asStaff("mine", async (ctx) => {
    // The units where they are a liaison, not every unit they belong to.
    const open = await ctx.services.caseActions.openCasesOf((await actorOf(ctx))?.unitIds ?? []);
    await replyCaseList(ctx, open, "mine", (c) => `${c.number} · ${ctx.t(`status-${c.status}`)}`);
  }),
);

// The leaders' list of cases listed for supervision: each stays on it until closed or rejected.
privateChat.command("supervised", asStaff("supervised", replySupervised));

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

privateChat.command(
  "case",
  asStaff("case", async (ctx) => {
    const number = parseCaseNumber(ctx.match);
    const found = number ? await ctx.services.caseActions.byNumber(number) : null;
    const actor = found ? await actorOf(ctx) : null;
    if (!found || !actor) {
      await ctx.reply(number ? ctx.t("refusal-CASE-NOT_FOUND") : ctx.t("case-usage"));
      return;
    }
    await sendCard(ctx, actor, found.id, "card-header-current", false, true);
  }),
);

// ── Buttons on a card ────────────────────────────────────────────────────────────────────

staffCasesFeature.callbackQuery(CASE_PRESS.pattern, async (ctx) => {
  const press = CASE_PRESS.decode(ctx.callbackQuery.data);
  if (!press) {
    await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    return;
  }
  const { caseId, version } = press;
  const row = await ctx.services.caseActions.row(caseId);
  // As a member of the unit the press concerns: the transfer's target for its answers.
  const forTarget = press.code === "tra" || press.code === "trr";
  const actor = await actorOf(ctx, forTarget ? row?.pendingTransfer?.toUnitId : row?.unitId);
  if (!actor) return notAllowed(ctx);
  if (!row) {
    await ctx.answerCallbackQuery({ text: ctx.t("refusal-CASE-NOT_FOUND") });
    return;
  }
  const at = { caseId, version };

  switch (press.code) {
    case VIEW:
      await ctx.answerCallbackQuery();
      return sendCard(ctx, actor, caseId);
    case "sv":
      return act(ctx, actor, caseId, version, { type: "set_severity", severity: press.severity });
    case "ax":
      return act(ctx, actor, caseId, version, { type: "assign", unitId: press.unitId });
    case "am": {
      const member = await ctx.services.caseActions.memberById(press.memberId);
      if (member) return act(ctx, actor, caseId, version, { type: "assign", unitId: member.unitId, assigneeId: member.id });
      return refuseButton(ctx, "CASE.UNKNOWN_MEMBER");
    }
    case "au": {
      // The unit is chosen; now the whole unit, or one of its liaisons.
      if (!(await isUnit(ctx, press.unitId))) return refuseButton(ctx, "CASE.UNKNOWN_UNIT");
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard().text(ctx.t("btn-whole-unit"), CASE_PRESS.encode({ ...at, code: "ax", unitId: press.unitId })).row();
      for (const m of await ctx.services.caseActions.liaisonsOf(press.unitId)) {
        keyboard.text(m.name, CASE_PRESS.encode({ ...at, code: "am", memberId: m.id })).row();
      }
      await ctx.reply(ctx.t("ask-assign-liaison"), { reply_markup: keyboard });
      return;
    }
    case "tu":
      if (!(await isUnit(ctx, press.unitId))) return refuseButton(ctx, "CASE.UNKNOWN_UNIT");
      return askForInput(ctx, row, "tu", version, { toUnitId: press.unitId });
  }

  const next: Next = CARD_BUTTONS[press.code].next;
  switch (next.does) {
    case "act":
      return act(ctx, actor, caseId, version, next.action);
    case "ask":
      if (isAskCode(press.code)) return askForInput(ctx, row, press.code, version, {});
      break;
    case "choose-severity": {
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard();
      for (const severity of SEVERITIES) keyboard.text(ctx.t(`severity-${severity}`), CASE_PRESS.encode({ ...at, code: "sv", severity }));
      await ctx.reply(ctx.t("ask-severity"), { reply_markup: keyboard });
      return;
    }
    case "choose-unit": {
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard();
      const choices = (await ctx.services.caseActions.units()).filter((u) => u.id !== row.unitId);
      choices.forEach((u, i) => {
        keyboard.text(localName(ctx.locale, u), CASE_PRESS.encode({ ...at, code: next.chosen, unitId: u.id }));
        if (i % 2 === 1) keyboard.row();
      });
      await ctx.reply(ctx.t(next.prompt), { reply_markup: keyboard });
      return;
    }
  }
});

/** Opens the words a press needs (a reason, measures, a date), asked in private: words typed in a group would be everyone's business. */
async function askForInput(
  ctx: BotContext & { from: NonNullable<BotContext["from"]> },
  row: { id: number; number: string; version: number },
  op: AskCode,
  version: number,
  data: PendingInput["data"],
) {
  // A stale card goes no further than the press.
  if (version !== row.version) return refuseButton(ctx, "CASE.STALE");
  const { step, prompt } = askOf(op);
  const pending: PendingInput = { caseId: row.id, version, op, step, data, media: [] };
  await setJson(ctx.services.kv, inputKey(ctx.from.id), pending, INPUT_TTL_MS);
  await ctx.services.kv.delete(noticeDraftKey(ctx.from.id)); // this is what they asked for last
  await ctx.answerCallbackQuery();
  await ctx.api.sendMessage(ctx.from.id, `${row.number}\n${ctx.t(prompt)}`).catch(() => ctx.reply(ctx.t(prompt)));
}

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
    // A typed date ends at the office's close of day: the end of its last office period, as
    // its hours in the directory file set it. A date that is not a working day (a weekend, a
    // holiday) is kept as typed and closes at the same time: the person chose that day, and
    // moving it to the next working day would set a deadline nobody typed.
    const { timeZone, workHours } = await ctx.services.calendar();
    const at = parseOfficeDate(text, timeZone, workHours.end);
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
    await ctx.reply(ctx.t(row && !needsEvidence(row.kind) ? "ask-evidence-optional" : "ask-evidence"), { reply_markup: done });
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
