/**
 * The webhook end to end on Node: the Hono app on a loopback port, a real libSQL file, the
 * fake Bot API. Every test ends with the fake having seen no call Telegram would refuse.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { users } from "../../db/schema";
import { MAX_UPDATE_BYTES } from "../../src/app";
import { StorageUnavailableError } from "../../src/services/errors";
import type { HotState } from "../../src/services/hot-state";
import { type Harness, startHarness, WEBHOOK_SECRET } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
/** A real store with a switch that makes it fail as an unreachable one would. */
let outage = false;

beforeAll(async () => {
  let real: HotState | undefined;
  const switchable = new Proxy({} as HotState, {
    get:
      (_target, prop: keyof HotState) =>
      async (...args: unknown[]) => {
        if (outage) throw new StorageUnavailableError("hot state (test outage)", new Error("connection refused"));
        return (real![prop] as (...a: unknown[]) => Promise<unknown>)(...args);
      },
  });
  h = await startHarness({ hotState: switchable });
  real = libsqlHotState(h.hazardline.db);
});
afterAll(() => h.stop());
afterEach(() => {
  expect(h.fake.violations).toEqual([]);
  h.fake.clear();
  outage = false;
});

const buttonsOf = (markup: unknown) =>
  ((markup as { inline_keyboard: Array<Array<{ text: string; callback_data: string }>> }).inline_keyboard ?? []).flat();

describe("/start", () => {
  it("answers a Chinese client with the Chinese welcome and the citizen's main menu", async () => {
    const citizen = person({ id: 501, first_name: "李华", language_code: "zh-hans" });
    const res = await h.post(citizen.says("/start"));
    expect(res.status).toBe(200);

    const [call] = h.fake.callsTo("sendMessage");
    expect(call?.params.chat_id).toBe(501);
    expect(call?.params.text).toContain("您好，李华！");
    expect(buttonsOf(call?.params.reply_markup).map((b) => [b.text, b.callback_data])).toEqual([
      ["⚠️ 举报隐患", "menu:report"],
      ["💬 在线咨询", "menu:ask"],
      ["📋 我的事项", "menu:my"],
      ["🌐 语言 Language", "menu:lang"],
    ]);
    const [row] = await h.hazardline.db.select().from(users).where(eq(users.telegramId, 501));
    expect(row?.locale).toBe("zh-CN");
  });

  it("answers an English client in English", async () => {
    await h.post(person({ id: 502, first_name: "Ann", language_code: "en-US" }).says("/start"));
    const [call] = h.fake.callsTo("sendMessage");
    expect(call?.params.text).toContain("Hello, Ann!");
    expect(buttonsOf(call?.params.reply_markup)[0]?.text).toBe("⚠️ Report a hazard");
  });

  it("answers a client in a language we do not speak in Chinese, the office default", async () => {
    await h.post(person({ id: 503, first_name: "Юрий", language_code: "ru" }).says("/start"));
    expect(h.fake.sentTexts(503)[0]).toContain("您好，Юрий！");
  });

  it("in a group, points people to the private chat instead of showing the menu", async () => {
    await h.post(person({ id: 504 }).saysInGroup(-100777, "/start@hazardline_test_bot"));
    const [call] = h.fake.callsTo("sendMessage");
    expect(call?.params.chat_id).toBe(-100777);
    expect(call?.params.text).toContain("https://t.me/hazardline_test_bot");
    expect(call?.params.reply_markup).toBeUndefined();
  });
});

describe("the main menu", () => {
  it("switches the language, and the choice outlives the client's language", async () => {
    const citizen = person({ id: 511, first_name: "Mei", language_code: "zh-hans" });
    await h.post(citizen.presses("menu:lang"));
    const chooser = h.fake.callsTo("sendMessage")[0];
    expect(buttonsOf(chooser?.params.reply_markup).map((b) => b.callback_data)).toEqual(["lang:zh-CN", "lang:en"]);

    await h.post(citizen.presses("lang:en", { message_id: 77 }));
    expect(h.fake.callsTo("answerCallbackQuery").at(-1)?.params.text).toBe("Language set to English.");
    expect(h.fake.callsTo("editMessageText")[0]?.params).toMatchObject({ chat_id: 511, message_id: 77 });
    expect(h.fake.sentTexts(511).at(-1)).toContain("Hello, Mei!");
    const [row] = await h.hazardline.db.select().from(users).where(eq(users.telegramId, 511));
    expect(row?.locale).toBe("en");

    h.fake.clear();
    await h.post(citizen.says("/start")); // the client still says zh-hans
    expect(h.fake.sentTexts(511)[0]).toContain("Hello, Mei!");
  });

  it("follows the client's language until the person chooses one", async () => {
    await h.post(person({ id: 514, first_name: "Kai", language_code: "en" }).says("/start"));
    await h.post(person({ id: 514, first_name: "Kai", language_code: "zh-hans" }).says("/help"));
    expect(h.fake.sentTexts(514)[1]).toContain("Hazardline 使用说明");
  });

  it("/lang offers the same choice", async () => {
    await h.post(person({ id: 512 }).says("/lang"));
    const [call] = h.fake.callsTo("sendMessage");
    expect(call?.params.text).toBe("请选择语言 / Choose your language:");
    expect(buttonsOf(call?.params.reply_markup)).toHaveLength(2);
  });

  it("/help explains the commands", async () => {
    await h.post(person({ id: 513, language_code: "en" }).says("/help"));
    expect(h.fake.sentTexts(513)[0]).toContain("/lang");
  });
});

