/**
 * The Workers build, run in workerd: the bundle `npm run build:worker` makes is loaded into
 * Miniflare, talks to a real libSQL server (sqld) over HTTP and to the fake Bot API, answers
 * an update posted to it, and runs its scheduled handler.
 */
import { execFileSync } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";
import { createClient } from "@libsql/client";
import { Miniflare } from "miniflare";
import readXlsxFile from "read-excel-file/node";
import { createClient as createRedisClient } from "redis";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { LOCAL_TOKEN } from "../../src/local/mode";
import { FakeBotApi, TEST_TOKEN } from "../support/fake-bot-api";
import { person } from "../support/people";
import { startRedis } from "../support/redis-server";
import { startSqld } from "../support/sqld";
import { startUpstashShim } from "../support/upstash-shim";

const root = fileURLToPath(new URL("../..", import.meta.url));
const SECRET = "worker_secret_42";

let outdir: string;
let fake: FakeBotApi;
let sqld: Awaited<ReturnType<typeof startSqld>>;
let mf: Miniflare;

interface AssetsSection {
  directory: string;
  binding: string;
  runWorkerFirst: boolean;
  htmlHandling: string;
}

function wranglerToml(): { compatibilityDate: string; crons: string[]; flags: string[]; r2Buckets: string[]; assets: AssetsSection } {
  const toml = readFileSync(join(root, "wrangler.toml"), "utf8");
  const section = /^\[assets\]\n((?:[a-z_]+\s*=.*\n)+)/m.exec(toml)?.[1] ?? "";
  const value = (key: string) => new RegExp(`^${key}\\s*=\\s*"?([^"\\n]+)"?`, "m").exec(section)?.[1];
  return {
    assets: {
      directory: value("directory") ?? "",
      binding: value("binding") ?? "",
      runWorkerFirst: value("run_worker_first") === "true",
      htmlHandling: value("html_handling") ?? "auto-trailing-slash",
    },
    r2Buckets: [...toml.matchAll(/^\[\[r2_buckets\]\]\s*\nbinding\s*=\s*"([^"]+)"/gm)].map((m) => m[1]!),
    compatibilityDate: /^compatibility_date\s*=\s*"([^"]+)"/m.exec(toml)![1]!,
    crons: [...(/^crons\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
    flags: [...(/^compatibility_flags\s*=\s*\[([^\]]*)\]/m.exec(toml)?.[1] ?? "").matchAll(/"([^"]+)"/g)].map((m) => m[1]!),
  };
}

function worker(bindings: Record<string, string>): Miniflare {
  const { compatibilityDate, flags, r2Buckets, assets } = wranglerToml();
  return new Miniflare({
    // The evidence archive's bucket, as wrangler.toml declares it: Miniflare's own R2.
    r2Buckets,
    // The console's page, as Workers Static Assets serves it: the Worker first, files through env.ASSETS.
    assets: {
      directory: join(root, assets.directory),
      binding: assets.binding,
      routerConfig: { invoke_user_worker_ahead_of_assets: assets.runWorkerFirst, has_user_worker: true },
      assetConfig: { html_handling: assets.htmlHandling as "none" },
    },
    modules: true,
    scriptPath: join(outdir, "worker.js"),
    modulesRoot: outdir,
    compatibilityDate,
    compatibilityFlags: flags,
    bindings,
  });
}

/** Posts an update to a worker's webhook, as Telegram does. */
function postUpdate(target: Miniflare, update: object, secret: string | null = SECRET) {
  return target.dispatchFetch("http://hazardline.test/telegram", {
    method: "POST",
    headers: { "content-type": "application/json", ...(secret === null ? {} : { "X-Telegram-Bot-Api-Secret-Token": secret }) },
    body: JSON.stringify(update),
  });
}

