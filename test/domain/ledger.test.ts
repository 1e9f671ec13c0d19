/**
 * The ledger export's table and files, from hand-built cases: what each column says, in
 * both languages; that no reporter's identity can get in; the timeline in office time;
 * CSV quoting, BOM and formula-injection guard; the XLSX as a spreadsheet reads it back.
 */
import readXlsxFile from "read-excel-file/node";
import { describe, expect, it } from "vitest";
import {
  buildLedger,
  caseFileName,
  caseFolderName,
  isOverdue,
  type LedgerCase,
  type LedgerCell,
  type LedgerColumn,
  toCsv,
  toXlsx,
} from "../../src/domain/ledger";
import { translator } from "../../src/i18n";

const TZ = "Asia/Shanghai";
/** An office-local time, "2026-11-25T10:00", as an instant. */
const sh = (local: string) => Date.parse(`${local}:00+08:00`);
const NOW = sh("2026-11-30T12:00");

const station = { nameZh: "城关镇安监站", nameEn: "Chengguan Safety Station" };
const town = { nameZh: "城关镇", nameEn: "Chengguan Town" };
const construction = { nameZh: "建筑施工", nameEn: "Construction" };

function hazard(overrides: Partial<LedgerCase> = {}): LedgerCase {
  return {
    number: "YH-20261125-0042",
    kind: "hazard",
    source: "telegram",
    sourceRef: null,
    status: "closed",
    severity: "urgent",
    sector: construction,
    region: town,
    unit: station,
    address: "工业路 18 号",
    description: "脚手架没有安全网，工人高空作业不系安全带。",
    supervision: "listed",
    createdAt: sh("2026-11-25T10:00"),
    dueAt: sh("2026-11-28T17:30"),
    anonymous: true,
    rating: 5,
    ratingComment: "处理很快",
    events: [
      { at: sh("2026-11-25T10:00"), action: "submitted", fromStatus: null, toStatus: "new" },
      { at: sh("2026-11-25T10:01"), action: "assigned", fromStatus: "new", toStatus: "assigned" },
      { at: sh("2026-11-25T11:30"), action: "accepted", fromStatus: "assigned", toStatus: "in_progress" },
      { at: sh("2026-11-26T09:00"), action: "deadline_set", fromStatus: "in_progress", toStatus: "in_progress" },
      {
        at: sh("2026-11-27T15:20"),
        action: "resolved",
        fromStatus: "in_progress",
        toStatus: "resolved",
        data: { measures: "已挂设安全网，作业人员全部系好安全带。", responsible: "项目经理 王某", evidence: 2 },
      },
      { at: sh("2026-11-28T09:05"), action: "closed", fromStatus: "resolved", toStatus: "closed" },
      { at: sh("2026-11-29T08:00"), action: "rated", fromStatus: "closed", toStatus: "closed" },
    ],
    ...overrides,
  };
}

/** The ledger's rows as records by column key, for readable assertions. */
function records(cases: LedgerCase[], locale: "zh-CN" | "en" = "zh-CN", now = NOW) {
  const { columns, rows } = buildLedger(cases, { t: translator(locale), locale, timeZone: TZ, now });
  return { columns, rows: rows.map((row) => Object.fromEntries(columns.map((c, i) => [c.key, row[i]]))) };
}

