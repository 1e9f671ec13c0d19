/**
 * Storage faults end to end (issue 17, point 9): the hot-state store (Upstash through the
 * REST shim, over a real redis-server), the database (a real sqld server) and the evidence
 * archive fail while a citizen reports a hazard. An update is answered 200 only when its
 * effect was stored; otherwise a retryable 5xx, and the same update redelivered once the store
 * is back takes effect once: one case, one card to the liaison, the citizen told each thing
 * once. Each variant is measured against one clean delivery of the same journey in the same
 * app, and ends with the database's soundness check.
 *
 * - Hot state: the Upstash REST endpoint stops serving (Redis keeps its data) while the
 *   citizen sends three updates, and again exactly at the write that follows the stored case.
 * - Database: sqld is killed with SIGKILL while the citizen sends three updates, and again
 *   just after the COMMIT of the case reached it, its answer lost; revived on the same data.
 * - Archive: the folder store's puts fail (ENOSPC) for a chat report, whose copies are retried
 *   by later ticks, and for a web form post, which stores its photos before the case.
 *
 * Not here: the file database held locked by another process past the busy timeout is covered
 * by test/db/busy-recovery.test.ts (the locked update answers 5xx, every later 200 is read back
 * through a fresh connection, the redelivery runs once). A write refused there as busy used to
 * stay in progress on its pooled connection (@libsql/client 0.18 on a file) and swallow later
 * writes into a transaction that never committed (upstream: tursodatabase/libsql-client-ts#352);
 * db/serialized-writes.ts now reopens the client after such a refusal.
 *
 * The two variants that cut off a submit wait out the update guard's processing lease
 * (PROCESSING_LEASE_MS, 20 s): the outage leaves the update's claim behind, and redeliveries
 * are asked to come back (503) until it runs out; they run side by side to keep the file
 * under a minute. Run: `npx vitest run test/e2e/storage-faults.test.ts`.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { createServer, type IncomingMessage, type Server, type ServerResponse } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Client } from "@libsql/client";
import { Redis } from "@upstash/redis";
import type { Update } from "grammy/types";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { upstashHotState } from "../../db/hot-state-upstash";
import { openClient } from "../../db/node-client";
import { members } from "../../db/schema";
import { sha256HexOfBytes } from "../../src/domain/hash";
import { REPORT_FIELDS as F } from "../../src/domain/web-report";
import { translator } from "../../src/i18n";
import type { FileStore } from "../../src/services/file-store";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import type { FakeBotApi } from "../support/fake-bot-api";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { type Person, person } from "../support/people";
import { type RedisServer, startRedis } from "../support/redis-server";
import { type Sqld, startSqld } from "../support/sqld";
import { startUpstashShim, type UpstashShim } from "../support/upstash-shim";
import { redeliver, sleep } from "../support/wait";

const LIAISON = 7701;
/** What each variant saw, printed at the end for the closing note. */
const figures: Record<string, unknown> = {};
afterAll(() => console.info(`storage-fault figures: ${JSON.stringify(figures)}`));
const zh = translator("zh-CN");

// ── The journey ─────────────────────────────────────────────────────────────────────────

/** One step of the journey: the update the citizen sends next, built from what they see. */
type Step = (c: Conversation) => Update;
const say =
  (text: string): Step =>
  (c) =>
    c.who.says(text);
const photo =
  (id: string): Step =>
  (c) =>
    c.who.sendsPhoto(id);
const tap =
  (label: string): Step =>
  (c) => {
    const { messageId, buttons, text } = c.lastKeyboardMessage();
    const data = buttons.find((b) => b.text.includes(label))?.callback_data;
    if (data === undefined) throw new Error(`no button ${label} under "${text}"`);
    return c.who.presses(data, { message_id: messageId });
  };

/**
 * An anonymous hazard report with two photos, as one citizen sends it. The description is the
 * citizen's own, so that two journeys in one app are two reports, not possible duplicates.
 */
