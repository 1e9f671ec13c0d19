/**
 * Benchmark section: the cost of one tick(now) as the number of open cases grows.
 *
 * Three databases from scripts/seed-load.ts with 1k, 10k and 100k open cases (each over the
 * same closed history), each with the same due work at `now`: 20 deadline reminders due
 * and a few messages waiting in the outbox. The real services (createServices over a
 * libSQL file) tick against the fake Bot API, unpaced on a frozen clock so the drain never
 * sleeps. Before every tick the due work is put back as it was (the reminders pending again,
 * the messages they wrote removed), so every measured tick does the same work; two warm-up
 * ticks go first (the first sends the day's leaders' digest, once a day, which is not the
 * load measured). The sizes tick in turn, round after round, and each round's ratio of the
 * largest to the smallest says whether a tick's cost follows the work that is due, as it
 * should, or the number of open cases.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { Api } from "grammy";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { openClient } from "../../db/node-client";
import { memoryLogger } from "../../src/log";
import { createServices } from "../../src/services";
import type { Clock } from "../../src/services/clock";
import type { OutboxMessage, Pacing } from "../../src/services/outbox";
import type { TickResult } from "../../src/services/tick";
import { FakeBotApi, TEST_TOKEN } from "../../test/support/fake-bot-api";
import { type SeedSummary, seedLoad } from "../seed-load";
import { type ProfileSummary, profileMarkdown } from "./cpu-profile";
import { fmt, fmtSpread, formatBytes, spread } from "./process-stats";
import { profileHere } from "./profile-here";
import type { BenchOptions, BenchSection } from "./section";

export const TICK_TARGET_RATIO = 2;
const DUE_REMINDERS = 20;
const OUTBOX_MESSAGES = 5;
const UNPACED: Partial<Pacing> = { globalPerSecond: 1_000_000, privateGapMs: 0, groupGapMs: 0 };

interface Size {
  open: number;
  closed: number;
}

function plan(quick: boolean): { sizes: Size[]; ticks: number } {
  return quick
    ? {
        sizes: [
          { open: 500, closed: 1_000 },
          { open: 2_000, closed: 1_000 },
        ],
        ticks: 3,
      }
    : { sizes: [1_000, 10_000, 100_000].map((open) => ({ open, closed: 20_000 })), ticks: 5 };
}

interface Rig {
  size: Size;
  seed: SeedSummary;
  /** Puts the due work back as it was before the last tick. */
  arm(): Promise<void>;
  /** One armed tick; its time in ms. */
  measure(): Promise<number>;
  /** What each tick did (the same every time, checked). */
  work: { reminders: number; sent: number } | undefined;
  problems: string[];
  tick(): Promise<TickResult>;
  close(): Promise<void>;
}

