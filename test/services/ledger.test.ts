/**
 * The ledger export over a real libSQL database: reports submitted as citizens submit them,
 * routed, worked and rated through the services; the export takes exactly the period's
 * cases, and its XLSX and CSV read back to the same rows, with no reporter's identity in
 * either.
 */
import readXlsxFile from "read-excel-file/node";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { members, regions, routes, units } from "../../db/schema";
import type { Draft } from "../../src/domain/report-draft";
import type { Actor } from "../../src/domain/workflow";
import { serviceFixture, submitAndRoute } from "../support/services";

const sh = (local: string) => Date.parse(`${local}:00+08:00`);
const NOVEMBER = { from: sh("2026-11-01T00:00"), to: sh("2026-12-01T00:00") };

type Fixture = Awaited<ReturnType<typeof serviceFixture>>;
let f: Fixture;
/** Case numbers by name, in the order they were submitted. */
const numbers: Record<string, string> = {};
let namedReporter = 0;

let nextCitizen = 7100;
let nextDraft = 1;
async function submit(at: string, description: string, named?: { name: string; phone: string }) {
  f.clock.at = sh(at);
  const telegramId = nextCitizen++;
  const draft: Draft = {
    id: `draft-${nextDraft++}`,
    flow: "report",
    step: "summary",
    editing: false,
    kind: "hazard",
    sectorId: "construction",
    regionId: "town-a",
    address: "工业路 18 号, 东门",
    description,
    media: [],
    urgent: false,
    anonymous: named === undefined,
    ...(named ? { phone: named.phone } : {}),
    reward: false,
    startedAt: f.clock.at,
  };
  const result = await submitAndRoute(f.services, draft, {
    door: "telegram",
    telegramId,
    chatId: telegramId,
    displayName: named?.name ?? "匿名用户甲",
  });
  if (result.status !== "created") throw new Error(`not created: ${result.status}`);
  return { ...result, telegramId };
}

/**
 * Parses RFC 4180 CSV (quoted fields, doubled quotes, CRLF). Our own few lines: no CSV
 * parser is among the dependencies, and this one only has to read what toCsv writes.
 */
function parseCsv(text: string): string[][] {
  const rows: string[][] = [];
  let row: string[] = [];
  let field = "";
  let quoted = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    if (quoted) {
      if (ch === '"' && text[i + 1] === '"') {
        field += '"';
        i++;
      } else if (ch === '"') quoted = false;
      else field += ch;
    } else if (ch === '"') quoted = true;
    else if (ch === ",") {
      row.push(field);
      field = "";
    } else if (ch === "\r" && text[i + 1] === "\n") {
      row.push(field);
      rows.push(row);
      row = [];
      field = "";
      i++;
    } else field += ch;
  }
  if (field !== "" || row.length > 0) {
    row.push(field);
    rows.push(row);
  }
  return rows;
}

