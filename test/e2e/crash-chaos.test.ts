/**
 * Chaos on the embedded default: the Node server (dist/node.mjs, as `npm start` runs it, in a real child process, on one
 * libSQL file) is killed with SIGKILL at seeded-random moments while citizens report hazards
 * with photos through the webhook and a liaison signs for and resolves cases, and one kill
 * lands just after a minute boundary, inside the server's own croner tick, with reminders and
 * recurring group reminders due. After each kill the server is started again on the same file
 * and the same fake Bot API, and the driver posts every update again until it is answered 200,
 * as Telegram redelivers. Then a catch-up tick, and:
 * - every submission answered 200 has its case (one per citizen), with its submitted event;
 * - every reminder and schedule slot that came due fired once: each of its messages reached
 *   Telegram once (a second copy only of a row the outbox itself marked as interrupted mid-send);
 * - every outbox row is sent or dead; every attachment's archive copy is archived;
 * - the database is sound.
 *
 * The catch-up tick: the Node server ticks only at croner's minute boundaries on the real clock
 * (no clock override, no tick endpoint, none at start). What a killed process held is leased
 * (an update 20 s, an outbox row 2 min, an archive file 5 min), so its recovery by the server's
 * own tick needs real minutes. The catch-up is therefore the product's own tick() run by this
 * test process on the same database file and archive folder with its clock 10 minutes ahead:
 * what the server's next ticks do once those leases have run out. The last server is still up
 * meanwhile, as two processes on one file run in production (test/e2e/two-processes.test.ts).
 *
 * Seeded: KILLS kills (default 5); `SOAK=1 npx vitest run test/e2e/crash-chaos.test.ts` for 24.
 * CHAOS_SEED picks another seed. The wall time depends on where the next minute boundary is
 * (between about 30 and 90 s).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq, like } from "drizzle-orm";
import fc from "fast-check";
import type { Update } from "grammy/types";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createDb, type Db } from "../../db/client";
import { fsFileStore } from "../../db/file-store-fs";
import { archiveFiles, caseEvents, cases, kv, members, outbox, reminders, schedules } from "../../db/schema";
import { createConfig } from "../../src/config";
import { createHazardline } from "../../src/hazardline";
import { memoryLogger } from "../../src/log";
import { seedSmallCounty } from "../support/county";
import { createTestDatabase, type TestDatabase } from "../support/db";
import { FakeBotApi, type RecordedCall } from "../support/fake-bot-api";
import { expectSoundDatabase } from "../support/integrity";
import { type Person, person } from "../support/people";
import { freePort, type Running, runServer, webhookServerEnv } from "../support/processes";
import { sleep, waitFor } from "../support/wait";

const SOAK = Number(process.env.SOAK ?? 0) > 0;
const KILLS = Number(process.env.KILLS ?? (SOAK ? 24 : 5));
const SEED = Number(process.env.CHAOS_SEED ?? 42);
/** Citizens reporting side by side while the server is being killed. */
const WORKERS = 6;
const SECRET = "chaos_secret_0123";
const LIAISON = 9701;
const DISPATCHER = 9702;
const LEADER = 9703;
/** The group the recurring reminders post to. */
const GROUP = -1009700;
const OFFICE_TZ = "Asia/Shanghai";
const CATCH_UP_AHEAD_MS = 10 * 60_000;

let fake: FakeBotApi;
let database: TestDatabase;
let db: Db;
let workdir: string;
let archiveDir: string;
let env: Record<string, string>;
let baseUrl = "";
let server: Running | undefined;
/** What every server said, one entry per start. */
const outputs: string[] = [];

/** What the driver saw, per update id. */
const posts = new Map<number, number>();
const acknowledged = new Set<number>();
const statuses = new Map<number, number>();
let givenUp = 0;

const restartMs: number[] = [];
async function startServer(): Promise<void> {
  const child = runServer(env);
  server = child;
  const began = Date.now();
  await child.waitForOutput(/"Hazardline started"/, 60_000);
  restartMs.push(Date.now() - began);
  answeredSinceStart = false;
}
/** Whether the running server has answered an update yet: its load starts then. */
let answeredSinceStart = false;

