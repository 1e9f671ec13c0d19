/**
 * Benchmark section: the Workers bundle, its size and what it costs per update in workerd.
 *
 * The bundle is what `wrangler deploy --dry-run` makes (the same command as
 * `npm run build:worker` and test/workers/), measured raw and gzipped, with what is in it by
 * package from esbuild's metafile. Then it runs in workerd through Miniflare, as the tests
 * run it, against a real libSQL server (sqld over HTTP, as Turso) and the fake Bot API.
 *
 * CPU per update: workerd reports no CPU time per request locally (a tail worker's trace
 * items carry cpuTime 0, checked here on every run), so this reads the CPU the whole workerd
 * process used over a batch of updates from /proc. That includes workerd's own work (HTTP in
 * and out, its threads), so it is an upper bound on what Cloudflare would bill the isolate.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync } from "node:fs";
import { createServer } from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { gzipSync } from "node:zlib";
import type { Update } from "grammy/types";
import { Miniflare, type MiniflareOptions } from "miniflare";
import { FakeBotApi, TEST_TOKEN } from "../../test/support/fake-bot-api";
import { person } from "../../test/support/people";
import { startSqld } from "../../test/support/sqld";
import { cpuMs, fmt, fmtSpread, formatBytes, spread } from "./process-stats";
import type { BenchOptions, BenchSection } from "./section";
import { ROOT } from "./webhook-rig";

export const BUNDLE_TARGET_GZIP = 1024 * 1024;
/** Cloudflare's CPU limit per invocation on the free plan; the paid plans allow far more. */
const FREE_PLAN_CPU_MS = 10;
const SECRET = "bench_worker_secret";

function plan(quick: boolean) {
  return quick ? { batches: 2, perBatch: 40, ticks: 5 } : { batches: 3, perBatch: 150, ticks: 20 };
}

interface Build {
  dir: string;
  seconds: number;
  rawBytes: number;
  gzipBytes: number;
  /** Wrangler's own "Total Upload: … / gzip: …" line. */
  wranglerSays: string | null;
  byPackage: Array<{ name: string; bytes: number }>;
}

export function build(): Build {
  const dir = mkdtempSync(join(tmpdir(), "hazardline-bundle-"));
  const meta = join(dir, "meta.json");
  const out = join(dir, "out");
  const t0 = performance.now();
  const said = execFileSync(join(ROOT, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", out, "--metafile", meta], {
    cwd: ROOT,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: "pipe",
  }).toString();
  const seconds = (performance.now() - t0) / 1000;
  // What is uploaded: the modules, not the source map or wrangler's README.
  const files = readdirSync(out).filter((f) => !f.endsWith(".map") && f !== "README.md");
  const bytes = Buffer.concat(files.map((f) => readFileSync(join(out, f))));
  const metafile = JSON.parse(readFileSync(meta, "utf8")) as { outputs: Record<string, { inputs: Record<string, { bytesInOutput: number }> }> };
  const output = Object.entries(metafile.outputs).find(([name]) => name.endsWith(".js"))?.[1];
  const byPackage = new Map<string, number>();
  for (const [input, { bytesInOutput }] of Object.entries(output?.inputs ?? {})) {
    const name = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(input)?.[1] ?? `${input.split("/").slice(0, 2).join("/")} (ours)`;
    byPackage.set(name, (byPackage.get(name) ?? 0) + bytesInOutput);
  }
  return {
    dir,
    seconds,
    rawBytes: files.reduce((n, f) => n + statSync(join(out, f)).size, 0),
    gzipBytes: gzipSync(bytes).length,
    wranglerSays: /Total Upload:[^\n]*/.exec(said)?.[0]?.trim() ?? null,
    byPackage: [...byPackage].map(([name, bytes]) => ({ name, bytes })).sort((a, b) => b.bytes - a.bytes),
  };
}

/** The workerd processes among this process's children. */
export function workerdPids(): Set<number> {
  const pids = new Set<number>();
  for (const entry of readdirSync("/proc")) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, "utf8");
      const name = stat.slice(stat.indexOf("(") + 1, stat.lastIndexOf(")"));
      const parent = Number(stat.slice(stat.lastIndexOf(")") + 2).split(" ")[1]);
      if (name.includes("workerd") && parent === process.pid) pids.add(Number(entry));
    } catch {
      // gone meanwhile
    }
  }
  return pids;
}

