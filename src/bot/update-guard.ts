/**
 * The first middleware after services: makes each update take effect once, and keeps a
 * failing handler from turning into a retry storm.
 *
 * - De-duplication by update_id: the update is claimed in the hot-state store before any
 *   handler runs ("processing", a short lease kept alive by a heartbeat while the handlers
 *   run), then marked "done" for a day. A redelivery of a finished update finds "done" and
 *   does nothing.
 * - A redelivery that finds the update still "processing" is answered with a retryable error
 *   (the webhook's 503), never with a 200 that would drop it: the process holding the claim
 *   may have died mid-update. Its heartbeat then stops, the lease runs out within
 *   PROCESSING_LEASE_MS, and Telegram's next redelivery claims the update and runs it. This
 *   holds on Workers as on Node: an isolate that dies mid-update takes its heartbeat timer
 *   with it, and the claim lives in the shared hot-state store (the database or Upstash),
 *   not in the isolate, so whichever isolate gets the redelivery after the lease runs it.
 * - Error boundary: a handler failure caused by the update (a bug, a refusal from Telegram)
 *   is logged with the update id and swallowed, so the webhook answers 200. Only a storage
 *   failure that a retry can cure is rethrown (the webhook answers 5xx) after the claim is
 *   released, so Telegram's redelivery runs the update again.
 */
import type { MiddlewareFn } from "grammy";
import { isTransientStorageError } from "../services/errors";
import type { BotContext } from "./context";
import { floodCounter } from "./rate-limit";

/**
 * How long a claim outlives its last heartbeat: how soon a redelivery may run an update
 * whose process died. Short, since Telegram keeps redelivering; long against a stalled loop.
 */
export const PROCESSING_LEASE_MS = 20_000;
/** How often a running update renews its claim: only updates slower than this write more than twice. */
export const HEARTBEAT_MS = 5_000;
/** Telegram stops redelivering well within a day. */
export const DONE_TTL_MS = 26 * 60 * 60_000;

export const updateKey = (updateId: number) => `update:${updateId}`;

/** A redelivery met the same update still being handled (or its process died): retry later. */
export class UpdateInProgressError extends Error {
  override name = "UpdateInProgressError";
  constructor(readonly updateId: number) {
    super(`update ${updateId} is being handled elsewhere, or its handler died; retry after ${PROCESSING_LEASE_MS / 1000} s`);
  }
}

export function updateGuard(): MiddlewareFn<BotContext> {
  return async function updateGuard(ctx, next) {
    const { kv, log } = ctx.services;
    const updateId = ctx.update.update_id;
    const key = updateKey(updateId);

    // The sender's flood count is taken in the same step, and only for an update claimed:
    // a redelivery does not count twice (rate-limit.ts judges it).
    const counter = floodCounter(ctx);
    // Twice at most: a lease that ran out while the claim was being asked is free to claim again.
    for (let attempt = 0; ; attempt++) {
      const claim = await kv.claim(key, "processing", PROCESSING_LEASE_MS, counter);
      if (claim.claimed) {
        if (counter !== undefined && claim.count !== null) ctx.flood = counter.verdict(claim.count);
        break;
      }
      if (claim.held === "done") {
        log.info("duplicate update ignored", { updateId });
        return;
      }
      if (claim.held !== null || attempt > 0) {
        log.info("update still in progress elsewhere: asking for a later redelivery", { updateId });
        throw new UpdateInProgressError(updateId);
      }
    }

    try {
      await keepingClaim(ctx, key, next);
    } catch (err) {
      if (isTransientStorageError(err)) {
        await kv.delete(key).catch(() => undefined);
        throw err;
      }
      log.error("update failed", { updateId, err });
      await tellUserSomethingWentWrong(ctx);
    }

    try {
      await kv.set(key, "done", DONE_TTL_MS);
    } catch (err) {
      // The update took effect. Until the lease runs out a redelivery is told to come back;
      // after it, one would run again: rare (the store failed just now), and not a lost update.
      log.warn("could not mark update done", { updateId, err });
    }
  };
}

/**
 * Runs the handlers while a heartbeat renews the update's claim; the heartbeat has stopped,
 * its last write settled, by the time this returns or throws, so nothing renews a claim the
 * caller goes on to release or mark done.
 */
async function keepingClaim(ctx: BotContext, key: string, next: () => Promise<void>): Promise<void> {
  const { kv, log } = ctx.services;
  let beat: Promise<unknown> = Promise.resolve();
  const heartbeat = setInterval(() => {
    beat = kv
      .set(key, "processing", PROCESSING_LEASE_MS)
      .catch((err) => log.warn("could not renew an update's claim", { updateId: ctx.update.update_id, err }));
  }, HEARTBEAT_MS);
  try {
    await next();
  } finally {
    clearInterval(heartbeat);
    await beat;
  }
}

async function tellUserSomethingWentWrong(ctx: BotContext): Promise<void> {
  const text = ctx.t("error-generic");
  try {
    if (ctx.callbackQuery) await ctx.answerCallbackQuery({ text });
    else if (ctx.chat?.type === "private") await ctx.reply(text);
  } catch {
    // Telegram itself may be what failed; the error is already logged.
  }
}
