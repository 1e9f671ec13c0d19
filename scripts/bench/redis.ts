/**
 * Benchmark section: what the Upstash hop costs. The same webhook load against two
 * Hazardline servers on the same seeded county, in turn: one with hot state in the embedded
 * libSQL file (the default), one with UPSTASH_REDIS_REST_URL/TOKEN pointing at the Upstash
 * REST shim (test/support/upstash-shim.ts) in front of a real redis-server on loopback.
 * Everything else stays in the libSQL file either way; only hot state (update claims,
 * flood counters, drafts and their locks) moves.
 */
import { startRedis } from "../../test/support/redis-server";
import { startUpstashShim } from "../../test/support/upstash-shim";
import { loadDatabase } from "./load-database";
import type { LoadMode } from "./load-protocol";
import { fmt, fmtSpread, type Spread, spread } from "./process-stats";
import type { BenchOptions, BenchSection } from "./section";
import { modeLabel, plan } from "./webhook";
import { benchDatabase, type Measurement, measure, runNotes, runProblems, type Server, startDriver, startHazardline, warmUp } from "./webhook-rig";

const TOKEN = "bench-upstash-token";
/**
 * The fixed rate: one the embedded server sustains on the two shared cores (at 200/s it
 * falls behind there, and the latencies would measure its queue, not the hop).
 */
const RATE = 100;

