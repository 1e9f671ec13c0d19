/**
 * The playground in a real browser: headless Chromium (Debian's `chromium`, which .ci/run
 * installs) driven by playwright-core, against `npm start` with no token in a child process.
 * A case's whole life by clicks and typing, as a visitor would play it: a citizen reports a
 * hazard with an uploaded photo and a place clicked on the county map, the liaison signs for
 * it and resolves it with a photo, the dispatcher sees both photos and closes it, the citizen
 * rates it; then the clock moves to the next working morning and the leader sees the digest's
 * chart. A screenshot of each step is written to TEST_ARTIFACTS (default: a temp folder).
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { Browser, Page } from "playwright-core";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { samplePhoto } from "../../src/local/scenario";
import { artifactsFolder, launchChromium } from "../support/browser";
import { freePort, type Running, runServer } from "../support/processes";

const ARTIFACTS = artifactsFolder("hazardline-playground-shots");

let server: Running;
let dir: string;
let base: string;
let browser: Browser;
let page: Page;
let shot = 0;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hazardline-browser-"));
  const port = await freePort();
  base = `http://127.0.0.1:${port}`;
  server = runServer({ PORT: String(port), LOCAL_DIR: dir });
  await server.waitForOutput(/"Hazardline started".*"mode":"local"/, 60_000);
  browser = await launchChromium();
  page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
}, 120_000);

afterAll(async () => {
  await browser?.close();
  await server?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const screenshot = (name: string) => page.screenshot({ path: join(ARTIFACTS, `${String(++shot).padStart(2, "0")}-${name}.png`) });
const chat = (id: number) => page.locator(`li[data-chat="${id}"] button`).click();
const say = async (text: string) => {
  await page.fill("#text", text);
  await page.press("#text", "Enter");
};
/** Waits for a message of the open chat with this text, and returns it. */
const message = async (text: string) => {
  const found = page.locator(".msg", { hasText: text }).last();
  await found.waitFor({ timeout: 20_000 });
  return found;
};
/** Presses the newest inline button so labelled in the open chat. */
const press = async (label: string) => {
  const button = page.locator(".msg .ib", { hasText: label }).last();
  await button.waitFor({ timeout: 20_000 });
  await button.click();
};
const uploadPhoto = (name: string) => page.setInputFiles("#file", { name, mimeType: "image/png", buffer: Buffer.from(samplePhoto()) });

describe("the playground in a browser", () => {
  it("plays a case from report to rating by clicks, then shows the next morning's digest", async () => {
    await page.goto(base);
    await page.locator("#people li").first().waitFor();
    expect(await page.locator("#people li").count()).toBe(7);
    expect(await page.locator("#groups li").count()).toBe(4);

    // The citizen reports, with a place clicked on the map and an uploaded photo.
    await chat(900001);
    await say("/report");
    await press("安全隐患");
    await press("烟花爆竹");
    await page.click("#location");
    await page.locator('#map [data-region="chengguan"]').click();
    expect(Number(await page.inputValue("#lat"))).toBeCloseTo(30.0, 1);
    await page.click("#map-send");
    await message("请输入详细地址");
    await say("城关镇人民路 18 号烟花爆竹零售店");
    await say("这家烟花爆竹零售店在店里住人，超量的库存堆在楼梯间。");
    await uploadPhoto("before.png");
    await message("已收到 1 个");
    await press("完成");
    await press("一般");
    await press("匿名");
    await press("不需要");
    await screenshot("summary");
    await press("提交");
    const receipt = await (await message("您的举报编号")).textContent();
    const number = /YH-\d{8}-\d{4}/.exec(receipt ?? "")![0];

    // The liaison of the Chengguan station signs for it and resolves it with a photo.
    await chat(100001);
    await message(number);
    // The photo follows the card through the outbox: wait for it rather than count at once.
    await page.locator(".msg img").first().waitFor({ timeout: 20_000 });
    await screenshot("liaison-card");
    await press("签收");
    await press("整改完成");
    await say("已清理超量库存，店内人员搬离，配备灭火器。");
    await say("店主 王某");
    await uploadPhoto("after.png");
    await message("已收到 1 个");
    await press("照片已传完");

    // The dispatcher sees both photos in the dispatchers' group and closes the case.
    await chat(-1001000000002);
    await page.selectOption("#speaker", "100002");
    await message("待核查销号");
    await page.locator(".msg img").nth(1).waitFor({ timeout: 20_000 });
    await screenshot("dispatcher-verify");
    await press("核查销号");

    // The citizen is asked to rate it, and does.
    await chat(900001);
    await message(`${number} 已办结。请您对办理结果作出评价`);
    await press("⭐⭐⭐⭐⭐");
    // The report's own "skip" buttons are still in this chat: press the one under the thanks.
    await message("感谢您的评价");
    await press("跳过");
    await message("感谢您的支持");
    await screenshot("citizen-rated");

    // The next working morning: the leader's digest, with its chart.
    await page.click("#clock-morning");
    await chat(100004);
    await page.locator(".msg img").first().waitFor({ timeout: 20_000 });
    await screenshot("leader-digest");
    const unread = page.locator('li[data-chat="-1001000000001"] .badge');
    expect(Number(await unread.textContent())).toBeGreaterThan(0);
  }, 180_000);
});
