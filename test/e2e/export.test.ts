/**
 * /export end to end through the webhook: a dispatcher gets the ledger as an XLSX and a CSV
 * document (read back from what the fake Bot API received), in their language; liaisons and
 * citizens are refused; a period that cannot be read gets the accepted forms; an empty
 * period and one too large for chat are answered in words, not files; and when the XLSX
 * cannot be made (as on Workers for a large period) the CSV still goes out.
 */
import { sql } from "drizzle-orm";
import readXlsxFile from "read-excel-file/node";
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from "vitest";
import { members } from "../../db/schema";
import { formatOfficeTime } from "../../src/domain/office-time";
import { Conversation } from "../support/conversation";
import { seedSmallCounty } from "../support/county";
import type { RecordedCall } from "../support/fake-bot-api";
import { reportHazard } from "../support/flows";
import { type Harness, startHarness } from "../support/harness";
import { person } from "../support/people";

// The XLSX writer as it is, unless a test makes it fail the way it fails on Workers.
const xlsxWriter = vi.hoisted(() => ({ fail: false }));
vi.mock("write-excel-file/universal", async (importOriginal) => {
  const real = await importOriginal<typeof import("write-excel-file/universal")>();
  const write = real.default as (...args: unknown[]) => { toBlob(): Promise<Blob> };
  return {
    ...real,
    default: (...args: unknown[]) =>
      xlsxWriter.fail ? { toBlob: () => Promise.reject(new ReferenceError("Worker is not defined")) } : write(...args),
  };
});

let h: Harness;
const dispatcher = () => new Conversation(h, person({ id: 9801, first_name: "调度员" }));
const leaderInEnglish = () => new Conversation(h, person({ id: 9802, first_name: "Leader", language_code: "en" }));
const liaison = () => new Conversation(h, person({ id: 9803, first_name: "联络员" }));
const anonymousCitizen = person({ id: 9850, first_name: "隐名", last_name: "群众", username: "hidden_citizen" });
const namedCitizen = person({ id: 9851, first_name: "实名", last_name: "群众", username: "named_citizen" });

const report = (c: Conversation, named: boolean, text: string) => reportHazard(c, { text, phone: named ? "13700001111" : undefined });

type Document = { file: string; bytes: Uint8Array };
const documentsTo = (chatId: number): Array<RecordedCall & { params: { document: Document; caption: string } }> =>
  h.fake.callsTo("sendDocument").filter((c) => Number(c.params.chat_id) === chatId) as never; // a multipart field is a string

let numbers: string[];
const today = () => formatOfficeTime(Date.now(), "Asia/Shanghai").slice(0, 10);

