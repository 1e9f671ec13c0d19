/**
 * Privacy across a whole run (issue 17, point 7): one broad scenario with anonymous reporters
 * by every door — two in Telegram (a hazard with a claim code for a reward, and a question),
 * one on the web form who typed a name and phone anyway, a caller the office entered on the
 * console as anonymous (name and phone typed anyway), and a partner system's anonymous request
 * (with an e-mail and device id, which Open311 does not take) — and staff working the cases:
 * cards to the groups, supervision, a post on the public channel, /case, /stats, /export.
 *
 * Then everything staff or the public can read is collected and searched for any of the
 * reporters' Telegram ids (as whole numbers), usernames, first and last names and phones (in
 * every usual format): every Bot API call to a staff member, group or channel (documents
 * decoded, the XLSX unzipped), every answer of every GET route of the console's API for every
 * staff role (the routes read from the app's own route list), the public page and each case's
 * page, Open311's requests in JSON and XML, the status page as someone without the code sees
 * it, and every log line the app wrote.
 *
 * And secrets at rest: no claim code, login token or session id is anywhere in the database as
 * it was handed out; a claim code's stored hash is its HMAC under CLAIM_SECRET (not a bare
 * SHA-256), so the same code under another secret hashes differently.
 *
 * Figures (printed at the end): payloads scanned, per source.
 */

import { eq } from "drizzle-orm";
import { unzipSync } from "fflate";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOfficeSettings } from "../../db/queries/settings";
import { caseReporters, cases, chats, members } from "../../db/schema";
import { SESSION_COOKIE } from "../../src/console/contract";
import { hashClaimCode } from "../../src/domain/claim-code";
import { sha256Hex } from "../../src/domain/hash";
import { REPORT_FIELDS as F } from "../../src/domain/web-report";
import { expectNoContactIn, expectNoReporterIn, expectNoReporterNamed } from "../support/anonymity";
import { initDataFor } from "../support/console";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import type { RecordedCall } from "../support/fake-bot-api";
import { askQuestion } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { expectSoundDatabase } from "../support/integrity";
import { person } from "../support/people";
import { webReportFields } from "../support/web-form";

const CLAIM_SECRET = "privacy-scan-claim-secret-0123456789";

const STAFF = {
  dispatcher: { id: 9901, first_name: "周", unitId: "office", roles: ["dispatcher"] as const, name: "周调度" },
  leader: { id: 9902, first_name: "王", unitId: "office", roles: ["leader"] as const, name: "王局长" },
  liaison: { id: 9903, first_name: "甲", unitId: "station-a", roles: ["liaison"] as const, name: "甲联络员" },
  admin: { id: 9904, first_name: "管", unitId: "office", roles: ["admin"] as const, name: "管理员" },
};
const GROUPS = { dispatchers: -100901, leaders: -100902, unit: -100903, channel: -100904 };

/** Telegram reporters, anonymous, with names, usernames and ids found nowhere else. */
const hazardReporter = person({
  id: 7306251843,
  first_name: "Xanthippe",
  last_name: "Quorvalis",
  username: "xq_whistle_2718",
  language_code: "zh-hans",
});
const questioner = person({ id: 6194837205, first_name: "Bartholomew", last_name: "Zendaya", username: "bz_asks_3141", language_code: "zh-hans" });
/** Reporters by the other doors, known only by what they typed. */
const webReporter = { names: ["Zebulon Marchetti", "Marchetti"], phones: ["+86 138 1234 5678"] };
const caller = { names: ["Ignatius Vollmerhaus", "Vollmerhaus"], phones: ["13987654321"] };
const partnerReporter = { names: ["partner.reporter.qv@example.org", "device-Quorvalis-5566"], phones: [] as string[] };

let h: Harness;
const numbers: string[] = [];
const claimCodes: string[] = [];
let webClaimCode = "";
const figures: Record<string, number> = {};
const count = (source: string, n: number) => {
  figures[source] = (figures[source] ?? 0) + n;
};

