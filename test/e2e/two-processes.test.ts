/**
 * Two Node servers on one database, as an office runs them in pm2's cluster mode or while an
 * old and a new process overlap in a restart: every webhook update is delivered to both (as
 * Telegram redelivers: again until it is answered 200), a burst of citizens report at once,
 * and both servers tick at the same moment with reminders due. Every case is stored
 * once, every message goes out once, every update is answered. On the embedded default (one
 * libSQL file) and on a libSQL server (sqld, the database of the Workers path).
 *
 * Written to hold on a loaded machine: it waits for conditions, never for a fixed time, with
 * generous but bounded limits, and a failure shows what both servers said.
 */
import { mkdtempSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { openClient } from "../../db/node-client";
import { cases, members, outbox, reminders } from "../../db/schema";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { createTestDatabase } from "../support/db";
import { FakeBotApi, type RecordedCall } from "../support/fake-bot-api";
import { fillHazardReport } from "../support/flows";
import { person } from "../support/people";
import { freePort, type Running, runServer, webhookServerEnv } from "../support/processes";
import { startSqld } from "../support/sqld";
import { sleep, waitFor } from "../support/wait";

const SECRET = "two_processes_0123";
const LIAISON = 9101;
const DISPATCHER = 9102;
const LEADER = 9103;
const CITIZENS = 16;

/** How long a test may run: each step's limit below is well within it. */
const TEST_MS = 300_000;

interface Setup {
  url: string;
  /** Releases what the setup made. */
  dispose(): Promise<void>;
}

const databases: Array<[string, () => Promise<Setup>]> = [
  [
    "one libSQL file (the embedded default)",
    async () => {
      const database = await createTestDatabase();
      return { url: database.url, dispose: async () => database.dispose() };
    },
  ],
  [
    "a libSQL server (sqld)",
    async () => {
      const sqld = await startSqld();
      return { url: sqld.url, dispose: () => sqld.stop() };
    },
  ],
];

describe.each(databases)("two servers on %s", (_name, makeDatabase) => {
  let fake: FakeBotApi;
  let setup: Setup;
  let db: Db;
  let close: () => void;
  const servers: Array<{ process: Running; url: string }> = [];
  /** Every status either server answered, over the whole run. */
  const statuses: number[] = [];

  /**
   * Posts an update to one server again until it answers 200, as Telegram does, waiting a
   * little longer each time (Telegram waits longer still); gives up after two minutes.
   */
  async function deliver(baseUrl: string, update: Update): Promise<number> {
    const deadline = Date.now() + 120_000;
    for (let tries = 0; ; ) {
      const status = await fetch(`${baseUrl}/telegram`, {
        method: "POST",
        headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
        body: JSON.stringify(update),
      }).then(
        (r) => r.status,
        () => 0,
      );
      statuses.push(status);
      if (status === 200 || Date.now() > deadline) return status;
      await sleep(Math.min(2_000, 200 * 2 ** tries++));
    }
  }

  /** Delivers an update to both servers at once; answered 200 when both have answered it 200. */
  const toBoth = {
    get fake() {
      return fake;
    },
    async post(update: Update): Promise<Response> {
      const answered = await Promise.all(servers.map((s) => deliver(s.url, update)));
      return new Response(null, { status: answered.every((s) => s === 200) ? 200 : 599 });
    },
  };

  beforeAll(async () => {
    // Idle connections kept as Telegram keeps them: with Node's 5 s, a server under load reused
    // one the fake was closing, and a reply was lost to ECONNRESET.
    fake = await FakeBotApi.start({ keepAliveMs: 120_000 });
    setup = await makeDatabase();
    const client = openClient(setup.url);
    close = () => client.close();
    db = createDb(client);
    await seedSmallCounty(db);
    await db.insert(members).values([
      { telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
      { telegramId: DISPATCHER, unitId: "office", roles: ["dispatcher"], name: "调度员乙" },
      { telegramId: LEADER, unitId: "office", roles: ["leader"], name: "领导丙" },
    ]);
    for (let i = 0; i < 2; i++) {
      const port = await freePort();
      // The digest is due from midnight: each server's first tick tries to send it. Both tick
      // at the same seconds of every minute, every 5 s, so that a tick comes soon and in both at once.
      const process = runServer({
        ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: setup.url }),
        DIGEST_TIME: "00:00",
        TICK_SECONDS: "5",
      });
      servers.push({ process, url: `http://127.0.0.1:${port}` });
    }
    await Promise.all(servers.map((s) => s.process.waitForOutput(/"Hazardline started"/, 90_000)));
  }, 120_000);

  // What each server said is the only account of a failure inside it: kept in a file, and its
  // end shown, when a test fails.
  beforeEach(({ onTestFailed }) => {
    onTestFailed(() => {
      const dir = mkdtempSync(join(tmpdir(), "hazardline-two-processes-"));
      for (const [i, s] of servers.entries()) {
        const file = join(dir, `server-${i + 1}.log`);
        writeFileSync(file, s.process.output());
        console.error(`--- server ${i + 1} (${s.url}), all of it in ${file}, ends:\n${s.process.output().slice(-20_000)}`);
      }
    });
  });

  afterAll(async () => {
    await Promise.all(servers.map((s) => s.process.stop("SIGTERM")));
    close?.();
    await fake?.stop();
    await setup?.dispose();
  }, 60_000);

  /** Sends (not edits or answers) to staff chats: what must go out once each. */
  const staffSends = (from = 0): RecordedCall[] =>
    fake.calls.slice(from).filter((c) => c.method.startsWith("send") && [LIAISON, DISPATCHER, LEADER].includes(Number(c.params.chat_id)));
  const repeated = (calls: RecordedCall[]) => {
    const seen = new Map<string, number>();
    for (const c of calls) {
      const key = `${c.method} ${c.params.chat_id} ${String(c.params.text ?? c.params.caption ?? "")}`;
      seen.set(key, (seen.get(key) ?? 0) + 1);
    }
    return [...seen].filter(([, n]) => n > 1);
  };
  const unsent = async () => (await db.select({ status: outbox.status }).from(outbox)).filter((r) => r.status !== "sent");
  /** Cases whose routing, which runs after the submit's answer in the server's background, has not finished. */
  const unrouted = async () => (await db.select({ id: cases.id }).from(cases).where(eq(cases.intakePending, true))).length;
  /**
   * Every send to staff is one part of one outbox row: a row sent twice (taken back after its
   * lease, or by a second drainer) would be a send more than the rows account for. Their
   * messages all go through the outbox, so nothing else sends to them.
   */
  async function expectEachRowSentOnce() {
    const staff = [LIAISON, DISPATCHER, LEADER];
    const rows = (await db.select({ chatId: outbox.chatId, partsSent: outbox.partsSent }).from(outbox)).filter((r) => staff.includes(r.chatId));
    expect(staffSends().length).toBe(rows.reduce((n, r) => n + r.partsSent, 0));
    expect(repeated(staffSends())).toEqual([]);
  }
  /** Neither server failed at anything, nor sent anything a second time. */
  function expectQuietServers() {
    for (const s of servers) {
      expect(s.process.output()).not.toMatch(/"level":"error"/);
      expect(s.process.output()).not.toMatch(/SQLITE_BUSY|database is locked|interrupted|not recorded/);
    }
  }

  it(
    `${CITIZENS} citizens reporting at once, every update delivered to both: one case each, one card each, every update answered`,
    async () => {
      const citizens = Array.from({ length: CITIZENS }, (_, i) => new Conversation(toBoth, person({ id: 9200 + i, first_name: `群众${i}` })));
      await Promise.all(
        citizens.map(async (c, i) => {
          await fillHazardReport(c, { text: `脚手架没有连墙件，第 ${i + 1} 号楼，随时可能倒塌。`, phone: i % 2 ? "13800138000" : undefined });
          await c.tap("提交");
        }),
      );
      // The tracking number goes out through the outbox, which both servers drain.
      const numberOf = (id: number) =>
        fake
          .sentTexts(id)
          .map((t) => /编号：(YH-\d{8}-\d{4})/.exec(t)?.[1])
          .filter(Boolean);
      await waitFor("every citizen told their number", () => citizens.every((c) => numberOf(c.who.id).length > 0));
      // Routed after the answers, then the cards queued and sent.
      await waitFor("every case routed and the outbox sent", async () => (await unrouted()) === 0 && (await unsent()).length === 0);
      const numbers = citizens.map((c) => numberOf(c.who.id)[0]!);

      const stored = await db.select().from(cases);
      expect(stored.map((k) => k.number).sort()).toEqual([...numbers].sort());
      for (const c of citizens) {
        expect(stored.filter((k) => k.submissionId?.startsWith(`${c.who.id}:`))).toHaveLength(1);
        expect(numberOf(c.who.id)).toHaveLength(1);
      }

      // The liaison's cards went out through the outbox too, each once.
      const cardsFor = () => fake.sentTexts(LIAISON).map((t) => /YH-\d{8}-\d{4}/.exec(t)?.[0]);
      expect(cardsFor().sort()).toEqual([...numbers].sort());
      await expectEachRowSentOnce();
      // Every delivery was answered: 200, or 503 (the other server had it in hand) and then 200.
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expectQuietServers();
    },
    TEST_MS,
  );

  it(
    "both servers ticking at the same moment with every reminder due: each reminder and the digest go out once",
    async () => {
      await db.update(reminders).set({ fireAt: Date.now() - 1000 });
      const due = await db.select().from(reminders);
      expect(due.length).toBeGreaterThanOrEqual(CITIZENS);
      const mark = fake.calls.length;

      // Both run croner's "*/5 * * * * *": the next five-second mark is a tick in each, at once.
      await waitFor("every reminder fired", async () => (await db.select().from(reminders)).every((r) => r.status !== "pending"), 180_000);
      await waitFor("the outbox sent", async () => (await unsent()).length === 0);

      expect(staffSends(mark).length).toBeGreaterThan(0);
      expect(fake.sentTexts(LEADER).length).toBeGreaterThan(0);
      await expectEachRowSentOnce();
      // On a working day the digest is due from the servers' start, and the first tick of either sends it: once.
      expect(fake.calls.filter((c) => c.method === "sendPhoto" && Number(c.params.chat_id) === LEADER).length).toBeLessThanOrEqual(1);
      expect(statuses.filter((s) => s !== 200 && s !== 503)).toEqual([]);
      expectQuietServers();
    },
    TEST_MS,
  );
});
