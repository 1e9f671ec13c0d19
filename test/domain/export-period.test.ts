/** The periods /export understands, cut at the office's midnight, and what it refuses. */
import { describe, expect, it } from "vitest";
import { exportPeriodBetween, parseExportPeriod } from "../../src/domain/export-period";

const TZ = "Asia/Shanghai";
const sh = (local: string) => Date.parse(`${local}:00+08:00`);
// A Wednesday afternoon in the second month of the fourth quarter.
const NOW = sh("2026-11-25T15:00");

const period = (input: string, now = NOW, tz = TZ) => {
  const result = parseExportPeriod(input, now, tz);
  if (!result.ok) throw new Error(`refused ${input}: ${result.problem}`);
  return result.period;
};

describe("the export period", () => {
  it("is this month so far when none is given, or when asked for 'month'", () => {
    const expected = { from: sh("2026-11-01T00:00"), to: sh("2026-11-26T00:00"), first: "2026-11-01", last: "2026-11-25" };
    expect(period("")).toEqual(expected);
    expect(period("  Month ")).toEqual(expected);
  });

  it("starts the week on Monday and the quarter on its first month", () => {
    expect(period("week")).toMatchObject({ first: "2026-11-23", last: "2026-11-25", from: sh("2026-11-23T00:00") });
    expect(period("week", sh("2026-11-23T00:00"))).toMatchObject({ first: "2026-11-23", last: "2026-11-23" });
    expect(period("week", sh("2026-11-29T23:59"))).toMatchObject({ first: "2026-11-23", last: "2026-11-29" });
    expect(period("quarter")).toMatchObject({ first: "2026-10-01", last: "2026-11-25" });
    expect(period("quarter", sh("2026-03-31T12:00"))).toMatchObject({ first: "2026-01-01", last: "2026-03-31" });
  });

  it("takes a whole month, December and February included", () => {
    expect(period("2026-11")).toEqual({ from: sh("2026-11-01T00:00"), to: sh("2026-12-01T00:00"), first: "2026-11-01", last: "2026-11-30" });
    expect(period("2026-12")).toMatchObject({ last: "2026-12-31", to: sh("2027-01-01T00:00") });
    expect(period("2028-02")).toMatchObject({ last: "2028-02-29" });
    expect(period("2026年2月")).toMatchObject({ first: "2026-02-01", last: "2026-02-28" });
  });

  it("takes two dates with both days included, however they are written, and one date as one day", () => {
    const expected = { from: sh("2026-11-01T00:00"), to: sh("2026-11-16T00:00"), first: "2026-11-01", last: "2026-11-15" };
    for (const input of [
      "2026-11-01 2026-11-15",
      "2026/11/1 ~ 2026/11/15",
      "2026-11-01..2026-11-15",
      "2026-11-01 - 2026-11-15",
      "2026年11月1日至2026年11月15日",
      "２０２６-１１-０１　２０２６-１１-１５",
    ]) {
      expect(period(input), input).toEqual(expected);
    }
    expect(period("2026-11-05")).toEqual({ from: sh("2026-11-05T00:00"), to: sh("2026-11-06T00:00"), first: "2026-11-05", last: "2026-11-05" });
  });

  it("cuts days at the office's midnight, not the machine's or UTC's", () => {
    // 2026-11-01 00:00 in Shanghai is 2026-10-31 16:00 UTC.
    expect(period("2026-11").from).toBe(Date.parse("2026-10-31T16:00:00Z"));
    // New York leaves daylight saving on 2026-11-01: that day has 25 hours.
    expect(period("2026-11-01", NOW, "America/New_York")).toMatchObject({
      from: Date.parse("2026-11-01T04:00:00Z"),
      to: Date.parse("2026-11-02T05:00:00Z"),
    });
    // Just after midnight in Shanghai it is already the next month there, though not in UTC.
    expect(period("", sh("2026-12-01T00:30"))).toMatchObject({ first: "2026-12-01", last: "2026-12-01" });
  });

  it.each(["yesterday", "2026-13", "2026-02-30", "2026-11-01 2026-11-40", "2026-11-01 2026-11-02 2026-11-03", "11/2026"])(
    "refuses %j as unreadable",
    (input) => {
      expect(parseExportPeriod(input, NOW, TZ)).toEqual({ ok: false, problem: "unreadable" });
    },
  );

  it("refuses a period that ends before it starts", () => {
    expect(parseExportPeriod("2026-11-15 2026-11-01", NOW, TZ)).toEqual({ ok: false, problem: "reversed" });
    expect(exportPeriodBetween("2026-11-15", "2026-11-01", TZ)).toEqual({ ok: false, problem: "reversed" });
  });

  it("gives the script's --from and --to the same inclusive meaning", () => {
    expect(exportPeriodBetween("2026-11-01", "2026-11-30", TZ)).toEqual({ ok: true, period: period("2026-11") });
    expect(exportPeriodBetween("2026-11-01", "soon", TZ)).toEqual({ ok: false, problem: "unreadable" });
  });
});