const CLAIM_CODE = /[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}/;

/** A recorded call as text: every parameter, a document's bytes decoded (an XLSX unzipped) in place of the bytes. */
function callText(call: RecordedCall): string {
  const parts: string[] = [];
  const text = JSON.stringify(call.params, (_key, value) => {
    if (value instanceof Uint8Array) {
      parts.push(documentText(value));
      return "[bytes]";
    }
    return value;
  });
  return [text, ...parts].join("\n");
}

function documentText(bytes: Uint8Array): string {
  const zip = bytes[0] === 0x50 && bytes[1] === 0x4b;
  if (!zip) return new TextDecoder().decode(bytes);
  const files = unzipSync(bytes);
  count("export files unzipped", Object.keys(files).length);
  return Object.values(files)
    .map((f) => new TextDecoder().decode(f))
    .join("\n");
}

const staffIds = () => [...Object.values(STAFF).map((s) => s.id), ...Object.values(GROUPS)];

async function api(as: { id: number; first_name: string }, path: string): Promise<{ status: number; text: string }> {
  const res = await fetch(`${h.baseUrl}${path}`, { headers: { Authorization: `tma ${await initDataFor(as)}` } });
  return { status: res.status, text: await res.text() };
}

beforeAll(async () => {
  h = await startHarness({ env: { CLAIM_SECRET } });
  const db = h.hazardline.db;
  await seedSmallCounty(db, { mapped: true });
  await db.insert(members).values(Object.values(STAFF).map((s) => ({ telegramId: s.id, unitId: s.unitId, roles: [...s.roles], name: s.name })));
  await db.insert(chats).values([
    { chatId: GROUPS.dispatchers, title: "调度群", purpose: "dispatchers" },
    { chatId: GROUPS.leaders, title: "领导群", purpose: "leaders" },
    { chatId: GROUPS.unit, title: "城关镇安全生产工作群", purpose: "unit", unitId: "station-a" },
    { chatId: GROUPS.channel, title: "清河县安全生产信息公开", purpose: "public" },
  ]);
  await writeOfficeSettings(db, { publication: { publicPage: true } }, Date.now());
}, 60_000);
afterAll(async () => {
  console.info(`privacy scan: payloads scanned per source ${JSON.stringify(figures)}`);
  await expectSoundDatabase(h.database.client, { settled: false });
  expect(h.fake.violations).toEqual([]);
  await h.stop();
});