describe("the ledger table", () => {
  it("has the office's columns, headed in Chinese by default and in English when asked", () => {
    expect(records([]).columns.map((c) => c.header)).toEqual([
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
    expect(records([], "en").columns.map((c) => c.header)).toContain("Timeline");
    expect(
      records([])
        .columns.filter((c) => c.wrap)
        .map((c) => c.key),
    ).toEqual(["address", "description", "measures", "ratingComment", "timeline", "files"]);
  });

  it("says of each case what the card says, in the case's words and the office's time", () => {
    const [row] = records([hazard()]).rows;
    expect(row).toEqual({
      number: "YH-20261125-0042",
      kind: "安全隐患",
      source: "Telegram",
      status: "已办结",
      severity: "紧急",
      sector: "建筑施工",
      region: "城关镇",
      address: "工业路 18 号",
      description: "脚手架没有安全网，工人高空作业不系安全带。",
      unit: "城关镇安监站",
      supervision: "是",
      createdAt: "2026-11-25 10:00",
      dueAt: "2026-11-28 17:30",
      resolvedAt: "2026-11-27 15:20",
      measures: "已挂设安全网，作业人员全部系好安全带。",
      responsible: "项目经理 王某",
      closedAt: "2026-11-28 09:05",
      overdue: "否",
      rating: 5,
      ratingComment: "处理很快",
      reporter: "匿名",
      timeline: expect.any(String),
      files: "",
    });
    const [en] = records([hazard({ kind: "task", source: "superior", supervision: "none", anonymous: false })], "en").rows;
    expect(en).toMatchObject({
      kind: "Task",
      source: "Assigned from above",
      status: "Closed",
      severity: "urgent",
      unit: "Chengguan Safety Station",
      supervision: "no",
      reporter: "named",
    });
  });

  it("names the door a case came by, with the sender's own number for it", () => {
    const [row] = records([hazard({ source: "hotline", sourceRef: "GD-2026-000123" })]).rows;
    expect(row!.source).toBe("12345 热线工单 GD-2026-000123");
  });

  it("writes the timeline one line per event, in office time, with the status each moved", () => {
    // 10:00 in Shanghai is 02:00 UTC: the lines must not show the machine's or UTC's clock.
    const [row] = records([hazard()]).rows;
    expect(String(row!.timeline).split("\n")).toEqual([
      "2026-11-25 10:00 群众提交",
      "2026-11-25 10:01 交办 (已受理，待分派→已交办)",
      "2026-11-25 11:30 签收 (已交办→办理中)",
      "2026-11-26 09:00 设定期限",
      "2026-11-27 15:20 整改完成 (办理中→已整改，待核查)",
      "2026-11-28 09:05 核查销号 (已整改，待核查→已办结)",
      "2026-11-29 08:00 群众评价",
    ]);
    const [en] = records(
      [hazard({ events: [{ at: sh("2026-11-25T23:59"), action: "something_new", fromStatus: "new", toStatus: "new" }] })],
      "en",
    ).rows;
    expect(en!.timeline).toBe("2026-11-25 23:59 other");
  });

  it("lists each file with its step, time and hash, named by step as --with-files writes it, or why it is not archived", () => {
    const sha = "ab".repeat(32);
    const files: LedgerCase["files"] = [
      { at: sh("2026-11-25T10:00"), action: "submitted", kind: "photo", status: "archived", sha256: sha, ext: "jpg", reason: null },
      { at: sh("2026-11-25T10:00"), action: "submitted", kind: "video", status: "unavailable", sha256: null, ext: null, reason: "too_big" },
      { at: sh("2026-11-27T15:20"), action: "resolved", kind: "photo", status: "pending", sha256: null, ext: null, reason: null },
      { at: sh("2026-11-27T15:20"), action: "resolved", kind: "photo", status: "archived", sha256: sha, ext: null, reason: null },
    ];
    const [row] = records([hazard({ files })]).rows;
    expect(String(row!.files).split("\n")).toEqual([
      `2026-11-25 10:00 群众提交 照片 01-report.jpg sha256:${sha}`,
      "2026-11-25 10:00 群众提交 视频 未存档：文件超过 20 MB，Telegram 不提供下载",
      "2026-11-27 15:20 整改完成 照片 待存档",
      `2026-11-27 15:20 整改完成 照片 04-resolution.jpg sha256:${sha}`,
    ]);
    expect(caseFolderName("YH-20261125-0042")).toBe("YH-20261125-0042");
    expect(caseFolderName("../YH 1")).toBe("___YH_1");
    expect(caseFileName({ action: "progress", kind: "document", ext: "p/df" }, 12)).toBe("12-progress.pdf");
  });

  it("shows whether a reporter was anonymous or named, and nothing that could identify them", () => {
    // Whatever a caller hands in beside the case, only the columns' fields are read.
    const smuggled = { reporterName: "张三", phone: "13800138000", telegramId: 424242, username: "zhangsan" };
    const named = { ...hazard({ anonymous: false, number: "YH-20261125-0043" }), ...smuggled } as LedgerCase;
    const anonymous = { ...hazard(), ...smuggled } as LedgerCase;
    const { rows } = records([anonymous, named]);
    expect(rows.map((r) => r.reporter)).toEqual(["匿名", "实名"]);
    const everything = JSON.stringify(rows);
    for (const identity of ["张三", "13800138000", "424242", "zhangsan"]) expect(everything).not.toContain(identity);
  });

  it("counts a case overdue while worked past its deadline, or finished after it; a rejected one never", () => {
    const due = sh("2026-11-28T17:30");
    expect(isOverdue({ status: "in_progress", dueAt: due }, null, sh("2026-11-28T17:31"))).toBe(true);
    expect(isOverdue({ status: "in_progress", dueAt: due }, null, sh("2026-11-28T17:29"))).toBe(false);
    expect(isOverdue({ status: "closed", dueAt: due }, sh("2026-11-29T09:00"), NOW)).toBe(true);
    expect(isOverdue({ status: "closed", dueAt: due }, sh("2026-11-27T09:00"), NOW)).toBe(false);
    expect(isOverdue({ status: "rejected", dueAt: due }, null, NOW)).toBe(false);
    expect(isOverdue({ status: "assigned", dueAt: null }, null, NOW)).toBe(false);

    // A rectification sent back does not count: the case is being worked again, past its deadline.
    const sentBack = hazard({
      status: "in_progress",
      events: [
        { at: sh("2026-11-27T15:20"), action: "resolved", fromStatus: "in_progress", toStatus: "resolved" },
        { at: sh("2026-11-28T09:05"), action: "sent_back", fromStatus: "resolved", toStatus: "in_progress" },
      ],
    });
    expect(records([sentBack]).rows[0]).toMatchObject({ resolvedAt: "", measures: "", responsible: "", closedAt: "", overdue: "是" });
  });
});

describe("the ledger as CSV", () => {
  const columns: LedgerColumn[] = [
    { key: "number", header: "编号", width: 10, wrap: false },
    { key: "description", header: "情况描述", width: 10, wrap: true },
    { key: "rating", header: "评价", width: 10, wrap: false },
  ];
  const csv = (rows: LedgerCell[][]) => toCsv(columns, rows);

  it("starts with a UTF-8 byte order mark and ends every record with CRLF", () => {
    const text = csv([["YH-1", "有隐患", 4]]);
    expect(Array.from(new TextEncoder().encode(text).slice(0, 3))).toEqual([0xef, 0xbb, 0xbf]);
    expect(text).toBe("\uFEFF编号,情况描述,评价\r\nYH-1,有隐患,4\r\n");
  });

  it("quotes a field with a comma, a quote or a line break, doubling its quotes (RFC 4180)", () => {
    expect(csv([["YH-1", '工地说"马上整改"，但是,没有', null]])).toContain('YH-1,"工地说""马上整改""，但是,没有",\r\n');
    expect(csv([["YH-2", "第一行\r\n第二行\n第三行", 3]])).toContain('YH-2,"第一行\r\n第二行\n第三行",3\r\n');
  });

  it.each(['=HYPERLINK("http://evil","x")', "+1+1", "-2+3", "@SUM(A1)", "\t=1", "\r=1"])(
    "keeps a spreadsheet from reading %j as a formula",
    (text) => {
      const line = csv([["YH-1", text, null]]).split("\r\n")[1]!;
      expect(line.startsWith("YH-1,'") || line.startsWith("YH-1,\"'")).toBe(true);
    },
  );

  it("leaves ordinary text and numbers as they are", () => {
    expect(csv([["YH-1", "一般隐患 - 已处理", 5]]).split("\r\n")[1]).toBe("YH-1,一般隐患 - 已处理,5");
  });
});

describe("the ledger as XLSX", () => {
  it("reads back as a spreadsheet: the header, then each case, text as written and numbers as numbers", async () => {
    const { columns, rows } = buildLedger([hazard({ description: "=1+1 居然有人这样写" })], {
      t: translator("zh-CN"),
      locale: "zh-CN",
      timeZone: TZ,
      now: NOW,
    });
    const bytes = await toXlsx(columns, rows, "事项台账");
    const [sheet] = await readXlsxFile(Buffer.from(bytes));
    expect(sheet!.sheet).toBe("事项台账");
    expect(sheet!.data[0]).toEqual(columns.map((c) => c.header));
    const back = sheet!.data[1]!;
    const at = (key: string) => back[columns.findIndex((c) => c.key === key)];
    expect(at("number")).toBe("YH-20261125-0042");
    // A string cell, never a formula: no guard needed, the citizen's words kept exactly.
    expect(at("description")).toBe("=1+1 居然有人这样写");
    expect(at("rating")).toBe(5);
    expect(at("timeline")).toBe(rows[0]![columns.findIndex((c) => c.key === "timeline")]);
  });

  it("cuts a cell at Excel's 32,767 characters rather than writing a file Excel must repair", async () => {
    const columns: LedgerColumn[] = [{ key: "description", header: "情况描述", width: 50, wrap: true }];
    const [sheet] = await readXlsxFile(Buffer.from(await toXlsx(columns, [["字".repeat(40_000)]])));
    expect(String(sheet!.data[1]![0]).length).toBe(32_767);
  });
});
