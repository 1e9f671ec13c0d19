import { describe, expect, it } from "vitest";
import { defaultCalendar } from "../../src/domain/calendar";
import { formatOfficeTime } from "../../src/domain/office-time";
import { decideSlot, latestSlot, nextSendTime, parsePattern, type RecurringSchedule, sendTimeOf, shiftedTime } from "../../src/domain/recurring";

const cal = defaultCalendar();
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const weekly = (over: Partial<RecurringSchedule> = {}): RecurringSchedule => ({
  cron: "0 15 * * 5",
  timeZone: "Asia/Shanghai",
  holidays: "skip",
  createdAt: sh("2026-09-01T09:00"),
  lastSlot: null,
  ...over,
});

describe("patterns", () => {
  it("take five fields that run at least once, in the schedule's zone", () => {
    expect(parsePattern("0 15 * * 5", "Asia/Shanghai")).not.toBeNull();
    expect(parsePattern("0 9 25 * *", "Asia/Shanghai")).not.toBeNull();
    for (const bad of ["", "0 15 * *", "0 0 15 * * 5", "61 15 * * 5", "0 0 30 2 *", "@weekly", "0 15 * * 8"]) {
      expect(parsePattern(bad, "Asia/Shanghai"), bad).toBeNull();
    }
  });

  it("give the latest slot at or before a moment", () => {
    const cron = parsePattern("0 15 * * 5", "Asia/Shanghai")!;
    expect(latestSlot(cron, sh("2026-11-27T15:00"))).toBe(sh("2026-11-27T15:00"));
    expect(latestSlot(cron, sh("2026-11-27T14:59"))).toBe(sh("2026-11-20T15:00"));
  });
});

describe("a slot's decision", () => {
  it("is the latest new slot, once", () => {
    expect(decideSlot(cal, weekly(), sh("2026-11-27T15:00"))).toEqual({ slot: sh("2026-11-27T15:00"), send: true, sendAt: sh("2026-11-27T15:00") });
    expect(decideSlot(cal, weekly({ lastSlot: sh("2026-11-27T15:00") }), sh("2026-11-27T16:00"))).toBeNull();
    expect(decideSlot(cal, weekly({ createdAt: sh("2026-11-27T15:30") }), sh("2026-11-27T16:00"))).toBeNull();
  });

  it("on a day off: dropped, moved to the next working day, or sent anyway", () => {
    const holiday = sh("2026-10-02T15:00");
    expect(decideSlot(cal, weekly(), holiday)).toEqual({ slot: holiday, send: false });
    expect(decideSlot(cal, weekly({ holidays: "fire" }), holiday)).toEqual({ slot: holiday, send: true, sendAt: holiday });
    expect(decideSlot(cal, weekly({ holidays: "shift" }), sh("2026-10-08T14:59"))).toBeNull();
    expect(decideSlot(cal, weekly({ holidays: "shift" }), sh("2026-10-08T15:00"))).toEqual({
      slot: holiday,
      send: true,
      sendAt: sh("2026-10-08T15:00"),
    });
    expect(nextSendTime(cal, weekly({ holidays: "shift" }), sh("2026-10-03T10:00"))).toBe(sh("2026-10-08T15:00"));
    expect(nextSendTime(cal, weekly(), sh("2026-09-30T10:00"))).toBe(sh("2026-10-09T15:00"));
  });

  it("a make-up working day counts as a working day", () => {
    // Saturday 2026-10-10 is worked in exchange for the National Day holiday.
    expect(sendTimeOf(cal, { timeZone: "Asia/Shanghai", holidays: "skip" }, sh("2026-10-10T09:00"))).toBe(sh("2026-10-10T09:00"));
    expect(sendTimeOf(cal, { timeZone: "Asia/Shanghai", holidays: "skip" }, sh("2026-10-11T09:00"))).toBeNull();
  });

  it("keeps the wall-clock time when a shift crosses a DST change", () => {
    const ny = { ...defaultCalendar("America/New_York"), overrides: { workdays: [], holidays: [] } };
    // Saturday 2026-03-07 09:00 EST → Monday 2026-03-09 09:00 EDT (the clocks went forward on the 8th).
    const slot = Date.parse("2026-03-07T14:00:00Z");
    const moved = shiftedTime(ny, slot, "America/New_York");
    expect(formatOfficeTime(moved, "America/New_York")).toBe("2026-03-09 09:00");
    expect(moved).toBe(Date.parse("2026-03-09T13:00:00Z"));
  });
});
