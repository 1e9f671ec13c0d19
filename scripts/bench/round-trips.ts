/**
 * Benchmark section: storage round trips per update in the Workers configuration. On Workers
 * every statement is an HTTP request to Turso and every hot-state operation one to Upstash, one
 * after another, so the count is what a person waits for: at 20 ms a round trip, a button that
 * makes 10 of them answers after 200 ms.
 *
 * The app is built in this process with the storage a Worker opens (src/workers-storage.ts):
 * the database over HTTP against a real libSQL server (sqld, as Turso), and hot state either on
 * Upstash (the REST shim in front of a real redis-server) or, without Upstash, in the same
 * database. Citizens walk the report flow through the webhook, one update at a time. Every
 * request the database client sends is counted at its `fetch`, with the statements it carried,
 * and every request the Upstash client sends at the shim; the hot-state operations are named
 * by a recording wrapper around the port. Counts are exact, not timed: the section runs in a
 * few seconds and needs no repetitions.
 */
import type { Update } from "grammy/types";
import { createDb } from "../../db/client";
import { libsqlHotState } from "../../db/hot-state-libsql";
import type { HotState } from "../../src/services/hot-state";
import { openWorkersClient, workersHotState } from "../../src/workers-storage";
import { seedSmallCounty } from "../../test/support/county";
import { type Harness, startHarness } from "../../test/support/harness";
import { type Person, person } from "../../test/support/people";
import { startRedis } from "../../test/support/redis-server";
import { startSqld } from "../../test/support/sqld";
import { startUpstashShim } from "../../test/support/upstash-shim";
import type { BenchOptions, BenchSection, BenchSummaryLine } from "./section";

/** The round trip the issue models: a Worker and its database in different places. */
const ROUND_TRIP_MS = 20;
/** At most this many round trips before the answer (issue 18). */
const TARGETS = { answer: 3, submission: 4 } as const;
const TOKEN = "bench-round-trips-token";

type StepKind = "command" | "flow button" | "typed answer" | "submission";

interface Step {
  kind: StepKind;
  /** What the person does: a label to press on the newest keyboard, or text to type. */
  press?: string;
  say?: string;
}

/** The report flow as a citizen takes it, anonymously and without photos (test/support/flows.ts with the address typed). */
const JOURNEY: Step[] = [
  { kind: "command", say: "/report" },
  { kind: "flow button", press: "安全隐患" },
  { kind: "flow button", press: "建筑施工" },
  { kind: "flow button", press: "城关镇" },
  { kind: "typed answer", say: "城关镇工业路 18 号" },
  { kind: "typed answer", say: "塔吊司机没有证，吊钩下面常有人走动。" },
  { kind: "flow button", press: "跳过" },
  { kind: "flow button", press: "一般" },
  { kind: "flow button", press: "匿名" },
  { kind: "flow button", press: "不需要" },
  { kind: "submission", press: "提交" },
  { kind: "command", say: "/status" },
];

interface Counted {
  /** Requests to the database (each an HTTP round trip), with the statements each carried. */
  database: string[][];
  /** Requests to Upstash. */
  upstash: number;
  /** The hot-state operations, by name. */
  hot: string[];
}

interface StepResult {
  step: Step;
  /** Until the webhook's 200; then what the update's background work (the outbox's drain) added. */
  answer: Counted;
  after: Counted;
}

interface Configuration {
  name: string;
  /** Per citizen, per step of JOURNEY. */
  walks: StepResult[][];
}

function plan(quick: boolean) {
  return { citizens: quick ? 2 : 10 };
}

/** A counter of the database client's requests, through the `fetch` it is given. */
function countingFetch() {
  const requests: string[][] = [];
  const statementsOf = hranaReader();
  const fetchAndCount = async (input: RequestInfo | URL, init?: RequestInit): Promise<Response> => {
    const request = new Request(input, init);
    requests.push(statementsOf(await request.clone().json()));
    return fetch(request);
  };
  return { fetch: fetchAndCount as typeof globalThis.fetch, requests };
}

type Stmt = { sql?: string; sql_id?: number };
type Steps = { steps: Array<{ stmt: Stmt }> };
type Body = { requests?: Array<{ type: string; stmt?: Stmt; batch?: Steps; sql?: string; sql_id?: number }>; batch?: Steps };

/**
 * What one Hrana request over HTTP carried (a pipeline of requests, or a cursor's batch), for
 * the report. A stream may store a statement's text once and name it by id after
 * (`store_sql`); the walk is one request at a time, so one table of ids serves.
 */
function hranaReader() {
  const stored = new Map<number, string>();
  const text = (stmt?: Stmt) => stmt?.sql ?? (stmt?.sql_id !== undefined ? stored.get(stmt.sql_id) : undefined) ?? "?";
  const steps = (batch?: Steps) => (batch?.steps ?? []).map((s) => text(s.stmt));
  return (body: Body): string[] => {
    if (body.batch) return steps(body.batch);
    return (body.requests ?? []).flatMap((r) => {
      if (r.type === "store_sql" && r.sql_id !== undefined && r.sql !== undefined) stored.set(r.sql_id, r.sql);
      return r.type === "execute" ? [text(r.stmt)] : r.type === "batch" ? steps(r.batch) : [];
    });
  };
}