describe("unexpected input", () => {
  it("answers a forged or stale button and changes nothing", async () => {
    const citizen = person({ id: 520 });
    await h.post(citizen.presses("lang:fr"));
    await h.post(citizen.presses("case:accept:99999"));
    await h.post(citizen.presses("x".repeat(64)));
    const answers = h.fake.callsTo("answerCallbackQuery").map((c) => c.params.text);
    expect(answers).toEqual(Array(3).fill("这个按钮已失效，请发送 /start 重新开始。"));
    expect(await h.hazardline.db.select().from(users).where(eq(users.telegramId, 520))).toEqual([]);
  });

  it("answers text and stickers it does not expect with a pointer to the menu", async () => {
    const citizen = person({ id: 521 });
    await h.post(citizen.says("你好"));
    await h.post({
      update_id: 990_001,
      message: {
        message_id: 5,
        date: 1,
        chat: { id: 521, type: "private", first_name: "王小明" },
        from: { id: 521, is_bot: false, first_name: "王小明" },
        sticker: { file_id: "s", file_unique_id: "s", type: "regular", width: 512, height: 512, is_animated: false, is_video: false },
      },
    });
    expect(h.fake.sentTexts(521)).toEqual(Array(2).fill("抱歉，我没有理解这条消息。请选择下面的功能，或发送 /help 查看全部命令。"));
  });

  it("stays silent on group chatter and on update types it does not handle", async () => {
    expect((await h.post(person({ id: 522 }).saysInGroup(-100778, "大家好"))).status).toBe(200);
    const poll = {
      id: "p1",
      question: "?",
      options: [],
      total_voter_count: 0,
      is_closed: true,
      is_anonymous: true,
      type: "regular",
      allows_multiple_answers: false,
    };
    expect((await h.post({ update_id: 990_002, poll })).status).toBe(200);
    expect((await h.post({ update_id: 990_003, brand_new_kind_of_update: { x: 1 } })).status).toBe(200);
    expect(h.fake.calls).toEqual([]);
  });
});

