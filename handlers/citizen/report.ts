/**
 * The citizen's report (/report, a hazard report) and question (/ask, an online enquiry) flows in a private
 * chat: one step at a time, a summary before anything is stored, and every problem named at
 * once when it cannot be accepted (the one-time complete notice; see docs/glossary.md).
 * The same steps serve a dispatcher recording a case for a caller (/new, handlers/staff/intake.ts):
 * the intake flow adds the door, its reference number and the caller's name, and each of its
 * steps is taken only by someone who is still a dispatcher or admin.
 *
 * Every input first changes the draft (in hot state, under the user's lock) and yields an
 * outcome; only then is the person answered, so no Telegram call is made while the lock is
 * held. Buttons carry the draft's id: a button from another draft, or for another step, is
 * answered and changes nothing.
 */
import { Composer, InlineKeyboard, Keyboard } from "grammy";
import type { BotContext } from "../../src/bot/context";
import { DRAFT_PRESS, type DraftChoice, MENU, NEW_FLOW } from "../../src/domain/buttons";
import { DOORS, MAX_REFERENCE, parseReference, STAFF_SOURCES } from "../../src/domain/doors";
import { evidenceOf, MAX_FILE_BYTES } from "../../src/domain/media";
import {
  advance,
  type Draft,
  editableSteps,
  editStep,
  type Flow,
  MAX_ADDRESS,
  MAX_DESCRIPTION,
  MAX_MEDIA,
  MAX_NAME,
  MIN_DESCRIPTION,
  meaningfulLength,
  newDraft,
  parsePhone,
  type Step,
  withSource,
} from "../../src/domain/report-draft";
import { clip } from "../../src/services/case-cards";
import { randomId } from "../../src/services/drafts";
import { problemsText, type Reporter, type SubmitResult } from "../../src/services/reports";
import type { StaffMember } from "../../src/services/staff";
import { allowedMember, notAllowed } from "../commands";
import { mainMenu } from "./keyboards";
import { formatTime, localName } from "./render";

type Ctx = BotContext;

type Outcome =
  | { type: "none" }
  | { type: "stale" }
  | { type: "not-allowed" }
  | { type: "old-button"; draft: Draft }
  | { type: "prompt"; draft: Draft; notice?: string; removeReplyKeyboard?: boolean }
  | { type: "in-progress"; draft: Draft }
  | { type: "cancelled"; hadContactKeyboard: boolean }
  | { type: "edit-menu"; draft: Draft }
  | { type: "media"; draft: Draft; full: boolean }
  | { type: "submitted"; draft: Draft; result: SubmitResult };

type Change = { draft?: Draft | null; result: Outcome };

/** A button under this draft. */
const button = (draft: Draft, choice: DraftChoice) => DRAFT_PRESS.encode({ ...choice, draftId: draft.id });

/** What to tell someone whose input does not fit the step they are on. */
const EXPECTS: Record<Step, string> = {
  source: "step-expects-button",
  reference: "step-expects-text",
  kind: "step-expects-button",
  sector: "step-expects-button",
  place: "step-expects-button",
  address: "step-expects-text",
  description: "step-expects-text",
  media: "step-expects-media",
  urgency: "step-expects-button",
  identity: "step-expects-button",
  caller: "step-expects-text",
  contact: "step-expects-contact",
  reward: "step-expects-button",
  summary: "step-expects-button",
};
/** A dispatcher types the caller's phone: there is no contact button to press. */
const expects = (draft: Draft) => (draft.flow === "intake" && draft.step === "contact" ? "step-expects-text" : EXPECTS[draft.step]);

/**
 * Changes the person's draft under their lock (services/drafts.ts). A draft recorded for a
 * caller is staff work: the sender's roles are read again at every step, and someone who is no
 * longer a dispatcher or admin loses the draft. The change gets the member for such a draft.
 */
function updateDraft(ctx: Ctx, change: (draft: Draft | null, me: StaffMember | null) => Promise<Change>): Promise<Outcome> {
  const updateId = ctx.update.update_id;
  return ctx.services.drafts.update<Outcome>(ctx.from!.id, async (draft) => {
    if (draft && draft.lastUpdate === updateId) return { result: replayed(ctx, draft) };
    const changed = draft?.flow !== "intake" ? await change(draft, null) : await changeAsStaff(ctx, draft, change);
    return changed.draft ? { ...changed, draft: { ...changed.draft, lastUpdate: updateId } } : changed;
  });
}

