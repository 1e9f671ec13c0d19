/**
 * Benchmark section: webhook throughput, acknowledgement latency and CPU per update, of
 * Hazardline's real Node entry (src/node.ts, webhook mode, embedded libSQL file, no Redis)
 * on the seeded county, against a bare grammY bot measured in the same run.
 *
 * Each repetition runs both servers through the same three loads in turn (100/s and 200/s
 * open loop, then flat out), so that the ratio of the two is taken under the same noise.
 * The run's memory readings feed the memory section (memory.ts), which shares this session.
 */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { type ProfileSummary, profileMarkdown, summarizeProfile } from "./cpu-profile";
import { loadDatabase } from "./load-database";
import { type LoadMode, WEBHOOK_CONNECTIONS } from "./load-protocol";
import { fmt, fmtSpread, type Memory, type Spread, spread } from "./process-stats";
import type { BenchOptions, BenchSection, BenchSummaryLine } from "./section";
import type { SqlStat } from "./sql-statements";
import { USER_GAP_MS } from "./update-stream";
import {
  type BenchDatabase,
  benchDatabase,
  type Driver,
  idleNodeMemory,
  type Measurement,
  measure,
  runNotes,
  runProblems,
  type Server,
  startBareBot,
  startDriver,
  startHazardline,
  warmUp,
} from "./webhook-rig";

/** Issue 18's targets for the webhook on Node, the embedded default, this stream. */
export const TARGETS = {
  throughput: 1000,
  p99At200: 20,
  /** CPU per update over the bare grammY bot's, at 200 updates/s and flat out. */
  cpuRatio: 1.5,
  cpuRatioFlat: 3.5,
  rssMb: 150,
};

export interface Plan {
  cases: number;
  seconds: number;
  reps: number;
  rates: number[];
  /** Updates each server answers before anything is measured (see warmUp), and the most time that may take. */
  warmupUpdates: number;
  warmupSeconds: number;
  profileSeconds: number;
}

export function plan(quick: boolean): Plan {
  return quick
    ? { cases: 10_000, seconds: 2, reps: 2, rates: [100, 200], warmupUpdates: 800, warmupSeconds: 6, profileSeconds: 3 }
    : { cases: 100_000, seconds: 5, reps: 3, rates: [100, 200], warmupUpdates: 2_500, warmupSeconds: 12, profileSeconds: 5 };
}

export const modeLabel = (m: LoadMode) => (m.kind === "paced" ? `${m.rate}/s` : "flat out");

/** The servers of the session, by their driver target names. */
export const HAZARDLINE = "hazardline";
export const BARE = "bare";
/** Hazardline with `PRAGMA synchronous=NORMAL` on its connections (sqlite-normal-sync.ts): what the fsyncs cost. */
export const NORMAL_SYNC = "hazardline-normal-sync";

interface ServerMemory {
  started: Memory;
  warm: Memory;
  afterLoad: Memory;
}

export interface WebhookSession {
  plan: Plan;
  cases: number;
  fixtures: { reporters: number; staleCards: number };
  runs: Array<Measurement & { rep: number }>;
  problems: string[];
  notes: string[];
  /** Files open on Hazardline's database after the load: one per libSQL connection in its pool. */
  dbConnections: number;
  memory: { idle: Awaited<ReturnType<typeof idleNodeMemory>>; hazardline: ServerMemory; bare: ServerMemory };
  profile?: { cpu: ProfileSummary; sql: SqlStat[]; updates: number; seconds: number };
  elapsedMs: number;
}

const sessions = new Map<boolean, Promise<WebhookSession>>();

/** The measurement, once per process and size (webhook.ts and memory.ts both report from it). */
export function webhookSession(opts: BenchOptions): Promise<WebhookSession> {
  let session = sessions.get(opts.quick);
  if (!session) {
    session = measureSession(plan(opts.quick));
    sessions.set(opts.quick, session);
  }
  return session;
}

const PRELOAD = (file: string) => ["--import", `./scripts/bench/${file}`];