describe("the webhook door", () => {
  it("refuses a request without the secret, or with a wrong one, with 401 and no effect", async () => {
    const update = person({ id: 530 }).says("/start");
    expect((await h.post(update, { secret: null })).status).toBe(401);
    expect((await h.post(update, { secret: "guess" })).status).toBe(401);
    expect(h.fake.calls).toEqual([]);
    // The refused update was not claimed: the genuine delivery still takes effect.
    expect((await h.post(update)).status).toBe(200);
    expect(h.fake.sentTexts(530)).toHaveLength(1);
  });

  it("answers malformed bodies with 400, never a 5xx", async () => {
    for (const body of ["{not json", "[]", "null", '"text"', JSON.stringify({ message: {} }), JSON.stringify({ update_id: "7" })]) {
      const res = await h.post(body);
      expect(res.status, body).toBe(400);
    }
    expect(h.fake.calls).toEqual([]);
  });

  it("refuses a body larger than any update with 413 while reading it, and a wrong secret with 401 before reading any", async () => {
    // Sent as a stream, without a length: the limit is counted as it is read.
    const huge = (secret: string | null) =>
      fetch(`${h.baseUrl}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", ...(secret ? { "X-Telegram-Bot-Api-Secret-Token": secret } : {}) },
        body: new Blob([`{"update_id":1,"x":"${"a".repeat(MAX_UPDATE_BYTES)}"}`]).stream(),
        duplex: "half",
      } as RequestInit);
    expect((await huge(WEBHOOK_SECRET)).status).toBe(413);
    expect((await huge("guess")).status).toBe(401);
    expect(h.fake.calls).toEqual([]);
  });

  it("a retried update causes no second reply, in turn or at once", async () => {
    const citizen = person({ id: 531 });
    const first = citizen.says("/start");
    expect((await h.post(first)).status).toBe(200);
    expect((await h.post(first)).status).toBe(200);

    // At once: one request runs it; one that finds it still running is asked to come back
    // (503), since a 200 would drop it if the runner died. Coming back, it finds it done.
    const second = citizen.says("/help");
    const statuses = await Promise.all(Array.from({ length: 5 }, () => h.post(second).then((r) => r.status)));
    expect(statuses.filter((s) => s === 200).length).toBeGreaterThanOrEqual(1);
    expect(statuses.every((s) => s === 200 || s === 503)).toBe(true);
    expect((await h.post(second)).status).toBe(200);
    expect(h.fake.sentTexts(531)).toHaveLength(2);
  });

  it("answers 200 when a handler fails on an update, logs it with the update id, and tells the person", async () => {
    h.fake.failNext("sendMessage", { kind: "error", status: 400, description: "Bad Request: chat not found" });
    const update = person({ id: 532 }).says("/start");
    expect((await h.post(update)).status).toBe(200);
    expect(h.log.entries).toContainEqual(expect.objectContaining({ level: "error", msg: "update failed", updateId: update.update_id }));
    expect(h.fake.sentTexts(532).at(-1)).toBe("抱歉，处理时出现问题，请稍后再试。");
    // Telegram's redelivery of the same update is not run again.
    h.fake.clear();
    await h.post(update);
    expect(h.fake.calls).toEqual([]);
  });

  it("a direct reply that hangs fails the update within the webhook's time, so a redelivery is not held off", async () => {
    h.fake.failNext("sendMessage", { kind: "hang" });
    const update = person({ id: 533 }).says("/start");
    expect((await h.post(update)).status).toBe(200);
    expect(h.log.entries).toContainEqual(expect.objectContaining({ level: "error", msg: "update failed", updateId: update.update_id }));
    expect(h.fake.sentTexts(533).at(-1)).toBe("抱歉，处理时出现问题，请稍后再试。");
  }, 30_000);

  it("waits out a 429 from Telegram as told by retry_after, and the reply still arrives once", async () => {
    h.fake.failNext("sendMessage", { kind: "flood", retryAfter: 1 });
    const started = Date.now();
    expect((await h.post(person({ id: 534 }).says("/start"))).status).toBe(200);
    const attempts = h.fake.callsTo("sendMessage");
    expect(attempts).toHaveLength(2);
    expect(attempts[1]!.at - attempts[0]!.at).toBeGreaterThanOrEqual(1000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(1000);
  });

  it("treats a user who blocked the bot (403) as the update's problem: logged, answered 200, not retried", async () => {
    h.fake.failNext("sendMessage", { kind: "error", status: 403 }, 2);
    const update = person({ id: 535 }).says("/start");
    expect((await h.post(update)).status).toBe(200);
    expect(h.log.entries).toContainEqual(expect.objectContaining({ msg: "update failed", updateId: update.update_id }));
    h.fake.clear();
    expect((await h.post(update)).status).toBe(200);
    expect(h.fake.calls).toEqual([]);
  });

  it("answers 500 while storage is down, and the redelivered update takes effect once it is back", async () => {
    const update = person({ id: 533 }).says("/start");
    outage = true;
    expect((await h.post(update)).status).toBe(500);
    expect(h.fake.calls).toEqual([]);
    outage = false;
    expect((await h.post(update)).status).toBe(200);
    expect(h.fake.sentTexts(533)).toHaveLength(1);
  });
});

describe("GET /healthz", () => {
  it("reports the database, the hot-state store and the last tick", async () => {
    const before = await (await fetch(`${h.baseUrl}/healthz`)).json();
    expect(before).toMatchObject({ ok: true, database: "ok", hotState: "ok" });

    await h.tick(Date.parse("2026-11-25T08:00:00Z"));
    const after = await (await fetch(`${h.baseUrl}/healthz`)).json();
    expect(after.lastTickAt).toBe("2026-11-25T08:00:00.000Z");
  });

  it("answers 503 and names the store that is down", async () => {
    outage = true;
    const res = await fetch(`${h.baseUrl}/healthz`);
    expect(res.status).toBe(503);
    expect(await res.json()).toMatchObject({ ok: false, database: "ok", hotState: "down" });
  });

  it("has no webhook route for other paths", async () => {
    expect((await fetch(`${h.baseUrl}/telegram/../admin`, { method: "POST" })).status).toBe(404);
  });
});
