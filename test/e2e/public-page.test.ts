/**
 * The public page (信息公开) over HTTP against the real app: only cases listed for supervision
 * show, with their descriptions masked (phone, ID number) and escaped; never a reporter; a
 * filter by town or sector narrows the list; the map marks the listed cases with a pin; one
 * case's page has its public timeline; and the whole page is 404 until the office turns it on.
 */
import { eq } from "drizzle-orm";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { writeOfficeSettings } from "../../db/queries/settings";
import { cases, members, regions } from "../../db/schema";
import type { Draft } from "../../src/domain/report-draft";
import { SITE_CSP } from "../../src/web";
import { seedSmallCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { submitAndRoute } from "../support/services";

const CALLER = { name: "王小明", phone: "13987654321" };

describe("the public page", () => {
  let h: Harness;
  let memberId: number;
  const numbers: Record<string, string> = {};

  /** A case as a dispatcher records a call: named, with the caller's phone, so a leak would show. */
  async function record(key: string, over: Partial<Draft>, listed: boolean) {
    const draft: Draft = {
      id: `call-${key}`,
      flow: "report",
      step: "summary",
      editing: false,
      kind: "hazard",
      sectorId: "construction",
      regionId: "town-a",
      description: "工地脚手架没有防护网，随时可能坠落伤人。",
      media: [],
      urgent: false,
      anonymous: false,
      phone: CALLER.phone,
      reward: false,
      startedAt: Date.now(),
      ...over,
    };
    const made = await submitAndRoute(h.hazardline.services, draft, { door: "phone", memberId, name: CALLER.name });
    if (made.status !== "created") throw new Error(`not created: ${made.status}`);
    numbers[key] = made.number;
    if (listed)
      await h.hazardline.db
        .update(cases)
        .set({ supervision: "listed", dueAt: Date.UTC(2027, 0, 15, 9) })
        .where(eq(cases.id, made.caseId));
  }

  const publish = (on: boolean) => writeOfficeSettings(h.hazardline.db, { publication: { publicPage: on } }, Date.now());
  const get = async (path: string) => {
    const res = await fetch(`${h.baseUrl}${path}`);
    return { status: res.status, text: await res.text(), headers: res.headers };
  };

  beforeAll(async () => {
    h = await startHarness();
    const db = h.hazardline.db;
    await seedSmallCounty(db, { mapped: true });
    await db.insert(regions).values({
      id: "town-b",
      parentId: "county",
      level: "town",
      nameZh: "马屯镇",
      nameEn: "Matun Town",
      area: { lat: 36.95, lng: 115.98, radiusM: 2500 },
    });
    const [dispatcher] = await db
      .insert(members)
      .values({ telegramId: 9701, unitId: "office", roles: ["dispatcher"], name: "Zhou" })
      .returning({ id: members.id });
    memberId = dispatcher!.id;
    await record(
      "masked",
      {
        description: "化工厂储罐泄漏，联系人电话13812345678，身份证110101199003071234，<script>alert(1)</script>",
        location: { lat: 36.9005, lng: 115.9004 },
      },
      true,
    );
    await record("other-town", { regionId: "town-b", sectorId: "fire", description: "马屯镇集市消防通道被摊位占满，灭火器缺失。" }, true);
    await record("unlisted", { description: "仓库门口堆满纸箱，没有挂牌督办的案件。" }, false);
  });
  afterAll(async () => {
    await h.stop();
  });

  it("is 404 with a short page until the office turns it on in the directory file", async () => {
    for (const path of ["/public", `/public/${numbers.masked}`]) {
      const page = await get(path);
      expect(page.status).toBe(404);
      expect(page.text).toContain("本单位未在本网站公开案件信息");
      expect(page.text).not.toContain(numbers.masked);
    }
    await publish(true);
  });

  it("lists the listed cases with number, sector, town, unit, status and deadline, and not the others", async () => {
    const page = await get("/public");
    expect(page.status).toBe(200);
    expect(page.headers.get("content-security-policy")).toBe(SITE_CSP);
    expect(page.headers.get("x-content-type-options")).toBe("nosniff");
    expect(page.text).toContain(numbers.masked);
    expect(page.text).toContain(numbers["other-town"]);
    expect(page.text).not.toContain(numbers.unlisted);
    expect(page.text).toContain("建筑施工");
    expect(page.text).toContain("城关镇安监站");
    expect(page.text).toContain("2027-01-15");
    expect(page.text).toContain("共 2 件");
  });

  it("masks phone and ID numbers, shows markup as text, and names no reporter", async () => {
    for (const path of ["/public", `/public/${numbers.masked}`]) {
      const { text } = await get(path);
      expect(text).toContain("138****5678");
      expect(text).toContain("110101********1234");
      expect(text).not.toContain("13812345678");
      expect(text).not.toContain("110101199003071234");
      expect(text).toContain("&lt;script&gt;alert(1)&lt;/script&gt;");
      expect(text).not.toContain("<script>alert");
      expect(text).not.toContain(CALLER.name);
      expect(text).not.toContain(CALLER.phone);
    }
  });

  it("narrows the list by town and by sector with a plain GET form", async () => {
    const townB = await get("/public?town=town-b");
    expect(townB.text).toContain(numbers["other-town"]);
    expect(townB.text).not.toContain(numbers.masked);
    expect(townB.text).toMatch(/<option value="town-b" selected>/);
    const construction = await get("/public?sector=construction&lang=en");
    expect(construction.text).toContain(numbers.masked);
    expect(construction.text).not.toContain(numbers["other-town"]);
    expect(construction.text).toContain("Construction");
    const none = await get("/public?town=town-b&sector=construction");
    expect(none.text).toContain("没有符合条件的挂牌督办案件");
    // A town the office does not have is as if not chosen.
    expect((await get("/public?town=nowhere")).text).toContain("共 2 件");
  });

  it("draws the county map with a marker, linked to its page, for each listed case with a pin", async () => {
    const { text } = await get("/public");
    expect(text).toContain('<svg class="county-map"');
    const markers = [...text.matchAll(/<a href="\/public\/([^?"]+)\?lang=zh-CN" class="marker">/g)].map((m) => m[1]);
    expect(markers).toEqual([numbers.masked]);
  });

  it("shows one listed case with its public timeline, and 404 for a case not listed or not there", async () => {
    const page = await get(`/public/${numbers.masked}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain("已交办至 城关镇安监站");
    expect(page.headers.get("content-security-policy")).toBe(SITE_CSP);
    expect((await get(`/public/${numbers.unlisted}`)).status).toBe(404);
    expect((await get("/public/YH-20200101-9999")).status).toBe(404);
    expect((await get("/public/not-a-number")).status).toBe(404);
  });

  it("is 404 again once the office turns it off", async () => {
    await publish(false);
    expect((await get("/public")).status).toBe(404);
    expect((await get(`/public/${numbers.masked}`)).status).toBe(404);
  });
});
