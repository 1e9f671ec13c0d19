/**
 * The first middleware after services: makes each update take effect once, and keeps a
 * failing handler from turning into a retry storm.
 *
 * - De-duplication by update_id: the update is claimed in the hot-state store before any
 *   handler runs ("processing", short lease), then marked "done" for a day. A redelivered
 *   update (Telegram retries on a timeout or 5xx, or a second poller) finds the claim and does
 *   nothing.
 * - Error boundary: a handler failure caused by the update (a bug, a refusal from Telegram)
 *   is logged with the update id and swallowed, so the webhook answers 200. Only a storage
 *   failure that a retry can cure is rethrown (the webhook answers 5xx) after the claim is
 *   released, so Telegram's redelivery runs the update again.
 */
import type { MiddlewareFn } from "grammy";
import { isTransientStorageError } from "../services/errors";
import type { BotContext } from "./context";

/** Long enough for any handler; if the process dies mid-update, a retry after it runs again. */
export const PROCESSING_LEASE_MS = 2 * 60_000;
/** Telegram stops redelivering well within a day. */
export const DONE_TTL_MS = 26 * 60 * 60_000;

export const updateKey = (updateId: number) => `update:${updateId}`;

export function updateGuard(): MiddlewareFn<BotContext> {
  return async function updateGuard(ctx, next) {
    const { kv, log } = ctx.services;
    const updateId = ctx.update.update_id;
    const key = updateKey(updateId);

    if (!(await kv.setIfAbsent(key, "processing", PROCESSING_LEASE_MS))) {
      log.info("duplicate update ignored", { updateId });
      return;
    }

    try {
      await next();
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
      // The update took effect; the processing lease still keeps retries out for a while.
      log.warn("could not mark update done", { updateId, err });
    }
  };
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
