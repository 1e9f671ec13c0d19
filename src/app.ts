/**
 * The Hono app: the Telegram webhook and the health check. The same app is the Workers
 * `fetch` handler and the Node HTTP server.
 */
import { type Bot, BotError, webhookCallback } from "grammy";
import { Hono, type MiddlewareHandler } from "hono";
import { bodyLimit } from "hono/body-limit";
import { HTTPException } from "hono/http-exception";
import type { BotContext } from "./bot/context";
import { PROCESSING_LEASE_MS, UpdateInProgressError } from "./bot/update-guard";
import { sameText } from "./domain/hash";
import type { Logger } from "./log";
import type { HealthReport } from "./services/health";
import { securityHeaders } from "./web/security";

export interface AppDeps {
  bot: Bot<BotContext>;
  /** Set in webhook mode: POST /telegram exists only then, and only with this secret. */
  webhookSecret?: string;
  health: () => Promise<HealthReport>;
  log: Logger;
  /** Work to start once an update is answered (the outbox drain); must not throw. */
  afterUpdate?: () => Promise<unknown>;
  /** The office's console (src/console), mounted at /console. */
  console?: Hono;
  /** The public site (src/web): the report form, the status lookup; mounted at the root. */
  site?: Hono;
}

const SECRET_HEADER = "X-Telegram-Bot-Api-Secret-Token";

/** The most an update's body may be: Telegram's largest (a long message with its entities, a poll) are a few kB. */
export const MAX_UPDATE_BYTES = 1024 * 1024;

/** A missing or wrong secret is 401, before anything of the body is read. */
function telegramSecret(secret: string): MiddlewareHandler {
  return async function telegramSecret(c, next) {
    const given = c.req.header(SECRET_HEADER);
    if (given === undefined || !sameText(given, secret)) {
      return c.json({ ok: false, error: "wrong or missing secret token" }, 401);
    }
    await next();
  };
}

/**
 * Turns away what is not a Telegram update before grammY reads it: a body that is not a JSON
 * object with an integer update_id is 400 (grammY would throw on it and the app would answer
 * 500, which Telegram retries forever).
 */
function telegramUpdate(): MiddlewareHandler {
  return async function telegramUpdate(c, next) {
    let update: unknown;
    try {
      update = await c.req.json(); // Hono keeps the parsed body for grammY to read again.
    } catch {
      return c.json({ ok: false, error: "body is not JSON" }, 400);
    }
    const updateId = (update as { update_id?: unknown } | null)?.update_id;
    if (typeof update !== "object" || update === null || !Number.isSafeInteger(updateId)) {
      return c.json({ ok: false, error: "not a Telegram update" }, 400);
    }
    await next();
  };
}

/**
 * Starts `work` once the update has been answered. On Workers the isolate is kept alive for
 * it with waitUntil; on Node there is no execution context (Hono throws on reading it) and
 * the promise simply runs on.
 */
export function afterUpdate(work: (() => Promise<unknown>) | undefined): MiddlewareHandler {
  return async function afterUpdate(c, next) {
    await next();
    if (work === undefined || !c.res.ok) return;
    const running = work();
    try {
      c.executionCtx.waitUntil(running);
    } catch {
      // Node: nothing to extend.
    }
  };
}

export function createApp(deps: AppDeps): Hono {
  const app = new Hono();
  // nosniff on every answer, and a strict policy on any page that set none (src/web/security.ts).
  app.use("*", securityHeaders());

  app.get("/healthz", async (c) => {
    const report = await deps.health();
    return c.json(report, report.ok ? 200 : 503);
  });

  if (deps.console !== undefined) app.route("/console", deps.console);
  if (deps.site !== undefined) app.route("/", deps.site);

  if (deps.webhookSecret !== undefined) {
    app.post(
      "/telegram",
      telegramSecret(deps.webhookSecret),
      // Counted while the body is read, not after: a huge body is cut off, never held whole.
      bodyLimit({ maxSize: MAX_UPDATE_BYTES, onError: (c) => c.json({ ok: false, error: "body too large" }, 413) }),
      telegramUpdate(),
      afterUpdate(deps.afterUpdate),
      // Worst case inside an update: a 5 s lock wait plus a Telegram call that hangs (10 s,
      // DIRECT_REPLY_TIMEOUT_SECONDS) or keeps failing (9 s with its retry, src/bot/index.ts). Past this, grammY answers 500; the update guard's claim keeps
      // Telegram's redelivery from running the update twice.
      webhookCallback(deps.bot, "hono", { secretToken: deps.webhookSecret, timeoutMilliseconds: 25_000 }),
    );
  }

  app.notFound((c) => c.json({ ok: false, error: "not found" }, 404));
  app.onError((err, c) => {
    if (err instanceof HTTPException) return err.getResponse();
    // A redelivery of an update still held by another request, or by a process that died
    // with it: come back later, by which time it is done or its lease has run out.
    if ((err instanceof BotError ? err.error : err) instanceof UpdateInProgressError) {
      return c.json({ ok: false, error: "this update is still being handled; retry later" }, 503, {
        "Retry-After": String(PROCESSING_LEASE_MS / 1000),
      });
    }
    // Only storage failures reach here (the update guard swallows the rest): a 500 asks
    // Telegram to redeliver, which is what a passing outage needs.
    deps.log.error("request failed", { path: c.req.path, err });
    return c.json({ ok: false, error: "temporarily unavailable" }, 500);
  });
  return app;
}