describe("a run with anonymous reporters by every door", () => {
  it("takes every report anonymously", async () => {
    // Telegram: a hazard whose reporter asks for a reward (a claim code), and a question.
    const c = new Conversation(h, hazardReporter);
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("建筑施工");
    await c.tap("城关镇");
    await c.tap("跳过");
    await c.say("城关镇建设路工地塔吊限位器失灵，仍在吊装作业，下面有工人。");
    await c.tap("跳过");
    await c.tap("一般");
    await c.tap("匿名");
    await c.tap("申请奖励");
    const submitted = (await c.tap("提交")).join("\n");
    numbers.push(/(YH-\d{8}-\d{4})/.exec(submitted)![1]!);
    claimCodes.push(CLAIM_CODE.exec(submitted)![0]);
    numbers.push(await askQuestion(new Conversation(h, questioner), "请问小作坊使用液化气罐需要办理什么手续？"));

    // The web form: anonymous, though a name and phone were typed.
    const form = new FormData();
    for (const [k, v] of Object.entries(webReportFields({ [F.name]: webReporter.names[0]!, [F.phone]: webReporter.phones[0]! }))) form.append(k, v);
    const web = await fetch(`${h.baseUrl}/report`, { method: "POST", body: form, headers: { Origin: h.baseUrl } });
    const page = await web.text();
    expect(web.status, page).toBe(201);
    numbers.push(/id="case-number">([A-Z]{2}-\d{8}-\d{4})</.exec(page)![1]!);
    webClaimCode = /id="claim-code">([^<]+)</.exec(page)![1]!;
    claimCodes.push(webClaimCode);

    // A caller the dispatcher entered as anonymous, who gave a name and number anyway.
    const intake = await fetch(`${h.baseUrl}/console/api/intake`, {
      method: "POST",
      headers: { Authorization: `tma ${await initDataFor(STAFF.dispatcher)}`, "Content-Type": "application/json" },
      body: JSON.stringify({
        submission: `intake-${crypto.randomUUID()}`,
        source: "phone",
        kind: "hazard",
        sectorId: "construction",
        regionId: "town-a",
        description: "来电反映城关镇一家烟花爆竹门店在居民楼下违规储存大量成品。",
        urgent: true,
        anonymous: true,
        name: caller.names[0],
        phone: caller.phones[0],
        reward: false,
      }),
    });
    const taken = (await intake.json()) as { ok: boolean; number: string; claimCode?: string };
    expect(intake.status, JSON.stringify(taken)).toBe(200);
    numbers.push(taken.number);
    if (taken.claimCode) claimCodes.push(taken.claimCode);

    // A partner's anonymous request, with the contact fields Open311 does not take.
    const { key } = await h.hazardline.services.partners.issue("12345 platform");
    const open311 = await fetch(`${h.baseUrl}/open311/v2/requests.json`, {
      method: "POST",
      body: new URLSearchParams({
        api_key: key,
        service_code: "construction",
        lat: "36.9005",
        long: "115.9004",
        address_string: "城关镇建设路 12 号",
        description: "工地基坑边没有护栏，夜间没有警示灯，路人容易掉下去。",
        email: partnerReporter.names[0]!,
        device_id: partnerReporter.names[1]!,
        account_id: "acct-7306251843",
      }),
    });
    const [item] = (await open311.json()) as Array<{ service_request_id: string; lookup_code?: string }>;
    expect(open311.status).toBe(201);
    numbers.push(item!.service_request_id);
    if (item!.lookup_code) claimCodes.push(item!.lookup_code);

    await h.tick(Date.now());
    const stored = await h.hazardline.db.select().from(cases);
    expect(stored.map((row) => row.number).sort()).toEqual([...numbers].sort());
    expect(stored.every((row) => row.anonymous)).toBe(true);
    expect(claimCodes.length).toBeGreaterThanOrEqual(2);
  });

  it("lets staff work the cases: supervision, the public channel, /case, /stats, /export, a console login", async () => {
    const dispatcher = new Conversation(h, person(STAFF.dispatcher));
    const leader = new Conversation(h, person(STAFF.leader));
    const hazard = numbers[0]!;
    await leader.say(`/case ${hazard}`);
    await leader.tap("挂牌督办");
    await dispatcher.say(`/publish ${hazard}`);
    await dispatcher.tap("发布");
    for (const number of numbers) await dispatcher.say(`/case ${number}`);
    await dispatcher.say("/stats");
    await dispatcher.say("/export");
    await h.tick(Date.now());
    expect(h.fake.sentTexts(GROUPS.channel).some((t) => t.includes(hazard))).toBe(true);
    expect(h.fake.callsTo("sendDocument").filter((c) => Number(c.params.chat_id) === STAFF.dispatcher.id).length).toBeGreaterThanOrEqual(2);
  });
});

describe("the scan itself", () => {
  it("finds a reporter's id, name, username and phone in every usual format when they are there", () => {
    const planted = [
      `{"chat_id":${hazardReporter.id}}`,
      "from Xanthippe Quorvalis",
      "@xq_whistle_2718",
      "电话 +86 138 1234 5678",
      "tel:8613812345678",
      "138-1234-5678",
      "(139) 8765 4321",
      "Zebulon Marchetti",
    ];
    for (const text of planted.slice(0, 3)) expect(() => expectNoReporterIn([text], [hazardReporter]), text).toThrow();
    for (const text of planted.slice(3)) expect(() => expectNoContactIn([text], [webReporter, caller]), text).toThrow();
    // And not in what merely contains the digits: a longer number, or the id inside another.
    expect(() => expectNoContactIn(["order 913812345678", "13812345679"], [webReporter])).not.toThrow();
    expect(() => expectNoReporterIn(["17306251843"], [hazardReporter])).not.toThrow();
  });
});