async function measureSession(p: Plan): Promise<WebhookSession> {
  const started = performance.now();
  const seeded = await loadDatabase(p.cases);
  const db = await benchDatabase(seeded.file);
  const driver = await startDriver();
  const servers: Server[] = [];
  try {
    const hazardlineDb = db.copy();
    const hazardline = await startHazardline({ name: HAZARDLINE, fake: await driver.target(HAZARDLINE, db.fixtures), databaseUrl: hazardlineDb });
    servers.push(hazardline);
    const bare = await startBareBot(BARE, await driver.target(BARE, db.fixtures));
    servers.push(bare);
    const normalSync = await startHazardline({
      name: NORMAL_SYNC,
      fake: await driver.target(NORMAL_SYNC, db.fixtures),
      databaseUrl: db.copy(),
      nodeFlags: PRELOAD("sqlite-normal-sync.ts"),
    });
    servers.push(normalSync);
    await settle();
    const startedMemory = { hazardline: hazardline.memory(), bare: bare.memory() };

    for (const server of servers) await warmUp(driver, server, p.warmupUpdates, p.warmupSeconds);
    const warmMemory = { hazardline: hazardline.memory(), bare: bare.memory() };

    const modes: LoadMode[] = [
      ...p.rates.map((rate) => ({ kind: "paced" as const, rate, seconds: p.seconds })),
      { kind: "flat", seconds: p.seconds },
    ];
    const runs: WebhookSession["runs"] = [];
    const problems: string[] = [];
    const notes: string[] = [];
    const once = async (rep: number, server: Server, mode: LoadMode) => {
      const m = await measure(driver, server, mode);
      runs.push({ ...m, rep });
      problems.push(...runProblems(m).map((x) => `run ${rep}, ${modeLabel(mode)}: ${x}`));
      if (server !== bare) notes.push(...runNotes(m).map((x) => `run ${rep}, ${modeLabel(mode)}: ${x}`));
    };
    for (let rep = 1; rep <= p.reps; rep++) {
      for (const server of [hazardline, bare]) for (const mode of modes) await once(rep, server, mode);
      await once(rep, normalSync, { kind: "flat", seconds: p.seconds });
    }
    const afterLoad = { hazardline: hazardline.memory(), bare: bare.memory() };
    const dbConnections = hazardline.openCount(hazardlineDb.slice("file:".length));
    await Promise.all(servers.splice(0).map((s) => s.stop()));
    const idle = await idleNodeMemory();

    const session: WebhookSession = {
      plan: p,
      cases: db.cases,
      fixtures: { reporters: db.fixtures.reporters.length, staleCards: db.fixtures.staleCards.length },
      runs,
      problems,
      notes,
      dbConnections,
      memory: {
        idle,
        hazardline: { started: startedMemory.hazardline, warm: warmMemory.hazardline, afterLoad: afterLoad.hazardline },
        bare: { started: startedMemory.bare, warm: warmMemory.bare, afterLoad: afterLoad.bare },
      },
      elapsedMs: 0,
    };
    if (!verdicts(session).every((v) => v.met)) session.profile = await profile(driver, db, p);
    session.elapsedMs = performance.now() - started;
    return session;
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await driver.stop();
    db.dispose();
  }
}

const settle = () => new Promise((r) => setTimeout(r, 500));

/**
 * A flat-out run against a fresh, warmed server under `--cpu-prof`, counting its SQL
 * statements (sql-statements.ts); both are written as it exits.
 */