beforeAll(async () => {
  h = await startHarness();
  const db = h.hazardline.db;
  await seedSmallCounty(db);
  await db.insert(members).values([
    { telegramId: 9801, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    { telegramId: 9802, unitId: "office", roles: ["leader"], name: "王局长" },
    { telegramId: 9803, unitId: "station-a", roles: ["liaison"], name: "甲" },
  ]);
  numbers = [
    await report(new Conversation(h, anonymousCitizen), false, "脚手架没有安全网，工人高空作业不系安全带。"),
    await report(new Conversation(h, namedCitizen), true, "=1+2 基坑边没有护栏，夜间没有警示灯。"),
  ];
});
afterAll(() => h.stop());
afterEach(() => expect(h.fake.violations).toEqual([]));

describe("/export", () => {
  it("sends a dispatcher this month's ledger as an XLSX and a CSV document, naming no reporter", async () => {
    await dispatcher().say("/export");
    const [xlsx, csv] = documentsTo(9801);
    const month = today().slice(0, 8);
    const period = `${month}01 至 ${today()}`;
    expect(xlsx?.params.document.file).toBe(`ledger-${month}01_${today()}.xlsx`);
    expect(csv?.params.document.file).toBe(`ledger-${month}01_${today()}.csv`);
    expect(xlsx?.params.caption).toBe(`事项台账 ${period}：共 2 件`);

    const [sheet] = await readXlsxFile(Buffer.from(xlsx!.params.document.bytes));
    const [header, ...rows] = sheet!.data;
    expect(header?.[0]).toBe("编号");
    expect(rows.map((r) => r[0])).toEqual(numbers);
    expect(rows.map((r) => r[header!.indexOf("举报方式")])).toEqual(["匿名", "实名"]);
    expect(rows.map((r) => r[header!.indexOf("责任单位")])).toEqual(["城关镇安监站", "城关镇安监站"]);

    const csvText = new TextDecoder().decode(csv!.params.document.bytes);
    expect(csvText).toContain(numbers[1]);
    expect(csvText).toContain(",'=1+2 基坑边没有护栏，夜间没有警示灯。,");
    for (const text of [JSON.stringify(sheet!.data), csvText]) {
      for (const identity of ["隐名", "hidden_citizen", "9850", "实名 群众", "named_citizen", "9851", "13700001111"]) {
        expect(text, identity).not.toContain(identity);
      }
    }
  });

  it("writes the ledger in the leader's language", async () => {
    await leaderInEnglish().say("/export month");
    const [xlsx] = documentsTo(9802);
    expect(xlsx?.params.caption).toMatch(/^Case ledger, from \d{4}-\d{2}-01 to \d{4}-\d{2}-\d{2}: 2 cases$/);
    const [sheet] = await readXlsxFile(Buffer.from(xlsx!.params.document.bytes));
    expect(sheet!.data[0]?.slice(0, 4)).toEqual(["Number", "Kind", "Came by", "Status"]);
    expect(sheet!.data[1]?.[5]).toBe("Construction");
  });

  it("still sends the CSV, and says how to get the XLSX, when the XLSX cannot be made", async () => {
    xlsxWriter.fail = true;
    try {
      const before = documentsTo(9801).length;
      const replies = await dispatcher().say("/export");
      expect(
        documentsTo(9801)
          .slice(before)
          .map((c) => c.params.document.file),
      ).toEqual([expect.stringMatching(/^ledger-.*\.csv$/)]);
      expect(replies.at(-1)).toMatch(
        /^这次未能生成 Excel 文件，请使用 CSV 文件（Excel 可以直接打开），或由管理员在服务器上运行：npm run export -- --from \d{4}-\d{2}-01 --to /,
      );
      expect(h.log.entries).toContainEqual(
        expect.objectContaining({ level: "error", msg: "ledger export: a format could not be written", format: "xlsx" }),
      );
    } finally {
      xlsxWriter.fail = false;
    }
  });

  it("is refused to a liaison and a citizen, and pointed to a private chat in a group", async () => {
    expect(await liaison().say("/export")).toEqual(["您没有权限执行此操作。"]);
    expect(await new Conversation(h, person({ id: 9860 })).say("/export")).toEqual(["您没有权限执行此操作。"]);
    expect(documentsTo(9803)).toEqual([]);
    expect(documentsTo(9860)).toEqual([]);
    const before = h.fake.calls.length;
    await h.post(dispatcher().who.saysInGroup(-100800, "/export"));
    const answers = h.fake.calls.slice(before).filter((c) => c.method.startsWith("send"));
    expect(answers.map((c) => [c.method, c.params.chat_id, c.params.text])).toEqual([
      ["sendMessage", -100800, "请私聊我使用这个功能：https://t.me/hazardline_test_bot"],
    ]);
  });

  it("answers a period it cannot read, or one that ends before it starts, with the accepted forms", async () => {
    const d = dispatcher();
    const [unreadable] = await d.say("/export last-month");
    expect(unreadable).toContain("没有看懂时间段“last-month”。");
    expect(unreadable).toContain("/export 2026-11-01 2026-11-15 — 起止日期（含首尾两天）");
    expect(unreadable).toContain("/export week、/export month、/export quarter");
    const [reversed] = await d.say("/export 2026-11-15 2026-11-01");
    expect(reversed).toMatch(/^开始日期不能晚于结束日期。\n\n用法/);
  });

  it("says so instead of sending empty files when the period has no cases", async () => {
    const before = h.fake.callsTo("sendDocument").length;
    expect(await dispatcher().say("/export 2020-01")).toEqual(["2020-01-01 至 2020-01-31 没有受理的事项，未生成文件。"]);
    expect(h.fake.callsTo("sendDocument")).toHaveLength(before);
  });

  it("sends a period of more than 20,000 cases to npm run export instead", async () => {
    // 20,001 bare cases in March 2025, written in one statement.
    await h.hazardline.db.run(sql`
      with recursive n(i) as (select 1 union all select i + 1 from n where i < 20001)
      insert into cases (number, kind, description, anonymous, created_at, updated_at)
      select 'YH-20250310-' || i, 'hazard', 'bulk', 1, ${Date.parse("2025-03-10T02:00:00Z")} + i, 0 from n`);
    const before = h.fake.callsTo("sendDocument").length;
    expect(await dispatcher().say("/export 2025-03")).toEqual([
      "2025-03-01 至 2025-03-31 共有 20,001 件事项，超过机器人一次能导出的 20,000 件。请由管理员在服务器上运行：npm run export -- --from 2025-03-01 --to 2025-03-31",
    ]);
    expect(h.fake.callsTo("sendDocument")).toHaveLength(before);
  });
});
