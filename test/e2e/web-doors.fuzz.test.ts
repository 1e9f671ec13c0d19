/**
 * Issue 17, point 2: the web doors under hostile input, against the real app over HTTP. For
 * each door (the web report form and status lookup, Open311, the console's JSON API) fast-check
 * posts generated hostile requests: wrong types in every JSON field, missing fields, wrong
 * content types, truncated and oversized multipart bodies, many parts, file parts named for
 * path traversal whose bytes are no picture, SQL and markup injection, huge strings and unicode
 * oddities (RTL overrides, lone surrogates, NUL). Every answer must be a refusal in the 4xx
 * range with words in its body (a JSON error field where the door speaks JSON), or a 2xx for
 * input that is in fact valid: never a 5xx. Nothing is ever stored half: around every request
 * the rows of cases, case_events, case_reporters, attachments, archive_files, outbox and the
 * archive folder's files are counted; a refusal changes none of them, an acceptance makes
 * exactly one complete case (the case, its one submitted event, its one reporter row).
 *
 * Then every page that shows what someone typed escapes it: reports carrying script and
 * attribute-breaking payloads are stored through each door and read back on the status page,
 * the form shown again with its problems, the public page, Open311's JSON and XML, and the
 * console's JSON.
 *
 * The playground (src/local) is mounted only in local mode (no BOT_TOKEN), so its POST endpoints
 * are fuzzed against a local-mode server in a child process, as test/e2e/local-mode.test.ts runs it.
 *
 * CI runs a short count per door; the long run: `SOAK=1 npx vitest run test/e2e/web-doors.fuzz.test.ts`
 * (another seed: FUZZ_SEED=7).
 */
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { request } from "node:http";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { createClient } from "@libsql/client";
import { eq } from "drizzle-orm";
import fc from "fast-check";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { writeOfficeSettings } from "../../db/queries/settings";
import { cases, members } from "../../db/schema";
import { MAX_ACTION_BYTES } from "../../src/console/contract";
import { REPORT_FIELDS as F } from "../../src/domain/web-report";
import { MAX_FORM_BYTES } from "../../src/web/report";
import { consoleFetch, initDataFor } from "../support/console";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { freePort, type Running, runServer } from "../support/processes";
import { webReportFields } from "../support/web-form";

/** Generated requests per door and shape: short in CI, long with SOAK=1. */
const RUNS = Number(process.env.SOAK ?? 0) ? 1_500 : 40;
/** Fixed, so a run is reproducible; FUZZ_SEED=n explores another sequence. */
const SEED = Number(process.env.FUZZ_SEED ?? 42);

const dispatcher = { id: 9901, first_name: "Zhou", language_code: "en" };
const liaison = { id: 9902, first_name: "Li" };

// ── Hostile material ──────────────────────────────────────────────────────────────────────

const SQL = [
  "' OR 1=1 --",
  "'; DROP TABLE cases; --",
  '" OR ""="',
  "1; DELETE FROM case_events",
  "') UNION SELECT telegram_id, name FROM members --",
];
const MARKUP = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "]]></description><x>", "<!--", "&lt;b&gt;", "{{7*7}}$" + "{7*7}"];
const ODD = [
  "\u202Egpj.exe\u202C",
  "\uD800",
  "\uDFFF lone",
  "a\u0000b",
  "\uFEFF",
  "\u200B\u200D\u2060",
  "e\u0301".repeat(40),
  "\u{1D573}\u{1D586}",
  "\u{1F469}\u200D\u{1F469}\u200D\u{1F467}",
];
const TRAVERSAL = [
  "../../etc/passwd",
  "..\\..\\x",
  "/etc/shadow",
  "C:\\Windows\\win.ini",
  "a\u0000.jpg",
  "....//....//x.jpg",
  "%2e%2e%2fpasswd",
  "",
  " ",
  "CON",
];

const hostileText: fc.Arbitrary<string> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...SQL, ...MARKUP, ...ODD, ...TRAVERSAL) },
  { weight: 2, arbitrary: fc.string({ unit: "binary", maxLength: 120 }) },
  { weight: 1, arbitrary: fc.string({ unit: "grapheme", maxLength: 60 }) },
  // Huge: over every field's limit, and sometimes over Open311's whole body limit.
  { weight: 1, arbitrary: fc.tuple(fc.constantFrom("x", "界", "<", "\u202E"), fc.integer({ min: 4_000, max: 80_000 })).map(([c, n]) => c.repeat(n)) },
  // A hostile piece inside words that would pass as a description.
  {
    weight: 2,
    arbitrary: fc
      .tuple(
        fc.constantFrom(...SQL, ...MARKUP, ...ODD),
        fc.constantFrom("工地脚手架没有防护网，工人没有系安全带。", "The fire exit of the warehouse is blocked by boxes."),
      )
      .map(([bad, words]) => `${words} ${bad}`),
  },
);

/** For a query string: a URL over Node's header limit is refused by the server before the app (431, no body). */
const shortHostileText = hostileText.map((s) => s.slice(0, 200));

