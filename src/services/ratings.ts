/**
 * Follow-up rating: when a case is closed its reporter is asked to rate the outcome (1-5 stars, then an
 * optional comment); a case still unrated after three days is asked about once more, then
 * left alone. Requests go through the outbox; the stars come back as button presses.
 */
import type { Db, Executor } from "../../db/client";
import {
  clearRatingReminder,
  dueRatingReminders,
  ratingTargets,
  recordRating,
  recordRatingComment,
  scheduleRatingReminder,
} from "../../db/queries/ratings";
import { RATE } from "../domain/buttons";
import { DEFAULT_LOCALE, isLocale } from "../domain/locale";
import { isDissatisfied } from "../domain/workflow";
import { translator } from "../i18n";
import type { Clock } from "./clock";
import type { ConversationService } from "./conversations";
import { enqueue, type OutboxMessage, type OutboxService } from "./outbox";
import { type CardHeader, type CardSettings, cardMessages, dispatcherRecipients } from "./staff-messages";

export const RATING_REMINDER_AFTER_MS = 3 * 24 * 60 * 60_000;

/**
 * The 1-5 star question to every reporter of a closed, unrated case, in their language; empty
 * when there is nothing to ask. Takes a transaction, so the workflow's close can send it
 * with the change that causes it.
 */
export async function ratingMessages(ex: Executor, caseId: number, kind: "request" | "reminder"): Promise<OutboxMessage[]> {
  const target = await ratingTargets(ex, caseId);
  if (target?.status !== "closed" || target.rating !== null) return [];
  return target.reporters.map((r) => ({
    chatId: r.chatId,
    method: "sendMessage" as const,
    dedupeKey: `rating-${kind}:${caseId}:${r.chatId}`,
    payload: {
      text: translator(isLocale(r.locale) ? r.locale : DEFAULT_LOCALE)(kind === "request" ? "rating-request" : "rating-reminder", {
        number: target.number,
      }),
      reply_markup: {
        inline_keyboard: [([1, 2, 3, 4, 5] as const).map((stars) => ({ text: "⭐".repeat(stars), callback_data: RATE.encode({ caseId, stars }) }))],
      },
    },
  }));
}

/**
 * The rating request for a case just closed, with its one reminder scheduled: the messages to
 * enqueue, in the caller's transaction (the workflow's close, or `request`).
 */
export async function ratingRequest(ex: Executor, caseId: number, now: number): Promise<OutboxMessage[]> {
  const asks = await ratingMessages(ex, caseId, "request");
  if (asks.length > 0) await scheduleRatingReminder(ex, caseId, now + RATING_REMINDER_AFTER_MS);
  return asks;
}

/**
 * A rating of 1–2 stars puts the case before the dispatchers (their groups, else each of them)
 * as its card under a "not satisfied" header, whose buttons are theirs: reopen among them.
 */
async function dissatisfiedCards(tx: Executor, cards: CardSettings, caseId: number, stars: number): Promise<OutboxMessage[]> {
  if (!isDissatisfied(stars)) return [];
  const header = { key: "card-header-dissatisfied", args: () => ({ stars: "⭐".repeat(stars) }) };
  return dispatcherCards(tx, cards, caseId, header, "dissatisfied");
}

/** A comment the citizen marked a complaint does the same whatever the stars, the complaint in the header. */
function complaintCards(tx: Executor, cards: CardSettings, caseId: number, stars: number, comment: string): Promise<OutboxMessage[]> {
  const header = { key: "card-header-complaint", args: () => ({ stars: "⭐".repeat(stars), comment }) };
  return dispatcherCards(tx, cards, caseId, header, "complaint");
}

async function dispatcherCards(tx: Executor, cards: CardSettings, caseId: number, header: CardHeader, why: string): Promise<OutboxMessage[]> {
  return cardMessages(tx, cards, caseId, header, "dispatcher", await dispatcherRecipients(tx), (chatId) => `${why}:${caseId}:${chatId}`);
}

export function ratingService(deps: {
  db: Db;
  clock: Clock;
  officeTz: string;
  consoleUrl?: string;
  outbox: OutboxService;
  conversations: ConversationService;
}) {
  const { db, clock, outbox } = deps;
  const commenting = deps.conversations.flow("rating-comment");

  async function ask(caseId: number, kind: "reminder"): Promise<boolean> {
    const messages = await ratingMessages(db, caseId, kind);
    await outbox.enqueue(messages, clock.now());
    return messages.length > 0;
  }

  return {
    /** Called when a case is closed (verified and closed). */
    async request(caseId: number): Promise<boolean> {
      return db.transaction(async (tx) => {
        const now = clock.now();
        const asks = await ratingRequest(tx, caseId, now);
        await enqueue(tx, asks, now);
        return asks.length > 0;
      });
    },

    /**
     * Records the stars and opens the comment that may follow, unless the person is in the
     * middle of something else (a report being written): that is never dropped for a comment.
     */
    async rate(caseId: number, telegramId: number, stars: number): Promise<"rated" | "rated-no-comment" | "refused"> {
      if (!Number.isInteger(stars) || stars < 1 || stars > 5) return "refused";
      const now = clock.now();
      const recorded = await db.transaction(async (tx) => {
        if (!(await recordRating(tx, caseId, telegramId, stars, now))) return false;
        await enqueue(tx, await dissatisfiedCards(tx, deps, caseId, stars), now);
        return true;
      });
      if (!recorded) return "refused";
      return deps.conversations.update(telegramId, async (current) =>
        current === null || current.flow === "rating-comment"
          ? { state: { flow: "rating-comment", state: { caseId } }, result: "rated" as const }
          : { result: "rated-no-comment" as const },
      );
    },

    /**
     * Records the comment typed after the stars, and a complaint's card to the dispatchers in
     * the same transaction; null when no comment was awaited, else whether it was a complaint.
     */
    async comment(telegramId: number, text: string): Promise<{ complaint: boolean } | null> {
      const awaited = await commenting.update(telegramId, async (state) => ({ state: null, result: state }));
      if (awaited === null) return null;
      const complaint = awaited.complaint === true;
      const now = clock.now();
      const recorded = await db.transaction(async (tx) => {
        const stars = await recordRatingComment(tx, awaited.caseId, telegramId, text, complaint, now);
        if (stars === null) return false;
        if (complaint) await enqueue(tx, await complaintCards(tx, deps, awaited.caseId, stars, text), now);
        return true;
      });
      return recorded ? { complaint } : null;
    },

    /** "This is a complaint" on the comment prompt: the comment still awaited is marked one; false when none is awaited. */
    markComplaint(telegramId: number): Promise<boolean> {
      return commenting.update(telegramId, async (state) =>
        state === null ? { result: false } : { state: { ...state, complaint: true as const }, result: true },
      );
    },

    skipComment: (telegramId: number) => commenting.end(telegramId),

    /** tick(): asks once more about cases still unrated three days after closing. */
    async remindUnrated(now: number): Promise<number> {
      let reminded = 0;
      for (const { id } of await dueRatingReminders(db, now, 100)) {
        if (await ask(id, "reminder")) reminded++;
        await clearRatingReminder(db, id);
      }
      return reminded;
    },
  };
}

export type RatingService = ReturnType<typeof ratingService>;
