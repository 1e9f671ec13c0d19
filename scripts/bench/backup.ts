/**
 * Benchmark section: what a backup costs on the seeded county (100k cases): its wall time
 * (db/backup.ts's takeBackup, into a temporary folder), and the webhook's acknowledgement
 * latency under a steady paced load with no backup running, side by side with the same load
 * while a backup runs, taken two ways:
 *
 * - from another process, as `npm run backup -- DIR` runs it beside the server (here the
 *   benchmark's own process calls takeBackup);
 * - as the nightly backup runs it (src/node.ts: in a child process the server forks), through
 *   a preload that takes one on SIGUSR2 (backup-on-signal.ts).
 *
 * Each repetition runs the three in turn, each window at least one and a half idle
 * backups long, the backup started with the load, so that the ratio of the p99s is taken under
 * the same noise.
 */
import { mkdirSync, mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { takeBackup } from "../../db/backup";
import { loadDatabase } from "./load-database";
import type { LoadMode } from "./load-protocol";
import { fmt, fmtSpread, formatBytes, type Spread, spread } from "./process-stats";
import type { BenchOptions, BenchSection } from "./section";
import { benchDatabase, type Measurement, measure, runProblems, type Server, startDriver, startHazardline, warmUp } from "./webhook-rig";

const MIGRATIONS = fileURLToPath(new URL("../../db/migrations", import.meta.url));

interface Plan {
  cases: number;
  /**
   * Updates per second of the steady load: far above a county's real traffic, yet well under
   * what the server answers flat out (about 250/s on two cores), so that the p99 shows the
   * backup and not a queue the load alone would build.
   */
  rate: number;
  reps: number;
  warmupUpdates: number;
  warmupSeconds: number;
}

function plan(quick: boolean): Plan {
  return quick
    ? { cases: 10_000, rate: 50, reps: 2, warmupUpdates: 800, warmupSeconds: 6 }
    : { cases: 100_000, rate: 50, reps: 3, warmupUpdates: 2_500, warmupSeconds: 12 };
}

/** The three loads of each repetition. */
const QUIET = "no backup";
const OUTSIDE = "during `npm run backup` (another process)";
const INSIDE = "during the nightly backup (the server's child process)";
type Kind = typeof QUIET | typeof OUTSIDE | typeof INSIDE;

interface Run extends Measurement {
  rep: number;
  kind: Kind;
  /** The backup's wall time under the load, ms. */
  backupMs?: number;
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));
const seconds = (ms: number) => `${fmt(ms / 1000)} s`;

/** A backup from this process; its folder is removed once timed, so that the next copies afresh. */
async function backupHere(dbUrl: string, archiveDir: string, dir: string): Promise<{ ms: number; bytes: number }> {
  const t0 = performance.now();
  const { path, manifest } = await takeBackup({ url: dbUrl, archive: { dir: archiveDir }, dir, migrationsFolder: MIGRATIONS });
  const ms = performance.now() - t0;
  rmSync(path, { recursive: true, force: true });
  return { ms, bytes: manifest.database.bytes };
}