/** A JSON value of any wrong shape. */
const badValue: fc.Arbitrary<unknown> = fc.oneof(
  fc.constantFrom(null, true, false, 0, -1, 1e308, Number.MAX_SAFE_INTEGER + 2, "", [], {}),
  fc.integer(),
  fc.double(),
  hostileText,
  fc.array(hostileText, { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 5 }), hostileText, { maxKeys: 3 }),
);

/**
 * `good` with one field dropped, given a wrong type or a hostile text (often still a valid
 * request: an injection string is a description like any other); or with every field so
 * treated at random, and sometimes an unknown field added.
 */
function mangled(good: Record<string, unknown>): fc.Arbitrary<Record<string, unknown>> {
  const wrong = fc.oneof({ weight: 1, arbitrary: fc.constant(undefined) }, { weight: 1, arbitrary: badValue }, { weight: 2, arbitrary: hostileText });
  const keys = Object.keys(good);
  const one = fc.tuple(fc.constantFrom(...keys), wrong).map(([key, value]) => {
    const out: Record<string, unknown> = { ...good };
    if (value === undefined) delete out[key];
    else out[key] = value;
    return out;
  });
  const field = (v: unknown) => fc.oneof({ weight: 3, arbitrary: fc.constant(v) }, { weight: 2, arbitrary: wrong });
  const entries = keys.map((k) => field(good[k]).map((x) => [k, x] as const));
  const every = fc.tuple(fc.tuple(...entries), fc.option(fc.tuple(hostileText, badValue), { nil: undefined })).map(([kept, extra]) => {
    const out: Record<string, unknown> = {};
    for (const [k, v] of kept) if (v !== undefined) out[k] = v;
    if (extra) out[extra[0].slice(0, 50)] = extra[1];
    return out;
  });
  return fc.oneof({ weight: 2, arbitrary: one }, { weight: 1, arbitrary: every });
}

/** A form field's text from any value: what a browser or partner could put there. */
const asFormText = (v: unknown) => (typeof v === "string" ? v : (JSON.stringify(v) ?? ""));

/** File parts: traversal names, bytes that are no picture (a script, text, random bytes, nothing). */
const filePart = fc.record({
  name: fc.oneof(
    fc.constantFrom(...TRAVERSAL),
    hostileText.map((s) => s.slice(0, 300)),
  ),
  type: fc.constantFrom("image/jpeg", "image/png", "application/x-sh", "text/html", ""),
  bytes: fc.oneof(
    fc.constantFrom("#!/bin/sh\nrm -rf /\n", "<svg onload=alert(1)>", "GIF89", "\u0000\u0000", "").map((s) => new TextEncoder().encode(s)),
    fc.uint8Array({ maxLength: 512 }).filter((b) => b[0] !== 0xff && b[0] !== 0x89 && b[0] !== 0x47 && b[0] !== 0x52),
  ),
});

const encode = (s: string) => new TextEncoder().encode(s);

/** A multipart body as a browser sends it: bytes and its Content-Type with the boundary. */
async function multipart(form: FormData): Promise<{ bytes: Uint8Array; type: string }> {
  const req = new Request("http://x/", { method: "POST", body: form });
  return { bytes: new Uint8Array(await req.arrayBuffer()), type: req.headers.get("content-type")! };
}

function formOf(fields: Record<string, unknown>, files: Array<{ field: string; name: string; type: string; bytes: Uint8Array }> = []): FormData {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, asFormText(v));
  for (const f of files) form.append(f.field, new Blob([f.bytes as Uint8Array<ArrayBuffer>], { type: f.type }), f.name);
  return form;
}

/**
 * How a request's body is sent: as the door expects it, or in the wrong dress. `fields` and
 * `files` are what it carries; the shape picks the encoding.
 */
const SHAPES = ["multipart", "urlencoded", "json", "text/plain", "no-type", "truncated", "many-parts", "bad-boundary"] as const;
type Shape = (typeof SHAPES)[number];

async function bodyOf(
  shape: Shape,
  fields: Record<string, unknown>,
  files: Array<{ field: string; name: string; type: string; bytes: Uint8Array }>,
  cut: number,
): Promise<{ body: BodyInit | undefined; type?: string }> {
  switch (shape) {
    case "multipart": {
      const m = await multipart(formOf(fields, files));
      return { body: m.bytes as Uint8Array<ArrayBuffer>, type: m.type };
    }
    case "urlencoded":
      return {
        body: new URLSearchParams(Object.entries(fields).map(([k, v]) => [k, asFormText(v)])).toString(),
        type: "application/x-www-form-urlencoded",
      };
    case "json":
      return { body: JSON.stringify(fields), type: "application/json" };
    case "text/plain":
      return { body: JSON.stringify(fields), type: "text/plain" };
    case "no-type":
      return { body: encode(JSON.stringify(fields)) as Uint8Array<ArrayBuffer>, type: undefined };
    case "truncated": {
      // Cut mid-part: the closing boundary never comes.
      const m = await multipart(formOf(fields, files));
      return { body: m.bytes.slice(0, Math.max(1, Math.floor(m.bytes.length * cut))) as Uint8Array<ArrayBuffer>, type: m.type };
    }
    case "many-parts": {
      const form = formOf(fields, files);
      for (let i = 0; i < 3_000; i++) form.append(`f${i}`, "x");
      const m = await multipart(form);
      return { body: m.bytes as Uint8Array<ArrayBuffer>, type: m.type };
    }
    case "bad-boundary": {
      const m = await multipart(formOf(fields, files));
      return { body: m.bytes as Uint8Array<ArrayBuffer>, type: "multipart/form-data; boundary=not-the-one-used" };
    }
  }
}