async function killServer(): Promise<void> {
  const s = server;
  server = undefined;
  if (!s) return;
  await s.stop("SIGKILL");
  outputs.push(s.output());
}

/** Posts an update as Telegram does: again (a little later each time) until it is answered 200. */
async function deliver(update: Update): Promise<Response> {
  const deadline = Date.now() + 120_000;
  for (let tries = 0; ; tries++) {
    posts.set(update.update_id, (posts.get(update.update_id) ?? 0) + 1);
    const res = await fetch(`${baseUrl}/telegram`, {
      method: "POST",
      headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
      body: JSON.stringify(update),
    }).catch(() => undefined);
    const status = res?.status ?? 0;
    statuses.set(status, (statuses.get(status) ?? 0) + 1);
    if (status !== 0) answeredSinceStart = true;
    if (status === 200) {
      acknowledged.add(update.update_id);
      return res!;
    }
    if (Date.now() > deadline) {
      givenUp++;
      return res ?? new Response(null, { status: 599 });
    }
    // Refused (the server is down or starting): again soon, so that load resumes with the
    // server. Answered 503 (the update is in a dead process's hands until its lease runs out)
    // or anything else: a little later each time.
    await sleep(status === 0 ? 50 : Math.min(1_000, 100 * 2 ** tries));
  }
}

interface Button {
  text: string;
  callback_data?: string;
}

/** The newest message to `chatId` with a button labelled `label` (among the cards of case `containing`). */
function findButton(chatId: number, label: string, containing?: string): { messageId: number; data: string } | undefined {
  const keyboards = fake.calls.filter(
    (c) =>
      Number(c.params.chat_id) === chatId &&
      (c.method.startsWith("send") || c.method === "editMessageText") &&
      (c.params.reply_markup as { inline_keyboard?: unknown } | undefined)?.inline_keyboard !== undefined,
  );
  for (const call of keyboards.reverse()) {
    // A card names its own case first (similar reports nearby may be named after it).
    if (containing !== undefined && /YH-\d{8}-\d{4}/.exec(String(call.params.text ?? call.params.caption ?? ""))?.[0] !== containing) continue;
    const button = (call.params.reply_markup as { inline_keyboard: Button[][] }).inline_keyboard.flat().find((b) => b.text.includes(label));
    if (!button?.callback_data) continue;
    const messageId =
      call.method === "editMessageText" ? Number(call.params.message_id) : (call.result as { message_id: number } | undefined)?.message_id;
    if (messageId === undefined) continue; // the process died before Telegram's answer reached the fake's record
    return { messageId, data: button.callback_data };
  }
  return undefined;
}

async function press(who: Person, label: string, containing?: string): Promise<void> {
  // A redelivered update may still be in hand when its reply arrives: wait for the button.
  await waitFor(`${who.id} sees ${label}`, () => findButton(who.id, label, containing) !== undefined, 60_000).catch((err: Error) => {
    const mine = fake.calls.filter((c) => Number(c.params.chat_id) === who.id).map((c) => `${c.method} ${String(c.params.text ?? "").slice(0, 60)}`);
    throw new Error(`${err.message}; calls to ${who.id}:\n${mine.join("\n")}`);
  });
  const { messageId, data } = findButton(who.id, label, containing)!;
  await deliver(who.presses(data, { message_id: messageId }));
}

const PHOTO = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode("chaos photo")]);
let photos = 0;
function photo(who: Person): Update {
  const uid = `chaos-${++photos}`;
  fake.addFile(`file-${uid}`, new Uint8Array([...PHOTO, photos & 0xff, photos >> 8]), { uniqueId: uid });
  return who.sendsPhoto(uid);
}

/** Submit presses that were answered 200, by citizen. */
const submittedBy = new Set<number>();
let citizensStarted = 0;

