/**
 * The console's API over HTTP against the real app: credentials are checked before routing
 * (401 without, 403 for someone who is not staff, the same for a path that does not exist),
 * then every endpoint for every role: dispatchers, leaders and admins see the whole office,
 * a liaison their unit's cases only (another unit's case, its actions and its files: 403), a
 * citizen nothing. Cases come in through the chat's own report flow; an action taken here is
 * the chat button's service call, so its card reaches the unit through the outbox. No body of
 * any answer names an anonymous reporter.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { and, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { caseEvents, cases, members, regions, units } from "../../db/schema";
import type {
  CaseDetailResponse,
  CaseListResponse,
  DashboardResponse,
  DirectoryResponse,
  LiaisonsResponse,
  MapResponse,
} from "../../src/console/contract";
import { SEARCH_LIMIT } from "../../src/console/contract";
import { fileLinks } from "../../src/console/file-links";
import type { InitDataUser } from "../../src/console/init-data";
import { expectNoReporterIn } from "../support/anonymity";
import { consoleFetch, initDataFor } from "../support/console";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import { TEST_TOKEN } from "../support/fake-bot-api";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
let workdir: string;
const dispatcher = { id: 9701, first_name: "周", language_code: "zh-hans" };
const liaison = { id: 9702, first_name: "Li", language_code: "en" };
const leader = { id: 9703, first_name: "王" };
const otherLiaison = { id: 9704, first_name: "赵" };
const citizen = { id: 9799, first_name: "群众" };
const STAFF = [dispatcher, liaison, leader, otherLiaison];

// Anonymous reporters, with names and ids nothing the console answers may contain.
const reporterA = person({ id: 730_001_357, first_name: "林晓峰", last_name: "匿", username: "lin_xiaofeng_anon" });
const reporterB = person({ id: 730_002_468, first_name: "苏婉清", username: "su_wanqing_anon" });
const REPORTERS = [reporterA, reporterB];

/** Every body the API answered, for the privacy scan at the end. */
const bodies: string[] = [];

async function call(path: string, opts: Parameters<typeof consoleFetch>[2] = {}) {
  const res = await consoleFetch(h, path, opts);
  const text = await res.text();
  bodies.push(text);
  return { status: res.status, text, json: () => JSON.parse(text) as unknown, headers: res.headers };
}
const get = async <T>(path: string, as: InitDataUser) => {
  const res = await call(path, { as });
  expect(res.status, `${path}: ${res.text}`).toBe(200);
  return res.json() as T;
};

const photo = new TextEncoder().encode("the scaffold without a safety net, photographed");
let caseA: { id: number; number: string };
let caseB: { id: number; number: string };
let liaisonBMember: number;

/** The report flow with one photo, anonymously; returns the tracking number. */
async function reportWithPhoto(c: Conversation, text: string, photoId: string): Promise<string> {
  await c.say("/report");
  await c.tap("安全隐患");
  await c.tap("建筑施工");
  await c.tap("城关镇");
  await c.tap("跳过");
  await c.say(text);
  await c.post(c.who.sendsPhoto(photoId));
  await c.tap("完成");
  await c.tap("一般");
  await c.tap("匿名");
  await c.tap("不需要");
  return /编号：(YH-\d{8}-\d{4})/.exec((await c.tap("提交"))[0]!)![1]!;
}

const caseRow = async (number: string) => (await h.hazardline.db.select().from(cases).where(eq(cases.number, number)))[0]!;