async function changeAsStaff(ctx: Ctx, draft: Draft, change: (draft: Draft | null, me: StaffMember | null) => Promise<Change>): Promise<Change> {
  const me = await allowedMember(ctx, "new");
  return me ? change(draft, me) : { draft: null, result: { type: "not-allowed" } };
}

/**
 * The answer to an update redelivered after its change was kept (see Draft.lastUpdate): the
 * question the draft now stands at, which is what the first delivery asked; a photo or file is
 * acknowledged as one already kept.
 */
function replayed(ctx: Ctx, draft: Draft): Outcome {
  return ctx.msg !== undefined && evidenceOf(ctx.msg) !== null ? { type: "media", draft, full: false } : { type: "prompt", draft };
}

export const reportFeature = new Composer<BotContext>();
const privateChat = reportFeature.chatType("private");

// ── Starting, resuming, cancelling ───────────────────────────────────────────────────────

/** Opens a fresh draft of the flow, or offers to go on with the one open. (/new checks the sender's roles before it comes here.) */
export async function startFlow(ctx: Ctx, flow: Flow): Promise<void> {
  const now = ctx.services.clock.now();
  const outcome = await updateDraft(ctx, async (draft) => {
    if (draft) return { result: { type: "in-progress", draft } };
    const fresh = newDraft(flow, randomId(), now);
    return { draft: fresh, result: { type: "prompt", draft: fresh } };
  });
  await respond(ctx, outcome);
}

privateChat.command("report", (ctx) => startFlow(ctx, "report"));
privateChat.command("ask", (ctx) => startFlow(ctx, "ask"));
privateChat.callbackQuery(MENU.encode("report"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await startFlow(ctx, "report");
});
privateChat.callbackQuery(MENU.encode("ask"), async (ctx) => {
  await ctx.answerCallbackQuery();
  await startFlow(ctx, "ask");
});

privateChat.callbackQuery(NEW_FLOW.pattern, async (ctx) => {
  const press = NEW_FLOW.decode(ctx.callbackQuery.data);
  const now = ctx.services.clock.now();
  const outcome = await updateDraft(ctx, async (draft) => {
    if (!press || !draft || draft.id !== press.oldDraftId || draft.flow !== press.flow) return { result: { type: "stale" } };
    const fresh = newDraft(press.flow, randomId(), now);
    return { draft: fresh, result: { type: "prompt", draft: fresh } };
  });
  await respond(ctx, outcome);
});

/** The answer to /cancel (handlers/conversation.ts) when it ended a draft. */
export const reportCancelled = (ctx: Ctx, draft: Draft) => respond(ctx, { type: "cancelled", hadContactKeyboard: draft.step === "contact" });

// ── Buttons ──────────────────────────────────────────────────────────────────────────────

privateChat.callbackQuery(DRAFT_PRESS.pattern, async (ctx) => {
  const press = DRAFT_PRESS.decode(ctx.callbackQuery.data);
  const outcome = await updateDraft(ctx, async (draft, me) => {
    if (!press || !draft || draft.id !== press.draftId) return { result: { type: "stale" } };
    return pressButton(ctx, draft, press, me);
  });
  await respond(ctx, outcome);
});

