/**
 * tick(now): the one periodic entry point, called every minute by the Workers cron trigger
 * and by croner on Node. It asks once more for ratings that are due, drains the outbox,
 * keeps the embedded hot-state table small, and records that it ran. The time issue hangs
 * deadlines and reminders here too.
 */
import type { Logger } from "../log";
import type { HotState } from "./hot-state";
import type { DrainResult, OutboxService } from "./outbox";
import type { RatingService } from "./ratings";

export const LAST_TICK_KEY = "tick:last";

export interface TickResult {
  at: number;
  ratingReminders: number;
  outbox: DrainResult;
  purgedHotState: number;
}

export type Tick = (now: number) => Promise<TickResult>;

export function createTick(deps: { kv: HotState; log: Logger; outbox: OutboxService; ratings: RatingService }): Tick {
  return async (now) => {
    // Reminders first, so what they write goes out in this same tick.
    const ratingReminders = await deps.ratings.remindUnrated(now);
    const outbox = await deps.outbox.drain(now);
    const purgedHotState = await deps.kv.purgeExpired();
    await deps.kv.set(LAST_TICK_KEY, String(now));
    if (purgedHotState > 0) deps.log.info("tick purged expired hot state", { purgedHotState });
    return { at: now, ratingReminders, outbox, purgedHotState };
  };
}
