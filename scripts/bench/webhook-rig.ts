/**
 * The machinery the webhook, memory and Redis benchmarks share: the load driver in its own
 * process, the servers under test in theirs (Hazardline's real entry compiled as `npm start`
 * runs it, dist/node.mjs, or the bare grammY bot compiled the same way), and one measured run:
 * the load, with the server's CPU time read from /proc before and after.
 *
 * The driver runs as `node --import tsx FILE` rather than through the tsx command: the tsx
 * command runs the program in a second node process. The servers run as plain `node` on the
 * compiled file, so the pid read from /proc is the one that serves; a benchmark's preload
 * written in TypeScript brings tsx's loader with it.
 */
import { type ChildProcess, spawn } from "node:child_process";
import { copyFileSync, existsSync, mkdtempSync, readdirSync, readlinkSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import type { UserFromGetMe } from "grammy/types";
import { openClient } from "../../db/node-client";
import { cleanEnv, freePort, type Running, run } from "../../test/support/processes";
import { buildServer, compile, serverArgs } from "../build-server";
import type { DriverReply, DriverRequest, LoadMode, LoadResult } from "./load-protocol";
import { cpuMs, type Memory, memory } from "./process-stats";
import type { LoadFixtures } from "./update-stream";

export const ROOT = fileURLToPath(new URL("../..", import.meta.url));
export const WEBHOOK_SECRET = "bench_secret-0123456789";

/** `node --import tsx [flags] FILE`, from the repository root where tsx resolves; flags may --import .ts preloads. */
function nodeArgs(file: string, flags: string[] = []): string[] {
  return ["--import", "tsx", ...flags, join(ROOT, file)];
}

/** The servers compiled once per benchmark run, as `npm start` compiles Hazardline. */
let compiled: Promise<void> | undefined;
const compiledServers = () => (compiled ??= Promise.all([buildServer(), compile(["scripts/bench/bare-bot.ts"])]).then(() => undefined));

/** node's arguments for dist/NAME.mjs as `npm start` runs the server, with any more flags. */
async function compiledArgs(name: string, flags: string[] = []): Promise<string[]> {
  await compiledServers();
  return serverArgs(flags, join(ROOT, "dist", `${name}.mjs`));
}

export interface FakeInfo {
  apiRoot: string;
  token: string;
  botInfo: UserFromGetMe;
}

export interface Driver {
  pid: number;
  /** A fake Bot API and an update stream for one bot under test. */
  target(name: string, fixtures: LoadFixtures): Promise<FakeInfo>;
  run(name: string, url: string, mode: LoadMode): Promise<LoadResult>;
  stop(): Promise<void>;
}

export async function startDriver(): Promise<Driver> {
  const child: ChildProcess = spawn(process.execPath, nodeArgs("scripts/bench/load-driver.ts"), {
    cwd: ROOT,
    env: cleanEnv({}),
    stdio: ["ignore", "inherit", "inherit", "ipc"],
  });
  const waiting = new Map<number, { resolve(v: unknown): void; reject(e: Error): void }>();
  let nextId = 1;
  child.on("message", (reply: DriverReply) => {
    const w = waiting.get(reply.id);
    waiting.delete(reply.id);
    if (reply.ok) w?.resolve(reply.value);
    else w?.reject(new Error(`load driver: ${reply.error}`));
  });
  child.on("exit", (code) => {
    for (const w of waiting.values()) w.reject(new Error(`load driver exited (${code})`));
    waiting.clear();
  });
  const ask = <T>(req: DriverRequest) =>
    new Promise<T>((resolve, reject) => {
      const id = nextId++;
      waiting.set(id, { resolve: resolve as (v: unknown) => void, reject });
      child.send({ id, req });
    });
  return {
    pid: child.pid!,
    target: (name, fixtures) => ask<FakeInfo>({ op: "target", name, fixtures }),
    run: (name, url, mode) => ask<LoadResult>({ op: "run", name, url, secret: WEBHOOK_SECRET, mode }),
    async stop() {
      if (child.exitCode !== null) return;
      const exited = new Promise((r) => child.once("exit", r));
      await ask({ op: "exit" }).catch(() => undefined);
      await exited;
    },
  };
}

export interface Server {
  /** The driver's target this server answers for. */
  name: string;
  pid: number;
  url: string;
  memory(): Memory;
  /** How many of the process's open files are this one (e.g. the database: one per libSQL connection). */
  openCount(path: string): number;
  output(): string;
  stop(): Promise<void>;
}

async function started(name: string, running: Running, pattern: RegExp, port: number): Promise<Server> {
  await running.waitForOutput(pattern, 120_000);
  return {
    name,
    pid: running.child.pid!,
    url: `http://127.0.0.1:${port}`,
    memory: () => memory(running.child.pid!),
    openCount: (path) => openCount(running.child.pid!, path),
    output: running.output,
    async stop() {
      await running.stop("SIGTERM");
    },
  };
}

export interface HazardlineOptions {
  name: string;
  fake: FakeInfo;
  /** A libSQL file URL. */
  databaseUrl: string;
  redis?: { url: string; token: string };
  /** Node flags, e.g. --cpu-prof, or --import of a preload in scripts/bench. */
  nodeFlags?: string[];
  env?: Record<string, string>;
}

/** Hazardline (dist/node.mjs) in webhook mode on the embedded store (or Upstash when given), against the fake. */
export async function startHazardline(opts: HazardlineOptions): Promise<Server> {
  const port = await freePort();
  const env: Record<string, string> = {
    BOT_TOKEN: opts.fake.token,
    BOT_INFO: JSON.stringify(opts.fake.botInfo),
    TELEGRAM_API_ROOT: opts.fake.apiRoot,
    PUBLIC_URL: "https://hazardline.bench.invalid",
    WEBHOOK_SECRET,
    DATABASE_URL: opts.databaseUrl,
    PORT: String(port),
    // The leaders' digest (rankings over every case, a chart) would go out at the first tick
    // of a working day after 08:30; the load is not meant to measure it.
    DIGEST_TIME: "23:59",
    ...(opts.redis ? { UPSTASH_REDIS_REST_URL: opts.redis.url, UPSTASH_REDIS_REST_TOKEN: opts.redis.token } : {}),
    ...opts.env,
  };
  const running = run(process.execPath, await compiledArgs("node", opts.nodeFlags), { cwd: ROOT, env: cleanEnv(env) });
  return started(opts.name, running, /"Hazardline started"/, port);
}

export async function startBareBot(name: string, fake: FakeInfo): Promise<Server> {
  const port = await freePort();
  const env = {
    BOT_TOKEN: fake.token,
    BOT_INFO: JSON.stringify(fake.botInfo),
    TELEGRAM_API_ROOT: fake.apiRoot,
    WEBHOOK_SECRET,
    PORT: String(port),
  };
  const running = run(process.execPath, await compiledArgs("bare-bot"), { cwd: ROOT, env: cleanEnv(env) });
  return started(name, running, /"bare bot started"/, port);
}

/**
 * The resident memory of idle node processes that have loaded nothing: plain (as the servers
 * here run, and `npm start`), with tsx's loader (`node --import tsx`, as the server ran before
 * it was compiled), and the tsx command's own process, which `tsx src/node.ts` would keep
 * beside the server to spawn it and relay signals.
 */
export async function idleNodeMemory(): Promise<{ node: Memory; tsx: Memory; tsxCommand: Memory }> {
  const script = "console.log('idle'); setInterval(() => {}, 1000)";
  const measureIdle = async (command: string, args: string[]) => {
    const running = run(command, [...args, "-e", script], { cwd: ROOT, env: cleanEnv({}) });
    await running.waitForOutput(/idle/);
    await new Promise((r) => setTimeout(r, 300));
    const m = memory(running.child.pid!);
    await running.stop("SIGTERM"); // the tsx command passes it on to its child
    return m;
  };
  return {
    node: await measureIdle(process.execPath, []),
    tsx: await measureIdle(process.execPath, ["--import", "tsx"]),
    tsxCommand: await measureIdle(join(ROOT, "node_modules/.bin/tsx"), []),
  };
}

export interface Measurement extends LoadResult {
  server: string;
  /** The server's CPU time over the run (user + system, every thread), ms. */
  cpuMs: number;
  cpuPerUpdateMs: number;
  updatesPerSec: number;
  /** The driver's CPU over the run as a share of one core: near 1, it was the bottleneck. */
  driverCores: number;
}

/** One run of load against one server, with its CPU time. */
export async function measure(driver: Driver, server: Server, mode: LoadMode): Promise<Measurement> {
  const cpu0 = cpuMs(server.pid);
  const driver0 = cpuMs(driver.pid);
  const wall0 = performance.now();
  const result = await driver.run(server.name, server.url, mode);
  const wall = performance.now() - wall0;
  const cpu = cpuMs(server.pid) - cpu0;
  return {
    ...result,
    server: server.name,
    cpuMs: cpu,
    cpuPerUpdateMs: result.ok > 0 ? cpu / result.ok : NaN,
    updatesPerSec: result.ok / (result.elapsedMs / 1000),
    driverCores: (cpuMs(driver.pid) - driver0) / wall,
  };
}

/** Problems that make a run's figures meaningless: anything but 200, no answer, errors in the bot. */
export function runProblems(m: Measurement): string[] {
  const problems: string[] = [];
  const bad = Object.entries(m.statuses).filter(([code]) => code !== "200");
  if (bad.length > 0) problems.push(`${m.server}: HTTP ${bad.map(([c, n]) => `${c}×${n}`).join(", ")}`);
  if (m.errors > 0) problems.push(`${m.server}: ${m.errors} connection errors or timeouts`);
  const t = m.tally;
  // Presses still in flight when a run stops may go unanswered; no more than one per connection.
  if (t.presses - t.pressesAnswered > 40) problems.push(`${m.server}: ${t.presses - t.pressesAnswered} of ${t.presses} presses not answered`);
  if (t.messageReplies < t.messages - 40) problems.push(`${m.server}: ${t.messageReplies} replies to ${t.messages} messages`);
  if (t.errorReplies > 0) problems.push(`${m.server}: ${t.errorReplies} "something went wrong" replies`);
  if (t.floodReplies > 0) problems.push(`${m.server}: ${t.floodReplies} flood-limit replies`);
  if (t.violations.length > 0) problems.push(`${m.server}: the fake refused ${t.violations.length} calls, e.g. ${t.violations[0]}`);
  return problems;
}

/** What changes the mix but not the validity: flow steps sent before the bot had answered the one before. */
export function runNotes(m: Measurement): string[] {
  const n = m.tally.missingButtons;
  return n > 0
    ? [`${m.server}: ${n} flow steps came before the bot had answered the step before (it was that far behind) and pressed a stale button instead`]
    : [];
}

function openCount(pid: number, path: string): number {
  let n = 0;
  for (const fd of readdirSync(`/proc/${pid}/fd`)) {
    try {
      if (readlinkSync(`/proc/${pid}/fd/${fd}`) === path) n++;
    } catch {
      // closed meanwhile
    }
  }
  return n;
}

// ── The database under test ──────────────────────────────────────────────────────────────

export interface BenchDatabase {
  /** A private copy to serve from (the server writes hot state and drafts into it). */
  copy(): string;
  fixtures: LoadFixtures;
  /** How many cases it holds. */
  cases: number;
  dispose(): void;
}

/** Opens a seeded database file (read-only use) and reads the people the load plays. */
export async function benchDatabase(file: string): Promise<BenchDatabase> {
  const dir = mkdtempSync(join(tmpdir(), "hazardline-bench-"));
  const client = openClient(`file:${file}`);
  try {
    const cases = Number((await client.execute("select count(*) as n from cases")).rows[0]!.n);
    const reporters = (
      await client.execute(
        `select r.telegram_id as t, min(c.number) as number from case_reporters r join cases c on c.id = r.case_id
         group by r.telegram_id order by r.telegram_id limit 20000`,
      )
    ).rows.map((r) => ({ telegramId: Number(r.t), number: String(r.number) }));
    const staleCards = (
      await client.execute(
        `select m.telegram_id as t, c.id as id, c.version - 1 as version from cases c
         join members m on m.unit_id = c.unit_id and m.active = 1
         where c.version > 1 order by c.status in ('closed', 'rejected'), c.id limit 2000`,
      )
    ).rows.map((r) => ({ telegramId: Number(r.t), caseId: Number(r.id), version: Number(r.version) }));
    let copies = 0;
    return {
      cases,
      fixtures: { reporters, staleCards },
      copy() {
        const target = join(dir, `copy-${copies++}.db`);
        copyFileSync(file, target);
        for (const suffix of ["-wal", "-shm"]) if (existsSync(file + suffix)) copyFileSync(file + suffix, target + suffix);
        return `file:${target}`;
      },
      dispose: () => rmSync(dir, { recursive: true, force: true }),
    };
  } finally {
    client.close();
  }
}

/**
 * Flat-out load until the server has answered `updates` updates (or `maxSeconds` passed):
 * V8 optimizes a function only after many calls, and Hazardline's path runs through a lot of
 * code (drizzle, grammY, node-fetch), so its first thousand or two updates cost two or three
 * times what the later ones do. Measured runs come after this.
 */
export async function warmUp(driver: Driver, server: Server, updates: number, maxSeconds: number): Promise<number> {
  const deadline = performance.now() + maxSeconds * 1000;
  let answered = 0;
  while (answered < updates && performance.now() < deadline) {
    answered += (await driver.run(server.name, server.url, { kind: "flat", seconds: 2 })).ok;
  }
  return answered;
}