async function pressButton(ctx: Ctx, draft: Draft, press: DraftChoice, me: StaffMember | null): Promise<Change> {
  const move = (changed: Draft): Change => {
    const next = advance(changed);
    return { draft: next, result: { type: "prompt", draft: next } };
  };
  const atStep = (...steps: Step[]) => steps.includes(draft.step);

  switch (press.do) {
    case "resume":
      return { result: { type: "prompt", draft } };
    case "cancel":
      return { draft: null, result: { type: "cancelled", hadContactKeyboard: draft.step === "contact" } };
    case "source":
      if (atStep("source")) return move(withSource(draft, press.source));
      break;
    case "kind":
      if (atStep("kind")) return move({ ...draft, kind: press.kind });
      break;
    case "sector":
      if (atStep("sector") && (await ctx.services.directory.sector(press.id))) return move({ ...draft, sectorId: press.id });
      break;
    case "region":
      if (atStep("place") && (await ctx.services.directory.region(press.id))) return move({ ...draft, regionId: press.id });
      break;
    case "skip":
      if (atStep("place", "address", "media") || (atStep("reference") && draft.source && DOORS[draft.source].reference === "optional")) {
        return move(draft);
      }
      break;
    case "done":
      if (atStep("media")) return move(draft);
      break;
    case "urgent":
      if (atStep("urgency")) return move({ ...draft, urgent: press.yes });
      break;
    case "anon":
      if (atStep("identity")) {
        return move({ ...draft, anonymous: press.yes, phone: press.yes ? undefined : draft.phone, name: press.yes ? undefined : draft.name });
      }
      break;
    case "reward":
      if (atStep("reward")) return move({ ...draft, reward: press.yes });
      break;
    case "submit":
      if (atStep("summary")) {
        const result = await ctx.services.reports.submit(draft, await reporterOf(ctx, draft, me));
        const done = result.status === "created" || result.status === "already-submitted";
        return { draft: done ? null : undefined, result: { type: "submitted", draft, result } };
      }
      break;
    case "edit":
      if (atStep("summary")) return { result: { type: "edit-menu", draft } };
      break;
    case "field": {
      const edited = atStep("summary") ? editStep(draft, press.step) : null;
      if (edited) return { draft: edited, result: { type: "prompt", draft: edited } };
      break;
    }
  }
  return { result: { type: "old-button", draft } };
}

/** Who submits: the person in chat, or for a record made for a caller, the door it came by and the dispatcher. */
async function reporterOf(ctx: Ctx, draft: Draft, me: StaffMember | null): Promise<Reporter> {
  if (draft.flow === "intake" && draft.source && me) {
    return { door: draft.source, memberId: me.memberId, ref: draft.reference, name: draft.name };
  }
  const from = ctx.from!;
  // Remember the person's language, so pushes about this case come in it.
  await ctx.services.users.greet(from.id, ctx.locale);
  return {
    door: "telegram",
    telegramId: from.id,
    chatId: ctx.chat!.id,
    displayName: [from.first_name, from.last_name].filter(Boolean).join(" ") + (from.username ? ` (@${from.username})` : ""),
  };
}

// ── Messages ─────────────────────────────────────────────────────────────────────────────

/** What a person writing a draft sends, routed here by handlers/conversation.ts. */
export const reportInputFeature = new Composer<BotContext>();
const typing = reportInputFeature.chatType("private");

typing.on("message:text", async (ctx, next) => {
  if (ctx.msg.text.startsWith("/")) return next(); // an unknown command, not an answer
  const text = ctx.msg.text.trim();
  const outcome = await updateDraft(ctx, async (draft) => (draft ? typeText(ctx, draft, text) : { result: { type: "none" } }));
  if (outcome.type === "none") return next();
  await respond(ctx, outcome);
});

function typeText(ctx: Ctx, draft: Draft, text: string): Change {
  const stay = (notice: string): Change => ({ result: { type: "prompt", draft, notice } });
  const move = (changed: Draft, notice?: string, removeReplyKeyboard?: boolean): Change => {
    const next = advance(changed);
    return { draft: next, result: { type: "prompt", draft: next, notice, removeReplyKeyboard } };
  };
  switch (draft.step) {
    case "reference": {
      const reference = parseReference(text);
      if (reference === null) return stay(ctx.t("reference-invalid", { max: MAX_REFERENCE }));
      return move({ ...draft, reference });
    }
    case "caller":
      if ([...text].length > MAX_NAME) return stay(ctx.t("name-too-long", { max: MAX_NAME }));
      return move({ ...draft, name: text });
    case "place": // a typed place is the address; the address step is then done too
    case "address":
      if ([...text].length > MAX_ADDRESS) return stay(ctx.t("address-too-long", { max: MAX_ADDRESS }));
      return move({ ...draft, address: text, step: "address" });
    case "description":
      if (meaningfulLength(text) < MIN_DESCRIPTION) return stay(ctx.t("problem-description-too-short", { min: MIN_DESCRIPTION }));
      if (text.length > MAX_DESCRIPTION) return stay(ctx.t("problem-description-too-long", { max: MAX_DESCRIPTION }));
      return move({ ...draft, description: text });
    case "contact": {
      const phone = parsePhone(text);
      if (phone === null) return stay(ctx.t("phone-invalid"));
      return move({ ...draft, phone }, ctx.t("contact-saved"), draft.flow !== "intake");
    }
    default:
      return stay(ctx.t(expects(draft)));
  }
}

