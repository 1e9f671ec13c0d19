/**
 * Duplicates (issue 17, point 3): Telegram redelivers an update it thinks went unanswered, so
 * every update of a whole scenario, delivered ten times (in order, shuffled among later
 * updates, and concurrently), must leave the same database and send the same messages as one
 * delivery.
 *
 * How: the scenario (an anonymous hazard with a pin and a photo, a second citizen's question,
 * the routed unit's liaison accepting, posting progress and resolving with a photo, the
 * dispatcher verifying, the citizen rating, the liaison answering the question) is played
 * ONCE live through Conversations, which press the buttons the bot actually sent, and every
 * update posted is recorded. The recorded list is then delivered to fresh harnesses (a fresh
 * database, the same seed data): (a) once, the reference; (b) each update 10x in a row;
 * (c) each update's 9 extra copies shuffled in among LATER positions (fixed seed), the first
 * copy of each still in scenario order, since a scenario cannot be answered out of order (a
 * button exists only once the bot has sent it; an answer to a prompt means nothing before the
 * prompt); (d) each update's 10 copies posted at once, before the next update.
 *
 * What makes a recorded update valid in a later run, since its callback data name draft ids,
 * case ids and versions, and its messages name the bot's message ids:
 * - The clock stands still and moves only when the test moves it (see `flush`): after a
 *   delivery, one second at a time while the outbox has something due. So case numbers,
 *   deadlines, hot-state expiries and every time the app stores come out the same in every
 *   run, and a duplicate, which enqueues nothing, moves no time.
 * - Draft ids come from crypto.getRandomValues (src/services/user-lock.ts, randomToken), so
 *   the test replaces it with a seeded generator, restarted with each harness, with one
 *   stream per requested length: draft ids (8 symbols) then follow the same sequence whatever
 *   other random draws (lock tokens, 16) happen in between.
 * - After every delivery (in (d), after each batch of copies) the test waits for the drain
 *   the update started and sends the rest of what is due, as the time between two real
 *   updates would, so the fake Bot API numbers the bot's messages in the same order in every
 *   run. The copies of (d) still race each other inside their batch.
 * The live recording itself is compared with (a): the replay reproduces it exactly.
 *
 * Compared after each variant and a tick: every table of the database (the hot state too,
 * which lives in libSQL here: drafts, update claims, rate counters), row by row in primary key
 * order, ids and times included, except the seeded staff's `created_at` (filled by SQLite's
 * wall clock, not the app's: it differs between any two runs); and every Bot API call,
 * per chat (answerCallbackQuery per callback query), in order, with its whole parameters.
 *
 * Responses: 200 for every delivery in (a), (b) and (c). In (d) a copy that arrives while the
 * first is still being handled is answered 503 with Retry-After by design (src/bot/update-guard.ts:
 * the holder may have died, so the copy must not be dropped with a 200); the test then
 * redelivers each such copy, as Telegram would, and that redelivery must be 200 and change
 * nothing.
 */
import type { Client } from "@libsql/client";
import fc from "fast-check";
import type { Update } from "grammy/types";
import { beforeAll, describe, expect, it, vi } from "vitest";
import { members } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty, TOWN_A_AREA } from "../support/county";
import type { FakeBotApi } from "../support/fake-bot-api";
import { askQuestion, resolveWithPhoto } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase, type Soundness } from "../support/integrity";
import { person } from "../support/people";

const T0 = Date.parse("2026-11-23T01:30:00Z"); // a Monday, 09:30 in the office's time zone
/** The harness's clock: still, and moved on by the test only (see `flush`). */
interface SteppedClock {
  at: number;
  now(): number;
}
const COPIES = 10;

/** A seeded stand-in for crypto.getRandomValues, one stream per length asked for. */
function seededRandom() {
  const counters = new Map<number, number>();
  return <T extends ArrayBufferView | null>(array: T): T => {
    if (array === null) return array;
    const bytes = new Uint8Array(array.buffer, array.byteOffset, array.byteLength);
    const n = (counters.get(bytes.length) ?? 0) + 1;
    counters.set(bytes.length, n);
    // mulberry32, seeded by the length and the draw's number in its stream
    let a = (bytes.length * 1_000_003 + n * 7919) >>> 0;
    for (let i = 0; i < bytes.length; i++) {
      a = (a + 0x6d2b79f5) >>> 0;
      let t = a;
      t = Math.imul(t ^ (t >>> 15), t | 1);
      t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
      bytes[i] = ((t ^ (t >>> 14)) >>> 0) & 0xff;
    }
    return array;
  };
}

