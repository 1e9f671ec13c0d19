/**
 * The web door over HTTP against the real app: a report posted on /report with photos and a
 * map pick is stored like a chat report (number, claim code, routing), its photos go into the
 * office's archive and reach the routed unit's liaison in Telegram as uploads; /status finds
 * it by number and code or phone and by nothing else. Every refusal is a clear page and
 * stores nothing: a wrong type, a body too large, a post from another site, a form-filling bot,
 * a flood from one address.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { count, eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { archiveFiles, caseEvents, caseReporters, cases, members } from "../../db/schema";
import { REPORT_FIELDS as F } from "../../src/domain/web-report";
import { MAX_FORM_BYTES } from "../../src/web/report";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { waitFor } from "../support/wait";
import { webReportFields } from "../support/web-form";

const liaison = { id: 9602, first_name: "Li" };
const dispatcher = { id: 9601, first_name: "周" };

/** Bytes that start as a JPEG does: the form takes a picture by its first bytes. */
const jpeg = (label: string) => new Uint8Array([0xff, 0xd8, 0xff, 0xe0, ...new TextEncoder().encode(`JFIF ${label}`)]);
const PHOTO_1 = jpeg("the gas cylinders by the stove");
const PHOTO_2 = jpeg("the blocked fire exit");

interface Post {
  fields: Record<string, string>;
  photos?: Array<{ name: string; bytes: Uint8Array<ArrayBuffer>; type?: string }>;
  headers?: Record<string, string>;
}

async function postForm(h: Harness, { fields, photos = [], headers = {} }: Post, path = "/report") {
  const form = new FormData();
  for (const [k, v] of Object.entries(fields)) form.append(k, v);
  for (const p of photos) form.append(F.photos, new Blob([p.bytes], { type: p.type ?? "image/jpeg" }), p.name);
  const res = await fetch(`${h.baseUrl}${path}`, { method: "POST", body: form, headers: { Origin: h.baseUrl, ...headers } });
  return { status: res.status, text: await res.text(), headers: res.headers };
}

const numberIn = (page: string) => /id="case-number">([A-Z]{2}-\d{8}-\d{4})</.exec(page)?.[1];
const codeIn = (page: string) => /id="claim-code">([^<]+)</.exec(page)?.[1];
const caseCount = async (h: Harness) => (await h.hazardline.db.select({ n: count() }).from(cases))[0]!.n;