// ── The harness, the counts, the checks ───────────────────────────────────────────────────

let h: Harness;
let workdir: string;
let partnerKey = "";
let address = 0;
/** A distinct client address per request: the web door's flood limits count per address. */
const nextAddress = () => {
  address++;
  return `10.${(address >> 16) & 255}.${(address >> 8) & 255}.${address & 255}`;
};

const TABLES = ["cases", "case_events", "case_reporters", "attachments", "archive_files", "outbox"] as const;
type Counts = Record<(typeof TABLES)[number] | "files" | "submitted", number>;

function filesUnder(dir: string): number {
  try {
    return readdirSync(dir, { recursive: true, withFileTypes: true }).filter((e) => e.isFile()).length;
  } catch {
    return 0;
  }
}

async function counts(): Promise<Counts> {
  const sql = `SELECT ${TABLES.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")}, (SELECT count(*) FROM case_events WHERE action = 'submitted') AS submitted`;
  const row = (await h.database.client.execute(sql)).rows[0]!;
  const out = { files: filesUnder(join(workdir, "files")) } as Counts;
  for (const k of [...TABLES, "submitted"] as const) out[k] = Number(row[k]);
  return out;
}

/** What the figures at the end report. */
const seen = { requests: 0, refused: 0, accepted: 0, replayed: 0, statuses: new Map<number, number>() };

/**
 * One request's verdict: never a 5xx; a refusal (4xx) with words and nothing changed; an
 * acceptance (2xx) with exactly one more complete case, or none when it names a case stored before.
 */
async function expectHonest(
  label: string,
  before: Counts,
  res: { status: number; text: string; type: string | null },
  opts: { json?: (body: unknown) => boolean; changesCases?: boolean } = {},
) {
  seen.requests++;
  seen.statuses.set(res.status, (seen.statuses.get(res.status) ?? 0) + 1);
  const detail = `${label}: ${res.status} ${res.text.slice(0, 300)}`;
  expect(res.status, detail).toBeLessThan(500);
  expect(res.status, detail).toBeGreaterThanOrEqual(200);
  expect(res.text.trim().length, detail).toBeGreaterThan(0);
  const after = await counts();
  if (res.status >= 400) {
    seen.refused++;
    if (opts.json) {
      expect(res.type ?? "", detail).toMatch(/json/);
      expect(opts.json(JSON.parse(res.text)), detail).toBe(true);
    }
    expect(after, `${detail}\nchanged by a refused request`).toEqual(before);
    return;
  }
  if (opts.changesCases === false) return;
  if (after.cases === before.cases) {
    // A replay of a page or ref stored before: nothing new at all.
    seen.replayed++;
    expect(after, `${detail}\nchanged by a replay`).toEqual({ ...before, outbox: after.outbox });
    return;
  }
  seen.accepted++;
  expect(after.cases - before.cases, detail).toBe(1);
  expect(after.case_reporters - before.case_reporters, detail).toBe(1);
  expect(after.submitted - before.submitted, detail).toBe(1);
  // The newest case is complete: its submitted event and its reporter row are its own.
  const newest = Number((await h.database.client.execute("SELECT max(id) AS id FROM cases")).rows[0]!.id);
  const own = await h.database.client.execute({
    sql: "SELECT (SELECT count(*) FROM case_events WHERE case_id = ? AND action = 'submitted') AS s, (SELECT count(*) FROM case_reporters WHERE case_id = ?) AS r",
    args: [newest, newest],
  });
  expect([Number(own.rows[0]!.s), Number(own.rows[0]!.r)], detail).toEqual([1, 1]);
  // Its cards go out now; the next request's counts start after them.
  await h.hazardline.settle();
}

const jsonError = (b: unknown) =>
  typeof b === "object" &&
  b !== null &&
  !Array.isArray(b) &&
  ["error", "message"].some((k) => typeof (b as Record<string, unknown>)[k] === "string" && ((b as Record<string, string>)[k] ?? "").length > 0);
const open311Error = (b: unknown) =>
  Array.isArray(b) && b.length > 0 && b.every((e) => typeof e?.description === "string" && e.description.length > 0 && typeof e.code === "number");

/**
 * One request on a connection of its own (node:http, no agent), as a browser's or partner's
 * would be: a refusal sent before a large body is read ends with the server closing the
 * connection, which must not be blamed on the next request over a kept-alive one.
 */