async function profile(driver: Driver, db: BenchDatabase, p: Plan): Promise<NonNullable<WebhookSession["profile"]>> {
  const dir = mkdtempSync(join(tmpdir(), "hazardline-prof-"));
  const sqlFile = join(dir, "sql.json");
  try {
    const server = await startHazardline({
      name: "profiled",
      fake: await driver.target("profiled", db.fixtures),
      databaseUrl: db.copy(),
      nodeFlags: [...PRELOAD("sql-statements.ts"), "--cpu-prof", "--cpu-prof-dir", dir],
      env: { BENCH_SQL_STATS: sqlFile },
    });
    let updates = 0;
    try {
      await warmUp(driver, server, p.warmupUpdates, p.warmupSeconds);
      process.kill(server.pid, "SIGUSR2"); // count from here
      updates = (await driver.run("profiled", server.url, { kind: "flat", seconds: p.profileSeconds })).ok;
    } finally {
      await server.stop();
    }
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) throw new Error("node --cpu-prof wrote no profile");
    return {
      // The last run and the server's exit, not its start-up and warm-up.
      cpu: summarizeProfile(join(dir, file), { lastMs: p.profileSeconds * 1000 + 1000 }),
      sql: JSON.parse(readFileSync(sqlFile, "utf8")) as SqlStat[],
      updates,
      seconds: p.profileSeconds,
    };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

// ── Figures ──────────────────────────────────────────────────────────────────────────────

export function runsOf(session: WebhookSession, server: string, label: string) {
  return session.runs.filter((r) => r.server === server && modeLabel(r.mode) === label);
}

const of = (runs: Measurement[], pick: (m: Measurement) => number): Spread => spread(runs.map(pick));

/** Per repetition, one server's figure over another's: a ratio taken under the same noise. */
function ratio(session: WebhookSession, label: string, pick: (m: Measurement) => number, top = HAZARDLINE, bottom = BARE): Spread {
  const values: number[] = [];
  for (let rep = 1; rep <= session.plan.reps; rep++) {
    const a = session.runs.find((r) => r.rep === rep && r.server === top && modeLabel(r.mode) === label);
    const b = session.runs.find((r) => r.rep === rep && r.server === bottom && modeLabel(r.mode) === label);
    if (a && b) values.push(pick(a) / pick(b));
  }
  return spread(values);
}

interface Verdict extends BenchSummaryLine {
  met: boolean;
}

function verdicts(s: WebhookSession): Verdict[] {
  const flat = of(runsOf(s, HAZARDLINE, "flat out"), (m) => m.updatesPerSec);
  const p99 = of(runsOf(s, HAZARDLINE, "200/s"), (m) => m.p99);
  const p99At100 = of(runsOf(s, HAZARDLINE, "100/s"), (m) => m.p99);
  const r200 = ratio(s, "200/s", (m) => m.cpuPerUpdateMs);
  const rFlat = ratio(s, "flat out", (m) => m.cpuPerUpdateMs);
  return [
    {
      metric: "Webhook, flat out (Hazardline)",
      value: `${fmtSpread(flat)} updates/s`,
      target: `≥ ${TARGETS.throughput} updates/s`,
      met: flat.median >= TARGETS.throughput,
    },
    {
      metric: "Webhook p99 acknowledgement at 200 updates/s",
      value: `${fmtSpread(p99)} ms (at 100/s: ${fmt(p99At100.median)} ms)`,
      target: `≤ ${TARGETS.p99At200} ms`,
      met: p99.median <= TARGETS.p99At200,
    },
    {
      metric: "CPU per update, Hazardline / bare grammY bot (200/s)",
      value: `${fmtSpread(r200)}×`,
      target: `≤ ${TARGETS.cpuRatio}×`,
      met: r200.median <= TARGETS.cpuRatio,
    },
    {
      metric: "CPU per update, Hazardline / bare grammY bot (flat out)",
      value: `${fmtSpread(rFlat)}×`,
      target: `≤ ${TARGETS.cpuRatioFlat}×`,
      met: rFlat.median <= TARGETS.cpuRatioFlat,
    },
  ];
}

const SERVER_LABEL: Record<string, string> = {
  [HAZARDLINE]: "Hazardline",
  [BARE]: "bare grammY",
  [NORMAL_SYNC]: "Hazardline, synchronous=NORMAL",
};

function table(s: WebhookSession, servers: string[]): string {
  const labels = [...new Set(s.runs.map((r) => modeLabel(r.mode)))];
  const rows = [
    "| server | load | updates/s | p50 ms | p99 ms | max ms | CPU ms/update | load driver (cores) |",
    "|---|---|---:|---:|---:|---:|---:|---:|",
  ];
  for (const server of servers) {
    for (const label of labels) {
      const runs = runsOf(s, server, label);
      if (runs.length === 0) continue;
      rows.push(
        `| ${SERVER_LABEL[server]} | ${label} | ${fmtSpread(of(runs, (m) => m.updatesPerSec))} | ${fmtSpread(of(runs, (m) => m.p50))} | ${fmtSpread(of(runs, (m) => m.p99))} | ${fmtSpread(of(runs, (m) => m.max))} | ${fmtSpread(of(runs, (m) => m.cpuPerUpdateMs))} | ${fmt(of(runs, (m) => m.driverCores).median)} |`,
      );
    }
  }
  return rows.join("\n");
}

function checks(s: WebhookSession): string {
  const haz = s.runs.filter((r) => r.server === HAZARDLINE);
  const sum = (runs: Measurement[], pick: (m: Measurement) => number) => runs.reduce((a, m) => a + pick(m), 0);
  const all = s.runs;
  const non200 = sum(all, (m) => Object.entries(m.statuses).reduce((a, [code, n]) => a + (code === "200" ? 0 : n), 0));
  const sent = (k: keyof Measurement["tally"]["sent"]) => sum(haz, (m) => m.tally.sent[k]);
  const calls = (method: string) => sum(haz, (m) => m.tally.calls[method] ?? 0);
  return [
    `**Checks.** Updates posted in the measured runs (all servers): ${sum(all, (m) => m.ok).toLocaleString("en")} answered 200, ${non200} answered otherwise, ${sum(all, (m) => m.errors)} connection errors or timeouts.`,
    `Hazardline's share: ${sent("report")} /report, ${sent("kind") + sent("sector") + sent("place")} flow buttons (kind, sector, town), ${sent("address")} addresses typed, ${sent("cancel")} /cancel, ${sent("status")} /status, ${sent("stale-card")} stale case-card presses. The fake Bot API recorded from it ${calls("sendMessage")} sendMessage, ${calls("answerCallbackQuery")} answerCallbackQuery (${sum(haz, (m) => m.tally.pressesAnswered)} of ${sum(haz, (m) => m.tally.presses)} presses answered), ${calls("editMessageReplyMarkup")} editMessageReplyMarkup and ${calls("editMessageText")} editMessageText; it refused ${sum(haz, (m) => m.tally.violations.length)} calls; ${sum(haz, (m) => m.tally.floodReplies)} replies were the flood limit's, ${sum(haz, (m) => m.tally.errorReplies)} "something went wrong"; ${sum(haz, (m) => m.tally.missingButtons)} flow steps found no button of the bot's to press.`,
    `People: up to ${Math.max(...haz.map((m) => m.tally.citizens)).toLocaleString("en")} citizens in play at once (the stream gives a citizen an update at most every ${USER_GAP_MS / 1000} s and takes a new one when all are within that gap, so the count follows the rate; at most ${Math.max(...haz.map((m) => m.tally.maxPerUserPerMinute))} updates for one citizen in a minute's window, where the limit is 30), the first ${s.fixtures.reporters.toLocaleString("en")} of them reporters of seeded cases; the stale presses come from ${s.fixtures.staleCards.toLocaleString("en")} (officer, case of their unit) pairs, and officers are never throttled.`,
    s.problems.length === 0
      ? "No run had a problem."
      : `**Problems (these runs' figures are not to be trusted):**\n${s.problems
          .slice(0, 20)
          .map((x) => `- ${x}`)
          .join("\n")}`,
    ...(s.notes.length === 0
      ? []
      : [
          `Notes:\n${s.notes
            .slice(0, 10)
            .map((x) => `- ${x}`)
            .join("\n")}`,
        ]),
  ].join("\n\n");
}

/** The statement's kind and a short form of its text. */
function describeSql(sql: string): { kind: string; short: string } {
  const kind = /^\s*(\w+)/.exec(sql)?.[1]?.toLowerCase() ?? "?";
  // Statements on one table differ at the end (on conflict …, where …): keep both ends.
  return { kind, short: sql.length > 110 ? `${sql.slice(0, 60)} … ${sql.slice(-45)}` : sql };
}

const drizzleShare = (s: WebhookSession) => s.profile?.cpu.areas.find((a) => a.name === "pkg:drizzle-orm")?.share ?? 0;

/** Statements per update by what they touch: hot state (kv), the outbox drain, the rest. */
function sqlGroups(sql: SqlStat[], updates: number) {
  const per = (n: number) => n / Math.max(1, updates);
  const group = () => ({ count: 0, writes: 0, ms: 0 });
  const groups = { kv: group(), outbox: group(), other: group(), prepareMs: 0 };
  for (const x of sql) {
    if (x.sql === "(prepare)") {
      groups.prepareMs += per(x.ms);
      continue;
    }
    const table = /(?:from|into|update)\s+"?(\w+)"?/i.exec(x.sql)?.[1];
    const g = table === "kv" ? groups.kv : table === "outbox" || table === "send_pace" ? groups.outbox : groups.other;
    g.count += per(x.count);
    g.ms += per(x.ms);
    if (/^\s*(insert|update|delete)/i.test(x.sql)) g.writes += per(x.count);
  }
  return groups;
}

function whereTheTimeGoes(s: WebhookSession, missed: Verdict[]): string {
  const out: string[] = ["### Where the time goes", ""];
  if (missed.length > 0) out.push(`Missed: ${missed.map((m) => `${m.metric} (${m.value}; target ${m.target})`).join("; ")}.`, "");

  const prof = s.profile;
  if (prof) {
    const per = (n: number) => n / Math.max(1, prof.updates);
    const statements = prof.sql.filter((x) => x.sql !== "(prepare)");
    const count = (pred: (kind: string) => boolean) => statements.filter((x) => pred(describeSql(x.sql).kind)).reduce((a, x) => a + x.count, 0);
    const writes = count((k) => k === "insert" || k === "update" || k === "delete");
    const begins = count((k) => k === "begin");
    const sqlMs = prof.sql.reduce((a, x) => a + x.ms, 0);
    const wall = prof.seconds * 1000;
    const top = [...prof.sql].sort((a, b) => b.ms - a.ms).slice(0, 10);
    const libsqlShare = prof.cpu.areas.find((a) => a.name === "pkg:libsql")?.share ?? 0;
    out.push(
      `A fresh server, warmed, then ${prof.seconds} s flat out under \`node --cpu-prof\` with its SQL statements counted (scripts/bench/sql-statements.ts): ${prof.updates.toLocaleString("en")} updates. Each ran **${fmt(per(statements.reduce((a, x) => a + x.count, 0)))} SQL statements**, ${fmt(per(writes))} of them writes (${fmt(per(begins))} explicit transactions; every other write commits on its own), and spent **${fmt(per(sqlMs))} ms inside libSQL calls** (${fmt((sqlMs / wall) * 100)} % of the run's wall time). libSQL's client is synchronous: the statement, and the fsync of each commit, run on the event loop's one thread, and every other update waits meanwhile. The statements by time:`,
      "",
      "| statement | per update | µs each | share of SQL time |",
      "|---|---:|---:|---:|",
      ...top.map(
        (x) =>
          `| \`${describeSql(x.sql).short.replace(/\|/g, "\\|")}\` | ${fmt(per(x.count))} | ${fmt((x.ms * 1000) / Math.max(1, x.count))} | ${fmt((x.ms / sqlMs) * 100)} % |`,
      ),
      "",
      `The CPU profile of the same run (self time, idle left out) puts ${fmt(libsqlShare * 100)} % in libSQL's native calls and ${fmt(drizzleShare(s) * 100)} % in drizzle building queries:`,
      "",
      profileMarkdown(prof.cpu),
      "",
    );
  }

  const cpu200 = of(runsOf(s, HAZARDLINE, "200/s"), (m) => m.cpuPerUpdateMs);
  const bareCpu200 = of(runsOf(s, BARE, "200/s"), (m) => m.cpuPerUpdateMs);
  const flatRatio = ratio(s, "flat out", (m) => m.updatesPerSec, NORMAL_SYNC, HAZARDLINE);
  const cpuRatio = ratio(s, "flat out", (m) => m.cpuPerUpdateMs, NORMAL_SYNC, HAZARDLINE);
  const groups = prof ? sqlGroups(prof.sql, prof.updates) : undefined;
  out.push(
    groups
      ? `**What bounds it.** Per update, in the profiled run: ${fmt(groups.kv.count)} statements on hot state (the \`kv\` table of its own file beside the database, db/hot-state-file.ts: the update's claim and its "done" mark, the flood counter, the person's lock taken with the read of their conversation (one statement), the conversation written and the lock released (two); prepared once, in WAL with \`synchronous=NORMAL\`, so no fsync at each commit), ${fmt(groups.kv.writes)} of them writes, each committing on its own; ${fmt(groups.outbox.count)} on the outbox (after each update, one indexed look for due rows; a drain only when there are some: ${fmt(groups.outbox.writes)} writes); ${fmt(groups.other.count)} reading what the flows show (sectors, towns, a case and its timeline, the officer), on the database through @libsql/client, which prepares each statement anew. The bare bot does no storage and makes one Bot API call per update; a flow button in Hazardline makes three (answer it, take the old buttons off, ask the next question).`
      : "**What bounds it.** Hot state (update claims, flood counters, drafts and their locks, in a file of their own beside the database) and the outbox's look after every update are SQLite statements, each write its own commit, run synchronously on the event loop; the bare bot does no storage and makes one Bot API call per update.",
    "",
    "**What would move it:**",
    "",
    groups
      ? `- **Preparing the database's statements once.** Hot state's are (the \`libsql\` package's Statement objects); the database's, through @libsql/client, which keeps no cache, cost ${fmt(groups.prepareMs)} ms of prepare per update here, and drizzle building each query is ${fmt(drizzleShare(s) * 100)} % of the profile. drizzle's \`.prepare()\` saves the building; the prepare itself needs a client that holds on to statements.`
      : "- **Preparing the database's statements once**: @libsql/client prepares every statement anew, and drizzle builds every query anew (hot state's are prepared once).",
    `- **Fewer statements per update.** The outbox's one look after each update could go too when the update queued nothing (a flag set by \`enqueue\`; what others queued is swept by the tick or by the next update that queues something)${groups ? `: ${fmt(groups.outbox.count)} statements and ${fmt(groups.outbox.ms)} ms per update here` : ""}. In the hot file an update's claim and its flood count are one call but two statements, and so are the conversation's write and the lock's release: one statement each would have to change two rows in two ways (a claim and a conditional count; an upsert and a delete), which one SQLite statement does not. They are synchronous calls of a few microseconds each, so it is their CPU that counts, not a round trip.`,
    `- **Fewer Bot API calls per button.** A flow button answers the press, takes the old buttons off and sends the next question: three HTTP requests from the server, each a few hundred microseconds of CPU here (undici, JSON, the socket). Editing the question in place would make it two, at the cost of the chat's record of what was chosen, which the person now keeps.`,
    `- **Not syncing the database's commits.** Hot state's file already runs so; the same server with \`PRAGMA synchronous=NORMAL\` on the database's connections too (in WAL mode: no fsync per commit, a sync at each checkpoint; a power cut may lose the last commits, a crash of the process loses nothing), measured in the same repetitions, flat out: ${fmtSpread(flatRatio)}× the updates/s, ${fmtSpread(cpuRatio)}× the CPU per update (table below). What an fsync costs depends on the disk and how busy it is, which on this shared machine changes from run to run. The app would set it beside \`preferWal\` (db/client.ts); losing the last commits on a power cut is the office's call for cases.`,
    `- **The p99 at 200/s** follows from the CPU per update: at ${fmt(cpu200.median)} ms an update the server's one thread is busy ${fmt((cpu200.median * 200) / 10)} % of the time at that rate (GC and libSQL included), and a queue that busy has a tail several times its median (the bare bot, at ${fmt(bareCpu200.median)} ms, is busy ${fmt((bareCpu200.median * 200) / 10)} %). It comes down with the CPU per update, not by itself.`,
    ...(prof ? [idleNote(prof.cpu.idleMs / (prof.cpu.idleMs + prof.cpu.busyMs))] : []),
    `- Even so, ${TARGETS.throughput} updates/s flat out asks for several times less work per update than this: the bare bot, on the same two cores with the load driver and the fake Bot API beside it, did ${fmt(of(runsOf(s, BARE, "flat out"), (m) => m.updatesPerSec).median)}/s.`,
    "",
    table(s, [NORMAL_SYNC]),
  );
  return out.join("\n");
}

/** Issue 18's question: with updates queued, does the thread sit waiting for something of ours? */
function idleNote(share: number): string {
  const pct = `${fmt(share * 100)} %`;
  return share < 0.05
    ? `- **Idle with work queued.** Flat out, ${WEBHOOK_CONNECTIONS} updates in flight, the profiled thread was idle ${pct} of the time: nothing of ours (a timer, a lock's wait, a pool) keeps it waiting while updates queue; the time goes to the work itself.`
    : `- **Idle with work queued.** Flat out, ${WEBHOOK_CONNECTIONS} updates in flight, the profiled thread was idle ${pct} of the time. What it waits on then is not in a CPU profile: the database's write turn (db/serialized-writes.ts, one write transaction at a time, held across its awaits), a person's lock backing off, or the fake Bot API's answers on the same two cores.`;
}

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const s = await webhookSession(opts);
  const v = verdicts(s);
  const missed = v.filter((x) => !x.met);
  const labels = [...new Set(s.runs.map((r) => modeLabel(r.mode)))];
  const ratios = labels.map((label) => `${label}: ${fmtSpread(ratio(s, label, (m) => m.cpuPerUpdateMs))}×`);
  const markdown = [
    `Hazardline's real entry (\`node dist/node.mjs\`, compiled as \`npm start\` runs it, webhook mode, the embedded libSQL file, no Redis) on the seeded county (${s.cases.toLocaleString("en")} cases, scripts/seed-load.ts), and a bare grammY bot on the same stack (scripts/bench/bare-bot.ts, compiled the same way: one sendMessage per message, one answerCallbackQuery per press), each in its own process, against one fake Bot API each on loopback (test/support/fake-bot-api.ts, which checks every call as Telegram would). The load comes from a third process (scripts/bench/load-driver.ts). Each server is warmed first (${s.plan.warmupUpdates.toLocaleString("en")} updates: V8 optimizes a function only after many calls, and Hazardline's first thousand or so updates cost up to twice what later ones do), then ${s.plan.reps} repetitions of ${s.plan.seconds} s per load, the servers in turn; figures are median (min–max) over the repetitions.`,
    "",
    `- **Fixed rates** are sent open loop by the driver's own paced sender: update i leaves at start + i/rate over up to ${WEBHOOK_CONNECTIONS} connections, and its latency runs from that moment to the HTTP 200, so time queued behind a slow answer counts. (autocannon's \`overallRate\` sends each second's share in a burst as the second begins, and corrects for coordinated omission with a 1 ms interval, which would make p99 at 200/s a measure of the burst.) When the server cannot keep up, updates/s falls below the rate and the latencies grow with the queue.`,
    `- **Flat out** is autocannon, closed loop, ${WEBHOOK_CONNECTIONS} connections (Telegram's default \`max_connections\` for a webhook), each update built by \`setupRequest\`.`,
    "- **CPU per update** is the server process's utime+stime from /proc over the run (all its threads: GC, the compiler, libSQL), divided by the updates answered 200. It includes the outbox drain each update starts and any minute tick that fell in the run.",
    "- **The updates**: citizens walk the report flow (/report; the kind, sector and town buttons, with the draft id read from the bot's last keyboard in that chat; an address typed; /cancel; then /status of a case they reported); every eighth update is an officer pressing accept on a card of their unit's case at an old version (answered as stale, the card shown again, nothing changes). Each update has its own update_id. The bare bot gets the same stream.",
    "",
    table(s, [HAZARDLINE, BARE]),
    "",
    `CPU per update, Hazardline over the bare bot, per repetition: ${ratios.join("; ")}.`,
    "",
    checks(s),
    "",
    whereTheTimeGoes(s, missed),
  ].join("\n");
  const cpu = of(runsOf(s, HAZARDLINE, "200/s"), (m) => m.cpuPerUpdateMs);
  const cpuFlat = of(runsOf(s, HAZARDLINE, "flat out"), (m) => m.cpuPerUpdateMs);
  const cpuLine = { metric: "CPU per update at 200 updates/s", value: `${fmtSpread(cpu)} ms (flat out ${fmt(cpuFlat.median)} ms)` };
  return { title: "Webhook throughput and latency", markdown, summary: [...v.slice(0, 2), cpuLine, ...v.slice(2)] };
}