beforeAll(async () => {
  workdir = mkdtempSync(join(tmpdir(), "hazardline-console-"));
  h = await startHarness({ files: fsFileStore(join(workdir, "files")) });
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  // A second town with no route (its reports wait in the triage queue) and its own station; areas for the map.
  await db
    .update(regions)
    .set({ area: { lat: 36.9, lng: 115.9, radiusM: 3000 } })
    .where(eq(regions.id, "town-a"));
  await db.insert(regions).values({
    id: "town-b",
    parentId: "county",
    level: "town",
    nameZh: "河西镇",
    nameEn: "Hexi Town",
    area: {
      type: "Polygon",
      coordinates: [
        [
          [116.0, 36.8],
          [116.1, 36.8],
          [116.1, 36.9],
        ],
      ],
    },
  });
  await db.insert(units).values({ id: "station-b", kind: "territorial", nameZh: "河西镇安监站", nameEn: "Hexi Safety Station", regionId: "town-b" });
  await db.insert(members).values([
    { telegramId: dispatcher.id, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: liaison.id, unitId: "station-a", roles: ["liaison"], name: "Li" },
    { telegramId: leader.id, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: otherLiaison.id, unitId: "station-b", roles: ["liaison"], name: "赵联络" },
  ]);
  liaisonBMember = (await db.select({ id: members.id }).from(members).where(eq(members.telegramId, otherLiaison.id)))[0]!.id;
  h.fake.addFile("file-p1", photo, { uniqueId: "p1" });

  // Case A: town A, routed to station A at once, with a photo. Case B: town B, no route: the queue.
  const a = await reportWithPhoto(new Conversation(h, reporterA), "脚手架没有安全网，工人高空作业不系安全带。", "p1");
  const b = await reportHazard(new Conversation(h, reporterB), { text: "河西镇仓库里堆放大量易燃物，没有灭火器。", town: "河西镇" });
  await h.hazardline.services.archive.settle();
  await h.tick(Date.now());
  caseA = { id: (await caseRow(a)).id, number: a };
  caseB = { id: (await caseRow(b)).id, number: b };
  // A pin for the map (the report flow's pin step is tested with the citizen's flows).
  await db.update(cases).set({ latitude: 36.9, longitude: 115.9 }).where(eq(cases.id, caseA.id));
});
afterAll(async () => {
  expect(h.fake.violations).toEqual([]);
  await h.stop();
  rmSync(workdir, { recursive: true, force: true });
});

describe("/console/api: who may call it", () => {
  it("answers 401 without credentials or with bad ones, before routing", async () => {
    for (const path of ["me", "cases", "no/such/path"]) {
      expect((await consoleFetch(h, path)).status).toBe(401);
      expect((await consoleFetch(h, path, { authorization: "tma auth_date=1&hash=00" })).status).toBe(401);
      expect((await consoleFetch(h, path, { authorization: "Bearer x" })).status).toBe(401);
    }
    const stale = await initDataFor(dispatcher, Date.now() - 25 * 60 * 60_000);
    expect((await consoleFetch(h, "me", { authorization: `tma ${stale}` })).status).toBe(401);
  });

  it("answers 403 to a citizen or a stranger with valid launch data, whatever the path", async () => {
    const paths = ["me", "no/such/path", "directory", "cases", "map", `cases/${caseA.id}`, "dashboard", "units/station-a/liaisons"];
    for (const path of paths) expect((await call(path, { as: citizen })).status, path).toBe(403);
    expect((await call(`cases/${caseA.id}/actions`, { as: citizen, body: { code: "acc", version: 1 } })).status).toBe(403);
  });

  it("tells a staff member who they are, in their language", async () => {
    const me = await consoleFetch(h, "me", { as: dispatcher });
    expect(me.status).toBe(200);
    expect(await me.json()).toMatchObject({ name: "周调度", locale: "zh-CN", roles: ["dispatcher"], units: [{ id: "office" }] });
    // And the office's zone, in which the page shows every time.
    expect(await (await consoleFetch(h, "me", { as: dispatcher })).json()).toMatchObject({ officeTz: "Asia/Shanghai" });
    const en = await (await consoleFetch(h, "me", { as: liaison })).json();
    expect(en).toMatchObject({ locale: "en", roles: ["liaison"], units: [{ id: "station-a" }] });
    expect((await consoleFetch(h, "no/such/path", { as: dispatcher })).status).toBe(404);
  });
});

describe("GET /console/api/directory", () => {
  it("gives sectors, units and the regions that have an area, in the viewer's language", async () => {
    const zh = await get<DirectoryResponse>("directory", dispatcher);
    expect(zh.regions.map((r) => r.id).sort()).toEqual(["town-a", "town-b"]);
    expect(zh.regions.find((r) => r.id === "town-a")).toMatchObject({
      name: "城关镇",
      parentId: "county",
      level: "town",
      area: { kind: "circle", radiusM: 3000 },
    });
    expect(zh.regions.find((r) => r.id === "town-b")?.area).toMatchObject({ kind: "polygon" });
    expect(zh.sectors.length).toBeGreaterThan(0);
    expect(zh.units).toContainEqual({ id: "station-b", name: "河西镇安监站" });
    const en = await get<DirectoryResponse>("directory", liaison);
    expect(en.units).toContainEqual({ id: "station-b", name: "Hexi Safety Station" });
  });
});