async function send(path: string, init: { method: string; body?: BodyInit; headers?: Record<string, string> }, base = h.baseUrl) {
  const req = new Request(`${base}${path}`, { method: init.method, body: init.body, headers: init.headers });
  const bytes = init.body === undefined ? undefined : new Uint8Array(await req.arrayBuffer());
  const headers: Record<string, string> = { ...(init.headers ?? {}) };
  // A FormData or URLSearchParams body brings its own Content-Type (with the boundary).
  if (req.headers.get("content-type") && !Object.keys(headers).some((k) => k.toLowerCase() === "content-type"))
    headers["Content-Type"] = req.headers.get("content-type")!;
  if (bytes) headers["Content-Length"] = String(bytes.byteLength);
  return new Promise<{ status: number; text: string; type: string | null }>((resolve, reject) => {
    const out = request(`${base}${path}`, { method: init.method, headers, agent: false }, (res) => {
      const chunks: Buffer[] = [];
      res.on("data", (c: Buffer) => chunks.push(c));
      res.on("end", () =>
        resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString("utf8"), type: res.headers["content-type"] ?? null }),
      );
      res.on("error", reject);
    });
    out.on("error", (err) => reject(new Error(`${init.method} ${path} with ${JSON.stringify(headers)}: ${err.message}`)));
    out.end(bytes);
  });
}

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-fuzz-web-"));
  h = await startHarness({ files: fsFileStore(join(workdir, "files")) });
  const db = h.hazardline.db;
  await seedSmallCounty(db, { mapped: true });
  await db.insert(members).values([
    { telegramId: dispatcher.id, unitId: "office", roles: ["dispatcher"], name: "Zhou" },
    { telegramId: liaison.id, unitId: "station-a", roles: ["liaison"], name: "Li" },
  ]);
  await writeOfficeSettings(db, { publication: { publicPage: true } }, Date.now());
  partnerKey = (await h.hazardline.services.partners.issue("fuzz partner")).key;
}, 60_000);

afterAll(async () => {
  await h?.stop();
  rmSync(workdir, { recursive: true, force: true });
});

// ── The doors ─────────────────────────────────────────────────────────────────────────────

const goodWeb = () => webReportFields({ [F.submission]: `fuzz-${crypto.randomUUID()}`, [F.region]: "town-a" });

const goodOpen311 = () => ({
  api_key: partnerKey,
  service_code: "construction",
  lat: "36.9005",
  long: "115.9004",
  address_string: "城关镇建设路 8 号工地",
  description: "工地塔吊限位器失灵，仍在吊装作业，下面有工人。",
  "attribute[ref]": `GD-${Math.random().toString(36).slice(2, 10)}`,
  first_name: "小红",
  phone: "13700001111",
});

const goodIntake = () => ({
  submission: `fuzz-${crypto.randomUUID()}`,
  source: "hotline",
  reference: "GD-2026-000777",
  kind: "hazard",
  sectorId: "construction",
  regionId: "town-a",
  address: "城关镇建设路 8 号工地",
  description: "Scaffolding on the site at Industry Road has no safety net; workers are not tied on.",
  urgent: false,
  anonymous: false,
  name: "Wang",
  phone: "13812345678",
  reward: false,
});

