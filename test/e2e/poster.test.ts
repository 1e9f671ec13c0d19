/**
 * /poster end to end through the webhook: a dispatcher or an admin gets the QR poster as a
 * PNG and an SVG document captioned with the link (read back from what the fake Bot API
 * received), in their language; without a town, the towns and sectors to choose from; an
 * unknown town or sector is named back; leaders, liaisons and citizens are refused.
 */
import { decode } from "fast-png";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { members } from "../../db/schema";
import { PNG_MODULE_PX, QUIET_ZONE, qrModules } from "../../src/domain/poster";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import type { RecordedCall } from "../support/fake-bot-api";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9901, first_name: "调度员" }));
const adminInEnglish = () => new Conversation(h, person({ id: 9902, first_name: "Admin", language_code: "en" }));
const leader = () => new Conversation(h, person({ id: 9903, first_name: "领导" }));
const liaison = () => new Conversation(h, person({ id: 9904, first_name: "联络员" }));
const citizen = () => new Conversation(h, person({ id: 9950, first_name: "群众" }));

type Document = { file: string; bytes: Uint8Array };
const documentsTo = (chatId: number): Array<RecordedCall & { params: { document: Document; caption: string } }> =>
  h.fake.callsTo("sendDocument").filter((c) => Number(c.params.chat_id) === chatId) as never; // a multipart field is a string

/** The documents a person is sent while `work` runs. */
async function newDocuments(chatId: number, work: () => Promise<unknown>) {
  const before = documentsTo(chatId).length;
  await work();
  return documentsTo(chatId).slice(before);
}

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(members).values([
    { telegramId: 9901, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9902, unitId: "office", roles: ["admin"], name: "Admin" },
    { telegramId: 9903, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: 9904, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("/poster", () => {
  it("sends a dispatcher the code as a PNG and the A4 poster as an SVG, captioned with the form's link", async () => {
    const url = "https://hazardline.test/report?region=town-a&sector=hazardous-chemicals";
    const [png, svg, ...more] = await newDocuments(9901, () => dispatcher().say("/poster town-a hazardous-chemicals"));
    expect(more).toEqual([]);
    expect(png?.params.document.file).toBe("poster-town-a-hazardous-chemicals.png");
    expect(svg?.params.document.file).toBe("poster-town-a-hazardous-chemicals.svg");
    expect(png?.params.caption).toBe(`扫码举报海报：城关镇 · 危险化学品\n${url}`);
    expect(svg?.params.caption).toBe(png?.params.caption);

    const image = decode(png!.params.document.bytes);
    const modules = qrModules(url);
    expect(image.width).toBe((modules.length + 2 * QUIET_ZONE) * PNG_MODULE_PX);
    const centre = (m: number) => (m + QUIET_ZONE) * PNG_MODULE_PX + PNG_MODULE_PX / 2;
    const pixels = modules.map((row, y) => row.map((_, x) => image.palette![image.data[centre(y) * image.width + centre(x)]!]![0] === 0));
    expect(pixels).toEqual(modules);

    const text = new TextDecoder().decode(svg!.params.document.bytes);
    expect(text).toMatch(/^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg /);
    expect(text).toContain(url.replace("&", "&amp;"));
    for (const words of ["扫码举报安全隐患", "城关镇", "行业领域：危险化学品", "县安委办", "County Safety Office"]) expect(text).toContain(words);
  });

  it("takes a town by its English name, and captions in the admin's language", async () => {
    const [png, svg] = await newDocuments(9902, () => adminInEnglish().say("/poster Chengguan Town"));
    expect([png?.params.document.file, svg?.params.document.file]).toEqual(["poster-town-a.png", "poster-town-a.svg"]);
    expect(png?.params.caption).toBe("QR poster: Chengguan Town\nhttps://hazardline.test/report?region=town-a");
    // The poster itself is the same for everyone: Chinese, with English beneath.
    expect(new TextDecoder().decode(svg!.params.document.bytes)).toContain("扫码举报安全隐患");
  });

  it("without a town, lists the towns and sectors to choose from", async () => {
    const [answer, ...more] = await dispatcher().say("/poster");
    expect(more).toEqual([]);
    expect(answer).toContain("/poster 镇街 [行业]");
    expect(answer).toContain("镇街：\ntown-a — 城关镇\n行业：\nmines — 矿山\nhazardous-chemicals — 危险化学品\n");
    const [english] = await adminInEnglish().say("/poster");
    expect(english).toContain("Towns:\ntown-a — Chengguan Town\nSectors:\nmines — Mines\nhazardous-chemicals — Hazardous chemicals\n");
  });

  it("names back a town or a sector the directory does not have, and sends no file", async () => {
    const documents = await newDocuments(9901, async () => {
      expect(await dispatcher().say("/poster nowhere")).toEqual(["通讯录里没有镇街“nowhere”。发送 /poster 查看可选的镇街。"]);
      expect(await dispatcher().say("/poster town-a mining")).toEqual(["通讯录里没有行业“mining”。发送 /poster 查看可选的行业。"]);
      expect(await dispatcher().say("/poster no such town")).toEqual(["通讯录里没有镇街“no such town”。发送 /poster 查看可选的镇街。"]);
    });
    expect(documents).toEqual([]);
  });

  it("is refused to a leader, a liaison and a citizen", async () => {
    for (const [who, id] of [
      [leader(), 9903],
      [liaison(), 9904],
      [citizen(), 9950],
    ] as const) {
      expect(await who.say("/poster town-a")).toEqual(["您没有权限执行此操作。"]);
      expect(documentsTo(id)).toEqual([]);
    }
  });
});
