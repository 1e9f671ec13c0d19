/** Services over a real migrated database and the fake Bot API, with a clock the test moves. */
import { Api } from "grammy";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { memoryLogger } from "../../src/log";
import { createServices } from "../../src/services";
import type { Clock } from "../../src/services/clock";
import type { TimeRules } from "../../src/services/deadlines";
import type { FileStore } from "../../src/services/file-store";
import type { Pacing } from "../../src/services/outbox";
import { createTestDatabase } from "./db";
import { FakeBotApi, TEST_TOKEN } from "./fake-bot-api";

const UNPACED: Pacing = { globalPerSecond: 1_000_000, lanes: 1, privateGapMs: 0, groupGapMs: 0 };

export interface FixtureOptions {
  timeoutSeconds?: number;
  time?: Partial<TimeRules>;
  /**
   * The outbox's pace. Default: Telegram's limits on a simulated clock; none on a frozen
   * one, which cannot wait, so that one drain sends all that is due, as those tests expect.
   */
  pacing?: Partial<Pacing>;
  /**
   * A simulated clock: waiting moves it on at once, so a drain that keeps Telegram's pace for
   * minutes runs in milliseconds. Without it the clock is frozen and cannot wait (one pass).
   */
  simulated?: boolean;
  /** The evidence archive's storage; without it files are queued, not archived. */
  files?: FileStore;
}

export async function serviceFixture(start = Date.parse("2026-11-25T02:00:00Z"), opts: FixtureOptions = {}) {
  const database = await createTestDatabase();
  const fake = await FakeBotApi.start();
  const clock: Clock & { at: number } = { at: start, now: () => clock.at };
  if (opts.simulated) {
    clock.sleep = async (ms) => {
      clock.at += Math.max(0, ms);
    };
  }
  const db = createDb(database.client);
  const kv = libsqlHotState(db, clock.now);
  const log = memoryLogger();
  const services = createServices({
    db,
    kv,
    clock,
    log,
    officeTz: "Asia/Shanghai",
    // As createConfig does without CLAIM_SECRET: the bot token.
    claimSecret: TEST_TOKEN,
    api: new Api(TEST_TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: opts.timeoutSeconds ?? 10 }),
    time: opts.time,
    files: opts.files,
    // One lane on a simulated clock: concurrent sleepers would each move it on.
    pacing: opts.simulated ? { lanes: 1, ...opts.pacing } : (opts.pacing ?? UNPACED),
  });
  return {
    database,
    fake,
    clock,
    db,
    kv,
    log,
    services,
    async dispose() {
      await fake.stop();
      database.dispose();
    },
  };
}

type Services = ReturnType<typeof createServices>;

/**
 * Submits a report as a door does, then routes it as the update's background work does after
 * the answer (src/hazardline.ts): for tests that go to the services, not through a door.
 */
export async function submitAndRoute(services: Services, ...args: Parameters<Services["reports"]["submit"]>) {
  const result = await services.reports.submit(...args);
  await services.intake.routeQueued();
  return result;
}