beforeAll(async () => {
  f = await serviceFixture(sh("2026-10-20T09:00"));
  await f.db.insert(regions).values([
    { id: "county", level: "county", nameZh: "清河县", nameEn: "Qinghe County" },
    { id: "town-a", parentId: "county", level: "town", nameZh: "城关镇", nameEn: "Chengguan Town" },
  ]);
  await f.db.insert(units).values([
    { id: "station-a", kind: "territorial", nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station", regionId: "town-a" },
    { id: "office", kind: "office", nameZh: "县安委办", nameEn: "County Safety Office" },
  ]);
  await f.db.insert(routes).values({ regionId: "town-a", unitId: "station-a" });
  const [liaisonRow, dispatcherRow] = await f.db
    .insert(members)
    .values([
      { telegramId: 9002, unitId: "station-a", roles: ["liaison"], name: "甲" },
      { telegramId: 9001, unitId: "office", roles: ["dispatcher"], name: "周调度" },
    ])
    .returning({ id: members.id });
  const liaison: Actor = { kind: "member", memberId: liaisonRow!.id, roles: ["liaison"], unitIds: ["station-a"] };
  const dispatcher: Actor = { kind: "member", memberId: dispatcherRow!.id, roles: ["dispatcher"], unitIds: [] };

  numbers.before = (await submit("2026-10-31T23:59", "十月底的隐患，不在十一月的台账里。")).number;
  numbers.first = (await submit("2026-11-01T00:00", "十一月第一分钟的隐患：配电箱没有门。")).number;
  const named = await submit("2026-11-15T10:00", "脚手架没有安全网，工人高空作业不系安全带。", { name: "张三丰", phone: "13800138000" });
  numbers.named = named.number;
  namedReporter = named.telegramId;
  numbers.last = (await submit("2026-11-30T23:59", '塔吊司机说"没事"，可是螺栓松了，\n风大时晃得厉害。')).number;
  numbers.after = (await submit("2026-12-01T00:00", "十二月第一分钟的隐患，不在十一月的台账里。")).number;

  // The named case is worked to the end, then rated with a comment a spreadsheet would run.
  const step = async (
    at: string,
    action: Parameters<Fixture["services"]["caseActions"]["perform"]>[1],
    actor: Actor,
    media: Array<{ kind: "photo"; fileId: string; fileUniqueId: string }> = [],
  ) => {
    f.clock.at = sh(at);
    const card = await f.services.caseActions.card(named.caseId);
    const outcome = await f.services.caseActions.perform(named.caseId, action, actor, card!.row.version, media);
    if (!outcome.ok) throw new Error(`${action.type} refused: ${outcome.code}`);
  };
  await step("2026-11-15T10:30", { type: "accept" }, liaison);
  await step("2026-11-16T15:00", { type: "resolve", measures: "已挂设安全网", responsible: "项目安全员 李强", evidence: 1 }, liaison, [
    { kind: "photo", fileId: "f1", fileUniqueId: "u1" },
  ]);
  await step("2026-11-17T09:00", { type: "verify_close" }, dispatcher);
  expect(await f.services.ratings.rate(named.caseId, named.telegramId, 4)).toBe("rated");
  expect(await f.services.ratings.comment(named.telegramId, '=HYPERLINK("http://x") 处理得好')).toEqual({ complaint: false });
  f.clock.at = sh("2026-12-02T09:00");
});
afterAll(async () => {
  expect(f.fake.violations).toEqual([]);
  await f.dispose();
});

describe("the ledger service", () => {
  it("counts and exports exactly the cases received in the period, oldest first", async () => {
    expect(await f.services.ledger.count(NOVEMBER)).toBe(3);
    const xlsx = await f.services.ledger.export({ ...NOVEMBER, locale: "zh-CN", format: "xlsx" });
    expect(xlsx.filename).toBe("ledger-2026-11-01_2026-11-30.xlsx");
    expect(xlsx.count).toBe(3);

    const [sheet] = await readXlsxFile(Buffer.from(xlsx.bytes));
    const [header, ...rows] = sheet!.data;
    expect(sheet!.sheet).toBe("事项台账");
    expect(header).toEqual([
      "编号",
      "类型",
      "来源",
      "状态",
      "紧急程度",
      "行业领域",
      "乡镇（街道）",
      "详细地址",
      "情况描述",
      "责任单位",
      "挂牌督办",
      "受理时间",
      "办理期限",
      "整改/答复时间",
      "整改措施",
      "整改责任人",
      "销号时间",
      "是否逾期",
      "群众评价（星）",
      "评价留言",
      "举报方式",
      "办理过程",
      "证据文件",
    ]);
    expect(rows.map((r) => r[0])).toEqual([numbers.first, numbers.named, numbers.last]);

    const named = Object.fromEntries(header!.map((h, i) => [h, rows[1]![i]]));
    expect(named).toMatchObject({
      类型: "安全隐患",
      状态: "已办结",
      行业领域: "建筑施工",
      "乡镇（街道）": "城关镇",
      详细地址: "工业路 18 号, 东门",
      责任单位: "城关镇安监站",
      挂牌督办: "否",
      受理时间: "2026-11-15 10:00",
      "整改/答复时间": "2026-11-16 15:00",
      整改措施: "已挂设安全网",
      整改责任人: "项目安全员 李强",
      销号时间: "2026-11-17 09:00",
      是否逾期: "否",
      "群众评价（星）": 4,
      评价留言: '=HYPERLINK("http://x") 处理得好',
      举报方式: "实名",
    });
    expect(String(named.办理过程).split("\n")).toEqual([
      "2026-11-15 10:00 群众提交",
      "2026-11-15 10:00 交办 (已受理，待分派→已交办)",
      "2026-11-15 10:30 签收 (已交办→办理中)",
      "2026-11-16 15:00 整改完成 (办理中→已整改，待核查)",
      "2026-11-17 09:00 核查销号 (已整改，待核查→已办结)",
      "2026-11-17 09:00 群众评价",
      "2026-11-17 09:00 群众留言",
    ]);
    // The rectification photo, queued for the archive (this fixture has no storage, so not yet archived).
    expect(named.证据文件).toBe("2026-11-16 15:00 整改完成 照片 待存档");
    expect(rows[0]![header!.indexOf("举报方式")]).toBe("匿名");
  });

  it("never carries a reporter's identity, even a named reporter's name and phone", async () => {
    const { files } = await f.services.ledger.exportFiles({ ...NOVEMBER, locale: "zh-CN", formats: ["xlsx", "csv"] });
    const [sheet] = await readXlsxFile(Buffer.from(files[0]!.bytes));
    const csv = new TextDecoder().decode(files[1]!.bytes);
    for (const text of [JSON.stringify(sheet!.data), csv]) {
      for (const identity of ["张三丰", "13800138000", "匿名用户甲", String(namedReporter)]) expect(text).not.toContain(identity);
    }
  });

  it("writes a CSV that parses back to the same rows as the XLSX, guarded against formulas", async () => {
    const { count, files, failed } = await f.services.ledger.exportFiles({ ...NOVEMBER, locale: "en", formats: ["xlsx", "csv"] });
    expect(failed).toEqual([]);
    expect(files.map((file) => file.filename)).toEqual(["ledger-2026-11-01_2026-11-30.xlsx", "ledger-2026-11-01_2026-11-30.csv"]);
    const [sheet] = await readXlsxFile(Buffer.from(files[0]!.bytes));
    const fromXlsx = sheet!.data.map((row) => row.map((cell) => (cell === null ? "" : String(cell))));

    const bytes = files[1]!.bytes;
    expect(Array.from(bytes.slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    const fromCsv = parseCsv(new TextDecoder().decode(bytes)); // the decoder drops the BOM
    expect(fromCsv).toHaveLength(count + 1);
    // The same rows, except that a cell a spreadsheet would run as a formula starts with an apostrophe in the CSV.
    const comment = fromXlsx[0]!.indexOf("Citizen's comment");
    expect(fromCsv[2]![comment]).toBe('\'=HYPERLINK("http://x") 处理得好');
    fromCsv[2]![comment] = fromCsv[2]![comment]!.slice(1);
    expect(fromCsv).toEqual(fromXlsx);
    expect(fromXlsx[0]).toContain("Timeline");
    expect(fromXlsx[3]![fromXlsx[0]!.indexOf("Description")]).toBe('塔吊司机说"没事"，可是螺栓松了，\n风大时晃得厉害。');
  });

  it("makes an empty ledger of a period without cases", async () => {
    const empty = { from: sh("2027-01-01T00:00"), to: sh("2027-02-01T00:00") };
    expect(await f.services.ledger.count(empty)).toBe(0);
    const csv = await f.services.ledger.export({ ...empty, locale: "zh-CN", format: "csv" });
    expect(csv).toMatchObject({ filename: "ledger-2027-01-01_2027-01-31.csv", count: 0 });
    expect(parseCsv(new TextDecoder().decode(csv.bytes))).toEqual([expect.arrayContaining(["编号", "办理过程"])]);
  });
});
