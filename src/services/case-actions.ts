/**
 * Doing something to a case: one use case behind every staff button, command and script.
 * In one transaction it loads the case, asks the pure workflow (src/domain/workflow.ts)
 * whether the actor may do this now, writes the new state only if the version is still the
 * one the actor saw (two presses at once: one wins), appends the events (the ledger),
 * and puts every message the change causes into the outbox: cards to the units and the
 * dispatchers, status pushes to the citizen, the rating request when it closes.
 */
import { and, eq } from "drizzle-orm";
import type { Db, Executor } from "../../db/client";
import { insertAttachments } from "../../db/queries/archive";
import { type EventActor, eventRow, eventsOfCase, ledgerOf } from "../../db/queries/case-events";
import { caseOfReporter } from "../../db/queries/cases";
import { listUnits, membersWithRole } from "../../db/queries/staff";
import {
  caseCardData,
  caseIdByNumber,
  caseRow,
  dismissDuplicateHints,
  openCasesOfUnits,
  openDuplicateHints,
  reporterChatsOf,
  reportersOf,
  supervisedCases,
  triageQueue,
} from "../../db/queries/staff-cases";
import { caseEvents, caseReporters, cases, members, units } from "../../db/schema";
import { FOLLOW_UP, MATERIAL } from "../domain/buttons";
import { publicTimeline } from "../domain/case-status";
import type { MediaItem } from "../domain/report-draft";
import { caseMilestones } from "../domain/reports";
import {
  type Action,
  type Actor,
  type CaseState,
  type DecidedEvent,
  type Decision,
  decide,
  followUp,
  followUpsAsked,
  isOpen,
  MAX_FOLLOW_UPS,
  type RefusalCode,
  type RefusalField,
} from "../domain/workflow";
import { type Translate, translator } from "../i18n";
import type { Logger } from "../log";
import { type Audience, timelineText, toState } from "./case-cards";
import { type EvidenceRecipient, type EvidenceStep, evidenceMessages } from "./case-evidence";
import type { Clock } from "./clock";
import type { DeadlineService } from "./deadlines";
import { enqueue, type OutboxMessage } from "./outbox";
import type { PublicChannelService } from "./public-channel";
import { ratingRequest } from "./ratings";
import { cardMessages, dispatcherRecipients, localeOf, unitRecipients } from "./staff-messages";

/** Refusals the workflow cannot give, since it sees no database: the case, or a row an argument names, does not exist. */
export type ReferenceRefusal = "CASE.NOT_FOUND" | "CASE.UNKNOWN_UNIT" | "CASE.UNKNOWN_MEMBER";

export type ActionOutcome =
  | { ok: true; caseId: number; number: string; version: number; events: DecidedEvent[] }
  | { ok: false; code: RefusalCode | ReferenceRefusal; field?: RefusalField };

/**
 * The rows an action's arguments name, looked up before anything changes: a button's data
 * (or a script's input) is never trusted, and a unit or member that does not exist, or a
 * member who is no active liaison of the unit, would otherwise be stored on the case.
 */
async function unknownReference(ex: Executor, action: Action): Promise<ReferenceRefusal | null> {
  if (action.type !== "route" && action.type !== "assign" && action.type !== "transfer_request") return null;
  const unitId = action.type === "transfer_request" ? action.toUnitId : action.unitId;
  const [unit] = await ex.select({ id: units.id }).from(units).where(eq(units.id, unitId));
  if (!unit) return "CASE.UNKNOWN_UNIT";
  if (action.type === "assign" && action.assigneeId != null) {
    const [member] = await ex
      .select({ roles: members.roles })
      .from(members)
      .where(and(eq(members.id, action.assigneeId), eq(members.unitId, unitId), eq(members.active, true)));
    if (!member?.roles.includes("liaison")) return "CASE.UNKNOWN_MEMBER";
  }
  return null;
}

type CaseRow = NonNullable<Awaited<ReturnType<typeof caseRow>>>;

