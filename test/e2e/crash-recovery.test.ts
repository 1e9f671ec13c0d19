/**
 * The Node server killed with SIGKILL mid-work, then started again on the same libSQL file,
 * as `npm start` runs it: what was acknowledged is worked on, and what was cut off takes
 * effect once when Telegram redelivers it.
 */
import { eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { caseEvents, cases, members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { FakeBotApi } from "../support/fake-bot-api";
import { fillHazardReport } from "../support/flows";
import { person } from "../support/people";
import { freePort, type Running, runServer, webhookServerEnv } from "../support/processes";

const SECRET = "crash_secret_0123";
const LIAISON = 8990;

let fake: FakeBotApi;
let database: TestDatabase;
let db: Db;
let server: Running | undefined;
let baseUrl = "";
let env: Record<string, string>;

async function startServer(): Promise<Running> {
  const child = runServer(env);
  await child.waitForOutput(/"Hazardline started"/);
  server = child;
  return child;
}

function post(body: Update | object): Promise<Response> {
  return fetch(`${baseUrl}/telegram`, {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify(body),
  });
}
const remote = {
  get fake() {
    return fake;
  },
  post,
};

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

/** Posts an update as Telegram redelivers one: again every `everyMs` until it is answered 200. */
async function redeliverUntilAnswered(update: Update, everyMs = 2000, limitMs = 60_000): Promise<number[]> {
  const statuses: number[] = [];
  const deadline = Date.now() + limitMs;
  for (;;) {
    const status = await post(update).then(
      (r) => r.status,
      () => 0,
    );
    statuses.push(status);
    if (status === 200 || Date.now() > deadline) return statuses;
    await sleep(everyMs);
  }
}

async function waitFor(check: () => boolean | Promise<boolean>, limitMs = 20_000): Promise<void> {
  const deadline = Date.now() + limitMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error(`not reached within ${limitMs} ms`);
    await sleep(50);
  }
}

beforeAll(async () => {
  fake = await FakeBotApi.start();
  database = await createTestDatabase();
  db = createDb(database.client);
  await seedSmallCounty(db);
  await db.insert(members).values({ telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" });
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: database.url });
});
afterEach(async () => {
  await server?.stop("SIGKILL");
  server = undefined;
  expect(fake.violations).toEqual([]);
  fake.clear();
});
afterAll(async () => {
  await fake.stop();
  database.dispose();
});

describe("killed with SIGKILL and started again", () => {
  it("a /start cut off mid-update and redelivered after the restart is answered once, within 35 s", async () => {
    await startServer();
    const citizen = person({ id: 8950, first_name: "张伟" });
    const start = citizen.says("/start");
    // The reply hangs in Telegram, so the process dies with the update claimed but unfinished.
    fake.failNext("sendMessage", { kind: "hang" });
    const cutOff = post(start).catch(() => undefined);
    await fake.waitForCall("sendMessage", (c) => c.params.chat_id === 8950);
    await server!.stop("SIGKILL");
    await cutOff;
    fake.clear();

    await startServer();
    const firstRedelivery = Date.now();
    const statuses = await redeliverUntilAnswered(start);
    const answeredAfterMs = Date.now() - firstRedelivery;
    expect(statuses.at(-1)).toBe(200);
    // Until the dead process's claim runs out, a redelivery is asked to come back (never a 200 that drops it).
    expect(statuses.slice(0, -1).every((s) => s === 503)).toBe(true);
    expect(answeredAfterMs).toBeLessThan(35_000);
    expect(fake.sentTexts(8950)).toEqual([expect.stringContaining("您好，张伟！")]);

    // Finished now: one more redelivery has no effect.
    expect((await post(start)).status).toBe(200);
    expect(fake.sentTexts(8950)).toHaveLength(1);
  }, 90_000);

  it("twelve citizens pressing submit as the server dies: after the restart every case is routed, with one card each", async () => {
    await startServer();
    const citizens = Array.from({ length: 12 }, (_, i) => new Conversation(remote, person({ id: 8960 + i, first_name: `群众${i}` })));
    for (const [i, c] of citizens.entries()) await fillHazardReport(c, { text: `塔吊基础开裂，第 ${i + 1} 号工地，工人仍在作业。` });
    const submits = citizens.map((c) => {
      const { messageId, buttons } = c.lastKeyboardMessage();
      const data = buttons.find((b) => b.text.includes("提交"))!.callback_data!;
      return c.who.presses(data, { message_id: messageId });
    });

    // All press at once; the process dies as soon as the first case is stored.
    const pressed = submits.map((u) => post(u).catch(() => undefined));
    await waitFor(async () => (await database.client.execute("select count(*) as n from cases")).rows[0]!.n !== 0, 10_000);
    await server!.stop("SIGKILL");
    await Promise.all(pressed);

    await startServer();
    // Telegram redelivers every press that was not answered 200; each takes effect once.
    await Promise.all(submits.map((u) => redeliverUntilAnswered(u)));

    const stored = await db.select().from(cases);
    expect(stored).toHaveLength(12);
    // A card names its own case first (possible duplicates, similar reports nearby, come later).
    const cardsFor = () => fake.sentTexts(LIAISON).map((t) => /YH-\d{8}-\d{4}/.exec(t)?.[0]);
    await waitFor(() => cardsFor().length >= 12);
    await sleep(500); // time for a second card, were there one
    expect(cardsFor().sort()).toEqual(stored.map((k) => k.number).sort());
    for (const k of stored) {
      expect(k).toMatchObject({ status: "assigned", unitId: "station-a", intakePending: false });
      const events = await db.select({ action: caseEvents.action }).from(caseEvents).where(eq(caseEvents.caseId, k.id));
      expect(events.map((e) => e.action)).toEqual(["submitted", "assigned"]);
    }
    // Each citizen's press made one case, and they were told its number.
    for (const c of citizens) {
      const own = stored.filter((k) => k.submissionId?.startsWith(`${c.who.id}:`));
      expect(own).toHaveLength(1);
      expect(fake.sentTexts(c.who.id).some((t) => t.includes(own[0]!.number))).toBe(true);
    }
  }, 120_000);
});