typing.on(["message:photo", "message:video", "message:voice", "message:document"], async (ctx, next) => {
  const msg = ctx.msg;
  const read = evidenceOf(msg);
  if (read === null) return next();
  if (!read.ok) {
    // Too large or not a kind the office keeps: said at once, whatever the step; the draft is as it was.
    if ((await ctx.services.drafts.get(ctx.from.id)) === null) return next();
    await ctx.reply(ctx.t(read.problem, { max: MAX_FILE_BYTES / 1024 / 1024 }));
    return;
  }
  const { item } = read;
  const outcome = await updateDraft(ctx, async (draft) => {
    if (!draft) return { result: { type: "none" } };
    if (draft.step !== "media") return { result: { type: "prompt", draft, notice: ctx.t(expects(draft)) } };
    if (draft.media.some((m) => m.fileUniqueId === item.fileUniqueId)) return { result: { type: "media", draft, full: false } };
    if (draft.media.length >= MAX_MEDIA) return { result: { type: "media", draft, full: true } };
    const updated = { ...draft, media: [...draft.media, item] };
    return { draft: updated, result: { type: "media", draft: updated, full: false } };
  });
  if (outcome.type === "none") return next();
  if (outcome.type !== "media") return respond(ctx, outcome);

  // An album arrives as one update per photo: acknowledge it once, not once per photo.
  const group = msg.media_group_id;
  const { kv } = ctx.services;
  const done = new InlineKeyboard().text(ctx.t("btn-done"), button(outcome.draft, { do: "done" }));
  if (outcome.full) {
    if (await kv.setIfAbsent(`media-full:${outcome.draft.id}:${group ?? msg.message_id}`, "1", 10 * 60_000)) {
      await ctx.reply(ctx.t("media-full", { max: MAX_MEDIA }), { reply_markup: done });
    }
  } else if (group === undefined) {
    await ctx.reply(ctx.t("media-received", { count: outcome.draft.media.length }), { reply_markup: done });
  } else if (await kv.setIfAbsent(`album:${group}`, "1", 10 * 60_000)) {
    await ctx.reply(ctx.t("media-album-received"), { reply_markup: done });
  }
});

typing.on("message:location", async (ctx, next) => {
  const { latitude: lat, longitude: lng } = ctx.msg.location;
  const region = await ctx.services.directory.regionAt({ lat, lng });
  const outcome = await updateDraft(ctx, async (draft) => {
    if (!draft) return { result: { type: "none" } };
    if (draft.step !== "place") return { result: { type: "prompt", draft, notice: ctx.t(expects(draft)) } };
    const located = { ...draft, location: { lat, lng } };
    if (region) {
      const next = advance({ ...located, regionId: region.id });
      return { draft: next, result: { type: "prompt", draft: next, notice: ctx.t("place-pin-matched", { region: localName(ctx.locale, region) }) } };
    }
    // No area holds the pin: keep it and still ask for the town, unless there are none to pick.
    const next = (await ctx.services.directory.towns()).length > 0 ? located : advance(located);
    return { draft: next, result: { type: "prompt", draft: next, notice: ctx.t("place-pin-unmatched") } };
  });
  if (outcome.type === "none") return next();
  await respond(ctx, outcome);
});

typing.on("message:contact", async (ctx, next) => {
  const contact = ctx.msg.contact;
  const outcome = await updateDraft(ctx, async (draft) => {
    if (!draft) return { result: { type: "none" } };
    // A dispatcher types the caller's number; a shared contact card proves nothing about the caller.
    if (draft.step !== "contact" || draft.flow === "intake") return { result: { type: "prompt", draft, notice: ctx.t(expects(draft)) } };
    if (contact.user_id !== ctx.from.id) return { result: { type: "prompt", draft, notice: ctx.t("contact-not-own") } };
    const next = advance({ ...draft, phone: contact.phone_number.replace(/^\+/, "") });
    return { draft: next, result: { type: "prompt", draft: next, notice: ctx.t("contact-saved"), removeReplyKeyboard: true } };
  });
  if (outcome.type === "none") return next();
  await respond(ctx, outcome);
});

