/**
 * Benchmark section: the Node server's resident memory, from the same session as the
 * webhook section (webhook.ts): started on the seeded county, after the warm-up, and after
 * the whole webhook load, with the peak (VmHWM), read from /proc/<pid>/status of the serving
 * process. Beside it, the bare grammY bot read the same way, and idle node processes with and
 * without tsx, so that what is Hazardline's own can be told from what every Node + tsx
 * process carries.
 */
import { fmt } from "./process-stats";
import type { BenchOptions, BenchSection } from "./section";
import { BARE, HAZARDLINE, TARGETS, webhookSession } from "./webhook";

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const s = await webhookSession(opts);
  const { idle, hazardline, bare } = s.memory;
  const mb = (x: number) => `${fmt(x)} MB`;
  const updates = (server: string) => s.runs.filter((r) => r.server === server).reduce((a, r) => a + r.ok, 0);
  const after = hazardline.afterLoad;
  const cell = (m: { rssMb: number; peakMb: number }) => `${mb(m.rssMb)} (${mb(m.peakMb)})`;
  // Where the peak was reached: the first reading whose peak so far is within 2 MB of the last.
  const peakAt = (m: typeof hazardline) =>
    m.started.peakMb >= m.afterLoad.peakMb - 2 ? "at start-up" : m.warm.peakMb >= m.afterLoad.peakMb - 2 ? "in the warm-up" : "in the measured runs";
  const markdown = [
    `Resident memory of each server process (VmRSS, and the peak VmHWM), read from /proc in the webhook section's run: once started on the seeded county (${s.cases.toLocaleString("en")} cases; they live in the database file and SQLite's page cache, not in the JavaScript heap), after the warm-up (${s.plan.warmupUpdates.toLocaleString("en")} updates, flat out), and after the measured loads (${updates(HAZARDLINE).toLocaleString("en")} more updates for Hazardline, ${updates(BARE).toLocaleString("en")} for the bare bot).`,
    "",
    "RSS, with the peak so far in brackets:",
    "",
    "| process | after start | after the warm-up | after the load |",
    "|---|---:|---:|---:|",
    `| Hazardline (\`node dist/node.mjs\`, as \`npm start\` runs it) | ${cell(hazardline.started)} | ${cell(hazardline.warm)} | ${cell(after)} |`,
    `| bare grammY bot (\`node dist/bare-bot.mjs\`, compiled the same way) | ${cell(bare.started)} | ${cell(bare.warm)} | ${cell(bare.afterLoad)} |`,
    `| idle \`node -e …\` | ${mb(idle.node.rssMb)} | | |`,
    `| idle \`node --import tsx -e …\` | ${mb(idle.tsx.rssMb)} | | |`,
    `| the \`tsx\` command's own process (idle \`tsx -e …\`; its child not counted) | ${mb(idle.tsxCommand.rssMb)} | | |`,
    "",
    `- tsx's loader would add about ${mb(idle.tsx.rssMb - idle.node.rssMb)} to a node process (Node runs module hooks in a thread of their own, with its own V8 heap): \`npm start\` compiles the server first (scripts/build-server.ts) and runs it with plain node, and both servers here run so. The tsx command (\`tsx src/node.ts\`) would keep a process of its own beside the server, another ${mb(idle.tsxCommand.rssMb)}.`,
    `- Hazardline over the bare bot on the same stack, after the load: ${mb(after.rssMb - bare.afterLoad.rssMb)}: drizzle and the schema, the libSQL native module, the Fluent bundles, croner, chinese-days, the handlers, and ${s.dbConnections} open connections to the database file. @libsql/client keeps a pool of up to 20 connections, opening another whenever a statement starts while the others are borrowed, which with 40 updates in flight is soon; each has its own SQLite page cache (up to about 2 MB) and prepared schema, and in WAL mode a connection drops its cache whenever another has committed since it last read.`,
    `- ${peakAt(hazardline) === peakAt(bare) ? `Both peaks came ${peakAt(hazardline)}` : `Hazardline's peak came ${peakAt(hazardline)}, the bare bot's ${peakAt(bare)}`}. Growth under load is mostly V8 keeping a larger heap after busy minutes (it gives memory back lazily): the bare bot grew ${mb(bare.afterLoad.rssMb - bare.started.rssMb)} under the same stream, Hazardline ${mb(after.rssMb - hazardline.started.rssMb)}, allocating more per update (drizzle's query objects, rows, three Bot API calls per button).`,
    ...(after.rssMb > TARGETS.rssMb
      ? [
          "",
          `**Over the target of ${TARGETS.rssMb} MB.** What would move it: V8's heap limits (\`--max-old-space-size\`, \`--max-semi-space-size\`), which make it collect sooner rather than grow, at some CPU; fewer libSQL connections (the \`concurrency\` option of \`createClient\`; ${s.dbConnections} were open, and one thread gains nothing from more than a couple, but a pool smaller than the transactions open at once fails them rather than waiting); running without \`--enable-source-maps\`, which keeps the bundle's source map decoded in memory (about 14 MB after start, in one reading by hand, not by this bench), at the price of stack traces in the log that point into dist/node.mjs.`,
        ]
      : []),
  ].join("\n");
  return {
    title: "Memory",
    markdown,
    summary: [
      { metric: `Server RSS after start on ${s.cases.toLocaleString("en")} cases`, value: mb(hazardline.started.rssMb) },
      {
        metric: "Server RSS after the webhook load (peak)",
        value: `${mb(after.rssMb)} (peak ${mb(after.peakMb)})`,
        target: `≤ ${TARGETS.rssMb} MB`,
        met: after.rssMb <= TARGETS.rssMb,
      },
    ],
  };
}