describe("hostile requests to the web doors", () => {
  it("the web report form: every post is a clear 4xx or one complete case, never a 5xx, never half stored", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(0).chain(() => mangled(goodWeb())),
        fc.array(filePart, { maxLength: 3 }),
        fc.constantFrom<Shape>("multipart", "multipart", "multipart", ...SHAPES),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        fc.constantFrom("same", "same", "same", "same", "foreign", "none", "null"),
        async (fields, files, shape, cut, origin) => {
          const before = await counts();
          const { body, type } = await bodyOf(
            shape,
            fields,
            files.map((f) => ({ field: F.photos, ...f })),
            cut,
          );
          const headers: Record<string, string> = { "X-Forwarded-For": nextAddress() };
          if (type) headers["Content-Type"] = type;
          if (origin === "same") headers.Origin = h.baseUrl;
          if (origin === "foreign") headers.Origin = "https://evil.example";
          if (origin === "null") headers.Origin = "null";
          const res = await send("/report", { method: "POST", body, headers });
          await expectHonest(`POST /report (${shape}, origin ${origin})`, before, res);
          expect(res.type ?? "", res.text.slice(0, 200)).toMatch(/^text\/html/);
          // A post from another site's page is refused whatever it carries.
          if (origin === "foreign" && shape !== "json" && shape !== "no-type") expect(res.status).toBe(403);
          // A file part that is no picture is never taken: the post is refused, or (a part with no
          // file name is no file to a form parser, as a browser sends an empty file field) the case
          // is stored without it.
          if (files.some((f) => f.bytes.length > 0) && shape === "multipart" && res.status < 400) {
            const after = await counts();
            expect([after.attachments, after.archive_files, after.files]).toEqual([before.attachments, before.archive_files, before.files]);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: true },
    );
  }, 120_000);

  it("the status lookup: hostile numbers and proofs are a 404 page or a clear refusal, and change nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        hostileText,
        hostileText,
        fc.constantFrom<Shape>("urlencoded", "multipart", "json", "truncated", "no-type"),
        async (number, proof, shape) => {
          const before = await counts();
          const { body, type } = await bodyOf(shape, { number, proof }, [], 0.5);
          const headers: Record<string, string> = { Origin: h.baseUrl, "X-Forwarded-For": nextAddress() };
          if (type) headers["Content-Type"] = type;
          const res = await send("/status", { method: "POST", body, headers });
          await expectHonest(`POST /status (${shape})`, before, res);
          expect(res.status).toBeGreaterThanOrEqual(400);
          expect(res.text).not.toContain('id="status-card"');
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 120_000);

  it("Open311: every partner post is a spec error list with a description, or one complete case", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(0).chain(() => mangled(goodOpen311())),
        fc.constantFrom<Shape>("urlencoded", "urlencoded", "json", "json", ...SHAPES),
        fc.constantFrom("requests.json", "requests.xml", "requests.csv", "services.json", "requests..json"),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (fields, shape, file, cut) => {
          const before = await counts();
          const { body, type } = await bodyOf(
            shape,
            fields,
            [{ field: "media", name: "../../etc/passwd", type: "image/jpeg", bytes: encode("not a photo") }],
            cut,
          );
          const headers: Record<string, string> = {};
          if (type) headers["Content-Type"] = type;
          const res = await send(`/open311/v2/${file}`, { method: "POST", body, headers });
          const xml = file.endsWith(".xml") && res.type?.includes("xml");
          await expectHonest(`POST /open311/v2/${file} (${shape})`, before, res, { json: xml ? undefined : open311Error });
          if (xml && res.status >= 400)
            expect(res.text).toMatch(/<errors><error><code>\d{3}<\/code><description>[^<]+<\/description><\/error><\/errors>/);
        },
      ),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: true },
    );
  }, 120_000);

  it("Open311: hostile queries on the public requests are a 200 list or a spec error, never a 5xx", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(fc.constantFrom("service_request_id", "service_code", "status", "start_date", "end_date", "page", "x"), shortHostileText, {
          maxKeys: 4,
        }),
        fc.constantFrom("requests.json", "requests.xml"),
        async (query, file) => {
          const before = await counts();
          const url = `/open311/v2/${file}?${new URLSearchParams(query)}`;
          const res = await send(url, { method: "GET" });
          if (res.status === 431) throw new Error(`a URL of ${url.length} characters refused by the server`);
          await expectHonest(`GET /open311/v2/${file}`, before, res, {
            json: file.endsWith(".json") ? open311Error : undefined,
            changesCases: false,
          });
          expect([200, 400]).toContain(res.status);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 120_000);

  it("the console's new-case form: every body is a 400 or 422 with an error, or one complete case", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constant(0).chain(() => mangled(goodIntake())),
        fc.constantFrom<Shape>("json", "json", "json", ...SHAPES),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (fields, shape, cut) => {
          const before = await counts();
          const { body, type } = await bodyOf(shape, fields, [], cut);
          const headers: Record<string, string> = { Authorization: `tma ${await initDataFor(dispatcher)}` };
          if (type) headers["Content-Type"] = type;
          const res = await send("/console/api/intake", { method: "POST", body, headers });
          await expectHonest(`POST /console/api/intake (${shape})`, before, res, { json: jsonError });
          if (res.status < 400) expect(JSON.parse(res.text)).toMatchObject({ ok: true, number: expect.stringMatching(/^YH-/) });
        },
      ),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: true },
    );
  }, 120_000);

  it("the console's case actions: hostile bodies, photo parts and case ids are refused with an error and change nothing", async () => {
    const made = await consoleFetch(h, "intake", { as: dispatcher, body: goodIntake() });
    expect(made.status).toBe(200);
    const number = ((await made.json()) as { number: string }).number;
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
    await h.hazardline.settle();
    const action = {
      code: "dl",
      version: row!.version,
      text: "x",
      date: "2030-01-01",
      unitId: "station-a",
      memberId: 1,
      severity: "major",
      caseNumber: number,
    };
    await fc.assert(
      fc.asyncProperty(
        fc.constant(0).chain(() => mangled(action)),
        fc.array(filePart, { maxLength: 3 }),
        fc.constantFrom<Shape>("json", "multipart", ...SHAPES),
        fc.oneof(fc.constant(String(row!.id)), fc.constantFrom("0", "-1", "1e3", "99999999999999", "..%2F..%2Fme", "%00", "1%20OR%201=1")),
        fc.constantFrom("dispatcher", "liaison", "forged", "none"),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async (request, files, shape, id, who, cut) => {
          // Only a stale or refused version is generated: a version the case is at is changed to the one after it.
          if (request.version === row!.version) request.version = row!.version + 1;
          const before = await counts();
          const parts = files.map((f) => ({ field: "photos", ...f }));
          const { body, type } =
            shape === "multipart" || shape === "truncated"
              ? await bodyOf(shape, { request: JSON.stringify(request) }, parts, cut)
              : await bodyOf(shape, request, parts, cut);
          const headers: Record<string, string> = {};
          if (type) headers["Content-Type"] = type;
          if (who === "dispatcher") headers.Authorization = `tma ${await initDataFor(dispatcher)}`;
          if (who === "liaison") headers.Authorization = `tma ${await initDataFor(liaison)}`;
          if (who === "forged") headers.Authorization = `tma ${(await initDataFor(dispatcher)).replace(/hash=[0-9a-f]{4}/, "hash=0000")}`;
          const res = await send(`/console/api/cases/${id}/actions`, { method: "POST", body, headers });
          await expectHonest(`POST actions as ${who} (${shape})`, before, res, { json: jsonError });
          expect(res.status).toBeGreaterThanOrEqual(400);
          if (who === "forged" || who === "none") expect(res.status).toBe(401);
        },
      ),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: true },
    );
    const [after] = await h.hazardline.db.select().from(cases).where(eq(cases.id, row!.id));
    expect(after!.version).toBe(row!.version);
  }, 120_000);

  it("the console's lists: hostile filters are a 200 list or a 400 with an error", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.dictionary(
          fc.constantFrom("view", "status", "kind", "sector", "region", "unit", "from", "to", "overdue", "supervised", "q", "sort", "page"),
          shortHostileText,
          {
            maxKeys: 4,
          },
        ),
        fc.constantFrom("cases", "map", "dashboard"),
        async (query, path) => {
          const before = await counts();
          const res = await consoleFetch(h, `${path}?${new URLSearchParams(query)}`, { as: dispatcher });
          const text = await res.text();
          await expectHonest(
            `GET ${path}`,
            before,
            { status: res.status, text, type: res.headers.get("content-type") },
            { json: jsonError, changesCases: false },
          );
          expect([200, 400]).toContain(res.status);
        },
      ),
      { seed: SEED, numRuns: RUNS, endOnFailure: true },
    );
  }, 120_000);

  it("bodies over each door's limit are refused while read, with words, and store nothing", async () => {
    const before = await counts();
    // One photo part larger than the whole form may be.
    const big = formOf(goodWeb(), [
      { field: F.photos, name: "../../big.jpg", type: "image/jpeg", bytes: new Uint8Array(MAX_FORM_BYTES + 1024).fill(0xff) },
    ]);
    const web = await send("/report", { method: "POST", body: big, headers: { Origin: h.baseUrl, "X-Forwarded-For": nextAddress() } });
    await expectHonest("POST /report over the limit", before, web);
    expect(web.status).toBe(413);

    const action = formOf({ request: JSON.stringify({ code: "pg", version: 1, text: "x" }) }, [
      { field: "photos", name: "..\\..\\x", type: "image/jpeg", bytes: new Uint8Array(MAX_ACTION_BYTES + 1024) },
    ]);
    const consoleRes = await send("/console/api/cases/1/actions", {
      method: "POST",
      body: action,
      headers: { Authorization: `tma ${await initDataFor(dispatcher)}` },
    });
    await expectHonest("POST actions over the limit", before, consoleRes, { json: jsonError });
    expect(consoleRes.status).toBe(413);

    const open311 = await send("/open311/v2/requests.json", {
      method: "POST",
      body: new URLSearchParams({ ...goodOpen311(), description: "界".repeat(70_000) }),
    });
    await expectHonest("POST Open311 over the limit", before, open311, { json: open311Error });
    expect(open311.status).toBe(400);
  }, 120_000);
});

