/**
 * The web report form in a real browser (Debian's Chromium via playwright-core) against the real
 * app: a passer-by opens the poster's link, taps the place on the county map (which chooses its
 * town), attaches two photos that the page makes smaller before sending, and submits
 * anonymously with a reward claim; the routed town's liaison gets the card and the photos in
 * Telegram (the fake), and the status page finds the case by its number and claim code. With
 * JavaScript off the same form still goes through.
 */
import { randomBytes } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { eq } from "drizzle-orm";
import { encode } from "fast-png";
import type { Browser } from "playwright-core";
import { afterAll, beforeAll, expect, it } from "vitest";
import { fsFileStore } from "../../db/file-store-fs";
import { archiveFiles, cases, members, routes } from "../../db/schema";
import { archiveFileOf } from "../../src/domain/media";
import { artifactsFolder, launchChromium } from "../support/browser";
import { seedSquareCounty } from "../support/county";
import { type Harness, startHarness } from "../support/harness";
import { waitFor } from "../support/wait";

const ARTIFACTS = artifactsFolder("hazardline-web-shots");
const liaisonB = { id: 9902, first_name: "吴" };

/** A photo as a phone takes it: large, and full of detail no compression takes out, so that the page's shrinking shows. */
function phonePhoto(width: number, height: number): Buffer {
  return Buffer.from(encode({ width, height, data: randomBytes(width * height * 3), channels: 3 }));
}

let h: Harness;
let dir: string;
let browser: Browser;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hazardline-web-browser-"));
  h = await startHarness({ files: fsFileStore(join(dir, "files")) });
  const db = h.hazardline.db;
  await seedSquareCounty(db);
  await db.insert(routes).values({ regionId: "town-b", unitId: "station-b" });
  await db.insert(members).values({ telegramId: liaisonB.id, unitId: "station-b", roles: ["liaison"], name: "吴联络" });
  browser = await launchChromium();
}, 60_000);

afterAll(async () => {
  await browser?.close();
  expect(h.fake.violations).toEqual([]);
  await h.stop();
  rmSync(dir, { recursive: true, force: true });
});

it("a report with two photos and a map pick reaches the town's liaison with the photos, and the status page finds it by its claim code", async () => {
  const page = await browser.newPage({ viewport: { width: 390, height: 844 }, locale: "zh-CN" });
  const shots: string[] = [];
  page.on("pageerror", (err) => shots.push(`page error: ${err.message}`));
  await page.goto(`${h.baseUrl}/report?region=town-a&site=${encodeURIComponent("红星五金厂")}`);
  expect(await page.locator("#region").inputValue()).toBe("town-a");
  await expect.poll(() => page.locator("#map-box").isVisible()).toBe(true);

  await page.check('input[name="kind"][value="hazard"]');
  await page.selectOption('select[name="sector"]', "construction");
  // The east half of the map is town B: a tap there marks the place and chooses the town.
  const map = page.locator("#map svg");
  const box = (await map.boundingBox())!;
  await map.click({ position: { x: box.width * 0.75, y: box.height * 0.5 } });
  expect(await page.locator("#region").inputValue()).toBe("town-b");
  expect(Number(await page.locator("#lng").inputValue())).toBeGreaterThan(120.1);

  await page.fill('textarea[name="description"]', "五金厂仓库的灭火器全部过期，安全出口被货架挡住。");
  const big = phonePhoto(2400, 1800);
  await page.setInputFiles("#photos", [
    { name: "IMG_0001.png", mimeType: "image/png", buffer: big },
    { name: "IMG_0002.png", mimeType: "image/png", buffer: phonePhoto(800, 600) },
  ]);
  await expect.poll(() => page.locator("#photos").getAttribute("data-ready")).toBe("2");
  await page.check('input[name="urgent"][value="no"]');
  await page.check('input[name="identity"][value="anonymous"]');
  await page.check('input[name="reward"]');
  await page.screenshot({ path: join(ARTIFACTS, "web-1-form.png"), fullPage: true });
  await page.click('button[type="submit"]');
  await page.waitForSelector("#case-number");
  await page.screenshot({ path: join(ARTIFACTS, "web-2-received.png"), fullPage: true });
  const number = (await page.textContent("#case-number"))!.trim();
  const code = (await page.textContent("#claim-code"))!.trim();

  const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
  expect(row).toMatchObject({ source: "web", regionId: "town-b", unitId: "station-b", address: "红星五金厂", rewardRequested: true });
  // The photos were made smaller in the browser: JPEGs, the phone-sized one far below its original.
  const stored = await h.hazardline.db.select().from(archiveFiles);
  expect(stored).toHaveLength(2);
  for (const f of stored) expect(archiveFileOf(f.fileId)?.ext).toBe("jpg");
  expect(Math.max(...stored.map((f) => f.size ?? Number.POSITIVE_INFINITY))).toBeLessThan(big.length / 4);

  await h.hazardline.settle();
  await waitFor("the card in town B's liaison's chat", () => h.fake.sentTexts(liaisonB.id).some((t) => t.includes(number)), 10_000);
  const album = await h.fake.waitForCall("sendMediaGroup", (c) => Number(c.params.chat_id) === liaisonB.id);
  expect(album.params.media as unknown[]).toHaveLength(2);

  await page.click('footer a[href^="/status"]');
  await page.fill('input[name="number"]', number);
  await page.fill('input[name="proof"]', code);
  await page.click('button[type="submit"]');
  await page.waitForSelector("#status-card");
  expect(await page.textContent("#status-card")).toContain("河东镇安监站");
  await page.screenshot({ path: join(ARTIFACTS, "web-3-status.png"), fullPage: true });
  expect(shots).toEqual([]);
  await page.close();
}, 60_000);

it("works without JavaScript: the plain form stores the report", async () => {
  const context = await browser.newContext({ javaScriptEnabled: false });
  const page = await context.newPage();
  await page.goto(`${h.baseUrl}/report?region=town-a`);
  expect(await page.locator("#map-box").isVisible()).toBe(false);
  await page.check('input[name="kind"][value="violation"]');
  await page.selectOption('select[name="sector"]', "construction");
  await page.fill('textarea[name="description"]', "城关镇一家小作坊无证生产烟花爆竹，晚上偷偷开工。");
  await page.check('input[name="urgent"][value="yes"]');
  await page.check('input[name="identity"][value="named"]');
  await page.fill('input[name="name"]', "李四");
  await page.fill('input[name="phone"]', "13912345678");
  await page.click('button[type="submit"]');
  await page.waitForSelector("#case-number");
  const number = (await page.textContent("#case-number"))!.trim();
  const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
  expect(row).toMatchObject({ source: "web", kind: "violation", severity: "urgent", regionId: "town-a", anonymous: false });
  await context.close();
}, 60_000);
