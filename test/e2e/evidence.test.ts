/**
 * The case file reaches the people who decide: a liaison's first card for a case is followed
 * by the report's photos as one album and the place as a map pin; at verification the
 * dispatcher gets the rectification photos, then the report's, before the card with its close
 * buttons; later cards do not repeat them, and the card's evidence button sends them again.
 * Nothing sent to staff names the anonymous reporter.
 */
import { eq } from "drizzle-orm";
import { afterAll, afterEach, beforeAll, describe, expect, it } from "vitest";
import { cases, members } from "../../db/schema";
import { expectNoReporterNamed } from "../support/anonymity";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import type { RecordedCall } from "../support/fake-bot-api";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

let h: Harness;
const LIAISON = 9501;
const DISPATCHER = 9502;
const reporter = person({ id: 9510, first_name: "秦某某", last_name: "秦", username: "hidden_reporter" });
const liaison = () => new Conversation(h, person({ id: LIAISON, first_name: "联络员" }));
const dispatcher = () => new Conversation(h, person({ id: DISPATCHER, first_name: "调度员" }));
const drain = () => h.tick(Date.now());

/** What the bot sent a chat, as method and the parts a person sees, in order. */
const seen = (chatId: number, from = 0) =>
  h.fake.calls
    .filter((c) => c.params.chat_id === chatId && c.method.startsWith("send"))
    .slice(from)
    .map((c) => describeCall(c));

function describeCall(c: RecordedCall): string {
  const p = c.params as Record<string, unknown>;
  switch (c.method) {
    case "sendMediaGroup": {
      const media = p.media as Array<{ type: string; media: string; caption?: string }>;
      return `album[${media.map((m) => m.media).join(",")}] ${media[0]?.caption ?? ""}`;
    }
    case "sendVenue":
      return `venue ${p.latitude},${p.longitude} ${p.title} ${p.address}`;
    case "sendLocation":
      return `pin ${p.latitude},${p.longitude}`;
    case "sendPhoto":
      return `photo ${p.photo} ${p.caption ?? ""}`;
    case "sendVoice":
      return `voice ${p.voice} ${p.caption ?? ""}`;
    case "sendDocument":
      return `document ${p.document} ${p.caption ?? ""}`;
    default:
      return `text ${String(p.text).split("\n")[0]}`;
  }
}