beforeAll(async () => {
  outdir = mkdtempSync(join(tmpdir(), "hazardline-worker-"));
  execFileSync(join(root, "node_modules/.bin/wrangler"), ["deploy", "--dry-run", "--outdir", outdir], {
    cwd: root,
    env: { ...process.env, WRANGLER_SEND_METRICS: "false", CI: "true" },
    stdio: "pipe",
  });
  [fake, sqld] = await Promise.all([FakeBotApi.start(), startSqld()]);
  mf = worker({
    BOT_TOKEN: TEST_TOKEN,
    WEBHOOK_SECRET: SECRET,
    TELEGRAM_API_ROOT: fake.apiRoot,
    DATABASE_URL: sqld.url,
    BOT_INFO: JSON.stringify(fake.botInfo),
    SITE_URL: "https://safety.example.org",
  });
  await mf.ready;
}, 120_000);

afterAll(async () => {
  await mf?.dispose();
  await Promise.all([fake?.stop(), sqld?.stop()]);
  rmSync(outdir, { recursive: true, force: true });
});
afterEach(() => {
  expect(fake.violations).toEqual([]);
  fake.clear();
});

describe("the Workers bundle", () => {
  it("declares a cron trigger every minute and needs no nodejs_compat", () => {
    const { crons, flags } = wranglerToml();
    expect(crons).toEqual(["* * * * *"]);
    expect(flags).not.toContain("nodejs_compat");
  });

  it("is small and imports no Node built-in", () => {
    const code = readFileSync(join(outdir, "worker.js"));
    expect(statSync(join(outdir, "worker.js")).size).toBeGreaterThan(10_000);
    expect(gzipSync(code).length).toBeLessThan(1024 * 1024); // the benchmark issue's ceiling
    expect(code.toString()).not.toMatch(/from\s*"node:|require\("node:/);
  });

  it("leaves local mode out: no playground, no Bot API stand-in", () => {
    const code = readFileSync(join(outdir, "worker.js"), "utf8");
    expect(code).not.toContain(LOCAL_TOKEN);
    expect(code).not.toContain("/play/api/");
    expect(code).not.toContain("bot-api-methods");
  });

  it("answers /start posted to its webhook, storing the user in the libSQL server", async () => {
    const update = person({ id: 701, first_name: "赵敏" }).says("/start");
    const res = await postUpdate(mf, update);
    expect(res.status).toBe(200);
    expect(fake.sentTexts(701)[0]).toContain("您好，赵敏！");
    expect(fake.callsTo("getMe")).toHaveLength(0); // BOT_INFO given: no getMe per isolate
    const db = createClient({ url: sqld.url });
    const { rows } = await db.execute({ sql: "select locale from users where telegram_id = ?", args: [701] });
    db.close();
    expect(rows.map((r) => r.locale)).toEqual(["zh-CN"]);

    // Telegram's redelivery is recognised across requests (hot state in the database).
    const again = await postUpdate(mf, update);
    expect(again.status).toBe(200);
    expect(fake.sentTexts(701)).toHaveLength(1);
  });

  it("answers sixty updates posted at once, as an isolate serving many chats gets them", async () => {
    // @libsql/client's default queue of 20 statements started a waiting request's statement
    // from whichever request's statement had just finished: in workerd that is the other
    // request's I/O, cancelled when it ends, and every update after the first few hung until
    // grammY's 25 s timeout (src/worker.ts).
    const people = Array.from({ length: 60 }, (_, i) => person({ id: 7300 + i, first_name: `群众${i}` }));
    const statuses = await Promise.all(people.map(async (p) => (await postUpdate(mf, p.says("/start"))).status));
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
    expect(people.filter((p) => fake.sentTexts(p.id).length !== 1)).toEqual([]);
  }, 60_000);

  it("refuses an update without the secret", async () => {
    const res = await postUpdate(mf, person({ id: 702 }).says("/start"), null);
    expect(res.status).toBe(401);
    expect(fake.calls).toEqual([]);
  });

  it("runs tick(now) on its scheduled event, as /healthz then shows", async () => {
    const scheduledTime = new Date("2026-11-25T01:00:00Z");
    const result = await (await mf.getWorker()).scheduled({ cron: "* * * * *", scheduledTime });
    expect(result.outcome).toBe("ok");
    const health = await (await mf.dispatchFetch("http://hazardline.test/healthz")).json();
    expect(health).toMatchObject({ ok: true, database: "ok", hotState: "ok", lastTickAt: scheduledTime.toISOString() });
  });

  it("without WEBHOOK_SECRET or with a file: database, says it is misconfigured", async () => {
    const bad = worker({ BOT_TOKEN: TEST_TOKEN, DATABASE_URL: "file:./x.db", BOT_INFO: JSON.stringify(fake.botInfo) });
    try {
      const res = await bad.dispatchFetch("http://hazardline.test/healthz");
      expect(res.status).toBe(500);
      expect(await res.json()).toEqual({ ok: false, error: "misconfigured" });
    } finally {
      await bad.dispose();
    }
  });
});