describe("what staff and the public can read", () => {
  const tgReporters = [hazardReporter, questioner];
  const others = [webReporter, caller, partnerReporter];
  /** Every check on a set of texts: the Telegram reporters by id, name and username, the others by name and phone. */
  const expectClean = (source: string, bodies: string[]) => {
    expect(bodies.length, source).toBeGreaterThan(0);
    count(source, bodies.length);
    expectNoReporterIn(bodies, tgReporters);
    expectNoContactIn(bodies, others);
  };

  it("no Bot API call to a staff member, group or channel names a reporter", async () => {
    const staff = new Set(staffIds());
    const calls = h.fake.calls.filter((c) => staff.has(Number(c.params.chat_id)));
    expect(expectNoReporterNamed(h.fake, staff, tgReporters)).toBe(calls.length);
    expectClean("bot api calls to staff", calls.map(callText));
    // The export was among them, read as a staff member opens it.
    expect(figures["export files unzipped"]).toBeGreaterThan(0);
  });

  it("no answer of the console's API, for any staff role, names a reporter", async () => {
    const routes = [...new Set(h.hazardline.app.routes.filter((r) => r.method === "GET" && r.path.startsWith("/console/api/")).map((r) => r.path))];
    expect(routes.length).toBeGreaterThanOrEqual(9);
    const ids = (await h.hazardline.db.select({ id: cases.id }).from(cases)).map((r) => r.id);
    for (const member of Object.values(STAFF)) {
      const bodies: string[] = [];
      const fileTokens = new Set<string>();
      for (const route of routes) {
        const paths =
          route === "/console/api/cases"
            ? ["all", "queue", "mine", "supervised", "overdue", "open"].map((v) => `${route}?view=${v}`)
            : route === "/console/api/cases/:id"
              ? ids.map((id) => `/console/api/cases/${id}`)
              : route === "/console/api/units/:id/liaisons"
                ? ["/console/api/units/station-a/liaisons", "/console/api/units/office/liaisons"]
                : route === "/console/api/files/:token"
                  ? [] // asked below, with the links the case answers carry
                  : [route];
        expect(
          paths.every((p) => !p.includes(":")),
          route,
        ).toBe(true);
        for (const path of paths) {
          const { text } = await api(member, path);
          bodies.push(text);
          for (const m of text.matchAll(/\/console\/api\/files\/([A-Za-z0-9._~-]+)/g)) fileTokens.add(m[1]!);
        }
      }
      for (const token of fileTokens) bodies.push((await api(member, `/console/api/files/${token}`)).text);
      // The answers were about these cases: a dispatcher sees every one, anyone else at least one.
      const seen = numbers.filter((n) => bodies.some((b) => b.includes(n)));
      expect(seen.length, member.name).toBeGreaterThan(0);
      if (member === STAFF.dispatcher) expect(seen.sort()).toEqual([...numbers].sort());
      expectClean("console api answers", bodies);
    }
  });

  it("no public page, Open311 answer or status page (without the code) names a reporter", async () => {
    const get = async (path: string) => (await fetch(`${h.baseUrl}${path}`)).text();
    const pages = [await get("/public"), await get("/public?lang=en")];
    for (const n of numbers) pages.push(await get(`/public/${n}`));
    expectClean("public pages", pages);

    const open311 = [await get("/open311/v2/requests.json"), await get("/open311/v2/requests.xml"), await get("/open311/v2/services.json")];
    for (const n of numbers) open311.push(await get(`/open311/v2/requests/${n}.json`), await get(`/open311/v2/requests/${n}.xml`));
    expect(open311.some((b) => b.includes(numbers[0]!))).toBe(true);
    expectClean("open311 answers", open311);

    const status: string[] = [];
    for (const n of numbers) {
      status.push(await get(`/status?number=${n}`));
      const res = await fetch(`${h.baseUrl}/status`, {
        method: "POST",
        headers: { Origin: h.baseUrl },
        body: new URLSearchParams({ number: n, proof: "2222-3333-4444" }),
      });
      expect(res.status).toBe(404);
      status.push(await res.text());
    }
    expectClean("status pages without the code", status);
  });

  it("no log line the app wrote names a reporter", async () => {
    await h.hazardline.settle();
    const lines = h.log.entries.map((entry) => JSON.stringify(entry, (_k, v) => (v instanceof Error ? `${v.name}: ${v.message}` : v)));
    expect(h.log.entries.every((entry) => ["info", "warn", "error"].includes(entry.level))).toBe(true);
    expectClean("log lines", lines);
  });
});