beforeAll(async () => {
  h = await startHarness();
  await seedSmallCounty(h.hazardline.db);
  await h.hazardline.db.insert(members).values([
    { telegramId: LIAISON, unitId: "station-a", roles: ["liaison"], name: "甲" },
    { telegramId: DISPATCHER, unitId: "office", roles: ["dispatcher"], name: "周调度" },
  ]);
});
afterAll(async () => {
  // Anonymous means anonymous, in albums and captions too.
  expect(expectNoReporterNamed(h.fake, [LIAISON, DISPATCHER], [reporter])).toBeGreaterThan(10);
  await h.stop();
});
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("the case file on staff cards", () => {
  let number = "";
  let liaisonSeen = 0;

  it("follows the liaison's first card with the report's photos as one album and the place as a pin", async () => {
    const c = new Conversation(h, reporter);
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("建筑施工");
    await c.post(c.who.sendsLocation(31.5, 121.5));
    await c.tap("城关镇");
    await c.say("东环路 88 号工地");
    await c.say("工地塔吊下方没有设置警戒区，工人不戴安全帽作业。");
    for (const id of ["r1", "r2", "r3"]) await c.post(c.who.sendsPhoto(id, { mediaGroupId: "report-album" }));
    // Many describe a hazard by voice.
    expect(await c.post(c.who.sends({ voice: { file_id: "file-v1", file_unique_id: "v1", duration: 12 } }))).toEqual([
      expect.stringContaining("已收到 4 个"),
    ]);
    await c.tap("完成");
    await c.tap("一般");
    await c.tap("匿名");
    await c.tap("不需要");
    number = /编号：(YH-\d{8}-\d{4})/.exec((await c.tap("提交"))[0]!)![1]!;

    await drain();
    const got = seen(LIAISON);
    expect(got[0]).toMatch(/^text 📥 新交办事项/);
    expect(got.slice(1)).toEqual([
      `album[file-r1,file-r2,file-r3] ${number} · 举报材料 (1/2)`,
      `voice file-v1 ${number} · 举报材料 (2/2)`,
      `venue 31.5,121.5 ${number} 东环路 88 号工地`,
    ]);
    liaisonSeen = got.length;
  });

  it("sends the dispatcher what was done, then what was reported, before the card with its close buttons", async () => {
    const l = liaison();
    await l.tap("签收");
    await drain();
    await l.tap("整改完成");
    await l.say("已设置警戒区，全员佩戴安全帽。");
    await l.say("项目经理 王某");
    for (const id of ["f1", "f2"]) await l.post(l.who.sendsPhoto(id));
    // A photo sent as a file, to keep its quality, is evidence too.
    expect(
      await l.post(l.who.sends({ document: { file_id: "file-f3", file_unique_id: "f3", mime_type: "image/jpeg", file_name: "IMG_0042.jpg" } })),
    ).toEqual(["已收到 3 个照片/文件。"]);
    await l.tap("照片已传完");
    await drain();

    const got = seen(DISPATCHER);
    expect(got).toEqual([
      `album[file-f1,file-f2] ${number} · 整改材料 (1/2)`,
      `document file-f3 ${number} · 整改材料 (2/2)`,
      `album[file-r1,file-r2,file-r3] ${number} · 举报材料 (1/2)`,
      `voice file-v1 ${number} · 举报材料 (2/2)`,
      `venue 31.5,121.5 ${number} 东环路 88 号工地`,
      "text ✅ 已整改/已答复，待核查销号",
    ]);
    const card = dispatcher().lastKeyboardMessage();
    expect(card.buttons.map((b) => b.text)).toContain("✅ 核查销号");
    // What was done is on the card the dispatcher closes from.
    expect(card.text).toMatch(/🛠 整改完成：\d{4}-\d{2}-\d{2} \d{2}:\d{2}（照片 3 张）/);
    expect(card.text).toContain("整改措施：已设置警戒区，全员佩戴安全帽。");
    expect(card.text).toContain("责任人：项目经理 王某");
    // The liaison's own later cards did not repeat the report's album.
    expect(seen(LIAISON, liaisonSeen).filter((s) => s.startsWith("album") || s.startsWith("venue"))).toEqual([]);
  });

  it("sends every file and the pin again from the card's evidence button, and with /case", async () => {
    const everything = () => [
      `album[file-r1,file-r2,file-r3] ${number} · 举报材料 (1/2)`,
      `voice file-v1 ${number} · 举报材料 (2/2)`,
      `album[file-f1,file-f2] ${number} · 整改材料 (1/2)`,
      `document file-f3 ${number} · 整改材料 (2/2)`,
      `venue 31.5,121.5 ${number} 东环路 88 号工地`,
    ];
    const d = dispatcher();
    const before = seen(DISPATCHER).length;
    await d.tap("📎");
    await drain();
    expect(seen(DISPATCHER, before)).toEqual(everything());

    const l = liaison();
    const mark = seen(LIAISON).length;
    // The whole ledger, the rectification's words included.
    expect((await l.say(`/case ${number}`)).join("\n")).toContain("整改完成 · 甲：措施：已设置警戒区，全员佩戴安全帽。；责任人：项目经理 王某");
    await drain();
    expect(seen(LIAISON, mark).slice(1)).toEqual(everything());
  });

  it("answers the evidence button of a case with none, and sends nothing", async () => {
    const [row] = await h.hazardline.db.select().from(cases).where(eq(cases.number, number));
    const d = dispatcher();
    const before = h.fake.calls.length;
    await d.post(d.who.presses(`c:${row!.id + 1000}:0:ev`));
    expect(d.lastAnswer()).toBeDefined();
    expect(h.fake.calls.slice(before).filter((c) => c.method.startsWith("send"))).toEqual([]);
  });
});

describe("evidence the office will not keep", () => {
  it("is answered at once, and the draft keeps what it had", async () => {
    const c = new Conversation(h, person({ id: 9520, first_name: "群众" }));
    await c.say("/report");
    await c.tap("安全隐患");
    await c.tap("建筑施工");
    await c.tap("城关镇");
    await c.tap("跳过");
    await c.say("小区门口的广告牌松动了，随时可能掉下来。");
    await c.post(c.who.sendsPhoto("k1"));
    expect(
      await c.post(
        c.who.sends({
          video: { file_id: "file-huge", file_unique_id: "huge", duration: 600, width: 1920, height: 1080, file_size: 300 * 1024 * 1024 },
        }),
      ),
    ).toEqual(["这个文件太大了（最大 20 MB），没有保存。请压缩后重新发送，或改发照片。"]);
    expect(
      await c.post(c.who.sends({ document: { file_id: "file-zip", file_unique_id: "zip", mime_type: "application/zip", file_name: "photos.zip" } })),
    ).toEqual(["只能接收照片、视频、语音，以及 PDF 或图片、视频文件；这个文件没有保存。"]);
    expect((await h.hazardline.services.drafts.get(c.who.id))?.media.map((m) => m.fileUniqueId)).toEqual(["k1"]);
  });
});
