/**
 * The whole bot on Node for end-to-end tests: the real Hono app on a loopback port, a real
 * libSQL database file, and the fake Bot API in place of Telegram. Tests post real-shaped
 * updates to /telegram and assert on what the fake recorded and what the database holds.
 */
import { readFileSync } from "node:fs";
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Update } from "grammy/types";
import { openClient } from "../../db/node-client";
import { createConfig } from "../../src/config";
import { PAGE_FILES, type PageFile, pageFromMemory } from "../../src/console/serve-page";
import { createHazardline, type Hazardline } from "../../src/hazardline";
import { memoryLogger } from "../../src/log";
import type { Clock } from "../../src/services/clock";
import type { FileStore } from "../../src/services/file-store";
import type { HotState } from "../../src/services/hot-state";
import { createTestDatabase, type TestDatabase } from "./db";
import { FakeBotApi, TEST_TOKEN } from "./fake-bot-api";

export const WEBHOOK_SECRET = "test_secret-0123456789";

export interface Harness {
  fake: FakeBotApi;
  database: TestDatabase;
  /** The running app; replaced by restart(). */
  hazardline: Hazardline;
  log: ReturnType<typeof memoryLogger>;
  baseUrl: string;
  /** POSTs an update to /telegram with the right secret unless told otherwise. */
  post(body: Update | string | object, opts?: { secret?: string | null }): Promise<Response>;
  /**
   * tick(now) once the work started after earlier updates has finished, so a test sees
   * everything the outbox had to send by then.
   */
  tick(now: number): ReturnType<Hazardline["tick"]>;
  /** Stops the app and starts a new one on the same database file, as a process restart does. */
  restart(): Promise<void>;
  stop(): Promise<void>;
}

/** The console's page as src/node.ts serves it, read from src/console/page. */
const consolePage = pageFromMemory(
  Object.fromEntries(PAGE_FILES.map((file) => [file, readFileSync(new URL(`../../src/console/page/${file}`, import.meta.url), "utf8")])) as Record<
    PageFile,
    string
  >,
);

export async function startHarness(
  opts: {
    hotState?: HotState;
    clock?: Clock;
    files?: FileStore;
    /** Variables over the harness's own (e.g. an http PUBLIC_URL). */
    env?: Record<string, string>;
    /** A migrated database the test opened (e.g. on a sqld server) in place of a fresh file; stop() disposes it. */
    database?: TestDatabase;
    /** How long the outbox waits for one send (default 20 s, as in production): short for tests that make calls hang. */
    sendTimeoutSeconds?: number;
    /** How long the fake Bot API keeps an idle connection (default 2 minutes, see below). */
    fakeKeepAliveMs?: number;
  } = {},
): Promise<Harness> {
  // Idle connections kept as Telegram's servers keep them: with Node's default (5 s) the bot's
  // client may reuse a socket the fake is closing at that moment (ECONNRESET), which fails the
  // update; a busy machine and a long run of traffic, as the generated hostile updates make, meet it.
  const fake = await FakeBotApi.start({ keepAliveMs: opts.fakeKeepAliveMs ?? 120_000 });
  const database = opts.database ?? (await createTestDatabase());
  const config = createConfig({
    BOT_TOKEN: TEST_TOKEN,
    PUBLIC_URL: "https://hazardline.test",
    WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: database.url,
    BOT_INFO: JSON.stringify(fake.botInfo),
    // Telegram's pace is kept by the outbox and tested in test/services/outbox-pacing.test.ts
    // on a simulated clock; here, on the real clock, a faster pace keeps the journeys quick.
    SEND_RATE_GLOBAL: "1000",
    SEND_RATE_PRIVATE: "100",
    SEND_RATE_GROUP: "6000",
    ...opts.env,
  });
  const log = memoryLogger();

  async function boot(client = database.client) {
    const hazardline = createHazardline({
      config,
      client,
      log,
      hotState: opts.hotState,
      clock: opts.clock,
      files: opts.files,
      consolePage,
      sendTimeoutSeconds: opts.sendTimeoutSeconds,
    });
    const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
      const s = serve({ fetch: hazardline.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
    });
    return { hazardline, server, client, baseUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}` };
  }
  let running = await boot();
  const close = async () => {
    await new Promise<void>((resolve) => running.server.close(() => resolve()));
    await running.hazardline.settle();
  };

  const harness: Harness = {
    fake,
    database,
    hazardline: running.hazardline,
    log,
    baseUrl: running.baseUrl,
    async tick(now) {
      await harness.hazardline.settle();
      return harness.hazardline.tick(now);
    },
    post(body, { secret = WEBHOOK_SECRET } = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (secret !== null) headers["X-Telegram-Bot-Api-Secret-Token"] = secret;
      return fetch(`${harness.baseUrl}/telegram`, {
        method: "POST",
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    async restart() {
      await close();
      if (running.client !== database.client) running.client.close();
      running = await boot(openClient(database.url));
      harness.hazardline = running.hazardline;
      harness.baseUrl = running.baseUrl;
    },
    async stop() {
      await close();
      if (running.client !== database.client) running.client.close();
      await fake.stop();
      database.dispose();
    },
  };
  return harness;
}