async function citizenReports(id: number, photosToSend: number): Promise<void> {
  const c = person({ id, first_name: `群众${id % 100}` });
  await deliver(c.says("/report"));
  await press(c, "安全隐患");
  await press(c, "建筑施工");
  await press(c, "城关镇");
  await press(c, "跳过");
  await deliver(c.says(`脚手架没有连墙件，第 ${id % 100} 号楼，工人仍在作业。`));
  for (let i = 0; i < photosToSend; i++) await deliver(photo(c));
  await press(c, photosToSend > 0 ? "完成" : "跳过");
  await press(c, "一般");
  await press(c, "匿名");
  await press(c, "不需要");
  await waitFor(`${id} sees submit`, () => findButton(id, "提交") !== undefined, 60_000);
  const { messageId, data } = findButton(id, "提交")!;
  const res = await deliver(c.presses(data, { message_id: messageId }));
  if (res.status === 200) submittedBy.add(id);
}

/** Cases the liaison has worked on: signed for, and every other one resolved with a photo. */
const accepted = new Set<string>();
/** The first cases, left as they are so that their reminders apply when they come due. */
const planted = new Set<string>();
const resolved = new Set<string>();

async function liaisonWorks(stop: () => boolean): Promise<void> {
  const liaison = person({ id: LIAISON, first_name: "联络员" });
  while (!stop()) {
    const numbers = new Set(
      fake
        .sentTexts(LIAISON)
        .map((t) => /YH-\d{8}-\d{4}/.exec(t)?.[0])
        .filter((n): n is string => n !== undefined),
    );
    // The first card still to sign for (one whose send the fake has not answered yet waits).
    const next = [...numbers].find((n) => !accepted.has(n) && !planted.has(n) && findButton(LIAISON, "签收", n) !== undefined);
    if (next === undefined) {
      await sleep(100);
      continue;
    }
    const sign = findButton(LIAISON, "签收", next)!;
    await deliver(liaison.presses(sign.data, { message_id: sign.messageId }));
    accepted.add(next);
    if (accepted.size % 2 === 0) {
      await press(liaison, "整改完成", next);
      await deliver(liaison.says("已搭设安全网，设置警戒区。"));
      await deliver(liaison.says("施工单位项目经理 王建国"));
      await deliver(photo(liaison));
      await press(liaison, "照片已传完");
      resolved.add(next);
    }
  }
}

/** What a message says, for matching an outbox row with what Telegram received. */
function said(method: string, chatId: unknown, p: Record<string, unknown>): string {
  const media = Array.isArray(p.media) ? (p.media as Array<{ caption?: string }>).map((m) => m.caption ?? "").join("|") : "";
  return `${method} ${Number(chatId)} ${String(p.text ?? p.caption ?? media)}`;
}

/** Sends received by Telegram, by what they say. */
function receivedSends(): Map<string, number> {
  const seen = new Map<string, number>();
  for (const c of fake.calls.filter((call: RecordedCall) => call.method.startsWith("send"))) {
    const key = said(c.method, c.params.chat_id, c.params);
    seen.set(key, (seen.get(key) ?? 0) + 1);
  }
  return seen;
}

/** The next minute boundary at least `leadMs` from now. */
function nextMinute(leadMs: number): number {
  return Math.ceil((Date.now() + leadMs) / 60_000) * 60_000;
}

/** A daily cron pattern firing at this instant's minute, in the office's zone. */
function dailyAt(at: number): string {
  const parts = new Intl.DateTimeFormat("en-GB", { timeZone: OFFICE_TZ, hour: "2-digit", minute: "2-digit", hourCycle: "h23" }).formatToParts(at);
  const part = (type: string) => Number(parts.find((p) => p.type === type)!.value);
  return `${part("minute")} ${part("hour")} * * *`;
}