describe("GET /console/api/cases and /map", () => {
  it("shows a dispatcher every case, and the triage queue as the cases no unit holds", async () => {
    const all = await get<CaseListResponse>("cases?view=all", dispatcher);
    expect(all.items.map((c) => c.number).sort()).toEqual([caseA.number, caseB.number].sort());
    expect(all).toMatchObject({ total: 2, page: 1, pageSize: 50 });
    const queue = await get<CaseListResponse>("cases?view=queue", dispatcher);
    expect(queue.items.map((c) => c.number)).toEqual([caseB.number]);
    expect(queue.items[0]).toMatchObject({ status: "new", unitId: null, regionId: "town-b", kind: "hazard", overdue: false });
    expect(queue.items[0]!.summary).toContain("易燃物");
  });

  it("shows a liaison only their unit's cases, and the other unit's liaison none of them", async () => {
    const mine = await get<CaseListResponse>("cases?view=mine", liaison);
    expect(mine.items.map((c) => c.number)).toEqual([caseA.number]);
    const all = await get<CaseListResponse>("cases?view=all", liaison);
    expect(all.items.map((c) => c.number)).toEqual([caseA.number]);
    expect(all.counts.status).toEqual({ assigned: 1 });
    const other = await get<CaseListResponse>("cases", otherLiaison);
    expect(other).toMatchObject({ items: [], total: 0 });
    expect((await get<MapResponse>("map", otherLiaison)).markers).toEqual([]);
  });

  it("counts each filter's choices with the other filters applied, in SQL", async () => {
    const byStatus = await get<CaseListResponse>("cases?status=new", dispatcher);
    expect(byStatus.items.map((c) => c.number)).toEqual([caseB.number]);
    // The status counts leave the status filter out; the region counts keep it.
    expect(byStatus.counts.status).toEqual({ new: 1, assigned: 1 });
    expect(byStatus.counts.region).toEqual({ "town-b": 1 });
    expect(byStatus.counts.unit).toEqual({});
    expect(byStatus.counts.kind).toEqual({ hazard: 1 });
    const inTown = await get<CaseListResponse>("cases?region=town-a", dispatcher);
    expect(inTown.items.map((c) => c.number)).toEqual([caseA.number]);
    expect(inTown.counts.region).toEqual({ "town-a": 1, "town-b": 1 });
    expect(inTown.counts.unit).toEqual({ "station-a": 1 });
    // The county is every town under it.
    expect((await get<CaseListResponse>("cases?region=county", dispatcher)).total).toBe(2);
    expect((await get<CaseListResponse>("cases?unit=station-a&status=new", dispatcher)).total).toBe(0);
  });

  it("finds a case by its number or by words of its description", async () => {
    const byNumber = await get<CaseListResponse>(`cases?q=${encodeURIComponent(caseA.number.toLowerCase())}`, dispatcher);
    expect(byNumber.items.map((c) => c.number)).toEqual([caseA.number]);
    const byWords = await get<CaseListResponse>(`cases?q=${encodeURIComponent("仓库 灭火器")}`, dispatcher);
    expect(byWords.items.map((c) => c.number)).toEqual([caseB.number]);
    expect(byWords.searchCapped).toBeUndefined(); // one match, far below SEARCH_LIMIT
    expect((await get<CaseListResponse>(`cases?q=${encodeURIComponent("100%_")}`, dispatcher)).total).toBe(0);
  });

  it("marks overdue and listed cases, filters by them and counts them", async () => {
    await h.hazardline.db
      .update(cases)
      .set({ dueAt: Date.now() - 60_000 })
      .where(eq(cases.id, caseA.id));
    const overdue = await get<CaseListResponse>("cases?view=overdue", dispatcher);
    expect(overdue.items.map((c) => [c.number, c.overdue])).toEqual([[caseA.number, true]]);
    const all = await get<CaseListResponse>("cases", dispatcher);
    expect(all.counts).toMatchObject({ overdue: 1, supervised: 0 });
    expect((await get<CaseListResponse>("cases?overdue=1&region=town-b", dispatcher)).total).toBe(0);
    expect((await get<CaseListResponse>("cases?supervised=1", dispatcher)).total).toBe(0);
    // Sorted by due date: the one with a deadline first.
    expect((await get<CaseListResponse>("cases?sort=due", dispatcher)).items[0]!.number).toBe(caseA.number);
    expect((await get<CaseListResponse>("cases?sort=age", dispatcher)).items[0]!.number).toBe(caseA.number);
  });

  it("puts the open cases that have a pin on the map", async () => {
    const map = await get<MapResponse>("map", dispatcher);
    expect(map.total).toBe(1);
    expect(map.markers).toEqual([expect.objectContaining({ number: caseA.number, lat: 36.9, lon: 115.9 })]);
    expect((await get<MapResponse>("map?region=town-b", dispatcher)).total).toBe(0);
    expect((await get<MapResponse>("map", liaison)).markers.map((m) => m.number)).toEqual([caseA.number]);
  });

  it("answers 400, saying what is wrong, for a bad filter", async () => {
    for (const query of ["status=lost", "view=everything", "from=2026-13-01", "page=0", "overdue=maybe", "region=Town%20A", "sort=size"]) {
      const res = await call(`cases?${query}`, { as: dispatcher });
      expect(res.status, query).toBe(400);
      expect((res.json() as { error: string }).error).toMatch(/^\w+: /);
    }
    expect((await call("map?kind=x", { as: dispatcher })).status).toBe(400);
  });
});