describe("the console in workerd", () => {
  it("serves the page from the static assets, with its security headers, and keeps the API behind credentials", async () => {
    expect(wranglerToml().assets).toEqual({ directory: "./src/console/page", binding: "ASSETS", runWorkerFirst: true, htmlHandling: "none" });
    const page = await mf.dispatchFetch("http://hazardline.test/console/");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-type")).toBe("text/html; charset=utf-8");
    expect(page.headers.get("content-security-policy")).toContain("frame-ancestors https://web.telegram.org");
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(await page.text()).toBe(readFileSync(join(root, "src/console/page/index.html"), "utf8"));
    const script = await mf.dispatchFetch("http://hazardline.test/console/console.js");
    expect(script.headers.get("content-type")).toBe("text/javascript; charset=utf-8");
    expect(await script.text()).toBe(readFileSync(join(root, "src/console/page/console.js"), "utf8"));
    // The Worker runs first: the assets are not served at their own paths, beside the app.
    expect((await mf.dispatchFetch("http://hazardline.test/console.js")).status).toBe(404);

    const me = await mf.dispatchFetch("http://hazardline.test/console/api/me");
    expect(me.status).toBe(401);
  });
});

describe("the Workers bundle with Upstash Redis", () => {
  it("keeps its hot state in Redis through @upstash/redis/cloudflare", async () => {
    const redis = await startRedis();
    const shim = await startUpstashShim({ redisUrl: redis.url, token: "upstash-test-token" });
    const withRedis = worker({
      BOT_TOKEN: TEST_TOKEN,
      WEBHOOK_SECRET: SECRET,
      TELEGRAM_API_ROOT: fake.apiRoot,
      DATABASE_URL: sqld.url,
      BOT_INFO: JSON.stringify(fake.botInfo),
      UPSTASH_REDIS_REST_URL: shim.url,
      UPSTASH_REDIS_REST_TOKEN: "upstash-test-token",
    });
    const reader = createRedisClient({ url: redis.url, RESP: 2 });
    try {
      const update = person({ id: 703, language_code: "en" }).says("/help");
      for (let i = 0; i < 2; i++) {
        const res = await postUpdate(withRedis, update);
        expect(res.status).toBe(200);
      }
      expect(fake.sentTexts(703)).toHaveLength(1);
      await reader.connect();
      expect(await reader.get(`update:${update.update_id}`)).toBe("done");
      const health = await (await withRedis.dispatchFetch("http://hazardline.test/healthz")).json();
      expect(health).toMatchObject({ ok: true, hotState: "ok" });

      // Many at once, as above: no command waits on another request's fetch.
      const people = Array.from({ length: 40 }, (_, i) => person({ id: 7400 + i }));
      const statuses = await Promise.all(people.map(async (p) => (await postUpdate(withRedis, p.says("/start"))).status));
      expect(statuses.filter((s) => s !== 200)).toEqual([]);
      expect(people.filter((p) => fake.sentTexts(p.id).length !== 1)).toEqual([]);
    } finally {
      await reader.close().catch(() => undefined);
      await withRedis.dispose();
      await shim.stop();
      await redis.stop();
    }
  });
});

