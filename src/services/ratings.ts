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
import { translator } from "../i18n";
import type { Clock } from "./clock";
import type { HotState } from "./hot-state";
import { enqueue, type OutboxMessage, type OutboxService } from "./outbox";

export const RATING_REMINDER_AFTER_MS = 3 * 24 * 60 * 60_000;
const COMMENT_WINDOW_MS = 24 * 60 * 60_000;
const commentKey = (telegramId: number) => `rating-comment:${telegramId}`;

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

export function ratingService(deps: { db: Db; kv: HotState; clock: Clock; outbox: OutboxService }) {
  const { db, kv, clock, outbox } = deps;

  async function awaitingComment(telegramId: number): Promise<number | null> {
    const value = await kv.get(commentKey(telegramId));
    return value === null ? null : Number(value);
  }

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

    async rate(caseId: number, telegramId: number, stars: number): Promise<"rated" | "refused"> {
      if (!Number.isInteger(stars) || stars < 1 || stars > 5) return "refused";
      if (!(await recordRating(db, caseId, telegramId, stars, clock.now()))) return "refused";
      await kv.set(commentKey(telegramId), String(caseId), COMMENT_WINDOW_MS);
      return "rated";
    },

    /** The case a person was just asked to comment on, if any. */
    awaitingComment,

    async comment(telegramId: number, text: string): Promise<boolean> {
      const caseId = await awaitingComment(telegramId);
      if (caseId === null) return false;
      await kv.delete(commentKey(telegramId));
      return recordRatingComment(db, caseId, telegramId, text, clock.now());
    },

    skipComment: (telegramId: number) => kv.delete(commentKey(telegramId)),

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
