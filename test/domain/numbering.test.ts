import { describe, expect, it } from "vitest";
import { CASE_PREFIXES, type CaseKind, counterScope, formatCaseNumber, officeDate, parseCaseNumber } from "../../src/domain/numbering";

const SHANGHAI = "Asia/Shanghai";
const ms = (iso: string) => Date.parse(iso);

describe("officeDate", () => {
  it("midnight in Shanghai (16:00 UTC the day before) is already the new day", () => {
    expect(officeDate(ms("2026-11-24T16:00:00.000Z"), SHANGHAI)).toBe("20261125");
  });

  it("one millisecond before midnight in Shanghai is still the old day", () => {
    expect(officeDate(ms("2026-11-24T15:59:59.999Z"), SHANGHAI)).toBe("20261124");
  });

  it("late evening UTC is the next morning in Shanghai", () => {
    expect(officeDate(ms("2026-12-31T23:30:00Z"), SHANGHAI)).toBe("20270101");
    expect(officeDate(ms("2026-12-31T23:30:00Z"), "UTC")).toBe("20261231");
  });

  it("the same instant has different dates in different zones", () => {
    const at = ms("2026-03-01T05:00:00Z");
    expect(officeDate(at, "Pacific/Kiritimati")).toBe("20260301"); // UTC+14
    expect(officeDate(at, "Pacific/Pago_Pago")).toBe("20260228"); // UTC-11
    expect(officeDate(at, "America/Los_Angeles")).toBe("20260228"); // UTC-8
  });

  it("follows daylight saving time in zones that have it", () => {
    // New York is UTC-4 in July: 03:59 UTC is still the previous evening.
    expect(officeDate(ms("2026-07-04T03:59:00Z"), "America/New_York")).toBe("20260703");
    expect(officeDate(ms("2026-07-04T04:00:00Z"), "America/New_York")).toBe("20260704");
  });

  it("handles zones with non-hour offsets", () => {
    // Kathmandu is UTC+5:45.
    expect(officeDate(ms("2026-11-24T18:14:00Z"), "Asia/Kathmandu")).toBe("20261124");
    expect(officeDate(ms("2026-11-24T18:15:00Z"), "Asia/Kathmandu")).toBe("20261125");
  });

  it("knows 29 February in a leap year", () => {
    expect(officeDate(ms("2028-02-28T16:00:00Z"), SHANGHAI)).toBe("20280229");
  });

  it("zero-pads month and day", () => {
    expect(officeDate(ms("2026-01-05T04:00:00Z"), SHANGHAI)).toBe("20260105");
  });

  it("throws RangeError for an unknown time zone", () => {
    expect(() => officeDate(0, "Mars/Olympus_Mons")).toThrow(RangeError);
  });

  it("throws RangeError for an invalid instant", () => {
    expect(() => officeDate(Number.NaN, SHANGHAI)).toThrow(RangeError);
  });
});

describe("counterScope", () => {
  const at = ms("2026-11-24T16:30:00Z");

  it.each([
    ["hazard", "YH-20261125"],
    ["violation", "YH-20261125"],
    ["consultation", "ZX-20261125"],
    ["task", "RW-20261125"],
  ] as Array<[CaseKind, string]>)("scopes a %s made just after midnight in Shanghai as %s", (kind, scope) => {
    expect(counterScope(kind, at, SHANGHAI)).toBe(scope);
  });

  it("hazards and violations share one daily sequence", () => {
    expect(counterScope("hazard", at, SHANGHAI)).toBe(counterScope("violation", at, SHANGHAI));
    expect(CASE_PREFIXES.hazard).toBe(CASE_PREFIXES.violation);
  });

  it("a new office day starts a new scope", () => {
    expect(counterScope("hazard", ms("2026-11-25T15:59:59Z"), SHANGHAI)).toBe("YH-20261125");
    expect(counterScope("hazard", ms("2026-11-25T16:00:00Z"), SHANGHAI)).toBe("YH-20261126");
  });
});

