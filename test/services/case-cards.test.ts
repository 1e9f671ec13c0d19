import { describe, expect, it } from "vitest";
import type { LedgerEntry } from "../../db/queries/case-events";
import type { CaseCardData } from "../../db/queries/staff-cases";
import { translator } from "../../src/i18n";
import { cardKeyboard, clip, fitMessage, refusalText, renderCard, renderLedger } from "../../src/services/case-cards";

const longest = "字".repeat(4000);
const card = (overrides: Partial<CaseCardData["row"]> = {}): CaseCardData =>
  ({
    row: {
      id: 1,
      number: "YH-20261125-0001",
      kind: "hazard",
      status: "assigned",
      severity: "urgent",
      supervision: "listed",
      unitId: "u",
      regionId: null,
      sectorId: null,
      latitude: 30.00123,
      longitude: 120.1,
      address: "工业路 18 号",
      description: longest,
      anonymous: true,
      dueAt: Date.parse("2026-12-01T09:30:00Z"),
      version: 3,
      pendingTransfer: { toUnitId: "v", reason: longest, byMemberId: 1 },
      pendingExtension: { until: Date.parse("2026-12-20T09:30:00Z"), reason: "😀".repeat(3000), byMemberId: 1 },
      mergedInto: null,
      ...overrides,
    },
    sector: null,
    region: null,
    unit: { nameZh: "城关镇安监站", nameEn: "Chengguan Station" },
    transferUnit: null,
    attachments: 2,
    reporter: null,
    duplicates: ["YH-20261120-0003"],
    mergedInto: null,
  }) as unknown as CaseCardData;

describe("the staff card", () => {
  it("stays within one Telegram message however long the description and reasons are", () => {
    const text = renderCard(translator("zh-CN"), "zh-CN", "Asia/Shanghai", card(), "card-header-current");
    expect(text.length).toBeLessThanOrEqual(4096);
    expect(text).toContain("举报人：匿名");
    expect(text).toContain("办理期限：2026-12-01 17:30");
    expect(text).not.toMatch(/[\uD800-\uDBFF]$|[\uD800-\uDBFF](?![\uDC00-\uDFFF])/); // no half emoji
  });

  it("carries only opaque references of at most 64 bytes on its buttons", () => {
    for (const audience of ["dispatcher", "unit", "transfer-target"] as const) {
      for (const b of cardKeyboard(translator("en"), card(), audience).inline_keyboard.flat()) {
        const data = (b as { callback_data: string }).callback_data;
        expect(new TextEncoder().encode(data).length).toBeLessThanOrEqual(64);
        expect(data).toMatch(/^c:1:3:[a-z]+$/);
      }
    }
  });

  it("clip and fitMessage never split a character", () => {
    expect(clip("😀😀😀", 2)).toBe("😀…");
    expect(fitMessage("😀".repeat(3000), 4096).length).toBeLessThanOrEqual(4096);
    expect(fitMessage("ok")).toBe("ok");
  });
});

describe("the staff ledger", () => {
  const at = Date.parse("2026-11-25T02:00:00Z");
  it("names each event in the reader's language, with what was written, and a row it cannot read as other", () => {
    const entries: LedgerEntry[] = [
      { at, actorKind: "citizen", memberName: null, event: { action: "submitted", data: {} } },
      { at, actorKind: "member", memberName: "王调度", event: { action: "rejected", data: { reason: "不属于安全生产监管范围" } } },
      { at, actorKind: "system", memberName: null, event: null },
    ];
    expect(renderLedger(translator("zh-CN"), "Asia/Shanghai", entries).split("\n")).toEqual([
      "办理记录：",
      "2026-11-25 10:00 · 群众提交",
      "2026-11-25 10:00 · 不予受理 · 王调度：不属于安全生产监管范围",
      "2026-11-25 10:00 · 其他操作 · 系统",
    ]);
    expect(renderLedger(translator("en"), "Asia/Shanghai", entries)).toContain("2026-11-25 10:00 · other · system");
  });

  it("cuts what was written short under a card, and keeps every word in full", () => {
    const measures = "已拆除违规搭建的彩钢棚，".repeat(10);
    const entries: LedgerEntry[] = [
      { at, actorKind: "member", memberName: "甲", event: { action: "resolved", data: { measures, responsible: "站长 张某", evidence: 2 } } },
    ];
    const short = renderLedger(translator("zh-CN"), "Asia/Shanghai", entries);
    expect(short).toContain("…");
    expect(short).not.toContain("站长 张某");
    expect(renderLedger(translator("zh-CN"), "Asia/Shanghai", entries, { full: true })).toContain(`措施：${measures}；责任人：站长 张某`);
  });
});

describe("a refusal", () => {
  it("names the field at fault by its locale name, in Chinese and in English, never by its name in code", () => {
    const refusal = { code: "CASE.INVALID" as const, field: "reason" as const };
    expect(refusalText(translator("zh-CN"), refusal)).toBe("填写的内容不符合要求：理由");
    expect(refusalText(translator("en"), refusal)).toBe("That input is not acceptable: Reason");
    expect(refusalText(translator("zh-CN"), { code: "CASE.INVALID", field: "ofCaseOpen" })).not.toContain("ofCaseOpen");
  });

  it("says the code's sentence when it names no field", () => {
    expect(refusalText(translator("zh-CN"), { code: "CASE.EXTENSION_PENDING" })).toBe("已有延期申请在等待处理。");
    expect(refusalText(translator("en"), { code: "CASE.UNKNOWN_UNIT" })).toBe("There is no such unit; please choose one from the list again.");
  });
});