beforeAll(async () => {
  fake = await FakeBotApi.start({ keepAliveMs: 120_000 });
  database = await createTestDatabase();
  db = createDb(database.client);
  workdir = mkdtempSync(join(tmpdir(), "hazardline-chaos-"));
  archiveDir = join(workdir, "files");
  await seedSmallCounty(db);
  await db.insert(members).values([
    { telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "联络员甲" },
    { telegramId: DISPATCHER, unitId: "office", roles: ["dispatcher"], name: "调度员乙" },
    // Every step of the escalation chain has someone: each reminder has messages to count.
    { telegramId: LEADER, unitId: "office", roles: ["leader"], name: "领导丙" },
  ]);
  const port = await freePort();
  baseUrl = `http://127.0.0.1:${port}`;
  env = { ...webhookServerEnv({ fake, port, secret: SECRET, databaseUrl: database.url }), ARCHIVE_DIR: archiveDir, OFFICE_TZ };
}, 60_000);

afterAll(async () => {
  await killServer();
  await fake?.stop();
  database?.dispose();
  if (workdir) rmSync(workdir, { recursive: true, force: true });
});

describe("the Node server killed with SIGKILL at random moments under load", () => {
  it(`${KILLS} kills, one inside a tick: nothing acknowledged is lost, every reminder fires once, the outbox and the archive complete`, async ({
    onTestFailed,
  }) => {
    onTestFailed(() => {
      if (server) outputs.push(server.output());
      const liaisonCalls = fake.calls
        .filter((c) => Number(c.params.chat_id) === LIAISON || c.method === "answerCallbackQuery")
        .map(
          (c) =>
            `${c.at} ${c.method} ${String(c.params.text ?? c.params.caption ?? "")
              .slice(0, 80)
              .replace(/\n/g, " / ")}`,
        );
      console.error(`--- calls to the liaison and callback answers:\n${liaisonCalls.join("\n")}`);
      console.error(`--- the last server output ends:\n${outputs.at(-1)?.slice(-15_000) ?? ""}`);
    });
    const delays = fc.sample(fc.integer({ min: 50, max: 400 }), { seed: SEED, numRuns: KILLS });
    const photoCounts = fc.sample(fc.integer({ min: 1, max: 2 }), { seed: SEED + 1, numRuns: 500 });

    await startServer();

    // Cases left as they are, whose reminders are made due: half now (the servers' next tick
    // fires them, or the catch-up does), half in a minute or two (a later tick, or the catch-up).
    await Promise.all(Array.from({ length: 4 }, (_, i) => citizenReports(9800 + i, 0)));
    await waitFor("the first cases' reminders planned", async () => (await db.select().from(reminders)).length >= 4, 30_000);
    for (const k of await db.select().from(cases)) planted.add(k.number);
    const plantedReminders = await db.select().from(reminders).where(eq(reminders.status, "pending"));
    const plantedAt = Date.now();
    for (const [i, r] of plantedReminders.entries()) {
      const fireAt = i % 2 === 0 ? plantedAt - 1_000 - i * 10 : plantedAt + 60_000 + i * 1_000;
      await db.update(reminders).set({ fireAt }).where(eq(reminders.key, r.key));
    }
    // Daily group reminders whose slots are the last minute, this one and the next.
    for (const [i, at] of [plantedAt - 60_000, plantedAt, plantedAt + 60_000].entries()) {
      await db.insert(schedules).values({
        chatId: GROUP,
        text: `每日安全提醒 ${i + 1}`,
        cron: dailyAt(at),
        timeZone: OFFICE_TZ,
        holidays: "fire",
        createdBy: DISPATCHER,
        createdAt: plantedAt - 120_000,
      });
    }

    // The workload: citizens report one after another in WORKERS lanes, and the liaison works the cards.
    let loading = true;
    const lanes = Array.from({ length: WORKERS }, async (_, lane) => {
      while (loading) {
        const n = citizensStarted++;
        await citizenReports(100_000 + n * WORKERS + lane, photoCounts[n % photoCounts.length]!);
      }
    });
    const liaison = liaisonWorks(() => !loading);

    // The kills: each after a seeded 50-400 ms of load; one (the first whose server is up within
    // 15 s of a minute boundary, else the last) that long after the boundary, inside the tick.
    let tickKills = 0;
    for (let k = 0; k < KILLS; k++) {
      if (k > 0) await startServer();
      await waitFor("load on the new server", () => answeredSinceStart, 30_000);
      const boundary = nextMinute(0);
      if (tickKills === 0 && (boundary - Date.now() < 15_000 || k === KILLS - 1)) {
        await sleep(boundary - Date.now() + delays[k]!);
        tickKills++;
      } else {
        await sleep(delays[k]!);
      }
      await killServer();
    }
    await startServer();

    // Load stops; what is in hand finishes, every update redelivered until it is answered.
    loading = false;
    await Promise.all(lanes);
    await liaison;
    const lastServerTick = (await db.select().from(kv).where(eq(kv.key, "tick:last")))[0]?.value;

    // The catch-up tick: the product's tick on the same file and archive, 10 minutes on.
    const catchUpNow = () => Date.now() + CATCH_UP_AHEAD_MS;
    const config = createConfig(env);
    const catchUp = createHazardline({
      config,
      client: database.client,
      log: memoryLogger(),
      clock: { now: catchUpNow, sleep: async (ms) => void (await sleep(ms)) },
      files: fsFileStore(archiveDir),
    });
    const settled = async () => {
      const rows = await db.select().from(outbox);
      const files = await db.select().from(archiveFiles);
      const due = await db.select().from(reminders).where(eq(reminders.status, "pending"));
      return (
        rows.every((r) => r.status === "sent" || r.status === "dead") &&
        files.every((f) => f.status !== "pending") &&
        due.every((r) => r.fireAt > catchUpNow())
      );
    };
    let catchUpTicks = 0;
    for (; catchUpTicks < 5 && !(await settled()); ) {
      catchUpTicks++;
      await catchUp.tick(catchUpNow());
      await catchUp.settle();
    }
    expect(await settled(), "outbox, archive and reminders settled after the catch-up").toBe(true);

    // 0 acknowledged submissions lost: one case per citizen answered 200, with its submitted event.
    const stored = await db.select().from(cases);
    for (const id of submittedBy) {
      const own = stored.filter((k) => k.submissionId?.startsWith(`${id}:`));
      expect(own, `citizen ${id}'s case`).toHaveLength(1);
      const events = await db.select({ action: caseEvents.action }).from(caseEvents).where(eq(caseEvents.caseId, own[0]!.id));
      expect(events.map((e) => e.action)).toContain("submitted");
    }
    expect(stored).toHaveLength(submittedBy.size);
    for (const number of resolved) expect(stored.find((k) => k.number === number)?.status, number).toBe("resolved");

    // Every outbox row is delivered or dead-lettered, and each delivered one reached Telegram.
    const rows = await db.select().from(outbox);
    const received = receivedSends();
    const interrupted = (r: (typeof rows)[number]) => (r.lastError ?? "").startsWith("interrupted");
    for (const r of rows) {
      expect(["sent", "dead"], `outbox row ${r.id}`).toContain(r.status);
      if (r.status === "sent" && r.method.startsWith("send")) {
        expect(
          received.get(said(r.method, r.chatId, r.payload as Record<string, unknown>)) ?? 0,
          `outbox row ${r.id} reached Telegram`,
        ).toBeGreaterThan(0);
      }
    }

    // Every reminder that came due fired once: sent with its messages, or cancelled (the case
    // moved on) with none; each message of a sent one reached Telegram once, or twice only when
    // the outbox marked its row as cut off mid-send.
    const dueReminders = (await db.select().from(reminders)).filter((r) => r.fireAt <= catchUpNow());
    let remindersFired = 0;
    let ambiguousSends = 0;
    const doubled: string[] = [];
    for (const r of dueReminders) {
      expect(["sent", "cancelled"], r.key).toContain(r.status);
      const messages = await db
        .select()
        .from(outbox)
        .where(like(outbox.dedupeKey, `rem:${r.key}:%`));
      if (r.status === "cancelled") {
        expect(messages, `cancelled ${r.key} sent nothing`).toEqual([]);
        continue;
      }
      remindersFired++;
      expect(messages.length, `${r.key} has messages`).toBeGreaterThan(0);
      for (const m of messages) {
        const n = received.get(said(m.method, m.chatId, m.payload as Record<string, unknown>)) ?? 0;
        if (n === 2 && interrupted(m)) ambiguousSends++;
        else if (n !== 1) doubled.push(`${m.dedupeKey}: ${n}`);
      }
    }
    expect(doubled, "reminder messages missed or doubled").toEqual([]);
    // The planted ones all came due within the test.
    expect(dueReminders.length).toBeGreaterThanOrEqual(plantedReminders.length);

    // Every schedule's slot went out once.
    const slots = await db.select().from(schedules);
    let scheduleSends = 0;
    for (const s of slots) {
      expect(s.lastSlot, `schedule ${s.id} fired`).not.toBeNull();
      const messages = await db
        .select()
        .from(outbox)
        .where(like(outbox.dedupeKey, `sch:${s.id}:%`));
      expect(messages, `schedule ${s.id}: one slot, one message`).toHaveLength(1);
      const n = received.get(said("sendMessage", GROUP, messages[0]!.payload as Record<string, unknown>)) ?? 0;
      if (n === 2 && interrupted(messages[0]!)) ambiguousSends++;
      else expect(n, `schedule ${s.id} reached the group once`).toBe(1);
      scheduleSends += n;
    }

    // Every attachment's archive copy completed.
    const files = await db.select().from(archiveFiles);
    for (const f of files) expect(f, f.fileUniqueId).toMatchObject({ status: "archived", sha256: expect.any(String) });
    expect(files.length).toBeGreaterThanOrEqual(photos);
    const inFolder = readdirSync(archiveDir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile());
    // A write cut off by a kill may leave its temporary file behind (never one under a final name).
    const leftovers = inFolder.filter((e) => e.name.endsWith(".tmp")).length;
    const copies = inFolder.length - leftovers;
    expect(copies).toBeGreaterThan(0);

    await killServer();
    expect(givenUp, "updates never answered 200").toBe(0);
    expect([...posts.keys()].every((id) => acknowledged.has(id))).toBe(true);
    const soundness = await expectSoundDatabase(database.client, { settled: true });
    expect(soundness.cases).toBe(stored.length);
    expect(fake.violations).toEqual([]);

    const redelivered = [...posts.values()].reduce((n, p) => n + p - 1, 0);
    const updatesRedelivered = [...posts.values()].filter((p) => p > 1).length;
    // The catch-up stamps what it fires with its own clock, ten minutes on.
    const firedByServers = dueReminders.filter((r) => r.status === "sent" && (r.sentAt ?? 0) < Date.now()).length;
    console.info(
      `crash-chaos (seed ${SEED}): ${KILLS} kills (${tickKills} inside the tick; the servers' last tick at ${lastServerTick ? new Date(Number(lastServerTick)).toISOString() : "none"}), ` +
        `${posts.size} updates posted, ${acknowledged.size} acknowledged, ${updatesRedelivered} of them redelivered (${redelivered} posts again in all), statuses ${JSON.stringify(Object.fromEntries(statuses))}; ` +
        `${citizensStarted + 4} citizens, ${stored.length} cases (${accepted.size} signed for, ${resolved.size} resolved); ` +
        `${remindersFired} reminders fired (${firedByServers} by a server, the rest by the catch-up) of ${dueReminders.length} due (${plantedReminders.length} planted), ${slots.length} schedule slots sent ${scheduleSends} times, ${ambiguousSends} sends marked interrupted and repeated; ` +
        `${rows.length} outbox rows (${rows.filter((r) => r.status === "dead").length} dead, ${rows.filter(interrupted).length} interrupted); ` +
        `${files.length} archive copies (${copies} files, ${leftovers} temporary files left by kills), ${catchUpTicks} catch-up ticks; server starts took ${restartMs.map((ms) => Math.round(ms / 100) / 10).join(", ")} s`,
    );
  }, 180_000);
});