// ── The playground, in local mode ─────────────────────────────────────────────────────────

describe("the playground's API in local mode", () => {
  const CITIZEN = 900001;
  let server: Running;
  let base = "";
  let dir = "";
  let local: ReturnType<typeof createClient>;
  const played = { requests: 0, refused: 0, statuses: new Map<number, number>() };
  const STORED = ["cases", "case_events", "case_reporters", "attachments"] as const;
  const stored = async () => {
    const row = (await local.execute(`SELECT ${STORED.map((t) => `(SELECT count(*) FROM ${t}) AS ${t}`).join(", ")}`)).rows[0]!;
    return STORED.map((t) => Number(row[t]));
  };

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), "hazardline-fuzz-play-"));
    const port = await freePort();
    base = `http://127.0.0.1:${port}`;
    server = runServer({ PORT: String(port), LOCAL_DIR: dir });
    await server.waitForOutput(/"Hazardline started".*"mode":"local"/, 60_000);
    local = createClient({ url: `file:${join(dir, "local.db")}` });
  }, 90_000);
  afterAll(async () => {
    local?.close();
    await server?.stop();
    rmSync(dir, { recursive: true, force: true });
  });

  const ENDPOINTS: Record<string, Record<string, unknown>> = {
    send: { as: CITIZEN, chat: CITIZEN, text: "/start" },
    press: { as: CITIZEN, chat: CITIZEN, message: 1, data: "x" },
    location: { as: CITIZEN, chat: CITIZEN, lat: 36.9, lng: 115.9 },
    contact: { as: CITIZEN, chat: CITIZEN },
    clock: { to: "hours", hours: 1 },
  };

  it("hostile bodies to its POST endpoints are a 4xx with an error, or a 2xx, never a 5xx; a refusal stores nothing", async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.constantFrom(...Object.keys(ENDPOINTS)).chain((name) => fc.tuple(fc.constant(name), mangled(ENDPOINTS[name]!))),
        fc.constantFrom<Shape>("json", "json", "json", ...SHAPES),
        fc.array(filePart, { maxLength: 2 }),
        fc.double({ min: 0.05, max: 0.95, noNaN: true }),
        async ([name, fields], shape, files, cut) => {
          // The upload takes multipart: as, chat and a file with any name and bytes.
          const endpoint = files.length > 0 ? "upload" : name;
          const parts = files.map((f) => ({ field: "file", ...f }));
          const before = await stored();
          const { body, type } = await bodyOf(endpoint === "upload" && shape === "json" ? "multipart" : shape, fields, parts, cut);
          const res = await send(`/play/api/${endpoint}`, { method: "POST", body, headers: type ? { "Content-Type": type } : {} }, base);
          played.requests++;
          played.statuses.set(res.status, (played.statuses.get(res.status) ?? 0) + 1);
          const detail = `POST /play/api/${endpoint} (${shape}): ${res.status} ${res.text.slice(0, 300)}`;
          expect(res.status, detail).toBeLessThan(500);
          expect(res.type ?? "", detail).toMatch(/json/);
          if (res.status >= 400) {
            played.refused++;
            expect(jsonError(JSON.parse(res.text)), detail).toBe(true);
            expect(await stored(), `${detail}\nchanged by a refused request`).toEqual(before);
          }
        },
      ),
      { seed: SEED, numRuns: RUNS * 2, endOnFailure: true },
    );
    console.info(
      `playground fuzz: ${played.requests} requests, ${played.refused} refused; statuses ${JSON.stringify(Object.fromEntries([...played.statuses].sort(([a], [b]) => a - b)))}`,
    );
    expect(played.refused).toBeGreaterThan(0);
    expect(played.requests - played.refused).toBeGreaterThan(0);
    await expectSoundDatabase(local);
    expect(server.output()).not.toMatch(/"level":"error"/);
  }, 120_000);
});