export function caseActionService(deps: {
  db: Db;
  clock: Clock;
  log: Logger;
  officeTz: string;
  consoleUrl?: string;
  deadlines: DeadlineService;
  /** Posts the closure of a listed case whose listing was made public. */
  publicChannel?: Pick<PublicChannelService, "followClosure">;
}) {
  const { db, clock, deadlines } = deps;

  /** A staff card for each recipient, in the recipient's language, written once per event, chat and audience. */
  const cards = (ex: Executor, caseId: number, header: string, audience: Audience, chatIds: number[], eventId: number): Promise<OutboxMessage[]> =>
    cardMessages(ex, deps, caseId, { key: header }, audience, chatIds, (chatId) => `evt:${eventId}:${chatId}:${audience}`);

  /**
   * The case's files and pin to each chat, in its language, once per chat and set (keyed by
   * the event they came with): a later card to the same chat does not repeat them.
   */
  async function evidence(ex: Executor, caseId: number, chatIds: number[], steps: EvidenceStep[]): Promise<OutboxMessage[]> {
    const recipients: EvidenceRecipient[] = [];
    for (const chatId of new Set(chatIds)) {
      recipients.push({ chatId, t: translator(await localeOf(ex, chatId)), key: (part) => `media:${caseId}:${chatId}:${part}` });
    }
    return evidenceMessages(ex, caseId, recipients, { steps, pin: true });
  }

  /** Tells every reporter of the case, in their language, about a public step. */
  async function citizenPushes(ex: Executor, row: CaseRow, event: DecidedEvent, eventId: number): Promise<OutboxMessage[]> {
    // A merged case's reporters follow the case it joined; its own close says nothing more.
    if (event.action === "closed" && row.mergedInto !== null) return [];
    // The citizen who asked a follow-up was answered at once; the next they hear is the answer.
    if (event.action === "follow_up_asked") return [];
    // Under an answer, a follow-up question while there are some left.
    const followUpsLeft = event.action === "answered" && followUpsAsked(await eventsOfCase(ex, row.id)) < MAX_FOLLOW_UPS;
    const [entry] = publicTimeline([{ ...event, at: clock.now() }]);
    if (!entry && event.action !== "merged") return [];
    const unit = entry?.unitId ? (await ex.select().from(units).where(eq(units.id, entry.unitId)))[0] : undefined;
    const out: OutboxMessage[] = [];
    for (const reporter of await reporterChatsOf(ex, row.id)) {
      const locale = await localeOf(ex, reporter.telegramId);
      const t = translator(locale);
      const text =
        event.action === "merged"
          ? t("citizen-merged", { number: row.number })
          : event.action === "answered"
            ? t("citizen-answer", { number: row.number, text: event.data.text })
            : event.action === "reporter_asked"
              ? t("citizen-asked", { number: row.number, question: event.data.question })
              : t("citizen-push", { number: row.number, text: timelineText(t, locale, entry!, unit) });
      // The office's question carries the button that opens the reply; it names the office, never who asked.
      const reply_markup =
        event.action === "reporter_asked"
          ? { inline_keyboard: [[{ text: t("btn-reply-material"), callback_data: MATERIAL.encode({ caseId: row.id }) }]] }
          : followUpsLeft
            ? { inline_keyboard: [[{ text: t("btn-follow-up"), callback_data: FOLLOW_UP.encode({ caseId: row.id }) }]] }
            : undefined;
      out.push({
        chatId: reporter.chatId,
        method: "sendMessage",
        dedupeKey: `evt:${eventId}:${reporter.chatId}:citizen`,
        payload: reply_markup ? { text, reply_markup } : { text },
      });
    }
    return out;
  }

  /** Everything an event makes someone need to know. */
  async function messagesFor(ex: Executor, before: CaseState, row: CaseRow, event: DecidedEvent, eventId: number): Promise<OutboxMessage[]> {
    const out = await citizenPushes(ex, row, event, eventId);
    const unitCard = async (header: string, unitId: string | null, assigneeId: number | null) =>
      unitId ? cards(ex, row.id, header, "unit", await unitRecipients(ex, unitId, assigneeId), eventId) : [];
    switch (event.action) {
      case "assigned":
      case "transfer_accepted": {
        // The new owner sees the card, then what was reported (and done so far) with the pin.
        if (!row.unitId) break;
        const recipients = await unitRecipients(ex, row.unitId, row.assigneeId);
        out.push(...(await cards(ex, row.id, "card-header-assigned", "unit", recipients, eventId)));
        out.push(...(await evidence(ex, row.id, recipients, ["report", "progress"])));
        break;
      }
      case "transfer_requested": {
        const target = row.pendingTransfer?.toUnitId;
        if (!target) break;
        const recipients = await unitRecipients(ex, target, null);
        out.push(...(await cards(ex, row.id, "card-header-transfer", "transfer-target", recipients, eventId)));
        out.push(...(await evidence(ex, row.id, recipients, ["report", "progress"])));
        break;
      }
      case "transfer_refused":
      case "extension_granted":
      case "extension_refused":
        out.push(...(await unitCard("card-header-current", row.unitId, null)));
        break;
      case "extension_requested":
        out.push(...(await cards(ex, row.id, "card-header-extension", "dispatcher", await dispatcherRecipients(ex), eventId)));
        break;
      case "resolved":
      case "answered": {
        // Verification: what was done first, then what was reported, and the card with its close buttons last.
        const recipients = await dispatcherRecipients(ex);
        out.push(...(await evidence(ex, row.id, recipients, ["resolution", "report"])));
        out.push(...(await cards(ex, row.id, "card-header-verify", "dispatcher", recipients, eventId)));
        break;
      }
      case "sent_back":
        out.push(...(await unitCard("card-header-sent-back", row.unitId, before.assigneeId)));
        break;
      case "reopened":
        out.push(...(await unitCard("card-header-reopened", row.unitId, row.assigneeId)));
        break;
      case "follow_up_asked": {
        // Back to the unit that answered, with the question; the card names no reporter of an anonymous case.
        const header = { key: "card-header-follow-up", args: () => ({ question: event.data.question }) };
        const recipients = await unitRecipients(ex, row.unitId ?? event.data.unitId, row.assigneeId);
        out.push(...(await cardMessages(ex, deps, row.id, header, "unit", recipients, (chatId) => `evt:${eventId}:${chatId}:unit`)));
        break;
      }
      case "closed": {
        if (row.mergedInto !== null) break;
        // The follow-up rating is asked in the same transaction as the close, with its one reminder scheduled.
        out.push(...(await ratingRequest(ex, row.id, clock.now())));
        await deps.publicChannel?.followClosure(ex, row.id);
        break;
      }
      case "severity_set":
      case "deadline_set":
      case "merged":
      case "duplicate_dismissed":
      case "rejected":
      case "supervised":
      case "accepted":
      case "progress":
      case "reporter_asked":
        break; // the citizen's push above, if any, is all
      default:
        event satisfies never;
    }
    return out;
  }

  /**
   * Writes a decision in the caller's transaction: the new state only if the version is still
   * the one the actor saw, the events (the ledger), what follows them (attachments, reporters
   * of a merged case, deadlines) and every message they cause, through the outbox.
   */
  async function commit(
    tx: Executor,
    row: CaseRow,
    before: CaseState,
    decision: Extract<Decision, { ok: true }>,
    actor: EventActor,
    expectedVersion: number,
    media: MediaItem[],
    now: number,
  ): Promise<ActionOutcome> {
    const caseId = row.id;
    const s = decision.state;
    const updated = await tx
      .update(cases)
      .set({
        status: s.status,
        severity: s.severity,
        unitId: s.unitId,
        assigneeId: s.assigneeId,
        dueAt: s.dueAt,
        supervision: s.supervision,
        pendingTransfer: s.pendingTransfer,
        pendingExtension: s.pendingExtension,
        mergedInto: s.mergedInto,
        // When each step happened, for rankings and statistics (see caseMilestones).
        ...caseMilestones(row, decision.events, now),
        // A case that leaves `new` has been taken in hand: its intake is done (see intake.ts).
        ...(s.status !== "new" ? { intakePending: false } : {}),
        version: s.version,
        updatedAt: now,
      })
      .where(and(eq(cases.id, caseId), eq(cases.version, expectedVersion)))
      .returning();
    if (updated.length === 0) return { ok: false, code: "CASE.STALE" };
    const after = updated[0]!;

    const messages: OutboxMessage[] = [];
    for (const event of decision.events) {
      const [stored] = await tx
        .insert(caseEvents)
        .values(eventRow(caseId, now, actor, event))
        .returning({ id: caseEvents.id });
      if (event.action === "progress" || event.action === "resolved") await insertAttachments(tx, caseId, stored!.id, media, now);
      if (event.action === "duplicate_dismissed") await dismissDuplicateHints(tx, caseId);
      if (event.action === "merged" && s.mergedInto !== null) {
        // The reporters now follow the case it was merged into.
        for (const r of await reportersOf(tx, caseId)) {
          await tx
            .insert(caseReporters)
            .values({ ...r, caseId: s.mergedInto, claimHash: null })
            .onConflictDoNothing();
        }
      }
      // Deadlines and reminders follow the event in the same transaction; a due date set
      // here is on the case before its card is rendered below.
      await deadlines.onEvent(tx, caseId, event, now);
      messages.push(...(await messagesFor(tx, before, after, event, stored!.id)));
    }
    await enqueue(tx, messages, now);
    return { ok: true, caseId, number: after.number, version: after.version, events: decision.events };
  }

  return {
    async perform(caseId: number, action: Action, actor: Actor, expectedVersion: number, media: MediaItem[] = []): Promise<ActionOutcome> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const row = await caseRow(tx, caseId);
        if (!row) return { ok: false, code: "CASE.NOT_FOUND" };
        if (action.type === "mark_duplicate") {
          const other = await caseRow(tx, action.ofCaseId);
          if (!other) return { ok: false, code: "CASE.NOT_FOUND" };
          action = { ...action, ofCaseOpen: isOpen(other.status) };
        }
        const before = toState(row, await openDuplicateHints(tx, caseId));
        const decision = decide(before, action, actor, { now, expectedVersion, caseId });
        if (!decision.ok) return decision;
        // After the workflow's own checks, so that whoever may not act at all hears that first.
        const unknown = await unknownReference(tx, action);
        if (unknown !== null) return { ok: false, code: unknown };
        return commit(tx, row, before, decision, actor, expectedVersion, media, now);
      });
    },

    /**
     * A citizen's follow-up question (zhuiwen) to the answer of their consultation: checked
     * against the case they reported and the follow-ups already asked, then written as the
     * workflow's actions are, the unit that answered getting the card with the question.
     */
    async followUp(caseId: number, telegramId: number, question: string): Promise<ActionOutcome> {
      const now = clock.now();
      return db.transaction(async (tx) => {
        const row = (await caseOfReporter(tx, { id: caseId }, telegramId)) && (await caseRow(tx, caseId));
        if (!row) return { ok: false, code: "CASE.NOT_FOUND" };
        const before = toState(row, await openDuplicateHints(tx, caseId));
        const decision = followUp(before, question, followUpsAsked(await eventsOfCase(tx, caseId)), { expectedVersion: row.version });
        if (!decision.ok) return decision;
        return commit(tx, row, before, decision, { kind: "citizen" }, row.version, [], now);
      });
    },

    /**
     * The dispatchers hear of a new case no route took (the triage queue), once: the case's
     * intake mark is claimed in the transaction that writes their cards. A case that has left
     * `new` meanwhile only loses its mark.
     */
    async announceNewCase(caseId: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        const [claimed] = await tx
          .update(cases)
          .set({ intakePending: false })
          .where(and(eq(cases.id, caseId), eq(cases.intakePending, true)))
          .returning({ status: cases.status });
        if (claimed?.status !== "new") return false;
        const [event] = await tx.select({ id: caseEvents.id }).from(caseEvents).where(eq(caseEvents.caseId, caseId)).limit(1);
        await enqueue(tx, await cards(tx, caseId, "card-header-new", "dispatcher", await dispatcherRecipients(tx), event?.id ?? 0), clock.now());
        return true;
      });
    },

    card: (caseId: number) => caseCardData(db, caseId),

    /**
     * Every file of the case and its pin to one chat, asked for (/case, the evidence button):
     * through the outbox, keyed by the request, so a press redelivered sends them once.
     */
    async sendEvidence(caseId: number, chatId: number, t: Translate, requestKey: string): Promise<number> {
      const messages = await evidenceMessages(db, caseId, [{ chatId, t, key: (part) => `${requestKey}:${part}` }], {
        steps: ["report", "progress", "resolution", "material"],
        pin: true,
      });
      await enqueue(db, messages, clock.now());
      return messages.length;
    },
    ledger: (caseId: number) => ledgerOf(db, caseId),
    row: (caseId: number) => caseRow(db, caseId),
    /** The case as the workflow sees it now, hints included: to refuse a press before asking for words. */
    async state(caseId: number): Promise<CaseState | null> {
      const row = await caseRow(db, caseId);
      return row ? toState(row, await openDuplicateHints(db, caseId)) : null;
    },
    byNumber: (number: string) => caseIdByNumber(db, number),
    /** The dispatchers' triage queue: new cases no route took. */
    queue: (limit = 30) => triageQueue(db, limit),
    openCasesOf: (unitIds: string[], limit = 30) => openCasesOfUnits(db, unitIds, limit),
    /** The leaders' list: open cases listed for supervision, the earliest deadline first. */
    supervised: (limit = 50) => supervisedCases(db, limit),
    units: () => listUnits(db),
    liaisonsOf: (unitId: string) => membersWithRole(db, "liaison", unitId),
    async memberById(memberId: number) {
      const [row] = await db.select({ id: members.id, unitId: members.unitId }).from(members).where(eq(members.id, memberId));
      return row ?? null;
    },
  };
}

export type CaseActionService = ReturnType<typeof caseActionService>;