interface Run extends Measurement {
  rep: number;
  /** Requests the shim served during the run, and the bench process's CPU (where the shim runs), ms. */
  shimRequests: number;
  shimCpuMs: number;
}

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const p = plan(opts.quick);
  const seeded = await loadDatabase(p.cases);
  const db = await benchDatabase(seeded.file);
  const redis = await startRedis();
  const shim = await startUpstashShim({ redisUrl: redis.url, token: TOKEN });
  const driver = await startDriver();
  const servers: Server[] = [];
  const runs: Run[] = [];
  const problems: string[] = [];
  const notes: string[] = [];
  const modes: LoadMode[] = [
    { kind: "paced", rate: RATE, seconds: p.seconds },
    { kind: "flat", seconds: p.seconds },
  ];
  try {
    const embedded = await startHazardline({ name: "embedded", fake: await driver.target("embedded", db.fixtures), databaseUrl: db.copy() });
    servers.push(embedded);
    const upstash = await startHazardline({
      name: "upstash",
      fake: await driver.target("upstash", db.fixtures),
      databaseUrl: db.copy(),
      redis: { url: shim.url, token: TOKEN },
    });
    servers.push(upstash);
    for (const server of servers) await warmUp(driver, server, p.warmupUpdates, p.warmupSeconds);

    for (let rep = 1; rep <= p.reps; rep++) {
      for (const server of servers) {
        for (const mode of modes) {
          const requests0 = shim.requests;
          const cpu0 = process.cpuUsage();
          const m = await measure(driver, server, mode);
          const cpu = process.cpuUsage(cpu0);
          runs.push({ ...m, rep, shimRequests: shim.requests - requests0, shimCpuMs: (cpu.user + cpu.system) / 1000 });
          problems.push(...runProblems(m).map((x) => `run ${rep}, ${modeLabel(mode)}: ${x}`));
          notes.push(...runNotes(m).map((x) => `run ${rep}, ${modeLabel(mode)}: ${x}`));
        }
      }
    }
  } finally {
    await Promise.all(servers.map((s) => s.stop()));
    await driver.stop();
    await shim.stop();
    await redis.stop();
    db.dispose();
  }

  const of = (server: string, label: string, pick: (r: Run) => number): Spread =>
    spread(runs.filter((r) => r.server === server && modeLabel(r.mode) === label).map(pick));
  const ratio = (label: string, pick: (r: Run) => number): Spread => {
    const values: number[] = [];
    for (let rep = 1; rep <= p.reps; rep++) {
      const u = runs.find((r) => r.rep === rep && r.server === "upstash" && modeLabel(r.mode) === label);
      const e = runs.find((r) => r.rep === rep && r.server === "embedded" && modeLabel(r.mode) === label);
      if (u && e) values.push(pick(u) / pick(e));
    }
    return spread(values);
  };
  const labels = modes.map(modeLabel);
  const rows = [
    "| hot state | load | updates/s | p50 ms | p99 ms | CPU ms/update (server) | shim round trips/update |",
    "|---|---|---:|---:|---:|---:|---:|",
  ];
  for (const server of ["embedded", "upstash"]) {
    for (const label of labels) {
      rows.push(
        `| ${server === "embedded" ? "embedded (libSQL file)" : "Upstash (REST shim → redis-server)"} | ${label} | ${fmtSpread(of(server, label, (r) => r.updatesPerSec))} | ${fmtSpread(of(server, label, (r) => r.p50))} | ${fmtSpread(of(server, label, (r) => r.p99))} | ${fmtSpread(of(server, label, (r) => r.cpuPerUpdateMs))} | ${server === "upstash" ? fmt(of(server, label, (r) => r.shimRequests / r.ok).median) : ""} |`,
      );
    }
  }
  const at = `${RATE}/s`;
  const trips = of("upstash", at, (r) => r.shimRequests / r.ok).median;
  const p50Delta = of("upstash", at, (r) => r.p50).median - of("embedded", at, (r) => r.p50).median;
  const cpuRatio = ratio(at, (r) => r.cpuPerUpdateMs);
  const flatRatio = ratio("flat out", (r) => r.updatesPerSec);
  const shimCpu = of("upstash", at, (r) => r.shimCpuMs / r.ok).median;
  const markdown = [
    `Two Hazardline servers (\`node dist/node.mjs\`, as \`npm start\` runs it, webhook mode) on copies of the seeded county (${db.cases.toLocaleString("en")} cases), the webhook section's update stream, each warmed, then ${p.reps} repetitions of ${p.seconds} s at ${RATE} updates/s (open loop; a rate the embedded server keeps up with here, so that the latencies are the hop's and not a queue's) and flat out (autocannon, 40 connections), the two servers in turn. The Upstash one reaches a real redis-server through the project's Upstash REST shim on loopback, with the real @upstash/redis client: one HTTP request per hot-state operation.`,
    "",
    ...rows,
    "",
    `- Each update makes about ${fmt(trips)} hot-state round trips (the update claim and its "done" mark, the flood counter, the person's lock taken with the read of their conversation, the conversation written as the lock is released). At ${RATE}/s the median acknowledgement was ${fmt(Math.abs(p50Delta))} ms ${p50Delta >= 0 ? "longer" : "shorter"} with it here, on loopback; to a real Upstash region add about ${fmt(trips)} × its round-trip time (e.g. ${fmt(trips * 2)} ms at 2 ms, ${fmt(trips * 20)} ms at 20 ms across regions), since they run one after another.`,
    `- The server's CPU per update, Upstash over embedded: ${fmtSpread(cpuRatio)}× at ${RATE}/s (an HTTP request through undici per operation against a SQLite statement and commit); flat-out throughput ${fmtSpread(flatRatio)}× the embedded store's. The shim and redis-server run on the same two cores (the shim in the bench process: about ${fmt(shimCpu)} ms CPU per update), so flat out they take CPU the server would otherwise have.`,
    problems.length === 0
      ? "- No run had a problem (every update answered 200, every press answered, no error replies)."
      : `- **Problems (these runs' figures are not to be trusted):**\n${problems
          .slice(0, 20)
          .map((x) => `  - ${x}`)
          .join("\n")}`,
    ...notes.slice(0, 10).map((x) => `- Note: ${x}.`),
  ].join("\n");

  return {
    title: "The Upstash hop",
    markdown,
    summary: [
      {
        metric: `Upstash hot state: p50 / p99 at ${RATE} updates/s (embedded)`,
        value: `${fmt(of("upstash", at, (r) => r.p50).median)} / ${fmt(of("upstash", at, (r) => r.p99).median)} ms (${fmt(of("embedded", at, (r) => r.p50).median)} / ${fmt(of("embedded", at, (r) => r.p99).median)} ms)`,
      },
      { metric: `Upstash hot state: CPU per update over embedded (${RATE}/s)`, value: `${fmtSpread(cpuRatio)}×` },
      { metric: "Upstash hot state: round trips per update", value: fmt(trips) },
    ],
  };
}