// Stickers, voice, documents… mid-flow: say what the step wants; the draft stays as it was.
typing.on("message", async (ctx, next) => {
  const draft = await ctx.services.drafts.get(ctx.from.id);
  if (!draft) return next();
  await respond(ctx, { type: "prompt", draft, notice: ctx.t(expects(draft)) });
});

reportFeature.chatType("private").on("edited_message", async (ctx) => {
  if (await ctx.services.drafts.get(ctx.from.id)) await ctx.reply(ctx.t("edited-ignored"));
});

// ── Answering ────────────────────────────────────────────────────────────────────────────

async function respond(ctx: Ctx, outcome: Outcome): Promise<void> {
  const pressed = ctx.callbackQuery !== undefined;
  if (outcome.type === "stale") {
    if (pressed) await ctx.answerCallbackQuery({ text: ctx.t("stale-button") });
    return;
  }
  if (outcome.type === "not-allowed") return notAllowed(ctx);
  if (outcome.type === "old-button") {
    await ctx.answerCallbackQuery({ text: ctx.t("step-old-button") });
    return prompt(ctx, outcome.draft);
  }
  if (pressed) {
    await ctx.answerCallbackQuery();
    // The choice is made: take the buttons off the message so it cannot be pressed twice.
    await ctx.editMessageReplyMarkup().catch(() => undefined);
  }
  switch (outcome.type) {
    case "none":
    case "media":
      return;
    case "prompt":
      if (outcome.removeReplyKeyboard && outcome.notice) {
        await ctx.reply(outcome.notice, { reply_markup: { remove_keyboard: true } });
        return prompt(ctx, outcome.draft);
      }
      return prompt(ctx, outcome.draft, outcome.notice);
    case "in-progress": {
      const { draft } = outcome;
      const keyboard = new InlineKeyboard()
        .text(ctx.t("btn-continue"), button(draft, { do: "resume" }))
        .text(ctx.t("btn-restart"), NEW_FLOW.encode({ flow: draft.flow, oldDraftId: draft.id }))
        .row()
        .text(ctx.t("btn-cancel"), button(draft, { do: "cancel" }));
      await ctx.reply(ctx.t("report-in-progress", { flow: draft.flow, started: formatTime(draft.startedAt, ctx.services.officeTz) }), {
        reply_markup: keyboard,
      });
      return;
    }
    case "cancelled":
      if (outcome.hadContactKeyboard) await ctx.reply(ctx.t("cancelled"), { reply_markup: { remove_keyboard: true } });
      else await ctx.reply(ctx.t("cancelled"), { reply_markup: mainMenu(ctx.t) });
      return;
    case "edit-menu": {
      const { draft } = outcome;
      const keyboard = new InlineKeyboard();
      editableSteps(draft).forEach((step, i) => {
        keyboard.text(ctx.t(fieldLabel(draft, step)), button(draft, { do: "field", step }));
        if (i % 3 === 2) keyboard.row();
      });
      keyboard.row().text(ctx.t("btn-cancel"), button(draft, { do: "cancel" }));
      await ctx.reply(ctx.t("summary-choose-field"), { reply_markup: keyboard });
      return;
    }
    case "submitted":
      return answerSubmission(ctx, outcome.draft, outcome.result);
  }
}