describe("GET /console/api/cases/:id", () => {
  it("gives the card, the ledger, the files with signed links and the actions this person may take", async () => {
    const d = await get<CaseDetailResponse>(`cases/${caseB.id}`, dispatcher);
    expect(d.case).toMatchObject({ number: caseB.number, status: "new", regionName: "河西镇", unitName: null, version: 1 });
    expect(d.card).toContain(caseB.number);
    expect(d.card).toContain("匿名");
    expect(d.timeline[0]).toMatchObject({ action: "submitted", label: "群众提交", by: "群众" });
    expect(d.actions.map((a) => a.code)).toEqual(expect.arrayContaining(["as", "rej", "dup", "sev", "dl"]));
    expect(d.actions.find((a) => a.code === "as")?.fields.map((f) => f.field)).toEqual(["unit", "member"]);
    expect(d.actions.find((a) => a.code === "rej")?.fields).toEqual([{ field: "text", prompt: expect.stringContaining("理由"), required: true }]);

    const a = await get<CaseDetailResponse>(`cases/${caseA.id}`, liaison);
    expect(a.card).toContain("Reporter: anonymous");
    expect(a.actions.map((x) => x.code)).toContain("acc");
    expect(a.files).toEqual([
      { kind: "photo", step: "submitted", at: expect.any(Number), url: expect.stringMatching(/^\/console\/api\/files\/\d+\.p1\.\d+\.[0-9a-f]{64}$/) },
    ]);
  });

  it("answers 403 for an existing case the viewer may not see, 404 for none, 400 for no id", async () => {
    expect((await call(`cases/${caseA.id}`, { as: otherLiaison })).status).toBe(403);
    expect((await call(`cases/${caseB.id}`, { as: liaison })).status).toBe(403);
    expect((await call("cases/999999", { as: dispatcher })).status).toBe(404);
    expect((await call("cases/abc", { as: dispatcher })).status).toBe(400);
    expect((await call(`cases/${caseA.id}`, { as: leader })).status).toBe(200);
  });
});

