/**
 * Benchmark section: the console's lists and map over the seeded county (load-database.ts),
 * server side: each request through the console's own Hono app (launch data checked, the
 * member read, the query checked, the service's SQL, the JSON written), in process, with no
 * network in between. Several filter combinations, as a dispatcher (the whole office) and as
 * a liaison (one unit's cases); p50 and p99 of many requests each. Target: ≤ 200 ms.
 */
import { Api } from "grammy";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import { openClient } from "../../db/node-client";
import { members, regions, units } from "../../db/schema";
import { createConsole } from "../../src/console";
import { signInitData } from "../../src/console/init-data";
import { memoryLogger } from "../../src/log";
import { createServices } from "../../src/services";
import type { Clock } from "../../src/services/clock";
import { TEST_TOKEN } from "../../test/support/fake-bot-api";
import { loadDatabase } from "./load-database";
import { fmt, percentile } from "./process-stats";
import type { BenchOptions, BenchSection } from "./section";

export const CONSOLE_TARGET_MS = 200;
const TZ = "Asia/Shanghai";

interface Row {
  name: string;
  p50: number;
  p99: number;
  note: string;
}

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const size = opts.quick ? 10_000 : 100_000;
  const requests = opts.quick ? 20 : 60;
  const { file, summary } = await loadDatabase(size);
  const client = openClient(`file:${file}`);
  try {
    const db = createDb(client);
    const now = summary.now;
    const clock: Clock = { now: () => now };
    const services = createServices({
      db,
      kv: libsqlHotState(db, clock.now),
      clock,
      log: memoryLogger(),
      officeTz: TZ,
      claimSecret: TEST_TOKEN,
      api: new Api(TEST_TOKEN, { apiRoot: "http://127.0.0.1:9" }),
    });
    const app = createConsole({ services, botToken: TEST_TOKEN, officeTz: TZ });
    const staff = await db.select({ telegramId: members.telegramId, unitId: members.unitId, roles: members.roles }).from(members);
    const dispatcher = staff.find((m) => m.roles.includes("dispatcher"))!;
    const liaison = staff.find((m) => m.roles.includes("liaison"))!;
    const town = (await db.select({ id: regions.id, level: regions.level }).from(regions)).find((r) => r.level === "town")!.id;
    const unit = (await db.select({ id: units.id, kind: units.kind }).from(units)).find((u) => u.kind === "territorial")!.id;
    const auth = async (telegramId: number) => `tma ${await signInitData({ id: telegramId, first_name: "bench" }, TEST_TOKEN, now)}`;
    const as = { dispatcher: await auth(dispatcher.telegramId), liaison: await auth(liaison.telegramId) };

    const cases: Array<[string, keyof typeof as, string]> = [
      ["cases: all, first page, sorted by due date", "dispatcher", "cases?view=all"],
      ["cases: all, page 200, sorted by age", "dispatcher", "cases?view=all&sort=age&page=200"],
      ["cases: open", "dispatcher", "cases?view=open"],
      ["cases: overdue", "dispatcher", "cases?view=overdue"],
      ["cases: triage queue", "dispatcher", "cases?view=queue"],
      ["cases: listed for supervision", "dispatcher", "cases?view=supervised"],
      [`cases: one town (${town}), open, hazards`, "dispatcher", `cases?view=open&region=${town}&kind=hazard`],
      [`cases: one unit (${unit}), closed`, "dispatcher", `cases?unit=${unit}&status=closed`],
      ["cases: words in the description, none match (a whole scan)", "dispatcher", `cases?q=${encodeURIComponent("safety")}`],
      ["cases: words in the description, many match", "dispatcher", `cases?q=${encodeURIComponent("fire exit")}`],
      ["cases: a liaison's unit, all", "liaison", "cases?view=all"],
      ["map: all open with a pin", "dispatcher", "map"],
      [`map: one town (${town})`, "dispatcher", `map?region=${town}`],
      ["map: a liaison's unit", "liaison", "map"],
    ];
    const rows: Row[] = [];
    for (const [name, who, path] of cases) {
      const fetchIt = async () => {
        const res = await app.request(`/api/${path}`, { headers: { Authorization: as[who] } });
        if (res.status !== 200) throw new Error(`${path}: ${res.status} ${await res.text()}`);
        return (await res.json()) as { total: number };
      };
      let last = await fetchIt(); // warm-up
      const ms: number[] = [];
      for (let i = 0; i < requests; i++) {
        const t0 = performance.now();
        last = await fetchIt();
        ms.push(performance.now() - t0);
      }
      rows.push({ name, p50: percentile(ms, 50), p99: percentile(ms, 99), note: `${last.total.toLocaleString("en")} matched` });
    }
    const worst = rows.reduce((a, b) => (b.p99 > a.p99 ? b : a));
    const met = worst.p99 <= CONSOLE_TARGET_MS;
    const markdown = [
      `The seeded county at ${size / 1000}k cases, each request through the console's Hono app in process (launch data checked, ` +
        `the member read, the query checked, the SQL, the JSON), the clock at the seed's \`now\`; one warm-up, then ${requests} requests each. ` +
        "A list answers one page (50), its total and the counts beside every filter (seven GROUP BY queries); the map up to 2,000 markers and the total.",
      "",
      "| request | p50 ms | p99 ms | matched |",
      "|---|---:|---:|---|",
      ...rows.map((r) => `| ${r.name} | ${fmt(r.p50)} | ${fmt(r.p99)} | ${r.note} |`),
      "",
      `Slowest p99: ${fmt(worst.p99)} ms (${worst.name}); target ≤ ${CONSOLE_TARGET_MS} ms: ${met ? "met" : "missed"}.`,
    ].join("\n");
    return {
      title: "Console: lists and map",
      markdown,
      summary: [
        {
          metric: `console lists and map at ${size / 1000}k cases, slowest p99`,
          value: `${fmt(worst.p99)} ms`,
          target: `≤ ${CONSOLE_TARGET_MS} ms`,
          met,
        },
      ],
    };
  } finally {
    client.close();
  }
}