// ── Every page escapes what it shows ──────────────────────────────────────────────────────

const PAYLOADS = ["<script>alert(1)</script>", '"><img src=x onerror=alert(1)>', "' OR 1=1 --", "</textarea><svg onload=alert(1)>"];
const PAYLOAD = PAYLOADS.join(" ");
const escapedHtml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[ch]!);
const escapedXml = (s: string) => s.replace(/[&<>"']/g, (ch) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&apos;" })[ch]!);

/** A page or XML answer that shows none of the payloads raw. */
function expectNoRawPayload(where: string, text: string) {
  for (const p of PAYLOADS) expect(text, `${where} shows ${p} raw`).not.toContain(p);
  expect(text, where).not.toMatch(/<script>alert|<img src=x|<svg onload/);
}

describe("every page escapes what it shows", () => {
  const numbers: Record<string, string> = {};
  const description = `${PAYLOAD} 工地脚手架没有防护网。`;
  let webPhone = "";

  beforeAll(async () => {
    // The web form, named, so the name and phone are stored too.
    webPhone = "13911112222";
    const web = await send("/report", {
      method: "POST",
      body: formOf({
        ...goodWeb(),
        [F.description]: description,
        [F.address]: PAYLOAD.slice(0, 200),
        [F.identity]: "named",
        [F.name]: PAYLOADS[1]!,
        [F.phone]: webPhone,
        [F.reward]: "",
      }),
      headers: { Origin: h.baseUrl, "X-Forwarded-For": nextAddress() },
    });
    expect(web.status, web.text.slice(0, 500)).toBe(201);
    numbers.web = /id="case-number">([A-Z]{2}-\d{8}-\d{4})</.exec(web.text)![1]!;
    expectNoRawPayload("the web form's result page", web.text);

    const open311 = await send("/open311/v2/requests.json", {
      method: "POST",
      body: new URLSearchParams({ ...goodOpen311(), description, address_string: PAYLOAD.slice(0, 200), first_name: PAYLOADS[0]! }),
    });
    expect(open311.status, open311.text).toBe(201);
    numbers.open311 = (JSON.parse(open311.text) as Array<{ service_request_id: string }>)[0]!.service_request_id;

    const intake = await consoleFetch(h, "intake", {
      as: dispatcher,
      body: { ...goodIntake(), description, address: PAYLOAD.slice(0, 200), name: PAYLOADS[1]!.slice(0, 50) },
    });
    expect(intake.status).toBe(200);
    numbers.console = ((await intake.json()) as { number: string }).number;

    // Listed for supervision, so the public page and Open311 show them.
    for (const n of Object.values(numbers)) await h.hazardline.db.update(cases).set({ supervision: "listed" }).where(eq(cases.number, n));
    await h.hazardline.settle();
  });

  it("the form shown again with its problems shows the typed address, description and name as text", async () => {
    const res = await send("/report", {
      method: "POST",
      body: formOf({
        ...goodWeb(),
        [F.sector]: "",
        [F.description]: PAYLOAD,
        [F.address]: PAYLOAD.slice(0, 200),
        [F.identity]: "named",
        [F.name]: PAYLOADS[1]!,
        [F.phone]: "no phone",
      }),
      headers: { Origin: h.baseUrl, "X-Forwarded-For": nextAddress() },
    });
    expect(res.status).toBe(422);
    expectNoRawPayload("the form with problems", res.text);
    expect(res.text).toContain(escapedHtml(PAYLOAD));
    expect(res.text).toContain(escapedHtml(PAYLOADS[1]!));
  });

  it("the status page, the public list and each public case page", async () => {
    const status = await send("/status", {
      method: "POST",
      body: new URLSearchParams({ number: numbers.web!, proof: webPhone }),
      headers: { Origin: h.baseUrl, "X-Forwarded-For": nextAddress() },
    });
    expect(status.status).toBe(200);
    expect(status.text).toContain(numbers.web);
    expectNoRawPayload("the status page", status.text);

    const list = await send("/public", { method: "GET" });
    expect(list.status).toBe(200);
    expectNoRawPayload("the public list", list.text);
    for (const n of Object.values(numbers)) {
      expect(list.text).toContain(n);
      const one = await send(`/public/${n}`, { method: "GET" });
      expect(one.status).toBe(200);
      expectNoRawPayload(`/public/${n}`, one.text);
      expect(one.text).toContain(escapedHtml(PAYLOADS[0]!));
      expect(one.text).toContain(escapedHtml(PAYLOADS[1]!));
    }
  });

  it("Open311's XML escapes, and its JSON carries the text as data", async () => {
    const xml = await send("/open311/v2/requests.xml", { method: "GET" });
    expect(xml.status).toBe(200);
    expectNoRawPayload("requests.xml", xml.text);
    expect(xml.text).toContain(escapedXml(PAYLOADS[0]!));
    expect(xml.text).toContain(escapedXml(PAYLOADS[1]!));
    for (const n of Object.values(numbers)) {
      const one = await send(`/open311/v2/requests/${n}.xml`, { method: "GET" });
      expect(one.status).toBe(200);
      expectNoRawPayload(`requests/${n}.xml`, one.text);
    }
    const json = await send("/open311/v2/requests.json", { method: "GET" });
    expect(json.type).toMatch(/^application\/json/);
    const listed = JSON.parse(json.text) as Array<{ service_request_id: string; description: string }>;
    for (const n of Object.values(numbers)) expect(listed.find((r) => r.service_request_id === n)?.description).toContain(PAYLOADS[0]);
    // No name typed by a reporter reaches a partner's list.
    expect(json.text).not.toContain("13911112222");
  });

  it("the console's JSON carries the text as data, as typed", async () => {
    for (const n of Object.values(numbers)) {
      const [row] = await h.hazardline.db.select({ id: cases.id }).from(cases).where(eq(cases.number, n));
      const res = await consoleFetch(h, `cases/${row!.id}`, { as: dispatcher });
      expect(res.status).toBe(200);
      expect(res.headers.get("content-type")).toMatch(/^application\/json/);
      const body = (await res.json()) as { case: { description: string } } & Record<string, unknown>;
      expect(JSON.stringify(body)).toContain(JSON.stringify(description).slice(1, -1));
    }
    const found = await consoleFetch(h, `cases?q=${encodeURIComponent("<script>")}`, { as: dispatcher });
    expect(found.status).toBe(200);
    expect(found.headers.get("content-type")).toMatch(/^application\/json/);
  });
});

describe("afterwards", () => {
  it("the database is sound, and the run looked at something", async () => {
    await h.hazardline.settle();
    const sound = await expectSoundDatabase(h.database.client, { settled: true });
    console.info(
      `web doors fuzz: ${seen.requests} requests, ${seen.refused} refused, ${seen.accepted} accepted, ${seen.replayed} replays; statuses ${JSON.stringify(Object.fromEntries([...seen.statuses].sort(([a], [b]) => a - b)))}; ${sound.cases} cases, ${sound.events} events checked`,
    );
    expect(seen.requests).toBeGreaterThan(RUNS * 8);
    expect(seen.refused).toBeGreaterThan(0);
    expect(seen.accepted).toBeGreaterThan(0);
    // No request failed inside: a 5xx would have been caught above, an error logged and answered otherwise would show here.
    expect(h.log.entries.filter((e) => e.level === "error")).toEqual([]);
  });
});