describe("secrets at rest", () => {
  /** Every cell of every table, as text. */
  async function everyCell(): Promise<string[]> {
    const client = h.database.client;
    const tables = await client.execute("SELECT name FROM sqlite_master WHERE type = 'table'");
    const cells: string[] = [];
    for (const t of tables.rows) {
      const rows = await client.execute(`SELECT * FROM "${String(t.name)}"`);
      for (const row of rows.rows) for (const value of Object.values(row)) if (value !== null) cells.push(String(value));
    }
    return cells;
  }

  it("keeps no claim code, login token or session id as it was handed out", async () => {
    const dispatcher = new Conversation(h, person(STAFF.dispatcher));
    const [answer] = await dispatcher.say("/web");
    const token = /\/console\/login\?token=([a-z2-9]+)/.exec(answer ?? "")![1]!;
    const unused = /\/console\/login\?token=([a-z2-9]+)/.exec((await dispatcher.say("/web"))[0] ?? "")![1]!;
    const login = await fetch(`${h.baseUrl}/console/login?token=${token}`, { redirect: "manual" });
    const session = new RegExp(`${SESSION_COOKIE}=([^;]+)`).exec(login.headers.get("set-cookie") ?? "")![1]!;
    expect((await fetch(`${h.baseUrl}/console/api/me`, { headers: { Cookie: `${SESSION_COOKIE}=${session}` } })).status).toBe(200);

    const cells = await everyCell();
    count("database cells", cells.length);
    const secrets = [token, unused, session, ...claimCodes, ...claimCodes.map((c) => c.replace(/-/g, ""))];
    for (const secret of secrets)
      expect(
        cells.filter((cell) => cell.includes(secret)),
        secret,
      ).toEqual([]);
  });

  it("stores a claim code as its HMAC under CLAIM_SECRET, not a bare SHA-256", async () => {
    const db = h.hazardline.db;
    const hashes = (await db.select({ hash: caseReporters.claimHash }).from(caseReporters)).map((r) => r.hash).filter((x) => x !== null);
    expect(hashes.length).toBeGreaterThanOrEqual(claimCodes.length);
    count("claim codes checked", claimCodes.length);
    for (const code of claimCodes) {
      const hmac = await hashClaimCode(code, CLAIM_SECRET);
      expect(hashes, code).toContain(hmac);
      expect(hashes, code).not.toContain(await sha256Hex(code));
      expect(await hashClaimCode(code, "another-claim-secret-9876543210")).not.toBe(hmac);
    }
    // The web reporter's code is on its own case.
    const [web] = await db.select({ id: cases.id }).from(cases).where(eq(cases.number, numbers[2]!));
    const [row] = await db.select().from(caseReporters).where(eq(caseReporters.caseId, web!.id));
    expect(row!.claimHash).toBe(await hashClaimCode(webClaimCode, CLAIM_SECRET));
    expect(row!.name).toBeNull();
    expect(row!.phone).toBeNull();
  });
});
