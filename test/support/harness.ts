/**
 * The whole bot on Node for end-to-end tests: the real Hono app on a loopback port, a real
 * libSQL database file, and the fake Bot API in place of Telegram. Tests post real-shaped
 * updates to /telegram and assert on what the fake recorded and what the database holds.
 */
import type { AddressInfo } from "node:net";
import { serve } from "@hono/node-server";
import type { Update } from "grammy/types";
import { createConfig } from "../../src/config";
import { createHazardline, type Hazardline } from "../../src/hazardline";
import { memoryLogger } from "../../src/log";
import type { HotState } from "../../src/services/hot-state";
import { createTestDatabase, type TestDatabase } from "./db";
import { FakeBotApi, TEST_TOKEN } from "./fake-bot-api";

export const WEBHOOK_SECRET = "test_secret-0123456789";

export interface Harness {
  fake: FakeBotApi;
  database: TestDatabase;
  hazardline: Hazardline;
  log: ReturnType<typeof memoryLogger>;
  baseUrl: string;
  /** POSTs an update to /telegram with the right secret unless told otherwise. */
  post(body: Update | string | object, opts?: { secret?: string | null }): Promise<Response>;
  stop(): Promise<void>;
}

export async function startHarness(opts: { hotState?: HotState } = {}): Promise<Harness> {
  const fake = await FakeBotApi.start();
  const database = await createTestDatabase();
  const config = createConfig({
    BOT_TOKEN: TEST_TOKEN,
    PUBLIC_URL: "https://hazardline.test",
    WEBHOOK_SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: database.url,
    BOT_INFO: JSON.stringify(fake.botInfo),
  });
  const log = memoryLogger();
  const hazardline = createHazardline({ config, client: database.client, log, hotState: opts.hotState });

  const server = await new Promise<ReturnType<typeof serve>>((resolve) => {
    const s = serve({ fetch: hazardline.app.fetch, port: 0, hostname: "127.0.0.1" }, () => resolve(s));
  });
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;

  return {
    fake,
    database,
    hazardline,
    log,
    baseUrl,
    post(body, { secret = WEBHOOK_SECRET } = {}) {
      const headers: Record<string, string> = { "content-type": "application/json" };
      if (secret !== null) headers["X-Telegram-Bot-Api-Secret-Token"] = secret;
      return fetch(`${baseUrl}/telegram`, {
        method: "POST",
        headers,
        body: typeof body === "string" ? body : JSON.stringify(body),
      });
    },
    async stop() {
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await fake.stop();
      database.dispose();
    },
  };
}