describe("GET /console/api/files/:token", () => {
  it("serves an archived photo to whoever may see the case, and nothing for an expired, tampered or passed-on link", async () => {
    const { files } = await get<CaseDetailResponse>(`cases/${caseA.id}`, dispatcher);
    const url = files[0]!.url!;
    const path = url.replace("/console/api/", "");
    const res = await consoleFetch(h, path, { as: liaison });
    expect(res.status).toBe(200);
    expect(res.headers.get("content-type")).toBe("image/jpeg");
    expect(res.headers.get("cache-control")).toBe("private, max-age=600");
    expect(new Uint8Array(await res.arrayBuffer())).toEqual(photo);

    // The other unit's liaison, with the very link: the case is not theirs.
    expect((await call(path, { as: otherLiaison })).status).toBe(403);
    const tampered = path.replace(/.$/, (c) => (c === "0" ? "1" : "0"));
    expect((await call(tampered, { as: dispatcher })).status).toBe(403);
    const otherCase = path.replace(`files/${caseA.id}.`, `files/${caseB.id}.`);
    expect((await call(otherCase, { as: dispatcher })).status).toBe(403);
    const expired = await fileLinks(TEST_TOKEN).token({ caseId: caseA.id, fileUniqueId: "p1", expiresAt: Date.now() - 1 });
    expect((await call(`files/${expired}`, { as: dispatcher })).status).toBe(403);
    const foreign = await fileLinks("another:token").token({ caseId: caseA.id, fileUniqueId: "p1", expiresAt: Date.now() + 60_000 });
    expect((await call(`files/${foreign}`, { as: dispatcher })).status).toBe(403);
    // A well-signed link to a file the case never received.
    const notTheirs = await fileLinks(TEST_TOKEN).token({ caseId: caseB.id, fileUniqueId: "p1", expiresAt: Date.now() + 60_000 });
    expect((await call(`files/${notTheirs}`, { as: dispatcher })).status).toBe(404);
  });
});

