/**
 * The office's side of a case in chat: dispatchers' /queue, units' /mine, the leaders'
 * /supervised (cases listed for supervision; see docs/glossary.md), /case NUMBER, and
 * every button on a case card. A button's data names the case, the version the presser saw
 * and the operation; who may do it is decided on the server (src/domain/workflow.ts through
 * the case-actions service) from the database, never from the button.
 *
 * Operations that need words (a reason, measures, a date, photos) collect them over the next
 * messages, as the person's conversation (src/domain/conversation.ts, "case-input"): it lives
 * in hot state, so it survives a restart and works on Workers; /cancel drops it. Input is
 * decided under the person's lock and answered after it is released.
 */
import { Composer, InlineKeyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { EVIDENCE } from "../../src/domain/buttons";
import {
  type AskCode,
  askAction,
  askOf,
  CARD_BUTTONS,
  CASE_PRESS,
  doneLabel,
  isAskCode,
  type Next,
  SHOW_EVIDENCE,
  VIEW,
} from "../../src/domain/case-buttons";
import { addedMedia, resolution, typedText } from "../../src/domain/case-input";
import { miniAppBase } from "../../src/domain/console-links";
import type { CaseInput } from "../../src/domain/conversation";
import { evidenceOf, MAX_FILE_BYTES } from "../../src/domain/media";
import { MAX_TEXT } from "../../src/domain/message-parts";
import { parseCaseNumber } from "../../src/domain/numbering";
import { formatOfficeTime, parseOfficeDate } from "../../src/domain/office-time";
import type { MediaItem } from "../../src/domain/report-draft";
import { type Action, type ActionType, type Actor, needsEvidence, refusalOf, SEVERITIES } from "../../src/domain/workflow";
import type { TranslateArgs } from "../../src/i18n";
import type { ActionOutcome } from "../../src/services/case-actions";
import { cardKeyboard, refusalText, renderCard, renderLedger } from "../../src/services/case-cards";
import type { Change } from "../../src/services/conversations";
import { localName } from "../citizen/render";
import { asStaff, notAllowed } from "../commands";
import { replyInParts } from "./replies";

export const staffCasesFeature = new Composer<BotContext>();

type Member = Extract<Actor, { kind: "member" }>;
type CaseRow = NonNullable<Awaited<ReturnType<BotContext["services"]["caseActions"]["row"]>>>;

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
  const card = renderCard(ctx.t, ctx.locale, ctx.services.officeTz, data, header);
  // "Open in console" in a private chat only: Telegram refuses web_app buttons in groups.
  const miniApp = ctx.chat?.type === "private" ? miniAppBase(ctx.services.consoleUrl) : null;
  const reply_markup = cardKeyboard(ctx.t, data, actor, miniApp);
  if (withLedger) {
    // The whole ledger, every word: with the card when it fits one message, else after it in parts.
    const ledger = renderLedger(ctx.t, ctx.services.officeTz, await ctx.services.caseActions.ledger(caseId), { full: true });
    const whole = `${card}\n\n${ledger}`;
    if (whole.length <= MAX_TEXT) await ctx.reply(whole, { reply_markup });
    else {
      await ctx.reply(card, { reply_markup });
      await replyInParts(ctx, ledger);
    }
    return;
  }
  if (edit) {
    const edited = await ctx.editMessageText(card, { reply_markup }).then(
      () => true,
      () => false,
    );
    if (edited) return;
  }
  await ctx.reply(card, { reply_markup });
}

/** A refused press, answered where the person is looking. */
const refuseButton = (ctx: BotContext, code: Extract<ActionOutcome, { ok: false }>["code"]) =>
  ctx.answerCallbackQuery({ text: refusalText(ctx.t, { code }), show_alert: true });

const isUnit = async (ctx: BotContext, unitId: string) => (await ctx.services.caseActions.units()).some((u) => u.id === unitId);

/** Performs an action and tells the presser how it went, with the card as it now stands. */
async function act(ctx: BotContext, actor: Member, caseId: number, version: number, action: Action, media: MediaItem[] = []): Promise<ActionOutcome> {
  const outcome = await ctx.services.caseActions.perform(caseId, action, actor, version, media);
  await tell(ctx, actor, caseId, action, outcome);
  return outcome;
}