/** The compatibility date and flags wrangler.toml deploys with, as test/workers reads them. */
function compatibility(): { compatibilityDate: string; compatibilityFlags: string[] } {
  const toml = readFileSync(join(ROOT, "wrangler.toml"), "utf8");
  return {
    compatibilityDate: /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)![1]!,
    compatibilityFlags: [...(/^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
  };
}

export function workerOptions(build: Build, bindings: Record<string, string>): MiniflareOptions {
  return {
    name: "hazardline",
    modules: true,
    scriptPath: join(build.dir, "out", "worker.js"),
    modulesRoot: join(build.dir, "out"),
    ...compatibility(),
    bindings,
  };
}

const post = (mf: Miniflare, update: Update) =>
  mf.dispatchFetch("http://hazardline.test/telegram", {
    method: "POST",
    headers: { "content-type": "application/json", "X-Telegram-Bot-Api-Secret-Token": SECRET },
    body: JSON.stringify(update),
  });

/** A citizen's first steps: /start (a new user is stored), /help, /my (their cases), /status of a number. */
function updates(count: number, firstId: number): Update[] {
  return Array.from({ length: count }, (_, i) => {
    const who = person({ id: firstId + Math.floor(i / 4), language_code: i % 8 < 4 ? "zh-hans" : "en" });
    return [() => who.says("/start"), () => who.says("/help"), () => who.says("/my"), () => who.says("/status YH-20261125-0042")][i % 4]!();
  });
}

interface WorkerdRun {
  coldMs: number;
  perUpdate: number[];
  wallPerUpdate: number[];
  perTick: number | null;
  traceCpu: number[];
  statuses: Record<string, number>;
}

async function runInWorkerd(b: Build, p: ReturnType<typeof plan>): Promise<WorkerdRun> {
  const [fake, sqld] = await Promise.all([FakeBotApi.start(), startSqld()]);
  const bindings = {
    BOT_TOKEN: TEST_TOKEN,
    WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: sqld.url,
    BOT_INFO: JSON.stringify(fake.botInfo),
  };
  const statuses: Record<string, number> = {};
  const count = async (res: { status: number; arrayBuffer(): Promise<ArrayBuffer> }) => {
    await res.arrayBuffer();
    statuses[res.status] = (statuses[res.status] ?? 0) + 1;
  };
  try {
    // 1. What a tail worker sees of each request's CPU time in local workerd.
    const traces: number[] = [];
    const sink = createServer((req, res) => {
      let body = "";
      req.on("data", (c: Buffer) => (body += c.toString()));
      req.on("end", () => {
        for (const item of JSON.parse(body) as Array<{ cpuTime: number }>) traces.push(item.cpuTime);
        res.end();
      });
    });
    await new Promise<void>((resolve) => sink.listen(0, "127.0.0.1", resolve));
    const sinkUrl = `http://127.0.0.1:${(sink.address() as AddressInfo).port}/`;
    const traced = new Miniflare({
      workers: [
        { ...workerOptions(b, bindings), tails: ["tail"] } as never,
        {
          name: "tail",
          modules: true,
          compatibilityDate: compatibility().compatibilityDate,
          script: `export default { async tail(events) { await fetch(${JSON.stringify(sinkUrl)}, { method: "POST", body: JSON.stringify(events.map((e) => ({ cpuTime: e.cpuTime }))) }); } };`,
        },
      ],
    });
    try {
      await traced.ready;
      for (const u of updates(4, 880_000)) await count(await post(traced, u));
      for (let i = 0; i < 50 && traces.length < 4; i++) await new Promise((r) => setTimeout(r, 20));
    } finally {
      await traced.dispose();
      sink.close();
    }

    // 2. The CPU of the whole workerd process, per update, without the tail worker.
    const before = workerdPids();
    const mf = new Miniflare(workerOptions(b, bindings));
    try {
      await mf.ready;
      const pid = [...workerdPids()].find((id) => !before.has(id));
      if (pid === undefined) throw new Error("cannot find the workerd process Miniflare started");
      const c0 = cpuMs(pid);
      await count(await post(mf, updates(1, 890_000)[0]!));
      const coldMs = cpuMs(pid) - c0;
      const perUpdate: number[] = [];
      const wallPerUpdate: number[] = [];
      for (let batch = 0; batch < p.batches; batch++) {
        const stream = updates(p.perBatch, 900_000 + batch * 10_000);
        const cpu0 = cpuMs(pid);
        const t0 = performance.now();
        for (const u of stream) await count(await post(mf, u));
        wallPerUpdate.push((performance.now() - t0) / stream.length);
        perUpdate.push((cpuMs(pid) - cpu0) / stream.length);
      }
      // tick(now) on the cron trigger with nothing due (an empty county): the floor of a minute's work.
      const worker = await mf.getWorker();
      const start = Date.parse("2026-11-25T02:00:00Z");
      await worker.scheduled({ cron: "* * * * *", scheduledTime: new Date(start) }); // the day's first: the digest's check
      const cpu0 = cpuMs(pid);
      for (let i = 1; i <= p.ticks; i++) await worker.scheduled({ cron: "* * * * *", scheduledTime: new Date(start + i * 60_000) });
      const perTick = (cpuMs(pid) - cpu0) / p.ticks;
      return { coldMs, perUpdate, wallPerUpdate, perTick, traceCpu: traces, statuses };
    } finally {
      await mf.dispose();
    }
  } finally {
    await Promise.all([fake.stop(), sqld.stop()]);
  }
}

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const p = plan(opts.quick);
  const b = build();
  try {
    const w = await runInWorkerd(b, p);
    const met = b.gzipBytes <= BUNDLE_TARGET_GZIP;
    const cpu = spread(w.perUpdate);
    const wall = spread(w.wallPerUpdate);
    const total = b.byPackage.reduce((n, x) => n + x.bytes, 0);
    const top = b.byPackage.slice(0, 10);
    const traceZero = w.traceCpu.length > 0 && w.traceCpu.every((c) => c === 0);
    const bad = Object.entries(w.statuses).filter(([s]) => s !== "200");

    const markdown = [
      `\`wrangler deploy --dry-run\` (${fmt(b.seconds)} s): **${formatBytes(b.rawBytes)} raw, ${formatBytes(b.gzipBytes)} gzipped** (target ≤ ${formatBytes(BUNDLE_TARGET_GZIP)} gzip: ${met ? "met" : "missed"}). ` +
        `Wrangler says: \`${b.wranglerSays ?? "(no size line)"}\`.`,
      "",
      "What is in it, by package (bytes in the raw bundle, from esbuild's metafile):",
      "",
      "| package | raw | share |",
      "|---|---:|---:|",
      ...top.map((x) => `| ${x.name} | ${formatBytes(x.bytes)} | ${fmt((x.bytes / total) * 100)} % |`),
      `| everything else | ${formatBytes(total - top.reduce((n, x) => n + x.bytes, 0))} | ${fmt(((total - top.reduce((n, x) => n + x.bytes, 0)) / total) * 100)} % |`,
      "",
      `CPU in workerd (Miniflare, the same bundle, against sqld over HTTP and the fake Bot API). ` +
        `Per-request CPU is not observable locally: a tail worker's trace items said cpuTime ${w.traceCpu.length > 0 ? w.traceCpu.join(", ") : "(none arrived)"} ms${traceZero ? ", i.e. not measured" : ""}. ` +
        `So the figures are the CPU the workerd process used (all its threads, HTTP to sqld and Telegram included) divided by the updates: an upper bound on the isolate's billed CPU.`,
      "",
      "| | value |",
      "|---|---:|",
      `| first update after start (isolate, app and first connection) | ${fmt(w.coldMs)} ms CPU |`,
      `| per update, warm: ${p.batches} batches of ${p.perBatch} (/start, /help, /my, /status in turn) | ${fmtSpread(cpu, " ms")} CPU |`,
      `| wall time per update, one at a time | ${fmtSpread(wall, " ms")} |`,
      `| tick(now) on the cron trigger, nothing due, per tick (${p.ticks}) | ${w.perTick === null ? "n/a" : `${fmt(w.perTick)} ms CPU`} |`,
      "",
      `/proc counts CPU in 10 ms ticks, hence batches. Against Cloudflare's ${FREE_PLAN_CPU_MS} ms per invocation on the free plan (the paid plans allow 30 s), the warm median is ${fmt(cpu.median)} ms. ` +
        `For the CPU per update of the Node entry on a full county, see the webhook section (it measures it; not repeated here).`,
      ...(bad.length > 0 ? ["", `Answers other than 200: ${bad.map(([s, n]) => `${n} × ${s}`).join(", ")}.`] : []),
    ].join("\n");

    return {
      title: "Workers bundle",
      markdown,
      summary: [
        {
          metric: "Workers bundle, gzip (raw)",
          value: `${formatBytes(b.gzipBytes)} (${formatBytes(b.rawBytes)})`,
          target: `≤ ${formatBytes(BUNDLE_TARGET_GZIP)}`,
          met,
        },
        {
          metric: "CPU per update in workerd, whole process (upper bound; median), beside the free plan's limit",
          value: `${fmt(cpu.median)} ms`,
          target: `≤ ${FREE_PLAN_CPU_MS} ms`,
          met: cpu.median <= FREE_PLAN_CPU_MS,
        },
      ],
    };
  } finally {
    rmSync(b.dir, { recursive: true, force: true });
  }
}
