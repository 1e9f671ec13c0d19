/**
 * Open311 GeoReport v2 over HTTP against the real app, by the spec's field names: the sectors
 * as services; a partner's POST with its key stored as a case from door open311 (its own ref
 * kept, routed by the pin's town), once however often it is retried; no key, a wrong one or a
 * revoked one stores nothing; the public cases (listed for supervision) as requests, filtered as
 * the spec says, in JSON and XML, never with anything about the reporter. And the operator's
 * `npm run api-key` issuing, listing and revoking keys in a database file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createClient } from "@libsql/client";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOfficeSettings } from "../../db/queries/settings";
import { apiKeys, caseReporters, cases, members } from "../../db/schema";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { cleanEnv, run } from "../support/processes";

const REPORTER = { first_name: "小红", last_name: "李", phone: "13700001111" };
const SERVICE_FIELDS = ["service_code", "service_name", "description", "metadata", "type", "keywords", "group"];
const REQUEST_FIELDS = [
  "service_request_id",
  "status",
  "status_notes",
  "service_name",
  "service_code",
  "description",
  "agency_responsible",
  "service_notice",
  "requested_datetime",
  "updated_datetime",
  "expected_datetime",
  "address",
  "address_id",
  "zipcode",
  "lat",
  "long",
  "media_url",
];

describe("Open311 GeoReport v2", () => {
  let h: Harness;
  let key = "";
  let revoked = "";
  let keyId = 0;
  const api = (path: string) => `${h.baseUrl}/open311/v2/${path}`;
  const caseCount = async () => (await h.hazardline.db.select({ n: count() }).from(cases))[0]!.n;

  async function postForm(fields: Record<string, string>, path = "requests.json") {
    const res = await fetch(api(path), { method: "POST", body: new URLSearchParams(fields) });
    return { status: res.status, body: await res.text(), headers: res.headers };
  }
  const good = (over: Record<string, string> = {}) => ({
    api_key: key,
    service_code: "construction",
    lat: "36.9005",
    long: "115.9004",
    address_string: "城关镇建设路 8 号工地",
    description: "工地塔吊限位器失灵，仍在吊装作业，下面有工人。",
    ...over,
  });
  const getJson = async (path: string) => {
    const res = await fetch(api(path));
    return { status: res.status, json: (await res.json()) as Array<Record<string, unknown>>, headers: res.headers };
  };

  beforeAll(async () => {
    h = await startHarness();
    const db = h.hazardline.db;
    await seedSmallCounty(db, { mapped: true });
    await db.insert(members).values([
      { telegramId: 9801, unitId: "office", roles: ["dispatcher"], name: "Zhou" },
      { telegramId: 9802, unitId: "station-a", roles: ["liaison"], name: "Li" },
    ]);
    await writeOfficeSettings(db, { publication: { publicPage: true } }, Date.now());
    const partners = h.hazardline.services.partners;
    ({ key, id: keyId } = await partners.issue("12345 platform"));
    const old = await partners.issue("old grid system");
    revoked = old.key;
    await partners.revoke(old.id);
  });
  afterAll(async () => {
    await h.stop();
  });

  it("lists the sectors as services, by the spec's fields, in JSON and XML", async () => {
    const { status, json, headers } = await getJson("services.json");
    expect(status).toBe(200);
    expect(headers.get("content-type")).toContain("application/json");
    const construction = json.find((s) => s.service_code === "construction")!;
    expect(Object.keys(construction).sort()).toEqual([...SERVICE_FIELDS].sort());
    expect(construction).toMatchObject({
      service_name: "建筑施工",
      description: "Construction",
      metadata: false,
      type: "realtime",
      group: "安全生产",
    });
    const xml = await fetch(api("services.xml"));
    expect(xml.headers.get("content-type")).toContain("text/xml");
    const text = await xml.text();
    expect(text).toMatch(/^<\?xml version="1.0" encoding="UTF-8"\?>\n<services><service><service_code>/);
    expect(text).toContain("<service_name>建筑施工</service_name>");
    expect((await fetch(api("services.csv"))).status).toBe(404);
  });

  it("stores a partner's request as a case from door open311 with its ref, routed by the pin's town, and answers 201 by the spec", async () => {
    const before = await caseCount();
    const res = await postForm(good({ ...REPORTER, "attribute[ref]": "WO-2026-0001" }));
    expect(res.status, res.body).toBe(201);
    const [item] = JSON.parse(res.body) as Array<Record<string, unknown>>;
    expect(item).toMatchObject({ token: null, account_id: null, service_notice: expect.any(String) });
    expect(item!.service_request_id).toMatch(/^YH-\d{8}-\d{4}$/);
    // A named report is followed by its phone: no lookup code.
    expect(item).not.toHaveProperty("lookup_code");
    expect(await caseCount()).toBe(before + 1);

    const db = h.hazardline.db;
    const [row] = await db
      .select()
      .from(cases)
      .where(eq(cases.number, item!.service_request_id as string));
    expect(row).toMatchObject({
      source: "open311",
      sourceRef: "WO-2026-0001",
      sectorId: "construction",
      regionId: "town-a",
      unitId: "station-a",
      anonymous: false,
    });
    const [reporter] = await db.select().from(caseReporters).where(eq(caseReporters.caseId, row!.id));
    expect(reporter).toMatchObject({ name: "李小红", phone: "13700001111", telegramId: null });
    const [k] = await db.select().from(apiKeys).where(eq(apiKeys.id, keyId));
    expect(k!.lastUsedAt).toBeGreaterThan(0);
  });

  it("a retried POST with the same ref gives the same service_request_id and makes no second case", async () => {
    const fields = good({ "attribute[ref]": "WO-2026-0002", description: "加油站旁边有人违规焊接作业，没有看护。" });
    const first = await postForm(fields);
    const again = await postForm(fields);
    // The same ref with other words (the partner's system re-sent an edited copy) is still that request.
    const edited = await postForm({ ...fields, description: "加油站旁边有人违规焊接作业，现场没有任何看护人员。" });
    expect(first.status).toBe(201);
    expect(again.status).toBe(200);
    expect(edited.status).toBe(200);
    const id = (r: { body: string }) => (JSON.parse(r.body) as Array<{ service_request_id: string }>)[0]!.service_request_id;
    expect(id(again)).toBe(id(first));
    expect(id(edited)).toBe(id(first));
    const rows = await h.hazardline.db.select().from(cases).where(eq(cases.sourceRef, "WO-2026-0002"));
    expect(rows).toHaveLength(1);
  });

  it("takes JSON too; an anonymous request gets a lookup code for the partner to pass on", async () => {
    const res = await fetch(api("requests.json"), {
      method: "POST",
      headers: { "Content-Type": "application/json" },
      body: JSON.stringify({ ...good(), lat: 36.901, long: 115.901, attribute: { ref: "WO-2026-0003", urgent: true } }),
    });
    expect(res.status).toBe(201);
    const [item] = (await res.json()) as Array<Record<string, unknown>>;
    expect(item!.lookup_code).toEqual(expect.any(String));
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.sourceRef, "WO-2026-0003"));
    expect(row).toMatchObject({ anonymous: true, severity: "urgent", regionId: "town-a" });
  });

  it("refuses a missing, wrong or revoked key with 403 and stores nothing", async () => {
    const before = await caseCount();
    for (const api_key of [undefined, "not-a-key", revoked]) {
      const fields: Record<string, string> = good({ "attribute[ref]": `WO-KEY-${String(api_key)}` });
      if (api_key === undefined) delete fields.api_key;
      else fields.api_key = api_key;
      const res = await postForm(fields);
      expect(res.status, String(api_key)).toBe(403);
      expect(JSON.parse(res.body)).toEqual([{ code: 403, description: expect.stringContaining("api_key") }]);
    }
    const xml = await postForm({ ...good(), api_key: revoked }, "requests.xml");
    expect(xml.status).toBe(403);
    expect(xml.body).toContain("<errors><error><code>403</code><description>");
    expect(await caseCount()).toBe(before);
  });

  it("refuses invalid input with 400 and a description that names what is wrong", async () => {
    const before = await caseCount();
    const cases400: Array<[Record<string, string>, RegExp]> = [
      [good({ service_code: "potholes" }), /service_code/],
      [good({ service_code: "" }), /service_code/],
      [good({ description: "太短" }), /10/],
      [good({ lat: "91", long: "115.9" }), /lat/],
      [good({ lat: "abc" }), /lat/],
      [good({ lat: "", long: "", address_string: "" }), /address_string/],
      [good({ first_name: "张" }), /phone/],
      [good({ phone: "12345" }), /phone/],
      [good({ "attribute[ref]": "<b>x</b>" }), /attribute\[ref\]/],
    ];
    for (const [fields, says] of cases400) {
      const res = await postForm(fields);
      expect(res.status, JSON.stringify(fields)).toBe(400);
      const [error] = JSON.parse(res.body) as Array<{ code: number; description: string }>;
      expect(error!.code).toBe(400);
      expect(error!.description).toMatch(says);
    }
    expect(await caseCount()).toBe(before);
  });

  describe("public requests", () => {
    let listed = "";
    let unlisted = "";

    beforeAll(async () => {
      const db = h.hazardline.db;
      const [a] = await db.select().from(cases).where(eq(cases.sourceRef, "WO-2026-0001"));
      const [b] = await db.select().from(cases).where(eq(cases.sourceRef, "WO-2026-0002"));
      listed = a!.number;
      unlisted = b!.number;
      await db
        .update(cases)
        .set({
          supervision: "listed",
          dueAt: Date.UTC(2027, 0, 15, 1),
          description: "塔吊限位器失灵，举报人电话13700001111，身份证110101199003071234",
        })
        .where(eq(cases.id, a!.id));
    });

    it("lists only the cases listed for supervision, by the spec's fields, with no reporter in them", async () => {
      const { status, json } = await getJson("requests.json");
      expect(status).toBe(200);
      expect(json.map((r) => r.service_request_id)).toEqual([listed]);
      const [r] = json;
      expect(Object.keys(r!).sort()).toEqual([...REQUEST_FIELDS].sort());
      expect(r).toMatchObject({
        status: "open",
        service_code: "construction",
        service_name: "建筑施工",
        agency_responsible: "城关镇安监站",
        address: "城关镇",
        expected_datetime: "2027-01-15T01:00:00Z",
        lat: 36.9005,
        long: 115.9004,
      });
      expect(r!.requested_datetime).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      expect(r!.description).toContain("137****1111");
      expect(r!.description).toContain("110101********1234");
      const one = await getJson(`requests/${listed}.json`);
      expect(one.status).toBe(200);
      expect(one.json).toEqual(json);
      for (const body of [
        JSON.stringify(json),
        await (await fetch(api("requests.xml"))).text(),
        await (await fetch(api(`requests/${listed}.xml`))).text(),
      ]) {
        for (const secret of [REPORTER.phone, REPORTER.first_name, REPORTER.last_name, "110101199003071234"]) expect(body).not.toContain(secret);
      }
    });

    it("is 404 by the spec's error for a request that is not public, or when the office does not publish", async () => {
      const one = await getJson(`requests/${unlisted}.json`);
      expect(one.status).toBe(404);
      expect(one.json).toEqual([{ code: 404, description: expect.stringContaining(unlisted) }]);
      await writeOfficeSettings(h.hazardline.db, { publication: { publicPage: false } }, Date.now());
      expect((await getJson("requests.json")).status).toBe(404);
      expect((await getJson(`requests/${listed}.json`)).status).toBe(404);
      await writeOfficeSettings(h.hazardline.db, { publication: { publicPage: true } }, Date.now());
    });

    it("filters by status, service_code, service_request_id and start_date/end_date", async () => {
      const ids = async (query: string) => (await getJson(`requests.json?${query}`)).json.map((r) => r.service_request_id);
      expect(await ids("status=open")).toEqual([listed]);
      expect(await ids("status=closed")).toEqual([]);
      expect(await ids("status=open,closed")).toEqual([listed]);
      expect(await ids("service_code=construction,fire")).toEqual([listed]);
      expect(await ids("service_code=fire")).toEqual([]);
      expect(await ids(`service_request_id=${listed},${unlisted}`)).toEqual([listed]);
      const day = 24 * 60 * 60_000;
      const iso = (ms: number) => new Date(ms).toISOString();
      expect(await ids(`start_date=${iso(Date.now() - day)}&end_date=${iso(Date.now() + day)}`)).toEqual([listed]);
      expect(await ids(`start_date=${iso(Date.now() + day)}`)).toEqual([]);
      expect(await ids(`end_date=${iso(Date.now() - day)}`)).toEqual([]);
      expect((await getJson("requests.json?start_date=yesterday")).status).toBe(400);
      expect((await getJson("requests.json?status=pending")).status).toBe(400);
      expect((await getJson("requests.json?service_request_id=42")).status).toBe(400);
    });
  });
});

describe("npm run api-key", () => {
  const root = fileURLToPath(new URL("../..", import.meta.url));
  let workdir: string;
  beforeAll(() => {
    workdir = mkdtempSync(join(tmpdir(), "hazardline-api-key-"));
  });
  afterAll(() => rmSync(workdir, { recursive: true, force: true }));

  it("issues a key shown once and stored only as its hash, lists it, and revokes it", async () => {
    const url = `file:${join(workdir, "hazardline.db")}`;
    const script = (...args: string[]) =>
      run(join(root, "node_modules/.bin/tsx"), [join(root, "scripts/api-key.ts"), ...args], { cwd: workdir, env: cleanEnv({ DATABASE_URL: url }) });

    const issued = script("issue", "12345", "platform");
    expect(await issued.exited, issued.output()).toBe(0);
    const key = issued.output().split("\n")[0]!;
    expect(key).toMatch(/^[A-Za-z0-9_-]{43}$/);
    expect(issued.output()).toContain('Key 1 issued to "12345 platform"');

    const client = createClient({ url });
    const rows = (await client.execute("select partner, key_hash, revoked_at from api_keys")).rows;
    expect(rows).toHaveLength(1);
    expect(rows[0]!.partner).toBe("12345 platform");
    expect(rows[0]!.key_hash).toMatch(/^[0-9a-f]{64}$/);
    expect(rows[0]!.key_hash).not.toBe(key);
    expect(JSON.stringify(rows)).not.toContain(key);

    const listed = script("list");
    expect(await listed.exited).toBe(0);
    expect(listed.output()).toMatch(/^1\t12345 platform\tissued .+\tin use$/m);
    expect(listed.output()).not.toContain(key);

    const revoke = script("revoke", "1");
    expect(await revoke.exited, revoke.output()).toBe(0);
    expect((await client.execute("select revoked_at from api_keys")).rows[0]!.revoked_at).toEqual(expect.any(Number));
    const twice = script("revoke", "1");
    expect(await twice.exited).toBe(1);
    const usage = script("issue");
    expect(await usage.exited).toBe(2);
    expect(usage.output()).toContain("Usage:");
    client.close();
  });
});
