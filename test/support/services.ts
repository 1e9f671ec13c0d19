/** Services over a real migrated database and the fake Bot API, with a clock the test moves. */
import { Api } from "grammy";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { memoryLogger } from "../../src/log";
import { createServices } from "../../src/services";
import type { TimeRules } from "../../src/services/deadlines";
import { createTestDatabase } from "./db";
import { FakeBotApi, TEST_TOKEN } from "./fake-bot-api";

export async function serviceFixture(start = Date.parse("2026-11-25T02:00:00Z"), opts: { timeoutSeconds?: number; time?: Partial<TimeRules> } = {}) {
  const database = await createTestDatabase();
  const fake = await FakeBotApi.start();
  const clock = { at: start, now: () => clock.at };
  const db = createDb(database.client);
  const kv = libsqlHotState(db, clock.now);
  const log = memoryLogger();
  const services = createServices({ db, kv, clock, log, officeTz: "Asia/Shanghai", api: new Api(TEST_TOKEN, { apiRoot: fake.apiRoot, timeoutSeconds: opts.timeoutSeconds ?? 10 }), time: opts.time });
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