describe("POST /console/api/cases/:id/actions", () => {
  it("assigns a case as the chat's button does: the liaison's chat gets the card through the outbox", async () => {
    const liaisons = await get<LiaisonsResponse>("units/station-b/liaisons", dispatcher);
    expect(liaisons).toEqual({ liaisons: [{ memberId: liaisonBMember, name: "赵联络" }] });
    expect((await call("units/station-b/liaisons", { as: liaison })).status).toBe(403);
    expect((await call("units/nowhere/liaisons", { as: dispatcher })).status).toBe(404);

    const before = h.fake.sentTexts(otherLiaison.id).length;
    const res = await call(`cases/${caseB.id}/actions`, {
      as: dispatcher,
      body: { code: "as", version: 1, unitId: "station-b", memberId: liaisonBMember },
    });
    expect(res.status, res.text).toBe(200);
    expect(res.json()).toEqual({ ok: true, version: 2 });
    const row = await caseRow(caseB.number);
    expect(row).toMatchObject({ status: "assigned", unitId: "station-b", assigneeId: liaisonBMember, version: 2 });
    const [event] = await h.hazardline.db
      .select()
      .from(caseEvents)
      .where(and(eq(caseEvents.caseId, caseB.id), eq(caseEvents.action, "assigned")));
    expect(event).toMatchObject({ actorKind: "member" });

    await h.tick(Date.now());
    const sent = h.fake.sentTexts(otherLiaison.id).slice(before);
    expect(sent.some((t) => t.includes(caseB.number))).toBe(true);
    // Now it is theirs to see, and no longer the first liaison's business.
    expect((await call(`cases/${caseB.id}`, { as: otherLiaison })).status).toBe(200);
    expect((await get<CaseListResponse>("cases?view=mine", otherLiaison)).items.map((c) => c.number)).toEqual([caseB.number]);
  });

  it("answers a stale version with 409 and the refusal's words, and changes nothing", async () => {
    const before = await caseRow(caseB.number);
    const events = (await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseB.id))).length;
    const res = await call(`cases/${caseB.id}/actions`, { as: otherLiaison, body: { code: "acc", version: 1 } });
    expect(res.status).toBe(409);
    expect(res.json()).toEqual({ ok: false, code: "CASE.STALE", message: "事项已被他人更新，请查看最新情况。" });
    expect(await caseRow(caseB.number)).toEqual(before);
    expect(await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, caseB.id))).toHaveLength(events);
  });

  it("lets the owning liaison act, refuses the other unit's liaison with 403, and a dispatcher's wrong step with 403 or 422", async () => {
    const v = (await caseRow(caseA.number)).version;
    expect((await call(`cases/${caseA.id}/actions`, { as: otherLiaison, body: { code: "acc", version: v } })).status).toBe(403);
    const accepted = await call(`cases/${caseA.id}/actions`, { as: liaison, body: { code: "acc", version: v } });
    expect(accepted.status, accepted.text).toBe(200);
    expect((await caseRow(caseA.number)).status).toBe("in_progress");
    // A progress note with words, as typed after the chat's button.
    const noted = await call(`cases/${caseA.id}/actions`, { as: liaison, body: { code: "pg", version: v + 1, text: "已通知施工单位停工整改。" } });
    expect(noted.status, noted.text).toBe(200);
    // Rectifying a hazard takes photos: the form asks for them, and the workflow refuses it without.
    const detail = await get<CaseDetailResponse>(`cases/${caseA.id}`, liaison);
    expect(detail.case.version).toBe(v + 2);
    expect(detail.actions.find((a) => a.code === "res")).toMatchObject({
      fields: [{ field: "measures" }, { field: "responsible" }, { field: "photos", required: true }],
    });
    const resolved = await call(`cases/${caseA.id}/actions`, {
      as: liaison,
      body: { code: "res", version: v + 2, measures: "已挂设安全网。", responsible: "项目安全员 李强" },
    });
    expect(resolved.status).toBe(422);
    expect(resolved.json()).toMatchObject({
      ok: false,
      code: "CASE.EVIDENCE_REQUIRED",
      message: "A rectified hazard needs at least one photo of the site.",
    });
    // Closing is the dispatchers' step.
    expect((await call(`cases/${caseA.id}/actions`, { as: liaison, body: { code: "cls", version: v + 2 } })).status).toBe(403);
    // A date that is not after today, in the chat's words.
    const deadline = await call(`cases/${caseA.id}/actions`, { as: dispatcher, body: { code: "dl", version: v + 2, date: "2001-01-01" } });
    expect(deadline.status).toBe(422);
    expect(deadline.json()).toMatchObject({ code: "INPUT.BAD_DATE", message: expect.stringContaining("日期") });
    const later = new Date(Date.now() + 30 * 86_400_000).toISOString().slice(0, 10);
    const moved = await call(`cases/${caseA.id}/actions`, { as: dispatcher, body: { code: "dl", version: v + 2, date: later } });
    expect(moved.status, moved.text).toBe(200);
    expect((await caseRow(caseA.number)).version).toBe(v + 3);

    // With the photos, posted as the page does: the request as JSON and the pictures as files.
    // A file that is not a picture is refused in words, and nothing changes.
    const post = async (photos: Array<{ name: string; bytes: Uint8Array<ArrayBuffer> }>) => {
      const form = new FormData();
      form.append("request", JSON.stringify({ code: "res", version: v + 3, measures: "已挂设安全网。", responsible: "项目安全员 李强" }));
      for (const p of photos) form.append("photos", new Blob([p.bytes]), p.name);
      const res = await fetch(`${h.baseUrl}/console/api/cases/${caseA.id}/actions`, {
        method: "POST",
        headers: { Authorization: `tma ${await initDataFor(liaison)}` },
        body: form,
      });
      return { status: res.status, text: await res.text() };
    };
    const wrong = await post([{ name: "net.exe", bytes: new Uint8Array([0x4d, 0x5a, 0x90, 0x00]) }]);
    expect(wrong.status).toBe(422);
    expect(wrong.text).toContain("net.exe");
    expect((await caseRow(caseA.number)).status).toBe("in_progress");
    const jpeg = (label: string) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(label)]);
    h.fake.clear();
    const done = await post([
      { name: "net-1.jpg", bytes: jpeg("the safety net, north side") },
      { name: "net-2.jpg", bytes: jpeg("the safety net, south side") },
    ]);
    expect(done.status, done.text).toBe(200);
    expect((await caseRow(caseA.number)).status).toBe("resolved");
    // The dispatchers get the rectification photos from the archive, as an album of the bytes sent.
    await h.hazardline.settle();
    const album = await h.fake.waitForCall("sendMediaGroup", (c) => Number(c.params.chat_id) === dispatcher.id);
    expect((album.params.media as Array<{ media: { bytes: Uint8Array } }>).map((m) => new TextDecoder().decode(m.media.bytes.slice(4)))).toEqual([
      "the safety net, north side",
      "the safety net, south side",
    ]);
  });

  it("answers 400 for a body that is no action or lacks what the action needs", async () => {
    const post = (body: unknown) => call(`cases/${caseA.id}/actions`, { as: dispatcher, body });
    expect((await post({ code: "zz", version: 4 })).status).toBe(400);
    expect((await post({ code: "rej" })).status).toBe(400);
    expect((await post({ code: "sev", version: 4, severity: "huge" })).status).toBe(400);
    const missing = await post({ code: "rej", version: 4 });
    expect(missing.status).toBe(400);
    expect(missing.json()).toMatchObject({ ok: false, code: "BAD_REQUEST", message: "the action rej needs text" });
    const res = await fetch(`${h.baseUrl}/console/api/cases/${caseA.id}/actions`, {
      method: "POST",
      headers: { Authorization: `tma ${await initDataFor(dispatcher)}`, "Content-Type": "application/json" },
      body: "{not json",
    });
    expect(res.status).toBe(400);
  });
});