/** Tells the presser how an action went, with the card as it now stands. */
async function tell(ctx: BotContext, actor: Member, caseId: number, action: Action, outcome: ActionOutcome): Promise<void> {
  if (ctx.callbackQuery) {
    await ctx.answerCallbackQuery({
      text: outcome.ok ? ctx.t("action-done", { action: ctx.t(doneLabel(action)) }) : refusalText(ctx.t, outcome),
      show_alert: !outcome.ok,
    });
  } else {
    await ctx.reply(outcome.ok ? ctx.t("action-done", { action: ctx.t(doneLabel(action)) }) : refusalText(ctx.t, outcome));
  }
  if (outcome.ok || outcome.code === "CASE.STALE") await sendCard(ctx, actor, caseId, "card-header-current", ctx.callbackQuery !== undefined);
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
    await sendEvidence(ctx, found.id);
  }),
);

/** Every file of the case and its pin, after the card, to the chat that asked (through the outbox, once per update). */
const sendEvidence = (ctx: BotContext, caseId: number) =>
  ctx.services.caseActions.sendEvidence(caseId, ctx.chat!.id, ctx.t, `ask:${ctx.update.update_id}`);

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
    case SHOW_EVIDENCE: {
      const sent = await sendEvidence(ctx, caseId);
      await ctx.answerCallbackQuery(sent === 0 ? { text: ctx.t("evidence-none") } : undefined);
      return;
    }
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
      if (await refusedAtPress(ctx, actor, row, "assign")) return;
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
      return askForInput(ctx, actor, row, "tu", version, { toUnitId: press.unitId });
  }

  const next: Next = CARD_BUTTONS[press.code].next;
  switch (next.does) {
    case "act":
      return act(ctx, actor, caseId, version, next.action);
    case "ask":
      if (isAskCode(press.code)) return askForInput(ctx, actor, row, press.code, version, {});
      break;
    case "choose-severity": {
      if (await refusedAtPress(ctx, actor, row, CARD_BUTTONS[press.code].action)) return;
      await ctx.answerCallbackQuery();
      const keyboard = new InlineKeyboard();
      for (const severity of SEVERITIES) keyboard.text(ctx.t(`severity-${severity}`), CASE_PRESS.encode({ ...at, code: "sv", severity }));
      await ctx.reply(ctx.t("ask-severity"), { reply_markup: keyboard });
      return;
    }
    case "choose-unit": {
      if (await refusedAtPress(ctx, actor, row, CARD_BUTTONS[press.code].action)) return;
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

/**
 * A press that only opens a choice (a unit, a liaison, a severity) or asks for words is refused
 * at once when the workflow would refuse the action whatever is chosen or typed: otherwise a
 * liaison of another unit, a leader or an owner pressing a dispatcher's button was shown the
 * office's units or a unit's liaisons, and heard "no" only at the second press.
 */
async function refusedAtPress(ctx: BotContext, actor: Member, row: CaseRow, type: ActionType): Promise<boolean> {
  const state = await ctx.services.caseActions.state(row.id);
  const refusal = state ? refusalOf(state, type, actor) : { code: "CASE.NOT_FOUND" as const };
  if (refusal === null) return false;
  await refuseButton(ctx, refusal.code);
  return true;
}

/** Opens the words a press needs (a reason, measures, a date), asked in private: words typed in a group would be everyone's business. */
async function askForInput(
  ctx: BotContext & { from: NonNullable<BotContext["from"]> },
  actor: Member,
  row: CaseRow,
  op: AskCode,
  version: number,
  data: CaseInput["data"],
) {
  // A stale card goes no further than the press, and neither does a person the workflow would refuse whatever they typed.
  if (version !== row.version) return refuseButton(ctx, "CASE.STALE");
  if (await refusedAtPress(ctx, actor, row, askAction(op))) return;
  const { step, prompt } = askOf(op);
  const input: CaseInput = { caseId: row.id, version, op, step, data, media: [] };
  // What they asked for last: it replaces anything else they were in the middle of.
  await caseInput(ctx).update(ctx.from.id, async () => ({ state: input, result: undefined }));
  await ctx.answerCallbackQuery();
  await ctx.api.sendMessage(ctx.from.id, `${row.number}\n${ctx.t(prompt)}`).catch(() => ctx.reply(ctx.t(prompt)));
}

// ── Typed input for a pending operation ──────────────────────────────────────────────────

const caseInput = (ctx: BotContext) => ctx.services.conversations.flow("case-input");

/** What input decides under the lock: the input to keep, and the answer to give once the lock is released. */
type Decision = Change<CaseInput, (() => Promise<unknown>) | "pass">;
type Typing = BotContext & { from: NonNullable<BotContext["from"]> };

/**
 * Decides on input for a pending operation under the person's lock: the photos of an album
 * arrive as simultaneous updates, and each must add to the same input, not overwrite it. The
 * answer is given after the lock is released; "pass" hands the update on.
 */
function withCaseInput(decide: (ctx: Typing, pending: CaseInput) => Promise<Decision>) {
  return async (ctx: BotContext, next: () => Promise<void>) => {
    const from = ctx.from!;
    const answer = await caseInput(ctx).update(
      from.id,
      async (pending): Promise<Decision> => (pending ? decide(ctx as Typing, pending) : { result: "pass" }),
    );
    if (answer === "pass") await next();
    else await answer();
  };
}

const say = (ctx: BotContext, key: string, other?: Parameters<BotContext["reply"]>[1], args?: TranslateArgs) => () =>
  ctx.reply(ctx.t(key, args), other);

/** Performs the pending action; input the person can correct keeps it open. */
async function finish(ctx: Typing, actor: Member, pending: CaseInput, action: Action): Promise<Decision> {
  const outcome = await ctx.services.caseActions.perform(pending.caseId, action, actor, pending.version, pending.media);
  return { state: correctable(outcome) ? undefined : null, result: () => tell(ctx, actor, pending.caseId, action, outcome) };
}

/** The person acting on the pending input, as a member of the unit it concerns; null ends the input. */
async function inputActor(ctx: Typing, pending: CaseInput) {
  const row = await ctx.services.caseActions.row(pending.caseId);
  return { row, actor: await actorOf(ctx, pending.op === "trr" ? row?.pendingTransfer?.toUnitId : row?.unitId) };
}

const evidenceKeyboard = (ctx: BotContext) => new InlineKeyboard().text(ctx.t("btn-done-evidence"), EVIDENCE_DONE);

export const caseInputFeature = new Composer<BotContext>();
const typing = caseInputFeature.chatType("private");

typing.on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next(); // an unknown command, not an answer
  return withCaseInput((c, pending) => typedInput(c, pending, ctx.msg.text.trim()))(ctx, next);
});