async function answerSubmission(ctx: Ctx, draft: Draft, submitted: SubmitResult): Promise<void> {
  // A redelivered submit whose first answer was lost gets a new code (see reports.ts): it is
  // answered as the first time would have been, code and all.
  const result: SubmitResult =
    submitted.status === "already-submitted" && submitted.claimCode
      ? { status: "created", caseId: 0, number: submitted.number, claimCode: submitted.claimCode }
      : submitted;
  if (draft.flow === "intake" && result.status === "created") {
    await ctx.reply(ctx.t("intake-submitted", { number: result.number, source: ctx.t(`source-${draft.source}`) }));
    if (result.claimCode) await ctx.reply(ctx.t("intake-claim", { code: result.claimCode }));
    return;
  }
  switch (result.status) {
    case "created":
      await ctx.reply(ctx.t("submitted", { kind: draft.kind ?? "consultation", number: result.number }), {
        reply_markup: result.claimCode ? undefined : mainMenu(ctx.t),
      });
      if (result.claimCode) {
        await ctx.reply(ctx.t("submitted-claim", { code: result.claimCode }), { reply_markup: mainMenu(ctx.t) });
      }
      return;
    case "already-submitted":
      await ctx.reply(ctx.t("already-submitted", { number: result.number }), { reply_markup: mainMenu(ctx.t) });
      return;
    case "rate-limited":
      await ctx.reply(ctx.t("rate-submit", { minutes: Math.max(1, Math.ceil(result.retryAfterMs / 60_000)) }));
      return;
    case "invalid":
      await ctx.reply(problemsText(ctx.t, result.problems), {
        reply_markup: new InlineKeyboard()
          .text(ctx.t("btn-fix"), button(draft, { do: "field", step: fixStep(result.problems[0]!.step) }))
          .row()
          .text(ctx.t("btn-cancel"), button(draft, { do: "cancel" })),
      });
      return;
  }
}

/** Where "complete it" goes for a problem: a missing name or phone is fixed from the identity step. */
const fixStep = (step: Step): Step => (step === "contact" || step === "caller" ? "identity" : step);

// ── Prompts ──────────────────────────────────────────────────────────────────────────────

function fieldLabel(draft: Draft, step: Step): string {
  if (step === "description" && draft.flow === "ask") return "field-question";
  if (step === "urgency") return "field-urgency";
  return `field-${step}`;
}

/** Asks for the current step, with its buttons; a notice, if any, comes first. */
async function prompt(ctx: Ctx, draft: Draft, notice?: string): Promise<void> {
  const { t } = ctx;
  const keyboard = new InlineKeyboard();
  const choices = (items: Array<[string, string]>, perRow: number) => {
    items.forEach(([label, data], i) => {
      keyboard.text(label, data);
      if (i % perRow === perRow - 1) keyboard.row();
    });
    keyboard.row();
  };
  let text: string;
  const intake = draft.flow === "intake";
  switch (draft.step) {
    case "source":
      text = t("ask-source");
      choices(
        STAFF_SOURCES.map((source) => [t(`source-${source}`), button(draft, { do: "source", source })]),
        2,
      );
      break;
    case "reference": {
      const optional = draft.source !== undefined && DOORS[draft.source].reference === "optional";
      text = t("ask-reference", { required: optional ? "no" : "yes", source: t(`source-${draft.source}`) });
      if (optional) choices([[t("btn-skip"), button(draft, { do: "skip" })]], 1);
      break;
    }
    case "kind":
      text = t(intake ? "ask-kind-intake" : "ask-kind");
      choices(
        [
          [t("kind-hazard"), button(draft, { do: "kind", kind: "hazard" })],
          [t("kind-violation"), button(draft, { do: "kind", kind: "violation" })],
        ],
        1,
      );
      break;
    case "sector":
      text = t(draft.flow === "ask" ? "ask-sector-question" : "ask-sector");
      choices(
        (await ctx.services.directory.sectors()).map((s) => [localName(ctx.locale, s), button(draft, { do: "sector", id: s.id })]),
        2,
      );
      break;
    case "place": {
      const towns = await ctx.services.directory.towns();
      text = t(towns.length > 0 ? "ask-place" : "ask-place-no-towns");
      choices(
        towns.map((r) => [localName(ctx.locale, r), button(draft, { do: "region", id: r.id })]),
        3,
      );
      choices([[t("btn-skip"), button(draft, { do: "skip" })]], 1);
      break;
    }
    case "address":
      text = t("ask-address");
      choices([[t("btn-skip"), button(draft, { do: "skip" })]], 1);
      break;
    case "description":
      text = t(draft.flow === "ask" ? "ask-question" : "ask-description", { min: MIN_DESCRIPTION });
      break;
    case "media":
      text = t("ask-media", { max: MAX_MEDIA });
      choices([[t(draft.media.length > 0 ? "btn-done" : "btn-skip"), button(draft, { do: "done" })]], 1);
      break;
    case "urgency":
      text = t("ask-urgency");
      choices(
        [
          [t("urgency-urgent"), button(draft, { do: "urgent", yes: true })],
          [t("urgency-ordinary"), button(draft, { do: "urgent", yes: false })],
        ],
        1,
      );
      break;
    case "identity":
      text = intake ? t("ask-identity-intake") : t("ask-identity", { flow: draft.flow });
      choices(
        [
          [t("identity-anonymous"), button(draft, { do: "anon", yes: true })],
          [t(intake ? "identity-caller-named" : "identity-named"), button(draft, { do: "anon", yes: false })],
        ],
        2,
      );
      break;
    case "caller":
      text = t("ask-caller");
      break;
    case "contact": {
      if (intake) {
        text = t("ask-caller-phone");
        break;
      }
      // Telegram's contact button lives on a reply keyboard; /cancel still works.
      const share = new Keyboard().requestContact(t("btn-share-contact")).resized().oneTime();
      await ctx.reply(notice ? `${notice}\n\n${t("ask-contact")}` : t("ask-contact"), { reply_markup: share });
      return;
    }
    case "reward":
      text = t(intake ? "ask-reward-intake" : "ask-reward");
      choices(
        [
          [t("reward-yes"), button(draft, { do: "reward", yes: true })],
          [t("reward-no"), button(draft, { do: "reward", yes: false })],
        ],
        2,
      );
      break;
    case "summary":
      text = await summaryText(ctx, draft);
      choices(
        [
          [t("btn-submit"), button(draft, { do: "submit" })],
          [t("btn-edit"), button(draft, { do: "edit" })],
        ],
        2,
      );
      break;
  }
  keyboard.text(t("btn-cancel"), button(draft, { do: "cancel" }));
  await ctx.reply(notice ? `${notice}\n\n${text}` : text, { reply_markup: keyboard });
}