describe("formatCaseNumber", () => {
  it.each([
    [1, "YH-20261125-0001"],
    [42, "YH-20261125-0042"],
    [9999, "YH-20261125-9999"],
    [10000, "YH-20261125-10000"],
    [12345, "YH-20261125-12345"],
  ])("numbers sequence %i as %s", (seq, expected) => {
    expect(formatCaseNumber("YH-20261125", seq)).toBe(expected);
  });

  it("formats consultations the same way", () => {
    expect(formatCaseNumber("ZX-20261125", 7)).toBe("ZX-20261125-0007");
  });

  it.each([0, -1, 1.5, Number.NaN, Number.POSITIVE_INFINITY])("refuses sequence %s", (seq) => {
    expect(() => formatCaseNumber("YH-20261125", seq)).toThrow(RangeError);
  });
});

describe("parseCaseNumber", () => {
  it.each([
    ["YH-20261125-0042", "YH-20261125-0042"],
    ["  YH-20261125-0042 \n", "YH-20261125-0042"],
    ["yh-20261125-0042", "YH-20261125-0042"],
    ["ＹＨ－２０２６１１２５－００４２", "YH-20261125-0042"],
    ["ｙｈ２０２６１１２５００４２", "YH-20261125-0042"],
    ["yh 20261125 42", "YH-20261125-0042"],
    ["YH 20261125-42", "YH-20261125-0042"],
    ["YH—20261125—0042", "YH-20261125-0042"],
    ["YH–20261125–0042", "YH-20261125-0042"],
    ["YH\u221220261125\u22120042", "YH-20261125-0042"],
    ["YH_20261125_0042", "YH-20261125-0042"],
    ["YH\u300020261125\u30000042", "YH-20261125-0042"],
    ["YH-2026-11-25-0042", "YH-20261125-0042"],
    ["YH 2026 11 25 42", "YH-20261125-0042"],
    ["YH2026112500042", "YH-20261125-0042"],
    ["YH202611250042", "YH-20261125-0042"],
    ["YH2026112542", "YH-20261125-0042"],
    ["YH202611251", "YH-20261125-0001"],
    ["YH-20261125-000042", "YH-20261125-0042"],
    ["YH-20261125-12345", "YH-20261125-12345"],
    ["YH-20261125-123456", "YH-20261125-123456"],
    ["zx-20261125-7", "ZX-20261125-0007"],
    ["rw20261125 3", "RW-20261125-0003"],
    ["YH-20280229-0001", "YH-20280229-0001"],
    ["YH-20000229-0001", "YH-20000229-0001"],
  ])("reads %j as %s", (input, expected) => {
    expect(parseCaseNumber(input)).toBe(expected);
  });

  it.each([
    ["an empty string", ""],
    ["a prefix alone", "YH"],
    ["no prefix", "20261125-0042"],
    ["an unknown prefix", "AB-20261125-0042"],
    ["no sequence", "YH-20261125"],
    ["a sequence of zero", "YH-20261125-0000"],
    ["a seven-digit sequence", "YH-20261125-1234567"],
    ["a six-digit date", "YH-261125-0042"],
    ["a seven-digit date split from the sequence", "YH-2026112-542"],
    ["a date group split in the wrong place", "YH-202611-250042"],
    ["a dashed date run into the sequence", "YH-2026-11-2542"],
    ["a date only partly dashed", "YH-2026-1125-0042"],
    ["month 13", "YH-20261325-0042"],
    ["month 00", "YH-20260025-0042"],
    ["day 00", "YH-20261100-0042"],
    ["31 November", "YH-20261131-0042"],
    ["29 February in a common year", "YH-20260229-0001"],
    ["29 February in 1900", "YH-19000229-0001"],
    ["letters in the sequence", "YH-20261125-00A2"],
    ["text around the number", "编号YH-20261125-0042"],
    ["a trailing word", "YH-20261125-0042 thanks"],
    ["a dot as separator", "YH.20261125.0042"],
  ])("rejects %s", (_what, input) => {
    expect(parseCaseNumber(input)).toBeNull();
  });

  it("reads back what formatCaseNumber wrote", () => {
    for (const seq of [1, 42, 9999, 10000, 999999]) {
      const n = formatCaseNumber("ZX-20261125", seq);
      expect(parseCaseNumber(n)).toBe(n);
    }
  });
});