const journey = (description: string, photos: [string, string]) => ({
  before: [say("/report"), tap("安全隐患"), tap("建筑施工"), tap("城关镇"), tap("跳过")],
  /** Sent one after another without waiting for answers, as a person types and sends photos. */
  burst: [say(description), photo(photos[0]), photo(photos[1])],
  after: [tap("完成"), tap("一般"), tap("匿名"), tap("不需要")],
  submit: tap("提交"),
});

/** What a journey left in the app: the rows it added, and what the citizen and the liaison were sent. */
interface Figures {
  cases: number;
  attachments: number;
  archiveFiles: number;
  /** Outbox rows addressed to the liaison (their cards). */
  liaisonRows: number;
  /** What the liaison's chat got, case numbers written as <number>. */
  liaison: string[];
  /** Every send and edit to the citizen, case numbers and the description written out. */
  citizen: string[];
}

const counted = async (client: Client, sql: string) => Number((await client.execute(sql)).rows[0]![0]);

async function tally(client: Client) {
  return {
    cases: await counted(client, "SELECT count(*) FROM cases"),
    attachments: await counted(client, "SELECT count(*) FROM attachments"),
    archiveFiles: await counted(client, "SELECT count(*) FROM archive_files"),
    liaisonRows: await counted(client, `SELECT count(*) FROM outbox WHERE chat_id = ${LIAISON}`),
  };
}

const NUMBER = /(YH|ZX)-\d{8}-\d{4}/g;
function transcript(fake: FakeBotApi, chatId: number, description?: string): string[] {
  return fake.calls
    .filter((call) => call.params.chat_id === chatId && (call.method.startsWith("send") || call.method.startsWith("edit")))
    .map((call) => {
      let text = String(call.params.text ?? call.params.caption ?? "").replace(NUMBER, "<number>");
      if (description) text = text.replaceAll(description, "<description>");
      return `${call.method}: ${text}`;
    });
}

/** Figures of what happened between `before` and now, for one citizen. */
async function figuresSince(h: Harness, before: Awaited<ReturnType<typeof tally>>, who: Person, description: string): Promise<Figures> {
  await h.hazardline.settle();
  const now = await tally(h.database.client);
  return {
    cases: now.cases - before.cases,
    attachments: now.attachments - before.attachments,
    archiveFiles: now.archiveFiles - before.archiveFiles,
    liaisonRows: now.liaisonRows - before.liaisonRows,
    liaison: [],
    citizen: transcript(h.fake, who.id, description),
  };
}

/** The liaison's chat since the fake was last cleared. */
const liaisonChat = (fake: FakeBotApi, description: string) => transcript(fake, LIAISON, description);

/** A clean delivery of the journey: every update answered 200 the first time. */
async function cleanJourney(h: Harness, who: Person, description: string, photos: [string, string]): Promise<Figures> {
  h.fake.clear();
  const before = await tally(h.database.client);
  const c = new Conversation(h, who);
  const j = journey(description, photos);
  for (const step of [...j.before, ...j.burst, ...j.after, j.submit]) await c.post(step(c));
  const figures = await figuresSince(h, before, who, description);
  return { ...figures, liaison: liaisonChat(h.fake, description) };
}

/** A status a webhook may answer while a store is down: one that asks Telegram to redeliver. */
const retryable = (status: number) => status === 500 || status === 503;

/**
 * Every figure of the faulty journey equals the clean one's, with one allowance: the citizen
 * whose press of submit was cut off after the case was stored is told its number, on the
 * redelivery, as a report already in rather than as a new one.
 */
function expectSameAsClean(faulty: Figures, clean: Figures) {
  expect({ ...faulty, citizen: [] }).toEqual({ ...clean, citizen: [] });
  expect(faulty.citizen).toHaveLength(clean.citizen.length);
  const differing = clean.citizen.flatMap((line, i) => (faulty.citizen[i] === line ? [] : [[line, faulty.citizen[i]]]));
  const alreadyIn = `sendMessage: ${zh("already-submitted", { number: "<number>" })}`;
  expect(
    differing.every(([line, instead]) => line?.includes("<number>") && instead === alreadyIn),
    JSON.stringify(differing),
  ).toBe(true);
  expect(differing.length).toBeLessThanOrEqual(1);
}