/** A typed date ends at the office's close of day: the end of its last office period, as its hours in the directory file set it. */
async function typedDate(ctx: BotContext, text: string): Promise<number | null> {
  const { timeZone, workHours } = await ctx.services.calendar();
  return parseOfficeDate(text, timeZone, workHours.end);
}

async function typedInput(ctx: Typing, pending: CaseInput, text: string): Promise<Decision> {
  const { row, actor } = await inputActor(ctx, pending);
  if (!actor) return { state: null, result: "pass" };
  const step = typedText(pending, text, {
    date: pending.step === "date" ? await typedDate(ctx, text) : null,
    now: ctx.services.clock.now(),
    evidenceRequired: row ? needsEvidence(row.kind) : true,
    caseNumber: parseCaseNumber(text),
  });
  switch (step.type) {
    case "ask": {
      const other = step.input.step === "evidence" ? { reply_markup: evidenceKeyboard(ctx) } : undefined;
      return { state: step.input, result: say(ctx, step.prompt, other) };
    }
    case "act":
      return finish(ctx, actor, pending, step.action);
    case "find-case": {
      const other = await ctx.services.caseActions.byNumber(step.number);
      if (!other) return { result: say(ctx, "input-unknown-case") };
      return finish(ctx, actor, pending, { type: "mark_duplicate", ofCaseId: other.id, ofCaseOpen: true });
    }
    case "again":
      return { result: say(ctx, step.problem, step.problem === "ask-evidence" ? { reply_markup: evidenceKeyboard(ctx) } : undefined) };
    case "end":
      return { state: null, result: "pass" };
  }
}

// Photos and files: evidence for a resolution, or pictures with a progress note.
typing.on(
  ["message:photo", "message:video", "message:voice", "message:document"],
  withCaseInput(async (ctx, pending) => {
    if (!(pending.step === "evidence" || pending.op === "pg")) return { result: "pass" };
    const read = evidenceOf(ctx.msg!);
    if (read === null) return { result: "pass" };
    if (!read.ok) return { result: say(ctx, read.problem, undefined, { max: MAX_FILE_BYTES / 1024 / 1024 }) };
    const kept = addedMedia(pending, read.item);
    // The same file twice (an album redelivered), or one past the limit: kept once, answered once.
    if (kept === null || kept === pending) return { result: async () => undefined };
    const other = pending.step === "evidence" ? { reply_markup: evidenceKeyboard(ctx) } : undefined;
    return { state: kept, result: () => ctx.reply(ctx.t("evidence-received", { count: kept.media.length }), other) };
  }),
);

privateChat.callbackQuery(
  EVIDENCE_DONE,
  withCaseInput(async (ctx, pending) => {
    const { actor } = await inputActor(ctx, pending);
    const action = resolution(pending);
    if (action === null || !actor) return { result: () => ctx.answerCallbackQuery({ text: ctx.t("stale-button") }) };
    return finish(ctx, actor, pending, action);
  }),
);
