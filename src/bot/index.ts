/**
 * createBot: the grammY bot with its middleware in order — services, the shape check, the
 * update guard (de-duplication and error boundary), the locale, flood control, then the
 * features from handlers/.
 */
import { autoRetry } from "@grammyjs/auto-retry";
import { Bot } from "grammy";
import type { UserFromGetMe } from "grammy/types";
import { features } from "../../handlers";
import { DEFAULT_LOCALE } from "../domain/locale";
import { translator } from "../i18n";
import type { Services } from "../services";
import type { BotContext } from "./context";
import { resolveLocale } from "./locale";
import { rateLimit } from "./rate-limit";
import { UpdateInProgressError, updateGuard } from "./update-guard";
import { checkUpdateShape } from "./update-shape";

export interface BotOptions {
  token: string;
  /** getMe's answer; with it the bot never calls getMe per request or per isolate. */
  botInfo?: UserFromGetMe;
  apiRoot?: string;
  services: Services;
  /** Started after each update is handled, not awaited (long polling: the outbox drain). */
  afterUpdate?: () => Promise<unknown>;
}

/** How long one direct reply may take before it fails the update (see createBot). */
export const DIRECT_REPLY_TIMEOUT_SECONDS = 10;

export function createBot(opts: BotOptions): Bot<BotContext> {
  const bot = new Bot<BotContext>(opts.token, {
    botInfo: opts.botInfo,
    // A direct reply that hangs fails the update after this long, inside the webhook's 25 s
    // (grammY's own default is 500 s: the update would hold its claim, and Telegram's
    // redeliveries be told to come back, for minutes).
    client: { ...(opts.apiRoot ? { apiRoot: opts.apiRoot } : {}), timeoutSeconds: DIRECT_REPLY_TIMEOUT_SECONDS },
  });

  // A direct reply that meets a 429 or a passing 5xx waits as Telegram asks and tries once
  // more, within what a webhook request can afford (the plugin also pauses once more, 6 s,
  // before it gives up on a second 5xx: 9 s for a call that keeps failing); anything longer (or a network failure,
  // which the plugin would otherwise retry for up to an hour) fails the update and is logged.
  bot.api.config.use(autoRetry({ maxRetryAttempts: 1, maxDelaySeconds: 3, rethrowHttpErrors: true }));

  const { afterUpdate } = opts;
  if (afterUpdate) {
    bot.use(async function thenAfterUpdate(_ctx, next) {
      try {
        await next();
      } finally {
        void afterUpdate();
      }
    });
  }
  bot.use(function provideServices(ctx, next) {
    ctx.services = opts.services;
    // A default until resolveLocale runs, so the error boundary can always speak.
    ctx.locale = DEFAULT_LOCALE;
    ctx.t = translator(DEFAULT_LOCALE);
    return next();
  });
  // Before anything reads the update or touches storage: a body with the right secret but a
  // field of the wrong type would fail inside a handler, and answering it 5xx would have
  // Telegram redeliver it forever. It is answered 200, logged once, and has no effect.
  bot.use(function refuseMalformedUpdate(ctx, next) {
    const verdict = checkUpdateShape(ctx.update);
    if (verdict.ok) return next();
    const updateId: unknown = ctx.update.update_id;
    ctx.services.log.warn("malformed update ignored", {
      updateId: Number.isSafeInteger(updateId) ? updateId : undefined,
      problem: verdict.problem,
    });
  });
  bot.use(updateGuard());
  bot.use(resolveLocale());
  bot.use(rateLimit());
  bot.use(features());

  // Reached only in long-polling mode, and only for storage failures the guard rethrew.
  bot.catch((err) => {
    const updateId = err.ctx.update.update_id;
    // Only a second poller can meet an update in progress; the one holding it runs it.
    if (err.error instanceof UpdateInProgressError) opts.services.log.info("update in progress in another poller", { updateId });
    else opts.services.log.error("update failed in polling", { updateId, err: err.error });
  });
  return bot;
}

/** The update types the bot asks Telegram for (webhook and polling alike). */
export const ALLOWED_UPDATES = ["message", "edited_message", "callback_query", "my_chat_member"] as const;