async function seed(h: Harness) {
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values({ telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" });
}

// ── (a) The hot-state store: Upstash through the REST shim, over a real redis-server ───────

// (a) and (b) each wait out a processing lease; they run side by side, on their own apps and stores.
describe.concurrent("a store goes down in the middle of a journey", () => {
  describe("the hot-state store (Upstash) goes down", () => {
    const token = "storage-faults-token";
    let redis: RedisServer;
    let shim: UpstashShim;
    let h: Harness;
    let clean: Figures;

    beforeAll(async () => {
      redis = await startRedis();
      shim = await startUpstashShim({ redisUrl: redis.url, token });
      // As src/node.ts builds it, but without the client's own retries, so a refusal is an answer at once.
      const hotState = upstashHotState(new Redis({ url: shim.url, token, automaticDeserialization: false, retry: false }));
      h = await startHarness({ hotState });
      await seed(h);
      clean = await cleanJourney(h, person({ id: 7711, first_name: "赵一" }), "基坑边没有护栏，夜里没有照明，行人容易掉下去。", ["ua1", "ua2"]);
    });
    afterAll(async () => {
      await h?.stop();
      await shim?.stop();
      await redis?.stop();
    });
    afterEach(() => expect(h.fake.violations).toEqual([]));

    it("the clean journey is one case with two photos and one card to the liaison", () => {
      expect(clean).toMatchObject({ cases: 1, attachments: 2 });
      expect(clean.liaisonRows).toBeGreaterThanOrEqual(1);
      expect(clean.liaison).toHaveLength(clean.liaisonRows);
    });

    it("updates sent while it is down are answered 5xx, and redelivered they finish the journey once", async () => {
      const description = "脚手架拉结点被拆掉了，风一大整片都在晃。";
      const who = person({ id: 7712, first_name: "钱二" });
      const c = new Conversation(h, who);
      const j = journey(description, ["ub1", "ub2"]);
      h.fake.clear();
      const before = await tally(h.database.client);
      for (const step of j.before) await c.post(step(c));

      // The store goes down; the citizen writes the description and sends two photos.
      await shim.goDown();
      const burst = j.burst.map((step) => step(c));
      const whileDown: number[] = [];
      const sentBefore = h.fake.calls.length;
      for (const update of burst) whileDown.push((await h.post(update)).status);
      // Telegram redelivers each once more while it is still down.
      for (const update of burst) whileDown.push((await h.post(update)).status);
      expect(whileDown.every(retryable), String(whileDown)).toBe(true);
      expect(h.fake.calls.slice(sentBefore)).toEqual([]);
      expect(await tally(h.database.client)).toEqual(before);

      // Back: the same updates, redelivered in order, each take effect.
      await shim.comeBack();
      const afterBack = [];
      for (const update of burst) afterBack.push(await redeliver(h, update));
      expect(afterBack).toEqual([[200], [200], [200]]);
      for (const step of j.after) await c.post(step(c));

      // The press of submit loses the store just after the case is stored, before the update is done.
      const submit = j.submit(c);
      shim.goDownAt((command) => command[0]?.toLowerCase() === "set" && String(command[1]).startsWith("submitted:"));
      const cutOff = (await h.post(submit)).status;
      expect(retryable(cutOff), String(cutOff)).toBe(true);
      expect((await tally(h.database.client)).cases).toBe(before.cases + 1);
      await shim.comeBack();
      const statuses = await redeliver(h, submit);
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.slice(0, -1).every(retryable), String(statuses)).toBe(true);
      // A redelivery after the 200 changes nothing.
      expect((await h.post(submit)).status).toBe(200);

      figures.upstash = { whileDown, afterBack, cutOff, submitRedeliveries: statuses };
      const faulty = { ...(await figuresSince(h, before, who, description)), liaison: liaisonChat(h.fake, description) };
      figures.upstash = {
        ...(figures.upstash as object),
        clean: { ...clean, citizen: clean.citizen.length, liaison: clean.liaison.length },
        faultyCitizenMessages: faulty.citizen.length,
      };
      expectSameAsClean(faulty, clean);
      const sound = await expectSoundDatabase(h.database.client, { settled: true });
      expect(sound.cases).toBe(2);
    }, 90_000);
  });

  // ── (b) The database: a real sqld server killed and started again on the same data ─────────

  /**
   * A loopback pass-through to sqld, so the connection can die at an exact point: `cutAfterCommit`
   * lets the COMMIT of the next transaction or batch that inserts a case reach the server, then calls
   * `outage` (which kills the server) and drops the answer, as a connection that dies just
   * after the commit does. While the server is down, every request's connection is reset.
   */
  async function startSqlProxy(target: string) {
    let armed: { outage: () => Promise<void>; sawInsert: boolean } | undefined;
    let cuts = 0;
    const handle = async (req: IncomingMessage, res: ServerResponse) => {
      const chunks: Buffer[] = [];
      for await (const chunk of req) chunks.push(chunk as Buffer);
      const body = Buffer.concat(chunks);
      const text = body.toString("utf8");
      // A batch carries the insert and its COMMIT in one request; a transaction, in two or more.
      if (armed !== undefined && /insert into \\"cases\\"/i.test(text)) armed.sawInsert = true;
      const trigger = armed?.sawInsert === true && /"COMMIT"/i.test(text);
      let answer: { status: number; type: string; bytes: Buffer };
      try {
        const upstream = await fetch(`${target}${req.url ?? "/"}`, {
          method: req.method,
          headers: { "content-type": req.headers["content-type"] ?? "application/json" },
          body: req.method === "GET" || req.method === "HEAD" ? undefined : body,
        });
        answer = {
          status: upstream.status,
          type: upstream.headers.get("content-type") ?? "application/json",
          bytes: Buffer.from(await upstream.arrayBuffer()),
        };
      } catch {
        req.socket.destroy(); // the server is down: so is the connection
        return;
      }
      if (trigger && armed !== undefined) {
        const { outage } = armed;
        armed = undefined;
        cuts++;
        await outage();
        req.socket.destroy(); // committed, but the answer never arrives
        return;
      }
      res.writeHead(answer.status, { "content-type": answer.type }).end(answer.bytes);
    };
    const server: Server = createServer((req, res) => void handle(req, res));
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    return {
      url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
      cutAfterCommit(outage: () => Promise<void>) {
        armed = { outage, sawInsert: false };
      },
      get cuts() {
        return cuts;
      },
      async stop() {
        const closed = new Promise<void>((resolve) => server.close(() => resolve()));
        server.closeAllConnections();
        await closed;
      },
    };
  }

  describe("the database (sqld) goes down", () => {
    let sqld: Sqld;
    let proxy: Awaited<ReturnType<typeof startSqlProxy>>;
    let h: Harness;
    let clean: Figures;

    beforeAll(async () => {
      sqld = await startSqld();
      proxy = await startSqlProxy(sqld.url);
      // The app reaches the server as src/node.ts does for a remote DATABASE_URL; the hot state
      // is the embedded one, in the same database, so it goes down with it.
      const client = openClient(proxy.url);
      h = await startHarness({ database: { url: proxy.url, client, dispose: () => client.close() } });
      await seed(h);
      clean = await cleanJourney(h, person({ id: 7721, first_name: "孙三" }), "塔吊司机没有证，吊钩下面常有人走动。", ["da1", "da2"]);
    }, 60_000);
    afterAll(async () => {
      await h?.stop();
      await proxy?.stop();
      await sqld?.stop();
    });
    afterEach(() => expect(h.fake.violations).toEqual([]));

    it("the clean journey over sqld is one case with two photos and the liaison's card", () => {
      expect(clean).toMatchObject({ cases: 1, attachments: 2 });
      expect(clean.liaison).toHaveLength(clean.liaisonRows);
    });

    it("updates sent while it is down are answered 5xx; a submit whose commit lost its answer is stored once", async () => {
      const description = "配电箱门坏了，电线泡在积水里，工人赤脚走过。";
      const who = person({ id: 7722, first_name: "李四" });
      const c = new Conversation(h, who);
      const j = journey(description, ["db1", "db2"]);
      h.fake.clear();
      const before = await tally(h.database.client);
      for (const step of j.before) await c.post(step(c));

      await sqld.kill();
      const burst = j.burst.map((step) => step(c));
      const whileDown: number[] = [];
      const sentBefore = h.fake.calls.length;
      for (const update of [...burst, ...burst]) whileDown.push((await h.post(update)).status);
      expect(whileDown.every(retryable), String(whileDown)).toBe(true);
      expect(h.fake.calls.slice(sentBefore)).toEqual([]);

      await sqld.revive();
      expect(await tally(h.database.client)).toEqual(before);
      const afterBack = [];
      for (const update of burst) afterBack.push(await redeliver(h, update));
      expect(afterBack).toEqual([[200], [200], [200]]);
      for (const step of j.after) await c.post(step(c));

      // The case's transaction commits; the connection dies before its answer, and the server with it.
      const submit = j.submit(c);
      proxy.cutAfterCommit(() => sqld.kill());
      const cutOff = (await h.post(submit)).status;
      expect(proxy.cuts).toBe(1);
      expect(retryable(cutOff), String(cutOff)).toBe(true);
      await sqld.revive();
      expect((await tally(h.database.client)).cases).toBe(before.cases + 1);
      const statuses = await redeliver(h, submit);
      expect(statuses.at(-1)).toBe(200);
      expect(statuses.slice(0, -1).every(retryable), String(statuses)).toBe(true);
      expect((await h.post(submit)).status).toBe(200);

      figures.sqld = { whileDown, afterBack, cutOff, submitRedeliveries: statuses };
      const faulty = { ...(await figuresSince(h, before, who, description)), liaison: liaisonChat(h.fake, description) };
      figures.sqld = {
        ...(figures.sqld as object),
        clean: { ...clean, citizen: clean.citizen.length, liaison: clean.liaison.length },
        faultyCitizenMessages: faulty.citizen.length,
      };
      expectSameAsClean(faulty, clean);
      const sound = await expectSoundDatabase(h.database.client, { settled: true });
      expect(sound.cases).toBe(2);
    }, 90_000);
  });
});

// ── (c) The evidence archive's storage fails ─────────────────────────────────────────────

/** A real folder store whose puts fail, as a full disk or an R2 error would, when told to. */
function flakyStore(inner: FileStore) {
  let okBeforeFailing = 0;
  let failing = 0;
  let failed = 0;
  const store: FileStore = {
    where: inner.where,
    has: (sha256) => inner.has(sha256),
    get: (sha256) => inner.get(sha256),
    async put(sha256, bytes, contentType) {
      if (failing > 0 && okBeforeFailing-- <= 0) {
        failing--;
        failed++;
        throw Object.assign(new Error("ENOSPC: no space left on device, write"), { code: "ENOSPC" });
      }
      await inner.put(sha256, bytes, contentType);
    },
  };
  return {
    store,
    /** The next `n` puts fail, after `afterOk` more succeed. */
    failPuts(n: number, afterOk = 0) {
      failing = n;
      okBeforeFailing = afterOk;
    },
    get failed() {
      return failed;
    },
  };
}

/** Bytes that start as a JPEG does: the web form takes a picture by its first bytes. */
const jpeg = (label: string) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(`JFIF ${label}`)]);

