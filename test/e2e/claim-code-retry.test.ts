/**
 * An anonymous reporter owed a code (a reward report in chat; any anonymous report on the web
 * form or from an Open311 partner) whose submit is cut off just after the case is stored: the
 * hot state (Upstash through the REST shim, over a real redis-server) stops serving exactly at
 * the write that follows the stored case, so the first answer, the only one that carried the
 * code, never goes out. The redelivery must give the reporter the same confirmation as a first
 * answer, with a code that works (the web's /status finds the case by number and code), and
 * still one case and one reporter row; nothing staff see carries the code or the reporter.
 *
 * The chat variant waits out the update guard's processing lease (PROCESSING_LEASE_MS, 20 s),
 * as test/e2e/storage-faults.test.ts does. Run: `npx vitest run test/e2e/claim-code-retry.test.ts`.
 */
import type { Client } from "@libsql/client";
import { Redis } from "@upstash/redis";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { upstashHotState } from "../../db/hot-state-upstash";
import { members } from "../../db/schema";
import { REPORT_FIELDS as F } from "../../src/domain/web-report";
import { translator } from "../../src/i18n";
import { expectNoReporterNamed } from "../support/anonymity";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";
import { type RedisServer, startRedis } from "../support/redis-server";
import { startUpstashShim, type UpstashShim } from "../support/upstash-shim";
import { redeliver } from "../support/wait";
import { webReportFields } from "../support/web-form";

const LIAISON = 7801;
const zh = translator("zh-CN");
/** What each door saw, printed at the end for the issue's closing note. */
const figures: Record<string, unknown> = {};
afterAll(() => console.info(`claim-code-retry figures: ${JSON.stringify(figures)}`));

const CODE = /[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}-[2-9A-HJKMNP-Z]{4}/;
const NUMBER = /(YH|ZX)-\d{8}-\d{4}/;
const retryable = (status: number) => status === 500 || status === 503;
/** The write the first attempt dies at: the fingerprint set right after the case is stored. */
const fingerprintSet = (command: string[]) => command[0]?.toLowerCase() === "set" && String(command[1]).startsWith("submitted:");

const counted = async (client: Client, sql: string, args: Array<string | number> = []) => Number((await client.execute({ sql, args })).rows[0]![0]);