const DISPATCHER = 9001;
const LIAISON = 9002;
const REPORTER = 9101;
const ASKER = 9102;
const ANSWER = "一般小作坊不需要安全生产许可证，但须遵守消防和用电安全规定。";

/** A fresh harness with the small county (town A mapped) and its staff, and a fresh random stream. */
async function freshHarness(): Promise<{ h: Harness; clock: SteppedClock }> {
  vi.spyOn(globalThis.crypto, "getRandomValues").mockImplementation(seededRandom() as typeof crypto.getRandomValues);
  const clock: SteppedClock = { at: T0, now: () => clock.at };
  const h = await startHarness({ clock });
  await seedSmallCounty(h.hazardline.db, { mapped: true });
  await h.hazardline.db.insert(members).values([
    { telegramId: DISPATCHER, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
  return { h, clock };
}

/**
 * After a delivery: waits for the drain it started, then sends the rest of what is due. A
 * still clock lets a drain write to each chat once (the next message to it is paced a moment
 * later), so the clock steps a second at a time, only while something is due: a delivery
 * that changed nothing moves no time.
 */
async function flush(h: Harness, clock: SteppedClock) {
  await h.hazardline.settle();
  for (let step = 0; step < 50; step++) {
    const due = await h.database.client.execute({
      sql: "SELECT count(*) AS n FROM outbox WHERE status = 'pending' AND not_before <= ?",
      args: [clock.at + 60_000],
    });
    if (Number(due.rows[0]!.n) === 0) return;
    clock.at += 1000;
    await h.hazardline.services.outbox.drain();
  }
  throw new Error("the outbox never emptied");
}

/** Plays the scenario live and returns every update it posted, in order. */
async function recordScenario(fake: FakeBotApi, post: (update: Update) => Promise<Response>, flush: () => Promise<void>): Promise<Update[]> {
  const recorded: Update[] = [];
  const recorder = {
    fake,
    async post(update: Update | string | object) {
      recorded.push(structuredClone(update) as Update);
      const res = await post(update as Update);
      await flush();
      return res;
    },
  };
  const talk = (id: number, first_name: string) => new Conversation(recorder, person({ id, first_name }));
  const reporter = talk(REPORTER, "群众甲");
  const asker = talk(ASKER, "群众乙");
  const dispatcher = talk(DISPATCHER, "调度员");
  const liaison = talk(LIAISON, "联络员甲");

  // An anonymous hazard with a pin (which picks the town) and a photo.
  await reporter.say("/report");
  await reporter.tap("安全隐患");
  await reporter.tap("建筑施工");
  expect((await reporter.post(reporter.who.sendsLocation(TOWN_A_AREA.lat, TOWN_A_AREA.lng)))[0]).toContain("城关镇");
  await reporter.say("城关镇建设路 12 号在建住宅工地");
  await reporter.say("脚手架没有安全网，工人高空作业不系安全带。");
  await reporter.post(reporter.who.sendsPhoto("hazard-1"));
  await reporter.tap("完成");
  await reporter.tap("一般");
  await reporter.tap("匿名");
  await reporter.tap("不需要");
  const hazard = /编号：(YH-\d{8}-\d{4})/.exec((await reporter.tap("提交"))[0]!)![1]!;

  // A second citizen's question waits for the dispatcher.
  const question = await askQuestion(asker, "城关镇的小作坊需要办理安全生产许可证吗？");

  // The town's station got the hazard by its pin: accept, progress, resolve with a photo.
  expect(liaison.lastKeyboardMessage().text).toContain(hazard);
  await liaison.tap("签收");
  await liaison.tap("进展");
  expect((await liaison.say("已约谈施工单位负责人，要求今日内搭设安全网。"))[0]).toBe("已完成：📝 进展");
  await resolveWithPhoto(liaison, { measures: "已搭设安全网，并对工人进行安全教育。", responsible: "施工单位项目经理 王建国", photo: "after-1" });

  // The dispatcher verifies (销号); the citizen is asked for stars, rates and comments.
  await dispatcher.say(`/case ${hazard}`);
  await dispatcher.tap("核查销号");
  expect(reporter.lastKeyboardMessage().text).toBe(`您的事项 ${hazard} 已办结。请您对办理结果作出评价（1–5 星）：`);
  await reporter.tap(/^⭐{5}$/);
  expect(await reporter.say("整改很及时，谢谢。")).toEqual(["您的意见已记录，感谢您对安全生产工作的支持！"]);

  // The dispatcher hands the question to the station; its liaison answers it.
  await dispatcher.say("/queue");
  await dispatcher.tap(question);
  await dispatcher.tap("交办");
  await dispatcher.tap("城关镇安监站");
  await dispatcher.tap("整个单位");
  expect(liaison.lastKeyboardMessage().text).toContain(question);
  await liaison.tap("答复");
  await liaison.say(ANSWER);
  expect(fake.sentTexts(ASKER).at(-1)).toBe(`您咨询的事项 ${question} 已答复：\n${ANSWER}`);
  return recorded;
}

/**
 * The one column that differs between any two runs: the seeded staff's `created_at`, which the
 * test's insert leaves to the schema's SQL default, SQLite's wall clock. Every time the app
 * writes comes from its clock, and is compared.
 */
const WALL_CLOCK_COLUMNS = new Set(["members.created_at"]);

/** Every table, every row in key order, without the wall-clock columns (see the file's comment). */
async function dumpDatabase(client: Client): Promise<Record<string, unknown[]>> {
  const tables = await client.execute(
    "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name NOT LIKE '__drizzle%' ORDER BY name",
  );
  const dump: Record<string, unknown[]> = {};
  for (const { name } of tables.rows) {
    const columns = (await client.execute(`SELECT name, pk FROM pragma_table_info('${String(name)}')`)).rows;
    const keep = columns.map((c) => String(c.name)).filter((c) => !WALL_CLOCK_COLUMNS.has(`${String(name)}.${c}`));
    const keys = columns.filter((c) => Number(c.pk) > 0).sort((a, b) => Number(a.pk) - Number(b.pk));
    const order = (keys.length > 0 ? keys.map((c) => String(c.name)) : keep).map((c) => `"${c}"`).join(", ");
    const rows = await client.execute(`SELECT ${keep.map((c) => `"${c}"`).join(", ")} FROM "${String(name)}" ORDER BY ${order}`);
    dump[String(name)] = rows.rows.map((r) => Object.fromEntries(keep.map((c) => [c, r[c]])));
  }
  return dump;
}

/** Every Bot API call, grouped by chat (a callback query's answer by its query), in order. */
function callsByChat(fake: FakeBotApi): Record<string, unknown[]> {
  const byChat: Record<string, unknown[]> = {};
  for (const { method, params } of fake.calls) {
    const chat = params.chat_id ?? (params.callback_query_id !== undefined ? `query ${params.callback_query_id}` : method);
    byChat[String(chat)] = [...(byChat[String(chat)] ?? []), { method, params }];
  }
  return byChat;
}

interface Outcome {
  database: Record<string, unknown[]>;
  calls: Record<string, unknown[]>;
  statuses: Record<number, number>;
  soundness: Soundness;
}

/**
 * A fresh harness, then `deliver` posts the recorded updates its way (through `post`, which
 * counts the statuses, and `flush`), then a tick; returns what it left.
 */
async function run(
  deliver: (post: (update: Update) => Promise<Response>, flush: () => Promise<void>, fake: FakeBotApi) => Promise<void>,
): Promise<Outcome> {
  const { h, clock } = await freshHarness();
  const statuses: Record<number, number> = {};
  try {
    const post = async (update: Update) => {
      const res = await h.post(update);
      statuses[res.status] = (statuses[res.status] ?? 0) + 1;
      return res;
    };
    await deliver(post, () => flush(h, clock), h.fake);
    await h.tick(clock.at);
    await flush(h, clock);
    expect(h.fake.violations).toEqual([]);
    const soundness = await expectSoundDatabase(h.database.client, { settled: true });
    return { database: await dumpDatabase(h.database.client), calls: callsByChat(h.fake), statuses, soundness };
  } finally {
    await h.stop();
    vi.restoreAllMocks();
  }
}

/** The variant left what one delivery left: the same database and the same calls, chat by chat. */
function expectSameAs(reference: Outcome, outcome: Outcome) {
  for (const [table, rows] of Object.entries(reference.database)) expect(outcome.database[table], `table ${table}`).toEqual(rows);
  expect(Object.keys(outcome.database)).toEqual(Object.keys(reference.database));
  for (const [chat, calls] of Object.entries(reference.calls)) expect(outcome.calls[chat], `calls to ${chat}`).toEqual(calls);
  expect(Object.keys(outcome.calls).sort()).toEqual(Object.keys(reference.calls).sort());
}

describe("every update of a full scenario delivered ten times leaves what one delivery left", () => {
  let scenario: Update[];
  let recording: Outcome;
  let reference: Outcome;

  beforeAll(async () => {
    recording = await run(async (post, flush, fake) => {
      scenario = await recordScenario(fake, post, flush);
    });
    reference = await run(async (post, flush) => {
      for (const update of scenario) {
        await post(update);
        await flush();
      }
    });
  }, 120_000);

  it("once, in order: the reference, which is what the live recording left", () => {
    expect(reference.statuses).toEqual({ 200: scenario.length });
    // The recorded updates are valid in a fresh run: same draft ids, case ids, messages.
    expectSameAs(recording, reference);
    // The recording replayed: both cases, the hazard rated, the question answered.
    const cases = reference.database.cases as Array<{ kind: string; status: string; rating: number | null }>;
    expect(cases.map((c) => [c.kind, c.status, c.rating])).toEqual([
      ["hazard", "closed", 5],
      ["consultation", "answered", null],
    ]);
    expect(reference.soundness).toMatchObject({ cases: 2 });
    expect(reference.calls[String(ASKER)]!.at(-1)).toMatchObject({ params: { text: expect.stringContaining(ANSWER) } });
  });

  it(`each update ${COPIES}x in a row`, async () => {
    const outcome = await run(async (post, flush) => {
      for (const update of scenario) {
        for (let i = 0; i < COPIES; i++) {
          await post(update);
          await flush();
        }
      }
    });
    expect(outcome.statuses).toEqual({ 200: scenario.length * COPIES });
    expectSameAs(reference, outcome);
  }, 120_000);

  it(`each update's ${COPIES - 1} extra copies shuffled in among later updates`, async () => {
    // Sort keys: update i's first copy at i, each extra copy at a random point after it.
    const [draws] = fc.sample(
      fc.array(fc.double({ min: 0, max: 1, noNaN: true, maxExcluded: true }), {
        minLength: scenario.length * (COPIES - 1),
        maxLength: scenario.length * (COPIES - 1),
      }),
      { seed: 42, numRuns: 1 },
    );
    const order = scenario.flatMap((update, i) => [
      { key: i, update, first: true },
      ...Array.from({ length: COPIES - 1 }, (_, k) => ({
        key: i + (scenario.length - i) * (draws![i * (COPIES - 1) + k]! * 0.999 + 0.0005),
        update,
        first: false,
      })),
    ]);
    order.sort((a, b) => a.key - b.key);
    // The first copies are still in scenario order; the extras really are spread.
    expect(order.filter((o) => o.first).map((o) => o.update.update_id)).toEqual(scenario.map((u) => u.update_id));
    expect(order.slice(0, COPIES).every((o) => o.update.update_id === scenario[0]!.update_id)).toBe(false);

    const outcome = await run(async (post, flush) => {
      for (const { update } of order) {
        await post(update);
        await flush();
      }
    });
    expect(outcome.statuses).toEqual({ 200: scenario.length * COPIES });
    expectSameAs(reference, outcome);
  }, 120_000);

  it(`each update's ${COPIES} copies at once: one runs, the others are asked to come back, and coming back changes nothing`, async () => {
    let inProgress = 0;
    const outcome = await run(async (post, flush) => {
      for (const update of scenario) {
        const answers = await Promise.all(Array.from({ length: COPIES }, () => post(update)));
        await flush();
        for (const res of answers) {
          if (res.status === 200) continue;
          // Only "still being handled elsewhere" may be other than 200; Telegram redelivers it.
          expect(res.status).toBe(503);
          expect(res.headers.get("retry-after")).toBe("20");
          inProgress++;
          expect((await post(update)).status).toBe(200);
          await flush();
        }
      }
    });
    expect(outcome.statuses).toEqual({ 200: scenario.length * COPIES, ...(inProgress > 0 ? { 503: inProgress } : {}) });
    expectSameAs(reference, outcome);
  }, 120_000);
});