describe("reporting in workerd", () => {
  const DISPATCHER = 704;
  const LEADER = 705;
  const CASES = 400;

  beforeAll(async () => {
    const db = createClient({ url: sqld.url });
    try {
      await db.execute("insert into units (id, kind, name_zh, name_en) values ('office', 'office', 'County office', 'County office')");
      await db.execute({
        sql: "insert into members (telegram_id, unit_id, roles, name) values (?, 'office', '[\"dispatcher\"]', 'Zhou'), (?, 'office', '[\"leader\"]', 'Wang')",
        args: [DISPATCHER, LEADER],
      });
      const start = Date.parse("2026-11-02T01:00:00Z");
      await db.batch(
        Array.from({ length: CASES }, (_, i) => ({
          sql: "insert into cases (number, kind, status, description, anonymous, created_at, updated_at) values (?, 'hazard', 'new', ?, 1, ?, ?)",
          args: [
            `YH-20261102-${String(i + 1).padStart(4, "0")}`,
            `Scaffold without a safety net, site ${i + 1}. `.repeat(8),
            start + i * 60_000,
            start + i * 60_000,
          ],
        })),
        "write",
      );
    } finally {
      db.close();
    }
  });

  it("exports a month's ledger of 400 cases as XLSX and CSV (fflate zips in place, no Web Worker)", async () => {
    const res = await postUpdate(mf, person({ id: DISPATCHER, language_code: "en" }).says("/export 2026-11"));
    expect(res.status).toBe(200);
    const documents = fake.callsTo("sendDocument").map((c) => c.params.document as { file: string; bytes: Uint8Array });
    expect(documents.map((d) => d.file)).toEqual(["ledger-2026-11-01_2026-11-30.xlsx", "ledger-2026-11-01_2026-11-30.csv"]);
    const [sheet] = await readXlsxFile(Buffer.from(documents[0]!.bytes));
    expect(sheet!.data).toHaveLength(CASES + 1);
    expect(sheet!.data[1]![0]).toBe("YH-20261102-0001");
  });

  it("sends the leaders' digest with its chart as a PNG from the scheduled handler", async () => {
    const scheduledTime = new Date("2026-11-23T00:30:00Z"); // Monday 08:30 in Shanghai
    const result = await (await mf.getWorker()).scheduled({ cron: "* * * * *", scheduledTime });
    expect(result.outcome).toBe("ok");
    const [digest] = fake.callsTo("sendPhoto");
    expect(Number(digest!.params.chat_id)).toBe(LEADER);
    const photo = digest!.params.photo as { file: string; bytes: Uint8Array };
    expect(photo.file).toBe("trend-2026-11-23.png");
    expect([...photo.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(String(digest!.params.caption)).toContain("2026-11-22");
  });
});

describe("QR posters in workerd", () => {
  it("sends /poster's PNG and SVG, the code drawn and encoded without Node", async () => {
    const ADMIN = 706;
    const db = createClient({ url: sqld.url });
    try {
      await db.execute("insert into units (id, kind, name_zh, name_en) values ('poster-office', 'office', 'County office', 'County office')");
      await db.execute({
        sql: "insert into members (telegram_id, unit_id, roles, name) values (?, 'poster-office', '[\"admin\"]', 'Li')",
        args: [ADMIN],
      });
      await db.execute("insert into regions (id, level, name_zh, name_en) values ('town-p', 'town', 'Town P', 'Town P')");
    } finally {
      db.close();
    }
    const res = await postUpdate(mf, person({ id: ADMIN, language_code: "en" }).says("/poster town-p"));
    expect(res.status).toBe(200);
    const documents = fake
      .callsTo("sendDocument")
      .map((c) => ({ ...(c.params.document as { file: string; bytes: Uint8Array }), caption: c.params.caption }));
    expect(documents.map((d) => [d.file, d.caption])).toEqual([
      ["poster-town-p.png", "QR poster: Town P\nhttps://safety.example.org/report?region=town-p"],
      ["poster-town-p.svg", "QR poster: Town P\nhttps://safety.example.org/report?region=town-p"],
    ]);
    expect([...documents[0]!.bytes.slice(0, 4)]).toEqual([0x89, 0x50, 0x4e, 0x47]);
    expect(new TextDecoder().decode(documents[1]!.bytes)).toContain("https://safety.example.org/report?region=town-p");
  });
});

describe("the evidence archive in workerd", () => {
  it("copies queued files into the R2 bucket from the scheduled handler, and records one over 20 MB as not archived", async () => {
    expect(wranglerToml().r2Buckets).toEqual(["ARCHIVE"]);
    const bytes = new TextEncoder().encode("rectification photo, archived in R2");
    fake.addFile("file-w1", bytes, { uniqueId: "w1" });
    fake.addFile("file-w2", bytes, { uniqueId: "w2" });
    fake.addFile("file-big", bytes, { uniqueId: "wbig", size: 21 * 1024 * 1024 });
    const db = createClient({ url: sqld.url });
    const rows = async () =>
      (await db.execute("select file_unique_id, status, sha256, reason from archive_files where file_unique_id like 'w%' order by 1")).rows.map(
        (r) => [r.file_unique_id, r.status, r.sha256, r.reason],
      );
    try {
      await db.execute(
        "insert into archive_files (file_unique_id, file_id, kind, next_try_at, created_at) values ('w1', 'file-w1', 'photo', 0, 0), ('w2', 'file-w2', 'photo', 0, 0), ('wbig', 'file-big', 'video', 0, 0)",
      );
      const result = await (await mf.getWorker()).scheduled({ cron: "* * * * *", scheduledTime: new Date() });
      expect(result.outcome).toBe("ok");
      const sha256 = createHash("sha256").update(bytes).digest("hex");
      expect(await rows()).toEqual([
        ["w1", "archived", sha256, null],
        ["w2", "archived", sha256, null],
        ["wbig", "unavailable", null, "too_big"],
      ]);
      const bucket = await mf.getR2Bucket("ARCHIVE");
      const object = await bucket.get(`sha256/${sha256}`);
      expect(new Uint8Array(await object!.arrayBuffer())).toEqual(bytes);
      expect((await bucket.list()).objects.map((o) => o.key)).toEqual([`sha256/${sha256}`]);
      const health = await (await mf.dispatchFetch("http://hazardline.test/healthz")).json();
      expect(health).toMatchObject({ ok: true, archive: { state: "ok", pending: 0 } });
    } finally {
      db.close();
    }
  });
});

describe("the web door on Workers", () => {
  it("takes a web report with a photo, the photo stored in the R2 bucket by its hash", async () => {
    const photo = new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode("a photo posted from a phone's browser")]);
    const form = new FormData();
    for (const [k, v] of Object.entries({
      kind: "hazard",
      sector: "construction",
      address: "城关镇建设路 8 号工地",
      description: "工地脚手架没有安全网，工人不系安全带高空作业。",
      urgent: "no",
      identity: "anonymous",
    }))
      form.append(k, v);
    form.append("photos", new Blob([photo], { type: "image/jpeg" }), "site.jpg");
    // Encoded here (Miniflare's fetch takes its own FormData type): the multipart bytes and their boundary.
    const encoded = new Request("http://hazardline.test/report", { method: "POST", body: form });
    const res = await mf.dispatchFetch("http://hazardline.test/report", {
      method: "POST",
      body: new Uint8Array(await encoded.arrayBuffer()),
      headers: { Origin: "http://hazardline.test", "Content-Type": encoded.headers.get("content-type")! },
    });
    const page = await res.text();
    expect(res.status, page).toBe(201);
    expect(page).toMatch(/id="case-number">YH-\d{8}-\d{4}</);
    const sha256 = createHash("sha256").update(photo).digest("hex");
    const object = await (await mf.getR2Bucket("ARCHIVE")).get(`sha256/${sha256}`);
    expect(new Uint8Array(await object!.arrayBuffer())).toEqual(photo);
  });
});