describe("the archive's storage fails", () => {
  let workdir: string;
  let flaky: ReturnType<typeof flakyStore>;
  let h: Harness;
  /** The app's clock runs ahead of the real one by this much: the archive's backoff is minutes. */
  let ahead = 0;
  const now = () => Date.now() + ahead;

  const archiveRows = async (uniqueIds: string[]) =>
    (
      await h.database.client.execute({
        sql: `SELECT file_unique_id, status, attempts, sha256, last_error FROM archive_files WHERE file_unique_id IN (${uniqueIds.map(() => "?").join(", ")}) ORDER BY file_unique_id`,
        args: uniqueIds,
      })
    ).rows.map((r) => ({
      id: String(r.file_unique_id),
      status: String(r.status),
      attempts: Number(r.attempts),
      sha256: r.sha256,
      error: r.last_error,
    }));
  const health = async () => (await (await fetch(`${h.baseUrl}/healthz`)).json()) as { archive: { state: string; pending: number } };

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), "hazardline-storage-faults-"));
    flaky = flakyStore(fsFileStore(join(workdir, "files")));
    h = await startHarness({
      files: flaky.store,
      clock: {
        now,
        sleep: async (ms) => {
          await sleep(Math.max(0, ms));
        },
      },
    });
    await seedSmallCounty(h.hazardline.db, { mapped: true });
    await h.hazardline.db.insert(members).values({ telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" });
    for (const id of ["fa1", "fa2", "fb1", "fb2"]) h.fake.addFile(`file-${id}`, jpeg(`photo ${id}`), { uniqueId: id });
  });
  afterAll(async () => {
    await h?.stop();
    rmSync(workdir, { recursive: true, force: true });
  });
  afterEach(() => expect(h.fake.violations).toEqual([]));

  it("a chat report is accepted while the storage fails; the copies are retried on later ticks and complete", async () => {
    const clean = await cleanJourney(h, person({ id: 7731, first_name: "周五" }), "搅拌站的粉尘大，工人都不戴口罩。", ["fa1", "fa2"]);
    await h.hazardline.services.archive.settle();
    expect((await archiveRows(["fa1", "fa2"])).map((r) => r.status)).toEqual(["archived", "archived"]);

    // Every put fails twice over: the run after the update and the first tick after the backoff.
    flaky.failPuts(2);
    const description = "临边洞口没有盖板，已经有人差点踩空。";
    const faulty = await cleanJourney(h, person({ id: 7732, first_name: "吴六" }), description, ["fb1", "fb2"]);
    // Every update was answered 200 (Conversation checks it) and the case is stored like the clean one.
    expect({ ...faulty, citizen: [], liaison: [] }).toEqual({ ...clean, citizen: [], liaison: [] });
    expect(faulty.citizen).toEqual(clean.citizen);
    expect(faulty.liaison).toEqual(clean.liaison);

    await h.hazardline.services.archive.settle();
    expect(flaky.failed).toBe(1);
    let rows = await archiveRows(["fb1", "fb2"]);
    expect(rows.map((r) => [r.status, r.sha256])).toEqual([
      ["pending", null],
      ["pending", null],
    ]);
    expect(rows.every((r) => r.attempts === 1 && String(r.error).startsWith("storage"))).toBe(true);
    expect((await health()).archive).toMatchObject({ state: "failing", pending: 2 });

    ahead += 2 * 60_000; // past the first backoff (1 min)
    await h.tick(now());
    expect(flaky.failed).toBe(2);
    rows = await archiveRows(["fb1", "fb2"]);
    expect(rows.map((r) => [r.status, r.attempts])).toEqual([
      ["pending", 2],
      ["pending", 2],
    ]);

    ahead += 5 * 60_000; // past the second (4 min); the storage works again
    await h.tick(now());
    rows = await archiveRows(["fb1", "fb2"]);
    const expected = await Promise.all(["fb1", "fb2"].map(async (id) => sha256HexOfBytes(jpeg(`photo ${id}`))));
    expect(rows.map((r) => [r.status, r.sha256])).toEqual(expected.map((sha256) => ["archived", sha256]));
    for (const sha256 of expected) expect(await sha256HexOfBytes((await flaky.store.get(sha256))! as Uint8Array<ArrayBuffer>)).toBe(sha256);
    expect((await health()).archive).toMatchObject({ state: "ok", pending: 0 });
    figures.archiveChat = { failedPuts: flaky.failed, archived: rows.length, attempts: rows.map((r) => r.attempts) };
    await expectSoundDatabase(h.database.client, { settled: true });
  }, 60_000);

  it("the web form, which stores photos before the case, answers 503 and stores nothing while the storage fails; the same post succeeds after", async () => {
    const form = (submission: string, photos: Uint8Array<ArrayBuffer>[]) => {
      const body = new FormData();
      const fields: Record<string, string> = {
        [F.submission]: submission,
        [F.kind]: "hazard",
        [F.sector]: "construction",
        [F.lat]: "36.9005",
        [F.lng]: "115.9004",
        [F.address]: "城关镇建设路 8 号工地",
        [F.description]: `${submission}：工地食堂液化气罐放在灶台旁边，消防通道被材料堵死。`,
        [F.urgent]: "no",
        [F.identity]: "anonymous",
        [F.reward]: "no",
      };
      for (const [k, v] of Object.entries(fields)) body.append(k, v);
      for (const [i, bytes] of photos.entries()) body.append(F.photos, new Blob([bytes], { type: "image/jpeg" }), `${i + 1}.jpg`);
      return body;
    };
    const post = async (body: FormData) => {
      const res = await fetch(`${h.baseUrl}/report`, { method: "POST", body, headers: { Origin: h.baseUrl, "Accept-Language": "zh-CN" } });
      return { status: res.status, page: await res.text() };
    };
    const numberIn = (page: string) => /id="case-number">([A-Z]{2}-\d{8}-\d{4})</.exec(page)?.[1];
    const cleanPhotos = [jpeg("web clean 1"), jpeg("web clean 2")];
    const faultyPhotos = [jpeg("web faulty 1"), jpeg("web faulty 2")];

    h.fake.clear();
    let before = await tally(h.database.client);
    const cleanPost = await post(form("web-clean", cleanPhotos));
    expect(cleanPost.status, cleanPost.page).toBe(201);
    await h.hazardline.settle();
    const clean = { ...(await tally(h.database.client)), liaison: transcript(h.fake, LIAISON).length };
    const cleanDelta = {
      cases: clean.cases - before.cases,
      attachments: clean.attachments - before.attachments,
      liaisonRows: clean.liaisonRows - before.liaisonRows,
    };
    expect(cleanDelta).toMatchObject({ cases: 1, attachments: 2 });

    // The first photo is stored, the second's put fails: the post is refused as a whole.
    h.fake.clear();
    before = await tally(h.database.client);
    const failedBefore = flaky.failed;
    flaky.failPuts(1, 1);
    const refused = await post(form("web-faulty", faultyPhotos));
    expect(flaky.failed).toBe(failedBefore + 1);
    expect(refused.status).toBe(503);
    expect(refused.page).toContain(zh("web-unavailable"));
    expect(numberIn(refused.page)).toBeUndefined();
    expect(await tally(h.database.client)).toEqual(before);
    expect(await counted(h.database.client, "SELECT count(*) FROM case_reporters")).toBe(before.cases);

    // The person sends the same page again: one case, both photos, as the clean post.
    const again = await post(form("web-faulty", faultyPhotos));
    expect(again.status, again.page).toBe(201);
    const number = numberIn(again.page)!;
    expect(number).toMatch(/^YH-/);
    const twice = await post(form("web-faulty", faultyPhotos));
    expect(twice.status).toBe(200);
    expect(numberIn(twice.page)).toBe(number);
    await h.hazardline.settle();
    const after = await tally(h.database.client);
    expect({
      cases: after.cases - before.cases,
      attachments: after.attachments - before.attachments,
      liaisonRows: after.liaisonRows - before.liaisonRows,
    }).toEqual(cleanDelta);
    expect(transcript(h.fake, LIAISON)).toHaveLength(clean.liaison);
    const stored = await h.database.client.execute({
      sql: "SELECT a.file_id FROM attachments a JOIN cases c ON c.id = a.case_id WHERE c.number = ? ORDER BY a.id",
      args: [number],
    });
    const hashes = await Promise.all(faultyPhotos.map((bytes) => sha256HexOfBytes(bytes)));
    expect(
      stored.rows.map((r) =>
        String(r.file_id)
          .replace(/^archive:/, "")
          .replace(/\.jpg$/, ""),
      ),
    ).toEqual(hashes);
    for (const sha256 of hashes) expect(await sha256HexOfBytes((await flaky.store.get(sha256))! as Uint8Array<ArrayBuffer>)).toBe(sha256);
    figures.archiveWeb = { refused: refused.status, again: again.status, twice: twice.status, delta: cleanDelta };
    await expectSoundDatabase(h.database.client, { settled: true });
  }, 60_000);
});