/** The outbox's or the archive's look for due rows, which every update's drain starts with. */
const isDrainLook = (statements: string[]) =>
  statements.length === 1 && /^select "(id|file_unique_id)" from "(outbox|archive_files)" where/.test(statements[0]!);

async function walk(h: Harness, who: Person, snapshot: () => Counted): Promise<StepResult[]> {
  const results: StepResult[] = [];
  const settle = () => h.hazardline.settle();
  const minus = (a: Counted, b: Counted): Counted => ({
    database: a.database.slice(b.database.length),
    upstash: a.upstash - b.upstash,
    hot: a.hot.slice(b.hot.length),
  });
  for (const step of JOURNEY) {
    let update: Update;
    if (step.say !== undefined) update = who.says(step.say);
    else {
      const keyboard = h.fake.lastKeyboard(who.id);
      const button = keyboard?.buttons.find((b) => b.text.includes(step.press!));
      if (!keyboard || !button?.callback_data) throw new Error(`no button ${step.press} under "${keyboard?.text}"`);
      update = who.presses(button.callback_data, { message_id: keyboard.messageId });
    }
    await settle();
    const start = snapshot();
    const res = await h.post(update);
    if (res.status !== 200) throw new Error(`${step.say ?? step.press}: the webhook answered ${res.status}`);
    const answered = snapshot();
    await settle();
    // The drain's looks start as the answer leaves (src/app.ts, afterUpdate) and may be sent
    // before the 200 arrives here; they do not delay it, so they are counted after it.
    const during = minus(answered, start);
    const looks = during.database.filter(isDrainLook);
    const answer = { ...during, database: during.database.filter((r) => !isDrainLook(r)) };
    const after = minus(snapshot(), answered);
    results.push({ step, answer, after: { ...after, database: [...looks, ...after.database] } });
  }
  const submitted = h.fake.sentTexts(who.id).some((t) => /编号：YH-\d{8}-\d{4}/.test(t));
  if (!submitted) throw new Error(`citizen ${who.id} got no tracking number`);
  return results;
}

async function measureConfiguration(name: string, citizens: number, hotOnUpstash: boolean): Promise<Configuration> {
  const sqld = await startSqld();
  const redis = hotOnUpstash ? await startRedis() : undefined;
  const shim = redis ? await startUpstashShim({ redisUrl: redis.url, token: TOKEN }) : undefined;
  const counting = countingFetch();
  const client = openWorkersClient({ url: sqld.url }, counting.fetch);
  const hot = named(shim ? workersHotState({ url: shim.url, token: TOKEN }) : libsqlHotState(createDb(client), () => Date.now()));
  let h: Harness | undefined;
  try {
    await seedSmallCounty(createDb(client));
    h = await startHarness({ database: { url: sqld.url, client, dispose: () => client.close() }, hotState: hot });
    const snapshot = (): Counted => ({ database: [...counting.requests], upstash: shim?.requests ?? 0, hot: [...hot.operations] });
    const walks: StepResult[][] = [];
    for (let i = 0; i < citizens; i++) walks.push(await walk(h, person({ id: 880_000 + i, first_name: "李" }), snapshot));
    return { name, walks };
  } finally {
    await h?.stop();
    await shim?.stop();
    await redis?.stop();
    await sqld.stop();
  }
}

/** The hot-state port with each operation named as it is called (`setIfAbsent lock:…`), for the report. */
function named(inner: HotState): HotState & { operations: string[] } {
  const operations: string[] = [];
  const wrapped = Object.fromEntries(
    Object.entries(inner).map(([op, fn]) => [
      op,
      (key: string, ...rest: unknown[]) => {
        operations.push(`${op} ${String(key).replace(/:[^:]*$/, ":…")}`);
        return (fn as (...args: unknown[]) => unknown)(key, ...rest);
      },
    ]),
  ) as unknown as HotState;
  return Object.assign(wrapped, { operations });
}

const trips = (c: Counted) => c.database.length + c.upstash;