describe("the web report form", () => {
  let h: Harness;
  let workdir: string;

  beforeAll(async () => {
    workdir = mkdtempSync(join(tmpdir(), "hazardline-web-"));
    h = await startHarness({ files: fsFileStore(join(workdir, "files")) });
    const db = h.hazardline.db;
    await seedSmallCounty(db, { mapped: true });
    await db.insert(members).values([
      { telegramId: dispatcher.id, unitId: "office", roles: ["dispatcher"], name: "周调度" },
      { telegramId: liaison.id, unitId: "station-a", roles: ["liaison"], name: "Li" },
    ]);
  });
  afterAll(async () => {
    expect(h.fake.violations).toEqual([]);
    await h.stop();
    rmSync(workdir, { recursive: true, force: true });
  });

  it("serves the form with the town from the poster's link chosen, under a CSP that allows no inline script", async () => {
    const res = await fetch(`${h.baseUrl}/report?region=town-a&site=${encodeURIComponent("<b>红星化工</b>")}`);
    const page = await res.text();
    expect(res.status).toBe(200);
    expect(page).toMatch(/<option value="town-a" selected>城关镇<\/option>/);
    expect(page).toContain('value="&lt;b&gt;红星化工&lt;/b&gt;"');
    expect(res.headers.get("content-security-policy")).toContain("default-src 'self'");
    expect(res.headers.get("content-security-policy")).toContain("frame-ancestors 'none'");
    expect(page).not.toMatch(/<script>/);
    const en = await (await fetch(`${h.baseUrl}/report?lang=en`)).text();
    expect(en).toContain("Report a safety hazard");
  });

  it("stores a report with two photos and a map pick, gives its number and claim code, and the routed liaison gets the card with the photos", async () => {
    const res = await postForm(h, {
      fields: webReportFields(),
      photos: [
        { name: "1.jpg", bytes: PHOTO_1 },
        { name: "2.jpg", bytes: PHOTO_2 },
      ],
    });
    expect(res.status, res.text).toBe(201);
    const number = numberIn(res.text)!;
    const code = codeIn(res.text)!;
    expect(number).toMatch(/^YH-/);
    expect(code).toBeTruthy();

    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
    expect(row).toMatchObject({ source: "web", regionId: "town-a", unitId: "station-a", status: "assigned", anonymous: true, rewardRequested: true });
    expect(row!.latitude).toBeCloseTo(36.9005);
    const reporters = await h.hazardline.db.select().from(caseReporters).where(eq(caseReporters.caseId, row!.id));
    expect(reporters).toHaveLength(1);
    expect(reporters[0]).toMatchObject({ telegramId: null, chatId: null, name: null, phone: null });
    expect(reporters[0]!.claimHash).toMatch(/^[0-9a-f]{64}$/);
    const [submitted] = await h.hazardline.db.select().from(caseEvents).where(eq(caseEvents.caseId, row!.id));
    expect(submitted).toMatchObject({ action: "submitted", data: { source: "web" }, actorKind: "citizen" });

    // The photos are in the office's archive at once, by their hash.
    const files = await h.hazardline.db.select().from(archiveFiles);
    expect(files.filter((f) => f.status === "archived" && f.fileId.startsWith("archive:"))).toHaveLength(2);

    // The liaison's card, and the photos as an album uploaded from the archive: the same bytes.
    await h.hazardline.settle();
    await waitFor("the liaison's card", () => h.fake.sentTexts(liaison.id).some((t) => t.includes(number)), 10_000);
    const album = await h.fake.waitForCall("sendMediaGroup", (c) => Number(c.params.chat_id) === liaison.id);
    const sent = (album.params.media as Array<{ media: { bytes: Uint8Array } }>).map((m) => Buffer.from(m.media.bytes));
    expect(sent).toEqual([Buffer.from(PHOTO_1), Buffer.from(PHOTO_2)]);

    // The status page finds it by number and code, in the reader's language.
    const found = await postForm(h, { fields: { number, proof: code } }, "/status");
    expect(found.status).toBe(200);
    expect(found.text).toContain(number);
    expect(found.text).toContain("已交办至 城关镇安监站");
    const wrong = await postForm(h, { fields: { number, proof: "ABCD-EFGH-JKLM" } }, "/status");
    expect(wrong.status).toBe(404);
    expect(wrong.text).not.toContain('id="status-card"');
  });

  it("posting the same page twice stores one case", async () => {
    const fields = webReportFields({ [F.description]: "同一页面提交两次：仓库门口堆满纸箱，灭火器过期。" });
    const first = await postForm(h, { fields });
    const second = await postForm(h, { fields });
    expect(first.status).toBe(201);
    expect(second.status).toBe(200);
    expect(numberIn(second.text)).toBe(numberIn(first.text));
  });

  it("a named report is found by its number and phone, and the phone reaches no public page", async () => {
    const res = await postForm(h, {
      fields: webReportFields({ [F.identity]: "named", [F.name]: "王建国", [F.phone]: "138 1234 5678", [F.reward]: "" }),
    });
    expect(res.status, res.text).toBe(201);
    const number = numberIn(res.text)!;
    expect(codeIn(res.text)).toBeUndefined();
    const [reporter] = await h.hazardline.db
      .select({ name: caseReporters.name, phone: caseReporters.phone })
      .from(caseReporters)
      .innerJoin(cases, eq(cases.id, caseReporters.caseId))
      .where(eq(cases.number, number));
    expect(reporter).toEqual({ name: "王建国", phone: "13812345678" });
    const found = await postForm(h, { fields: { number, proof: "13812345678" } }, "/status");
    expect(found.status).toBe(200);
    expect(found.text).not.toContain("王建国");
    expect(found.text).not.toContain("13812345678");
  });

  it("refuses what is not a photo, a form with problems, a bot, another site's post and a body too large, each with words and nothing stored", async () => {
    const before = await caseCount(h);
    const notPhoto = await postForm(h, {
      fields: webReportFields(),
      photos: [{ name: "notes.jpg", bytes: new TextEncoder().encode("#!/bin/sh rm -rf /") }],
    });
    expect(notPhoto.status).toBe(422);
    expect(notPhoto.text).toContain("“notes.jpg”不是照片");

    const missing = await postForm(h, { fields: webReportFields({ [F.description]: "太短", [F.sector]: "../../etc/passwd" }) });
    expect(missing.status).toBe(422);
    expect(missing.text).toContain("请选择行业领域");
    expect(missing.text).toContain("描述太短");
    // What was typed is shown again, as text.
    expect(missing.text).toContain("城关镇建设路 8 号工地");

    const bot = await postForm(h, { fields: webReportFields({ [F.honeypot]: "http://spam.example" }) });
    expect(bot.status).toBe(400);

    const elsewhere = await postForm(h, { fields: webReportFields(), headers: { Origin: "https://evil.example" } });
    expect(elsewhere.status).toBe(403);
    expect(elsewhere.text).toContain("请在本网站的举报页面上填写和提交");

    const huge = await fetch(`${h.baseUrl}/report`, {
      method: "POST",
      headers: { Origin: h.baseUrl, "Content-Type": "multipart/form-data; boundary=x" },
      body: new Uint8Array(MAX_FORM_BYTES + 1024),
    });
    expect(huge.status).toBe(413);
    expect(await huge.text()).toContain("MB");
    expect(await caseCount(h)).toBe(before);
  });
});

describe("a flood of web posts from one address", () => {
  it("is limited, and what went through is stored once", async () => {
    // A frozen clock: the limits' windows do not turn over during the run.
    const at = Date.UTC(2026, 11, 7, 2, 0);
    const h = await startHarness({ clock: { now: () => at } });
    try {
      await seedSmallCounty(h.hazardline.db);
      const statuses = new Map<number, number>();
      const fields = webReportFields({ [F.reward]: "" });
      for (let i = 0; i < 1000; i++) {
        // Every tenth post repeats the one before it; the rest are new pages.
        if (i % 10 !== 9) fields[F.submission] = `flood-${i}`;
        const res = await postForm(h, {
          fields: { ...fields, [F.description]: `${fields[F.description]} 第 ${i - (i % 10 === 9 ? 1 : 0)} 份` },
          headers: { "X-Forwarded-For": "203.0.113.7" },
        });
        statuses.set(res.status, (statuses.get(res.status) ?? 0) + 1);
      }
      const stored = await caseCount(h);
      expect(statuses.get(429)).toBeGreaterThan(900);
      expect(stored).toBeGreaterThan(0);
      expect(stored).toBe(statuses.get(201));
      // Another address is not held up by the first.
      const other = await postForm(h, { fields: webReportFields({ [F.reward]: "" }), headers: { "X-Forwarded-For": "198.51.100.9" } });
      expect(other.status).toBe(201);
    } finally {
      await h.stop();
    }
  }, 180_000);
});