const SUMMARY_DESCRIPTION_CHARS = 500;

async function summaryText(ctx: Ctx, draft: Draft): Promise<string> {
  const { t, locale } = ctx;
  const none = t("value-none");
  const line = (step: Step, value: string) => t("summary-line", { label: t(fieldLabel(draft, step)), value });
  const intake = draft.flow === "intake";
  const report = draft.flow === "report" || intake;
  const sector = draft.sectorId ? await ctx.services.directory.sector(draft.sectorId) : null;
  const region = draft.regionId ? await ctx.services.directory.region(draft.regionId) : null;

  const lines = [t(`summary-title-${draft.flow}`), ""];
  if (intake) {
    lines.push(line("source", draft.source ? t(`source-${draft.source}`) : none));
    if (editableSteps(draft).includes("reference")) lines.push(line("reference", draft.reference ?? none));
  }
  if (report) lines.push(line("kind", draft.kind ? t(`kind-${draft.kind}`) : none));
  lines.push(line("sector", sector ? localName(locale, sector) : none));
  if (report) {
    const place = [region ? localName(locale, region) : "", draft.location ? t("value-pin") : ""].filter(Boolean).join(" · ");
    lines.push(line("place", place || none));
    lines.push(line("address", draft.address ?? none));
  }
  lines.push(line("description", draft.description ? clip(draft.description, SUMMARY_DESCRIPTION_CHARS) : none));
  lines.push(line("media", t("value-count", { count: draft.media.length })));
  if (report) lines.push(line("urgency", draft.urgent === undefined ? none : t(draft.urgent ? "value-urgent" : "value-ordinary")));
  lines.push(
    line(
      "identity",
      draft.anonymous === undefined
        ? none
        : draft.anonymous
          ? t("value-anonymous")
          : intake
            ? t("value-caller", { name: draft.name ?? none, phone: draft.phone ?? none })
            : t("value-named", { phone: draft.phone ?? none }),
    ),
  );
  if (report && draft.source !== "superior")
    lines.push(line("reward", draft.reward === undefined ? none : t(draft.reward ? "value-reward-yes" : "value-reward-no")));
  lines.push("", t("summary-hint"));
  return lines.join("\n");
}