async function rig(size: Size, dir: string): Promise<Rig> {
  const url = `file:${join(dir, `tick-${size.open}.db`)}`;
  const seed = await seedLoad({ url, cases: size.open + size.closed, open: size.open, dueReminders: DUE_REMINDERS });
  const now = seed.now;
  const client = openClient(url);
  const fake = await FakeBotApi.start();
  const db = createDb(client);
  // Frozen: the drain cannot wait, so it sends everything due in one pass (unpaced).
  const clock: Clock = { now: () => now };
  const log = memoryLogger();
  const services = createServices({
    db,
    kv: libsqlHotState(db, clock.now),
    clock,
    log,
    officeTz: "Asia/Shanghai",
    claimSecret: TEST_TOKEN,
    api: new Api(TEST_TOKEN, { apiRoot: fake.apiRoot }),
    pacing: UNPACED,
  });
  const problems: string[] = [];
  const due = (await client.execute({ sql: "select key from reminders where status = 'pending' and fire_at <= ?", args: [now] })).rows.map((r) =>
    String(r.key),
  );
  if (due.length !== DUE_REMINDERS) problems.push(`${due.length} reminders due instead of ${DUE_REMINDERS}`);
  const baseline = Number((await client.execute("select coalesce(max(id), 0) as id from outbox")).rows[0]!.id);
  let round = 0;
  const arm = async () => {
    await client.batch(
      [
        { sql: `update reminders set status = 'pending', sent_at = null, late = 0 where key in (${due.map(() => "?").join(", ")})`, args: due },
        { sql: "delete from outbox where id > ?", args: [baseline] },
        "delete from send_pace",
      ],
      "write",
    );
    round++;
    const messages: OutboxMessage[] = Array.from({ length: OUTBOX_MESSAGES }, (_, i) => ({
      chatId: 500_000_000 + i,
      method: "sendMessage",
      payload: { text: `Your report has been rectified (round ${round}).` },
      dedupeKey: `bench:${round}:${i}`,
    }));
    await services.outbox.enqueue(messages, now);
    fake.clear();
  };
  const self: Rig = {
    size,
    seed,
    arm,
    work: undefined,
    problems,
    tick: () => services.tick(now),
    async measure() {
      await arm();
      const started = performance.now();
      const result = await services.tick(now);
      const elapsed = performance.now() - started;
      const done = { reminders: result.reminders.sent, sent: result.outbox.sent };
      if (result.reminders.failed > 0 || result.outbox.dead > 0) problems.push(`a tick went wrong: ${JSON.stringify(result)}`);
      if (fake.violations.length > 0) problems.push(...fake.violations.splice(0));
      if (self.work && (self.work.reminders !== done.reminders || self.work.sent !== done.sent)) {
        problems.push(`a tick did other work: ${JSON.stringify(done)} after ${JSON.stringify(self.work)}`);
      }
      self.work ??= done;
      return elapsed;
    },
    async close() {
      if (self.work && self.work.reminders !== DUE_REMINDERS) problems.push(`a tick fired ${self.work.reminders} reminders, not ${DUE_REMINDERS}`);
      const errors = log.entries.filter((e) => e.level === "error");
      if (errors.length > 0) problems.push(`${errors.length} errors logged, e.g. ${errors[0]!.msg}`);
      await fake.stop();
      client.close();
    },
  };
  // Warm-up: the day's digest (once a day, not the load measured), caches, the JIT.
  await arm();
  await services.tick(now);
  self.work = undefined;
  await self.measure();
  self.work = undefined;
  return self;
}

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const { sizes, ticks } = plan(opts.quick);
  const dir = mkdtempSync(join(tmpdir(), "hazardline-tick-"));
  const rigs: Rig[] = [];
  const ms = new Map<Size, number[]>(sizes.map((size) => [size, []]));
  const ratios: number[] = [];
  let profile: ProfileSummary | undefined;
  try {
    for (const size of sizes) rigs.push(await rig(size, dir));
    // Round robin: each round ticks every size once, so that the sizes share the machine's
    // noise and each round gives one ratio of the largest to the smallest.
    for (let round = 0; round < ticks; round++) {
      const times = [];
      for (const r of rigs) {
        const t = await r.measure();
        ms.get(r.size)!.push(t);
        times.push(t);
      }
      ratios.push(times[times.length - 1]! / times[0]!);
    }
    const largest = rigs[rigs.length - 1]!;
    if (spread(ratios).median > TICK_TARGET_RATIO) {
      // The re-arming is in the profile too: a few small statements, next to a tick's hundreds.
      profile = await profileHere(async () => {
        await largest.arm();
        return largest.tick();
      }, ticks);
    }
  } finally {
    for (const r of rigs) await r.close();
    rmSync(dir, { recursive: true, force: true });
  }
  const results = rigs.map((r) => ({ ...r, spread: spread(ms.get(r.size)!), work: r.work ?? { reminders: 0, sent: 0 } }));
  const first = results[0]!;
  const last = results[results.length - 1]!;
  const ratioSpread = spread(ratios);
  const ratio = ratioSpread.median;
  const met = ratio <= TICK_TARGET_RATIO;
  const label = (n: number) => (n >= 1000 ? `${n / 1000}k` : String(n));
  const problems = results.flatMap((r) => r.problems.map((p) => `${label(r.size.open)} open: ${p}`));

  const markdown = [
    `tick(now) on the real services over a libSQL file, against the fake Bot API (unpaced, frozen clock), ${ticks} measured ticks per size after two warm-up ticks, the sizes in turn (round robin) so they share the machine's noise. ` +
      `Each tick has the same work due: ${DUE_REMINDERS} deadline reminders of distinct cases (their cards go to liaisons, groups, dispatchers) and ${OUTBOX_MESSAGES} messages already in the outbox; ` +
      `between ticks that work is put back as it was. Open cases are mostly in progress, about a fifth overdue, each with its pending reminders (seed-load).`,
    "",
    "| open cases | closed history | pending reminders | database | messages sent per tick | time per tick, ms: median (min–max) |",
    "|---:|---:|---:|---:|---:|---:|",
    ...results.map(
      (r) =>
        `| ${r.seed.open.toLocaleString("en")} | ${(r.seed.cases - r.seed.open).toLocaleString("en")} | ${r.seed.reminders.pending.toLocaleString("en")} | ${r.seed.fileBytes === null ? "" : formatBytes(r.seed.fileBytes)} | ${r.work.sent} | ${fmtSpread(r.spread)} |`,
    ),
    "",
    `Ratio of the tick at ${label(last.size.open)} open cases to the one at ${label(first.size.open)} in the same round: **${fmtSpread(ratioSpread)}** (target ≤ ${TICK_TARGET_RATIO}: ${met ? "met" : "missed"}). ` +
      `The due reminders are read by \`reminders_due_idx\` (status, fire_at), so the number of pending ones does not enter; each reminder's card reads one case by its key.`,
    ...(profile
      ? [
          "",
          `The target is missed; where the CPU of a tick at ${label(last.size.open)} open cases went (${ticks} ticks under the V8 profiler, self time):`,
          "",
          profileMarkdown(profile),
        ]
      : []),
    ...(problems.length > 0 ? ["", "Problems seen:", ...problems.map((p) => `- ${p}`)] : []),
  ].join("\n");

  return {
    title: "Tick cost",
    markdown,
    summary: [
      { metric: `tick with ${DUE_REMINDERS} reminders due, ${label(first.size.open)} open cases (median)`, value: `${fmt(first.spread.median)} ms` },
      { metric: `tick with ${DUE_REMINDERS} reminders due, ${label(last.size.open)} open cases (median)`, value: `${fmt(last.spread.median)} ms` },
      {
        metric: `tick cost ratio ${label(last.size.open)} / ${label(first.size.open)} open cases, same round: median (min–max)`,
        value: fmtSpread(ratioSpread),
        target: `≤ ${TICK_TARGET_RATIO}`,
        met: met && problems.length === 0,
      },
    ],
  };
}
