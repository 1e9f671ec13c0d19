/**
 * What a reporter sends to one of their open cases after submitting it: the answer to a
 * question the office asked (the workflow's `ask_reporter`) or material they add on
 * their own from /my. It is gathered as the person's conversation ("reporter-reply")
 * until they press send, then recorded in one transaction: the event (`reporter_replied` when
 * it answers the latest open question, else `material_added`), its files as attachments, and
 * the relay to the office through the outbox. The same gathering takes a follow-up question
 * (zhuiwen) to an answered consultation, words only, which goes through the workflow's
 * `followUp` (case-actions) instead.
 *
 * Anonymity: what reaches staff is the case card, which names a reporter only for a named
 * report, then the bot's own sends of the files by their file ids as albums (never a forward,
 * which would show the sender) under a caption with the case number only, and the pin.
 */
import type { Db, Executor } from "../../db/client";
import { insertAttachments } from "../../db/queries/archive";
import { eventRow, eventsOfCase } from "../../db/queries/case-events";
import { caseOfReporter } from "../../db/queries/cases";
import { caseRow } from "../../db/queries/staff-cases";
import { caseEvents } from "../../db/schema";
import type { Audience } from "../domain/case-buttons";
import type { MaterialFile, ReporterReply } from "../domain/conversation";
import {
  acceptsMaterial,
  followUpRefusal,
  followUpsAsked,
  MAX_FOLLOW_UPS,
  MAX_MATERIAL_FILES,
  MAX_TEXT,
  type Material,
  openQuestion,
  type Pin,
} from "../domain/workflow";
import { translator } from "../i18n";
import type { CaseActionService } from "./case-actions";
import { type EvidenceRecipient, evidenceMessages } from "./case-evidence";
import type { Clock } from "./clock";
import type { ConversationService } from "./conversations";
import { enqueue } from "./outbox";
import { cardMessages, dispatcherRecipients, localeOf, unitRecipients } from "./staff-messages";

/** One thing the reporter sent while the flow is open. */
export type MaterialPiece = { text: string } | { file: MaterialFile } | { pin: Pin };

export type AddOutcome =
  | { added: true; files: number; texts: number; pin: boolean; followUp: boolean }
  | { added: false; why: "none" | "full" | "long" | "words-only" };
export type SendOutcome =
  | { ok: true; number: string; answered: boolean; followUp: boolean }
  | { ok: false; why: "none" | "empty" | "closed" | "follow-up-limit" };
/** Whether a follow-up can be asked: with the case's number and how many are left, or why not. */
export type FollowUpOpening = { ok: true; number: string; left: number } | { ok: false; why: "closed" | "follow-up-limit" };

const textLength = (texts: readonly string[]) => [...texts.join("\n")].length;