describe("a reporter owed a code, whose first answer was lost after the case was stored", () => {
  const token = "claim-code-retry-token";
  let redis: RedisServer;
  let shim: UpstashShim;
  let h: Harness;

  /** The web's lookup by number and code: whether it finds the case. */
  const lookup = async (number: string, code: string) => {
    const body = new FormData();
    body.append("number", number);
    body.append("proof", code);
    const res = await fetch(`${h.baseUrl}/status`, { method: "POST", body, headers: { Origin: h.baseUrl, "Accept-Language": "zh-CN" } });
    const page = await res.text();
    return res.status === 200 && page.includes('id="status-card"') && page.includes(number);
  };

  /** The case by its number: how many cases and reporter rows it has, and whether a code's hash is stored. */
  const stored = async (number: string) => ({
    cases: await counted(h.database.client, "SELECT count(*) FROM cases WHERE number = ?", [number]),
    reporters: await counted(h.database.client, "SELECT count(*) FROM case_reporters r JOIN cases c ON c.id = r.case_id WHERE c.number = ?", [
      number,
    ]),
    hashed: await counted(
      h.database.client,
      "SELECT count(*) FROM case_reporters r JOIN cases c ON c.id = r.case_id WHERE c.number = ? AND r.claim_hash IS NOT NULL AND r.name IS NULL AND r.phone IS NULL",
      [number],
    ),
  });

  /** Every line the app logged, as text: a code must never be in it. */
  const logText = () => {
    // Error fields (a BotError holds its context) can be circular: each object is written once.
    const seen = new WeakSet<object>();
    return JSON.stringify(h.log.entries, (_key, value: unknown) => {
      if (value instanceof Error) return { name: value.name, message: value.message };
      if (typeof value === "object" && value !== null) {
        if (seen.has(value)) return undefined;
        seen.add(value);
      }
      return value;
    });
  };

  beforeAll(async () => {
    redis = await startRedis();
    shim = await startUpstashShim({ redisUrl: redis.url, token });
    const hotState = upstashHotState(new Redis({ url: shim.url, token, automaticDeserialization: false, retry: false }));
    h = await startHarness({ hotState });
    await seedSmallCounty(h.hazardline.db, { mapped: true });
    await h.hazardline.db.insert(members).values({ telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" });
  });
  afterAll(async () => {
    await h?.stop();
    await shim?.stop();
    await redis?.stop();
  });
  afterEach(() => expect(h.fake.violations).toEqual([]));

  it("in chat: the redelivered submit is answered as the first time, with a code that finds the case", async () => {
    const who = person({ id: 7811, first_name: "郑七" });
    const c = new Conversation(h, who);
    const tap = (label: string) => {
      const { messageId, buttons, text } = c.lastKeyboardMessage();
      const data = buttons.find((b) => b.text === label || b.text.includes(label))?.callback_data;
      if (data === undefined) throw new Error(`no button ${label} under "${text}"`);
      return who.presses(data, { message_id: messageId });
    };
    const casesBefore = await counted(h.database.client, "SELECT count(*) FROM cases");
    h.fake.clear();
    await c.post(who.says("/report"));
    for (const label of ["安全隐患", "建筑施工", "城关镇", "跳过"]) await c.post(tap(label));
    await c.post(who.says("模板支撑架立杆悬空，混凝土浇筑时随时会塌。"));
    await c.post(who.sendsPhoto("cr1"));
    for (const label of ["完成", "一般", "匿名", zh("reward-yes")]) await c.post(tap(label));
    const submit: Update = tap("提交");

    shim.goDownAt(fingerprintSet);
    const sentBefore = h.fake.calls.length;
    const cutOff = (await h.post(submit)).status;
    expect(retryable(cutOff), String(cutOff)).toBe(true);
    expect(await counted(h.database.client, "SELECT count(*) FROM cases")).toBe(casesBefore + 1);
    // Nothing reached the citizen: the code stored hashed was never shown.
    expect(h.fake.calls.slice(sentBefore).filter((call) => call.params.chat_id === who.id)).toEqual([]);
    await shim.comeBack();

    const statuses = await redeliver(h, submit);
    expect(statuses.at(-1)).toBe(200);
    expect(statuses.slice(0, -1).every(retryable), String(statuses)).toBe(true);
    const toCitizen = h.fake.calls
      .slice(sentBefore)
      .filter((call) => call.params.chat_id === who.id && call.method === "sendMessage")
      .map((call) => String(call.params.text));
    expect(toCitizen).toHaveLength(2);
    const number = NUMBER.exec(toCitizen[0]!)?.[0];
    expect(number).toMatch(/^YH-/);
    expect(toCitizen[0]).toBe(zh("submitted", { kind: "hazard", number: number! }));
    const code = CODE.exec(toCitizen[1]!)?.[0];
    expect(code, toCitizen[1]).toBeDefined();
    expect(toCitizen[1]).toBe(zh("submitted-claim", { code: code! }));
    expect(toCitizen.some((text) => text.startsWith(zh("already-submitted", { number: number! }).slice(0, 8)))).toBe(false);

    expect(await lookup(number!, code!)).toBe(true);
    expect(await stored(number!)).toEqual({ cases: 1, reporters: 1, hashed: 1 });

    // Telegram sending the update once more after its 200, and the citizen pressing the old
    // submit button again, change nothing: the code they were shown keeps working.
    const sentAfter = h.fake.calls.length;
    expect((await h.post(submit)).status).toBe(200);
    const pressed = submit.callback_query!;
    await c.post(who.presses(pressed.data!, { message_id: pressed.message!.message_id }));
    expect(h.fake.calls.slice(sentAfter).some((call) => CODE.test(JSON.stringify(call.params)))).toBe(false);
    expect(await lookup(number!, code!)).toBe(true);

    // Staff see neither the reporter nor the code; the log has the re-issue, not the code.
    await h.hazardline.settle();
    const staffMessages = expectNoReporterNamed(h.fake, [LIAISON], [who]);
    expect(staffMessages).toBeGreaterThanOrEqual(1);
    expect(h.fake.calls.filter((call) => call.params.chat_id === LIAISON).some((call) => JSON.stringify(call.params).includes(code!))).toBe(false);
    expect(logText()).not.toContain(code!);
    expect(logText()).not.toContain(String(who.id));
    expect(h.log.entries.filter((e) => e.msg === "claim code re-issued for a repeated submission" && e.door === "telegram")).toHaveLength(1);

    figures.telegram = { cutOff, redeliveries: statuses, citizenMessages: toCitizen.length, staffMessages, codeWorks: true };
    await expectSoundDatabase(h.database.client, { settled: true });
  }, 90_000);

  it("on the web form: the same page posted again shows the number and a code that finds the case; only the last code shown works", async () => {
    const fields = webReportFields({ [F.address]: "城关镇建设路 12 号工地", [F.description]: "外墙脚手架上堆了很多砖，下面就是人行道。" });
    const post = async () => {
      const body = new FormData();
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      const res = await fetch(`${h.baseUrl}/report`, { method: "POST", body, headers: { Origin: h.baseUrl, "Accept-Language": "zh-CN" } });
      const page = await res.text();
      return {
        status: res.status,
        page,
        number: /id="case-number">([A-Z]{2}-\d{8}-\d{4})</.exec(page)?.[1],
        code: /id="claim-code">([^<]+)</.exec(page)?.[1],
      };
    };
    const casesBefore = await counted(h.database.client, "SELECT count(*) FROM cases");

    shim.goDownAt(fingerprintSet);
    const cutOff = await post();
    expect(retryable(cutOff.status), String(cutOff.status)).toBe(true);
    expect(cutOff.code).toBeUndefined();
    expect(await counted(h.database.client, "SELECT count(*) FROM cases")).toBe(casesBefore + 1);
    await shim.comeBack();

    const again = await post();
    expect(again.status, again.page).toBe(200);
    expect(again.number).toMatch(/^YH-/);
    expect(again.code).toMatch(CODE);
    // The page of a first answer, not the "already received" one.
    expect(again.page).toContain(zh("web-received-title"));
    expect(again.page).not.toContain(zh("web-already-title"));
    expect(await lookup(again.number!, again.code!)).toBe(true);
    expect(await stored(again.number!)).toEqual({ cases: 1, reporters: 1, hashed: 1 });

    // The browser sends the page once more (the answer cannot be told apart from a lost one):
    // a newer code, which works, and the one before it no longer does: one code at a time.
    const thrice = await post();
    expect(thrice.status).toBe(200);
    expect(thrice.number).toBe(again.number);
    expect(thrice.code).toMatch(CODE);
    expect(thrice.code).not.toBe(again.code);
    expect(await lookup(again.number!, thrice.code!)).toBe(true);
    expect(await lookup(again.number!, again.code!)).toBe(false);
    expect(await stored(again.number!)).toEqual({ cases: 1, reporters: 1, hashed: 1 });
    expect(await counted(h.database.client, "SELECT count(*) FROM cases")).toBe(casesBefore + 1);

    await h.hazardline.settle();
    const toLiaison = h.fake.calls.filter((call) => call.params.chat_id === LIAISON).map((call) => JSON.stringify(call.params));
    for (const code of [again.code!, thrice.code!]) {
      expect(toLiaison.some((m) => m.includes(code))).toBe(false);
      expect(logText()).not.toContain(code);
    }
    figures.web = { cutOff: cutOff.status, again: again.status, thrice: thrice.status, codesIssued: 2, lastWorks: true, earlierWorks: false };
    await expectSoundDatabase(h.database.client, { settled: true });
  }, 60_000);

  it("from an Open311 partner: the same request sent again carries a lookup code that finds the case", async () => {
    const { key } = await h.hazardline.services.partners.issue("retry partner");
    const request = {
      api_key: key,
      service_code: "construction",
      lat: "36.9005",
      long: "115.9004",
      address_string: "城关镇建设路 20 号工地",
      description: "施工电梯的防坠器过期没检，还在载人上下。",
      "attribute[ref]": "WO-RETRY-0001",
    };
    const post = async () => {
      const res = await fetch(`${h.baseUrl}/open311/v2/requests.json`, { method: "POST", body: new URLSearchParams(request) });
      const text = await res.text();
      let item: Record<string, unknown> | undefined;
      try {
        item = (JSON.parse(text) as Array<Record<string, unknown>>)[0];
      } catch {
        item = undefined;
      }
      return { status: res.status, text, item };
    };
    const casesBefore = await counted(h.database.client, "SELECT count(*) FROM cases");

    shim.goDownAt(fingerprintSet);
    const cutOff = await post();
    expect(retryable(cutOff.status), String(cutOff.status)).toBe(true);
    expect(cutOff.text).not.toMatch(CODE);
    expect(await counted(h.database.client, "SELECT count(*) FROM cases")).toBe(casesBefore + 1);
    await shim.comeBack();

    const again = await post();
    expect(again.status, again.text).toBe(200);
    const number = String(again.item?.service_request_id);
    const code = String(again.item?.lookup_code);
    expect(number).toMatch(/^YH-/);
    expect(code).toMatch(CODE);
    expect(await lookup(number, code)).toBe(true);
    expect(await stored(number)).toEqual({ cases: 1, reporters: 1, hashed: 1 });
    expect(await counted(h.database.client, "SELECT count(*) FROM cases")).toBe(casesBefore + 1);
    expect(logText()).not.toContain(code);
    figures.open311 = { cutOff: cutOff.status, again: again.status, codeWorks: true };
    await expectSoundDatabase(h.database.client, { settled: true });
  }, 60_000);
});
