/** The poster service: what it finds in the directory, and each way it declines. */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { regions } from "../../db/schema";
import { POSTER_SITE_MAX } from "../../src/domain/poster";
import { posterService } from "../../src/services/posters";
import { type CountyDatabase, countyDatabase } from "../support/county";

let county: CountyDatabase;
const SITE = "https://safety.example.org";

beforeAll(async () => {
  county = await countyDatabase();
  await county.db.insert(regions).values({ id: "dongguan", parentId: "town-a", level: "village", nameZh: "东关村", nameEn: "Dongguan Village" });
});
afterAll(() => county.dispose());

describe("posterService", () => {
  it("finds the region and sector by id or name, and fills the site into the link", async () => {
    const made = await posterService({ db: county.db, siteUrl: SITE }).make({
      region: " 城关镇 ",
      sector: "Hazardous chemicals",
      site: " 清河\n化工 ",
    });
    expect(made).toMatchObject({
      ok: true,
      url: `${SITE}/report?region=town-a&sector=hazardous-chemicals&site=%E6%B8%85%E6%B2%B3+%E5%8C%96%E5%B7%A5`,
      region: { id: "town-a" },
      sector: { id: "hazardous-chemicals" },
    });
    if (!made.ok) return;
    expect(made.files.map((f) => f.filename)).toEqual(["poster-town-a-hazardous-chemicals.png", "poster-town-a-hazardous-chemicals.svg"]);
    const svg = new TextDecoder().decode(made.files[1].bytes);
    expect(svg).toContain("场所：清河 化工");
    expect(svg).toContain("县安委办");
  });

  it("takes a village by its id too", async () => {
    expect(await posterService({ db: county.db, siteUrl: SITE }).make({ region: "dongguan" })).toMatchObject({
      ok: true,
      url: `${SITE}/report?region=dongguan`,
    });
  });

  it("declines without a site address, and for an unknown region, an unknown sector or a bad site name", async () => {
    expect(await posterService({ db: county.db }).make({ region: "town-a" })).toEqual({ ok: false, code: "POSTER.NO_SITE_URL" });
    const posters = posterService({ db: county.db, siteUrl: SITE });
    expect(await posters.make({ region: "nowhere" })).toEqual({ ok: false, code: "POSTER.UNKNOWN_REGION" });
    expect(await posters.make({ region: "town-a", sector: "mining" })).toEqual({ ok: false, code: "POSTER.UNKNOWN_SECTOR" });
    expect(await posters.make({ region: "town-a", site: "  " })).toEqual({ ok: false, code: "POSTER.SITE_EMPTY" });
    expect(await posters.make({ region: "town-a", site: "x".repeat(POSTER_SITE_MAX + 1) })).toEqual({ ok: false, code: "POSTER.SITE_TOO_LONG" });
  });

  it("offers the towns and sectors to choose from", async () => {
    const { towns, sectors } = await posterService({ db: county.db }).choices();
    expect(towns.map((t) => t.id)).toEqual(["town-a"]);
    // The sectors a fresh install has (db/migrations/0002_default-sectors.sql), in their order.
    expect(sectors.map((s) => s.id).slice(0, 2)).toEqual(["mines", "hazardous-chemicals"]);
  });
});
