import { describe, expect, it } from "vitest";
import { defaultCalendar } from "../../src/domain/calendar";
import { parseOfficeDate, zonedTime, zoneOffsetMinutes } from "../../src/domain/office-time";

const CLOSE = defaultCalendar().workHours.end; // 17:30

describe("office time", () => {
  it("knows Shanghai is UTC+8 all year", () => {
    expect(zoneOffsetMinutes(Date.parse("2026-01-15T00:00:00Z"), "Asia/Shanghai")).toBe(480);
    expect(zoneOffsetMinutes(Date.parse("2026-07-15T00:00:00Z"), "Asia/Shanghai")).toBe(480);
  });

  it("reads a typed date as the end of that office day in the office's zone", () => {
    expect(parseOfficeDate("2026-12-10", "Asia/Shanghai", CLOSE)).toBe(Date.parse("2026-12-10T09:30:00Z"));
    expect(parseOfficeDate("2026年12月10日", "Asia/Shanghai", CLOSE)).toBe(Date.parse("2026-12-10T09:30:00Z"));
    expect(parseOfficeDate("２０２６/１２/１０", "Asia/Shanghai", CLOSE)).toBe(Date.parse("2026-12-10T09:30:00Z"));
  });

  it("ends a typed date at the close of day it is given, the office's own, not a fixed 17:30", () => {
    expect(parseOfficeDate("2026-12-10", "Asia/Shanghai", [18, 0])).toBe(Date.parse("2026-12-10T10:00:00Z"));
    expect(parseOfficeDate("2026-12-10", "Asia/Shanghai", [16, 45])).toBe(Date.parse("2026-12-10T08:45:00Z"));
    // A Saturday is read the same way: the day typed, at the office's close.
    expect(parseOfficeDate("2026-12-12", "Asia/Shanghai", [18, 0])).toBe(Date.parse("2026-12-12T10:00:00Z"));
  });

  it("is right across a DST change in a zone that has one", () => {
    // New York: EST (UTC-5) until 2026-03-08, EDT (UTC-4) after.
    expect(zonedTime(2026, 3, 7, 17, 30, "America/New_York")).toBe(Date.parse("2026-03-07T22:30:00Z"));
    expect(zonedTime(2026, 3, 9, 17, 30, "America/New_York")).toBe(Date.parse("2026-03-09T21:30:00Z"));
  });

  it.each(["2026-02-30", "2026-13-01", "tomorrow", "10/12/2026", ""])("refuses %j", (input) => {
    expect(parseOfficeDate(input, "Asia/Shanghai", CLOSE)).toBeNull();
  });
});