describe("GET /console/api/dashboard", () => {
  it("gives leaders and dispatchers the period's figures, the daily trend, the ranking and the listed cases", async () => {
    const d = await get<DashboardResponse>("dashboard?period=week", leader);
    expect(d.period.kind).toBe("week");
    expect(d.figures.received).toBe(2);
    expect(d.figures.byKind.hazard).toBe(2);
    expect(d.trend.at(-1)).toMatchObject({ opened: 2, closed: 0 });
    expect(d.trend.reduce((n, day) => n + day.opened, 0)).toBe(2);
    expect(d.ranking.map((u) => u.unitId).sort()).toEqual(["station-a", "station-b"]);
    expect(d.ranking.find((u) => u.unitId === "station-b")).toMatchObject({ name: "河西镇安监站", received: 1, rank: null });
    const year = await get<DashboardResponse>("dashboard?period=year&region=town-b", dispatcher);
    expect(year.figures.received).toBe(1);
    expect(year.trend.reduce((n, day) => n + day.opened, 0)).toBe(1);
    expect(year.period.first.endsWith("-01-01")).toBe(true);
  });

  it("is refused to a liaison, and a bad period is a 400", async () => {
    expect((await call("dashboard", { as: liaison })).status).toBe(403);
    expect((await call("dashboard?period=decade", { as: dispatcher })).status).toBe(400);
  });
});

describe("anonymity", () => {
  it("no answer of any endpoint names an anonymous reporter", async () => {
    for (const who of STAFF) {
      for (const path of ["cases?view=all", "map", "directory", "dashboard?period=year", `cases/${caseA.id}`, `cases/${caseB.id}`])
        await call(path, { as: who });
    }
    expect(bodies.length).toBeGreaterThan(50);
    expectNoReporterIn(bodies, REPORTERS);
  });
});

describe("a word search past SEARCH_LIMIT", () => {
  // Last in the file: the cases it adds would change every count above.
  it("says the search was capped, so the dispatcher narrows it; a narrower search is not", async () => {
    const db = h.hazardline.db;
    const now = Date.now();
    const many = Array.from({ length: SEARCH_LIMIT + 1 }, (_, i) => ({
      number: `YH-20200101-${String(i).padStart(5, "0")}`,
      kind: "hazard" as const,
      status: "new" as const,
      description: `cap-probe scaffold ${i}`,
      anonymous: true,
      unitId: "station-a",
      createdAt: now,
      updatedAt: now,
    }));
    for (let i = 0; i < many.length; i += 250) await db.insert(cases).values(many.slice(i, i + 250));

    const capped = await get<CaseListResponse>("cases?q=cap-probe", dispatcher);
    expect(capped.searchCapped).toBe(true);
    expect(capped.total).toBe(SEARCH_LIMIT);
    // Narrowed, the same cases are found whole again.
    const narrowed = await get<CaseListResponse>("cases?q=cap-probe%20scaffold%201000", dispatcher);
    expect(narrowed.searchCapped).toBeUndefined();
    expect(narrowed.items.map((c) => c.number)).toEqual([many.at(-1)!.number]);
  });
});