/** A backup as the server's nightly job takes it (backup-on-signal.ts): signalled, then its line read from the server's output. */
async function backupInServer(server: Server, dir: string, n: number): Promise<number> {
  process.kill(server.pid, "SIGUSR2");
  const line = new RegExp(`bench backup ${n} (taken in (\\d+) ms|failed: .*)`);
  for (let waited = 0; ; waited += 50) {
    const m = line.exec(server.output());
    if (m) {
      for (const name of readdirSync(dir)) rmSync(join(dir, name), { recursive: true, force: true });
      if (m[2] === undefined) throw new Error(`the server's backup ${m[1]}`);
      return Number(m[2]);
    }
    if (waited > 300_000) throw new Error("the server's backup did not finish within 5 minutes");
    await sleep(50);
  }
}

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const p = plan(opts.quick);
  const seedStarted = performance.now();
  const seeded = await loadDatabase(p.cases);
  const seedMs = performance.now() - seedStarted;
  // Shared with a section before when it made the same size; otherwise made here, which at 100k takes a while.
  const seededHere = seedMs > 1_000;
  if (seededHere) console.error(`bench: backup: seeding ${p.cases.toLocaleString("en")} cases took ${seconds(seedMs)}`);

  const work = mkdtempSync(join(tmpdir(), "hazardline-bench-backup-"));
  const [archiveDir, outsideDir, insideDir] = ["files", "backups-outside", "backups-inside"].map((name) => join(work, name)) as [
    string,
    string,
    string,
  ];
  for (const dir of [archiveDir, outsideDir, insideDir]) mkdirSync(dir);
  const db = await benchDatabase(seeded.file);
  const driver = await startDriver();
  let server: Server | undefined;
  try {
    const dbUrl = db.copy();
    server = await startHazardline({
      name: "backup",
      fake: await driver.target("backup", db.fixtures),
      databaseUrl: dbUrl,
      nodeFlags: ["--import", "./scripts/bench/backup-on-signal.ts"],
      env: { ARCHIVE_DIR: archiveDir, BENCH_BACKUP_DIR: insideDir },
    });
    const s = server;
    const warmed = await warmUp(driver, s, p.warmupUpdates, p.warmupSeconds);
    await sleep(500);

    // Idle: no load, one backup each way.
    const idleOutside = await backupHere(dbUrl, archiveDir, outsideDir);
    let signalled = 0;
    const idleInside = await backupInServer(s, insideDir, ++signalled);
    const windowSeconds = Math.max(6, Math.ceil((Math.max(idleOutside.ms, idleInside) * 1.5) / 1000));
    const mode: LoadMode = { kind: "paced", rate: p.rate, seconds: windowSeconds };
    console.error(
      `bench: backup: idle backup ${seconds(idleOutside.ms)} (another process), ${seconds(idleInside)} (the nightly, a child of the server); ${windowSeconds} s windows at ${p.rate}/s`,
    );

    // One window unmeasured: a server just warmed flat out, on a freshly copied file, settles at the paced rate first.
    await measure(driver, s, mode);
    await sleep(500);
    const runs: Run[] = [];
    const problems: string[] = [];
    const record = (rep: number, kind: Kind, m: Measurement, backupMs?: number) => {
      runs.push({ ...m, rep, kind, ...(backupMs === undefined ? {} : { backupMs }) });
      problems.push(...runProblems(m).map((x) => `run ${rep}, ${kind}: ${x}`));
    };
    for (let rep = 1; rep <= p.reps; rep++) {
      const quiet = await measure(driver, s, mode);
      record(rep, QUIET, quiet);
      // Without a backup the load should leave no queue; if it does, the p99s measure that queue as much as the backup.
      if (quiet.updatesPerSec < 0.95 * p.rate || quiet.p50 > 100) {
        problems.push(`run ${rep}: with no backup the server fell behind ${p.rate}/s (p50 ${fmt(quiet.p50)} ms; the machine is shared)`);
      }
      await sleep(500);
      const [outside, taken] = await Promise.all([measure(driver, s, mode), backupHere(dbUrl, archiveDir, outsideDir)]);
      record(rep, OUTSIDE, outside, taken.ms);
      await sleep(500);
      const n = ++signalled;
      const [inside, insideMs] = await Promise.all([measure(driver, s, mode), backupInServer(s, insideDir, n)]);
      record(rep, INSIDE, inside, insideMs);
      await sleep(500);
    }
    return report(p, {
      cases: db.cases,
      seedMs: seededHere ? seedMs : undefined,
      warmed,
      dbBytes: idleOutside.bytes,
      idleOutside: idleOutside.ms,
      idleInside,
      mode,
      runs,
      problems,
    });
  } finally {
    await server?.stop();
    await driver.stop();
    db.dispose();
    rmSync(work, { recursive: true, force: true });
  }
}

interface Session {
  cases: number;
  /** When this section seeded the database itself. */
  seedMs?: number;
  warmed: number;
  dbBytes: number;
  idleOutside: number;
  idleInside: number;
  mode: Extract<LoadMode, { kind: "paced" }>;
  runs: Run[];
  problems: string[];
}