export async function run(opts: BenchOptions): Promise<BenchSection> {
  const { citizens } = plan(opts.quick);
  const configurations = [
    await measureConfiguration("Turso + Upstash", citizens, true),
    await measureConfiguration("Turso alone (hot state in the database)", citizens, false),
  ];

  const summary: BenchSummaryLine[] = [];
  const lines: string[] = [];
  for (const c of configurations) {
    // The most any citizen's step of a kind needed: the flow is the same for each, so they agree but for a first use.
    const worst = (kind: StepKind, pick: (r: StepResult) => number) =>
      Math.max(...c.walks.flatMap((w) => w.filter((r) => r.step.kind === kind).map(pick)));
    const last = c.walks.at(-1)!;
    lines.push(
      `### ${c.name}`,
      "",
      `The last of ${citizens} citizens' walks (the others' counts are the same but for the first citizen's first lookups).`,
      "",
      "| step | kind | round trips until the 200 (database + Upstash) | modelled wait at 20 ms | after the 200 (the drain) |",
      "|---|---|---:|---:|---:|",
      ...last.map(
        (r) =>
          `| ${r.step.say ?? `press “${r.step.press}”`} | ${r.step.kind} | ${trips(r.answer)} (${r.answer.database.length} + ${r.answer.upstash}) | ${trips(r.answer) * ROUND_TRIP_MS} ms | ${trips(r.after)} |`,
      ),
      "",
      "What the submission's round trips carried, in order:",
      "",
      ...describe(last.find((r) => r.step.kind === "submission")!.answer),
      "",
      "What a flow button's carried (the sector):",
      "",
      ...describe(last[2]!.answer),
      "",
    );
    for (const kind of ["flow button", "typed answer", "submission"] as const) {
      const most = worst(kind, (r) => trips(r.answer));
      const target = kind === "submission" ? TARGETS.submission : TARGETS.answer;
      summary.push({
        metric: `Workers, ${c.name}: round trips per ${kind}, most (modelled wait at ${ROUND_TRIP_MS} ms)`,
        value: `${most} (${most * ROUND_TRIP_MS} ms)`,
        target: `≤ ${target}`,
        met: most <= target,
      });
    }
  }

  const markdown = [
    "Storage round trips per update as a Worker makes them: the app built in the bench's process with the clients src/workers-storage.ts opens for a Worker, its database over HTTP against a real libSQL server (sqld, standing in for Turso), hot state on Upstash (the REST shim in front of a real redis-server) or, without Upstash, in the same database. " +
      `${citizens} citizens each walk the report flow (anonymous, no photo) through the webhook, one update at a time. ` +
      "A round trip is one HTTP request the real client sent: counted at the database client's `fetch` (an interactive transaction sends one per statement; a batch is one) and at the shim. " +
      `They run one after another, so at ${ROUND_TRIP_MS} ms each (a Worker far from its database) the wait before the answer is their number times ${ROUND_TRIP_MS} ms. ` +
      "After the 200 the update's background work runs (on Workers in `waitUntil`): the outbox's look for due messages and the archive's for files to copy.",
    "",
    ...lines,
    ...(summary.every((l) => l.met) ? [] : WHAT_BOUNDS_IT),
  ].join("\n");
  return { title: "Round trips on Workers", markdown, summary };
}

/** Read off the statements and operations listed above; said once here, not computed. */
const WHAT_BOUNDS_IT = [
  "**What bounds it.** Each update in a private chat makes two hot-state round trips besides its work (its claim with the flood count, then, after the handlers, its \"done\" mark) and one to read the person's chosen language from the `users` table. A flow step adds two more on hot state (the person's lock taken with the conversation's read, and released with its write) and one or two reads of the directory for what it shows next (the sector's row, the towns). A typed answer also reads the conversation once without the lock, to route the message to the open flow. A submission adds its own checks and writes, one round trip each: the fingerprint of a repeated report read and later written, the submission counter, the duplicate check's read, the person's `users` row, the report itself (one batch: the counter, the case, its reporter, event, files and links), and the stored case read back for the answer; its routing runs after the answer.",
  "",
  "**What would move it:**",
  "",
  "- **The directory kept in the isolate**: sectors, towns and routes change a few times a year, and each flow step reads them. A version stamp bumped by every change of the directory, read with something the update reads anyway, would tell an isolate when to read them again.",
  "- **The chosen language kept with the conversation** (or in hot state), read in the same step as the lock, instead of a read of `users` on every update.",
  "- **The done mark sent with the conversation's write**: on Upstash, as one pipeline with the lock's release; the claim's lease makes a lost mark harmless.",
  "- **A submission's checks folded**: the fingerprint's read and the submission counter in one script on Upstash, the fingerprint's write with the lock's release; the duplicate check's read and the `users` row in the report's batch.",
  "",
  "With the first three a flow button would make three (the claim, the lock with the read and the language, the write with the release and the done mark), the target; a submission needs the fourth too to come near four.",
];

function describe(c: Counted): string[] {
  const out: string[] = [];
  let hot = 0;
  for (const statements of c.database) out.push(`- database: ${statements.map((s) => `\`${short(s)}\``).join("; ")}`);
  if (c.upstash > 0) out.push(`- Upstash, ${c.upstash} requests: ${c.hot.join(", ")}`);
  else if (c.hot.length > 0) hot = c.hot.length;
  if (hot > 0) out.push(`- (of which hot state in the database: ${c.hot.join(", ")})`);
  if (out.length === 0) out.push("- none");
  return out;
}

function short(sql: string): string {
  const flat = sql.replace(/\s+/g, " ").trim();
  return flat.length > 90 ? `${flat.slice(0, 60)} … ${flat.slice(-25)}` : flat;
}