export function reporterMaterialService(deps: {
  db: Db;
  clock: Clock;
  officeTz: string;
  consoleUrl?: string;
  conversations: ConversationService;
  /** The workflow's follow-up (case-actions), which a sent follow-up question goes through. */
  caseActions: Pick<CaseActionService, "followUp">;
}) {
  const { db, clock } = deps;
  const flow = deps.conversations.flow("reporter-reply");

  /** Who hears of the material: whoever asked the open question, else the owner unit, else the dispatchers. */
  async function recipients(ex: Executor, row: { unitId: string | null; assigneeId: number | null }, asked: { unitId: string | null } | null) {
    const unitId = asked ? asked.unitId : row.unitId;
    // A unit that asked but no longer holds the case: its successor works on the answer.
    const owner = unitId !== null && row.unitId !== null ? row.unitId : null;
    if (owner !== null) return { audience: "unit" as Audience, chats: await unitRecipients(ex, owner, row.assigneeId) };
    return { audience: "dispatcher" as Audience, chats: await dispatcherRecipients(ex) };
  }

  /**
   * The card with the words, then the files as the bot's own albums (case-evidence) and the
   * pin as a real map pin: for each recipient, in their language.
   */
  async function relay(
    ex: Executor,
    caseId: number,
    eventId: number,
    state: ReporterReply,
    question: string | null,
    to: { audience: Audience; chats: number[] },
  ) {
    const header = {
      key: question === null ? "card-header-material-added" : "card-header-reporter-replied",
      args: (t: ReturnType<typeof translator>) => ({
        question: question ?? "",
        text: state.texts.length > 0 ? state.texts.join("\n") : t("material-no-text"),
        extra: [
          state.pin ? `\n${t("material-pin", { lat: state.pin.latitude.toFixed(5), lng: state.pin.longitude.toFixed(5) })}` : "",
          state.files.length > 0 ? `\n${t("material-files", { count: state.files.length })}` : "",
        ].join(""),
      }),
    };
    const out = await cardMessages(ex, deps, caseId, header, to.audience, to.chats, (chatId) => `evt:${eventId}:${chatId}:material`);
    const recipients: EvidenceRecipient[] = [];
    for (const chatId of new Set(to.chats)) {
      recipients.push({ chatId, t: translator(await localeOf(ex, chatId)), key: (part) => `evt:${eventId}:${chatId}:file:${part}` });
    }
    out.push(...(await evidenceMessages(ex, caseId, recipients, { steps: ["material"], pin: state.pin ?? false, eventId })));
    return out;
  }

  /** A follow-up question: the words go through the workflow; a refusal says whether the limit was reached. */
  async function askFollowUp(telegramId: number, state: ReporterReply): Promise<SendOutcome> {
    const outcome = await deps.caseActions.followUp(state.caseId, telegramId, state.texts.join("\n"));
    if (outcome.ok) return { ok: true, number: outcome.number, answered: false, followUp: true };
    return { ok: false, why: outcome.code === "CASE.FOLLOW_UP_LIMIT" ? "follow-up-limit" : "closed" };
  }

  async function record(telegramId: number, state: ReporterReply): Promise<SendOutcome> {
    if (state.followUp) return askFollowUp(telegramId, state);
    const now = clock.now();
    return db.transaction(async (tx) => {
      const mine = await caseOfReporter(tx, { id: state.caseId }, telegramId);
      const row = mine && (await caseRow(tx, state.caseId));
      if (!row || !acceptsMaterial(row.status)) return { ok: false, why: "closed" } as const;
      const asked = openQuestion(await eventsOfCase(tx, row.id));
      const data: Material = { text: state.texts.join("\n"), attachments: state.files.length, pin: state.pin };
      const event = asked ? ({ action: "reporter_replied", data } as const) : ({ action: "material_added", data } as const);
      const [stored] = await tx
        .insert(caseEvents)
        .values(eventRow(row.id, now, { kind: "citizen" }, event))
        .returning({ id: caseEvents.id });
      // Stored with the event, and queued for the office's archive like every file of a case.
      await insertAttachments(tx, row.id, stored!.id, state.files, now);
      await enqueue(tx, await relay(tx, row.id, stored!.id, state, asked?.question ?? null, await recipients(tx, row, asked)), now);
      return { ok: true, number: row.number, answered: asked !== null, followUp: false } as const;
    });
  }

  return {
    /**
     * Opens the flow for one of the person's own open cases (replacing whatever else they were
     * in the middle of: the flow asked for last answers); the case's number, or null when it
     * is not theirs or no longer open.
     */
    async open(caseId: number, telegramId: number): Promise<string | null> {
      const found = await caseOfReporter(db, { id: caseId }, telegramId);
      if (!found || !acceptsMaterial(found.status)) return null;
      const state: ReporterReply = { caseId, number: found.number, texts: [], files: [], pin: null };
      await flow.update(telegramId, async () => ({ state, result: undefined }));
      return found.number;
    },

    /**
     * Opens the flow for a follow-up question to the answer of one of the person's own
     * consultations, when one can be asked (see `followUpRefusal`); else why not.
     */
    async openFollowUp(caseId: number, telegramId: number): Promise<FollowUpOpening> {
      const found = await caseOfReporter(db, { id: caseId }, telegramId);
      if (!found) return { ok: false, why: "closed" };
      const asked = followUpsAsked(await eventsOfCase(db, caseId));
      const refusal = followUpRefusal(found, asked);
      if (refusal !== null) return { ok: false, why: refusal.code === "CASE.FOLLOW_UP_LIMIT" ? "follow-up-limit" : "closed" };
      const state: ReporterReply = { caseId, number: found.number, texts: [], files: [], pin: null, followUp: true };
      await flow.update(telegramId, async () => ({ state, result: undefined }));
      return { ok: true, number: found.number, left: MAX_FOLLOW_UPS - asked };
    },

    /** Adds a text, a file or the pin to what is being gathered (a second pin replaces the first). */
    add(telegramId: number, piece: MaterialPiece): Promise<AddOutcome> {
      return flow.update<AddOutcome>(telegramId, async (state) => {
        if (!state) return { result: { added: false, why: "none" } as const };
        let next = state;
        // A follow-up is a question: its words are what the unit answers.
        if (state.followUp && !("text" in piece)) return { result: { added: false, why: "words-only" } as const };
        if ("text" in piece) {
          next = { ...state, texts: [...state.texts, piece.text] };
          if (textLength(next.texts) > MAX_TEXT) return { result: { added: false, why: "long" } as const };
        } else if ("file" in piece) {
          // The same photo twice (a client resending an album) counts once.
          if (state.files.some((f) => f.fileUniqueId === piece.file.fileUniqueId)) next = state;
          else if (state.files.length >= MAX_MATERIAL_FILES) return { result: { added: false, why: "full" } as const };
          else next = { ...state, files: [...state.files, piece.file] };
        } else {
          next = { ...state, pin: piece.pin };
        }
        const added = {
          added: true,
          files: next.files.length,
          texts: next.texts.length,
          pin: next.pin !== null,
          followUp: next.followUp === true,
        } as const;
        return { state: next, result: added };
      });
    },

    /** Sends what was gathered: recorded and relayed, and the flow ends; nothing gathered keeps it open. */
    send(telegramId: number): Promise<SendOutcome> {
      return flow.update<SendOutcome>(telegramId, async (state) => {
        if (!state) return { result: { ok: false, why: "none" } as const };
        if (state.texts.length === 0 && state.files.length === 0 && state.pin === null) return { result: { ok: false, why: "empty" } as const };
        return { state: null, result: await record(telegramId, state) };
      });
    },
  };
}

export type ReporterMaterialService = ReturnType<typeof reporterMaterialService>;
