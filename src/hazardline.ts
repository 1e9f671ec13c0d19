/**
 * The composition root both runtimes share: from a config and the storage the entry opened,
 * build the services, the bot and the HTTP app. Opens nothing and reads no env itself.
 */
import type { Client } from "@libsql/client";
import { Api } from "grammy";
import { createDb } from "../db/client";
import { libsqlHotState } from "../db/hot-state-libsql";
import { createApp } from "./app";
import { createBot } from "./bot";
import type { Config } from "./config";
import { createConsole } from "./console";
import type { PageReader } from "./console/serve-page";
import type { Logger } from "./log";
import { createServices } from "./services";
import type { Clock } from "./services/clock";
import { systemClock } from "./services/clock";
import type { FileStore } from "./services/file-store";
import type { HotState } from "./services/hot-state";
import { createSite } from "./web";

export interface HazardlineDeps {
  config: Config;
  /** The libSQL client the entry opened (file on Node, HTTP on Workers). */
  client: Client;
  /** Upstash Redis when configured; else the embedded store in the same database. */
  hotState?: HotState;
  log: Logger;
  clock?: Clock;
  /** The evidence archive's storage: a folder on Node, an R2 bucket on Workers; without it files wait, queued. */
  files?: FileStore;
  /** The console's page files, as the entry reads them (src/console/serve-page.ts); without it /console serves its API only. */
  consolePage?: PageReader;
  /**
   * How long the outbox waits for Telegram's answer to one send before it gives up and tries
   * again later (default 20 s; LEASE_MS assumes no more). Tests shorten it to meet hung calls.
   */
  sendTimeoutSeconds?: number;
}

export function createHazardline(deps: HazardlineDeps) {
  const clock = deps.clock ?? systemClock;
  const db = createDb(deps.client);
  const kv = deps.hotState ?? libsqlHotState(db, () => clock.now());
  // The outbox's own Api: it handles 429s itself (by rescheduling), unlike direct replies,
  // and gives up on a hanging call well before the next tick, to retry it later.
  const api = new Api(deps.config.botToken, {
    ...(deps.config.apiRoot ? { apiRoot: deps.config.apiRoot } : {}),
    timeoutSeconds: Math.min(deps.sendTimeoutSeconds ?? 20, 20),
  });
  const services = createServices({
    db,
    kv,
    clock,
    log: deps.log,
    officeTz: deps.config.officeTz,
    api,
    pacing: deps.config.pacing,
    noticeRemindHours: deps.config.noticeRemindHours,
    digestTime: deps.config.digestTime,
    files: deps.files,
    consoleUrl: deps.config.consoleUrl,
    claimSecret: deps.config.claimSecret,
    siteUrl: deps.config.siteUrl,
  });
  // What an update wrote to the outbox goes out right after it, not at the next tick: after
  // the webhook's answer (kept alive with waitUntil on Workers), or after each polled update.
  // The files it brought are copied into the archive at the same time, never before the answer.
  // A case it stored is routed first, so that its unit's card goes out with the same drain.
  const afterEachUpdate = () => Promise.all([services.intake.routeQueued().then(() => services.outbox.drainSoon()), services.archive.archiveSoon()]);
  const polling = deps.config.bot.mode === "polling";
  const bot = createBot({
    token: deps.config.botToken,
    botInfo: deps.config.botInfo,
    apiRoot: deps.config.apiRoot,
    services,
    afterUpdate: polling ? afterEachUpdate : undefined,
  });
  const app = createApp({
    bot,
    webhookSecret: deps.config.webhookSecret,
    health: services.health,
    log: deps.log,
    afterUpdate: polling ? undefined : afterEachUpdate,
    console: createConsole({
      services,
      botToken: deps.config.botToken,
      officeTz: deps.config.officeTz,
      page: deps.consolePage,
      afterWrite: afterEachUpdate,
    }),
    site: createSite({ services, page: deps.consolePage, afterWrite: afterEachUpdate }),
  });
  /**
   * Resolves when the background work of the updates so far is done: routing, then the drain
   * it started (started before routeQueued's promise settles here, by the order of its
   * reactions), then the archive's copies. For a clean stop, and for tests.
   */
  const settle = async () => {
    await services.intake.settle();
    await services.outbox.settle();
    await services.archive.settle();
  };
  return { db, services, bot, app, tick: services.tick, settle };
}

export type Hazardline = ReturnType<typeof createHazardline>;