function report(p: Plan, s: Session): BenchSection {
  const of = (kind: Kind, pick: (r: Run) => number): Spread => spread(s.runs.filter((r) => r.kind === kind).map(pick));
  /** Per repetition, the p99 during a backup over the p99 of the quiet window just before it. */
  const ratio = (kind: Kind): Spread => {
    const values: number[] = [];
    for (let rep = 1; rep <= p.reps; rep++) {
      const quiet = s.runs.find((r) => r.rep === rep && r.kind === QUIET);
      const during = s.runs.find((r) => r.rep === rep && r.kind === kind);
      if (quiet && during) values.push(during.p99 / quiet.p99);
    }
    return spread(values);
  };
  const cases = s.cases.toLocaleString("en");
  const outlasted = s.runs.filter((r) => (r.backupMs ?? 0) > s.mode.seconds * 1000).length;
  const rows = ([QUIET, OUTSIDE, INSIDE] as const).map((kind: Kind) => {
    const backup = kind === QUIET ? "" : `${fmtSpread(of(kind, (r) => (r.backupMs ?? NaN) / 1000))} s`;
    const r = kind === QUIET ? "1" : `${fmtSpread(ratio(kind))}×`;
    return `| ${kind} | ${fmtSpread(of(kind, (m) => m.updatesPerSec))} | ${fmtSpread(of(kind, (m) => m.p50))} | ${fmtSpread(of(kind, (m) => m.p99))} | ${fmtSpread(of(kind, (m) => m.max))} | ${r} | ${backup} |`;
  });
  const p99 = (kind: Kind) => fmt(of(kind, (m) => m.p99).median);
  const median = (kind: Kind) => fmt(ratio(kind).median);
  const markdown = [
    `The seeded county (${cases} cases, scripts/seed-load.ts; its database ${formatBytes(s.dbBytes)}, no archived files: the seed writes attachments' rows but no archive, so this is the database's part of a backup) ${s.seedMs === undefined ? "was made by a section before" : `was seeded for this section in ${seconds(s.seedMs)}`}. Hazardline's real entry (\`node dist/node.mjs\`, as \`npm start\` runs it, webhook mode, the embedded libSQL file) serves it, against the fake Bot API, with the load from its own process (scripts/bench/load-driver.ts), warmed first (${s.warmed.toLocaleString("en")} updates).`,
    "",
    `- **The backup** is db/backup.ts's \`takeBackup\` into a temporary folder: \`VACUUM INTO\` a snapshot, SQLite's integrity check and row counts on it, its SHA-256, the manifest; removed after each, so that every one starts afresh. With no load: ${seconds(s.idleOutside)} from another process, ${seconds(s.idleInside)} as the nightly backup (the server's child).`,
    `- **The load** is the webhook benchmark's citizens and officers, paced open loop at ${s.mode.rate} updates/s (latency from each update's scheduled moment to its HTTP 200, so time queued behind a stalled server counts), in windows of ${s.mode.seconds} s (at least one and a half idle backups), the backup started with the window.`,
    `- **Another process** is the benchmark's own, calling takeBackup as \`npm run backup\` would: in WAL mode its read blocks none of the server's writes, but it shares the cores (two here, with the load driver beside them) and the disk, where the server syncs every commit while the snapshot is written.`,
    "- **The nightly backup** runs in a child process the server forks (src/node.ts, db/backup-process.ts): libSQL's client runs each statement synchronously on its thread, so in the server's own process the server would answer nothing while `VACUUM INTO` and the integrity check run. Here a preload (scripts/bench/backup-on-signal.ts) takes it on SIGUSR2, the same call the nightly job makes, without waiting for BACKUP_TIME's minute; the server only waits for the child's message, so its cost is that of another process, plus starting one.",
    `- ${p.reps} repetitions, the three windows in turn; figures are median (min–max) over them; the ratio is each repetition's p99 during the backup over the p99 of its own quiet window.`,
    "",
    "| load | updates/s | p50 ms | p99 ms | max ms | p99 / no backup | backup's wall time under the load |",
    "|---|---:|---:|---:|---:|---:|---:|",
    ...rows,
    "",
    ...(outlasted === 0
      ? []
      : [
          `In ${outlasted} of the ${s.runs.length - p.reps} runs with a backup, the backup outlasted its ${s.mode.seconds} s window: its tail, and the queue it left, are not in the figures.`,
          "",
        ]),
    s.problems.length === 0
      ? "No run had a problem."
      : `**Problems (these runs' figures are not to be trusted):**\n${s.problems
          .slice(0, 20)
          .map((x) => `- ${x}`)
          .join("\n")}`,
  ].join("\n");
  return {
    title: `Backups at ${cases} cases`,
    markdown,
    summary: [
      {
        metric: `Backup of ${cases} cases (${formatBytes(s.dbBytes)} database), wall time: idle; under ${s.mode.rate} updates/s`,
        value: `${seconds(s.idleOutside)}; ${fmtSpread(of(OUTSIDE, (r) => (r.backupMs ?? NaN) / 1000))} s`,
      },
      {
        metric: `Webhook p99 at ${s.mode.rate} updates/s: no backup / during \`npm run backup\` / during the nightly backup (the server's child)`,
        value: `${p99(QUIET)} / ${p99(OUTSIDE)} / ${p99(INSIDE)} ms (${median(OUTSIDE)}× / ${median(INSIDE)}×)`,
      },
    ],
  };
}
