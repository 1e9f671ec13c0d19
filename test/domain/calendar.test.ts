import { execFileSync } from "node:child_process";
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import {
  addCalendarDays,
  addDays,
  addWorkingDays,
  addWorkingHours,
  addWorkingTime,
  calendarProblems,
  calendarWarning,
  coveredYears,
  defaultCalendar,
  isWorkday,
  isWorkingMoment,
  nextWorkingMoment,
  type OfficeCalendar,
  officeDate,
  officeDayMs,
  subtractWorkingTime,
  workingTimeBetween,
} from "../../src/domain/calendar";

const cal = defaultCalendar();
/** A Shanghai wall-clock time as an instant: sh("2026-02-13T10:00"). */
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const HOUR = 3_600_000;
const withOverrides = (workdays: string[], holidays: string[]): OfficeCalendar => ({ ...cal, overrides: { workdays, holidays } });

describe("working days in 2026 (chinese-days 1.5.7, State Council schedule)", () => {
  // 国务院办公厅关于2026年部分节假日安排的通知
  const holidays: Array<[string, string, string]> = [
    ["元旦", "2026-01-01", "2026-01-03"],
    ["春节", "2026-02-15", "2026-02-23"],
    ["清明节", "2026-04-04", "2026-04-06"],
    ["劳动节", "2026-05-01", "2026-05-05"],
    ["端午节", "2026-06-19", "2026-06-21"],
    ["中秋节", "2026-09-25", "2026-09-27"],
    ["国庆节", "2026-10-01", "2026-10-07"],
  ];
  it.each(holidays)("%s: %s to %s are days off", (_name, from, to) => {
    for (let d = from; d <= to; d = addDays(d, 1)) expect(isWorkday(cal, d), d).toBe(false);
    expect(isWorkday(cal, addDays(from, -1)) || isWorkday(cal, addDays(to, 1))).toBe(true);
  });

  // 调休: the Saturdays and Sundays worked to make the long holidays.
  it.each([
    ["元旦", "2026-01-04", 0],
    ["春节", "2026-02-14", 6],
    ["春节", "2026-02-28", 6],
    ["劳动节", "2026-05-09", 6],
    ["国庆节", "2026-09-20", 0],
    ["国庆节", "2026-10-10", 6],
  ] as const)("%s make-up working day %s is a working day although a weekend", (_name, date, weekday) => {
    expect(new Date(`${date}T00:00:00Z`).getUTCDay()).toBe(weekday);
    expect(isWorkday(cal, date)).toBe(true);
  });

  it("has 248 working days in 2026: 365 - 104 weekend days - 19 weekday holidays + 6 make-up days", () => {
    let count = 0;
    for (let d = "2026-01-01"; d <= "2026-12-31"; d = addDays(d, 1)) if (isWorkday(cal, d)) count++;
    expect(count).toBe(248);
  });

  it("keeps ordinary weekends off and ordinary weekdays on", () => {
    expect(isWorkday(cal, "2026-11-25")).toBe(true); // Wednesday
    expect(isWorkday(cal, "2026-11-28")).toBe(false); // Saturday
    expect(isWorkday(cal, "2026-11-29")).toBe(false); // Sunday
  });

  it.each(["2026-2-14", "2026-02-30", "tomorrow", ""])("refuses the date %j", (date) => {
    expect(() => isWorkday(cal, date)).toThrow(RangeError);
  });
});

describe("the office's overrides", () => {
  it("win over the package and over weekends", () => {
    const office = withOverrides(["2026-10-02", "2026-11-28"], ["2026-10-10", "2026-11-25"]);
    expect(isWorkday(office, "2026-10-02")).toBe(true); // a National Day holiday the office works
    expect(isWorkday(office, "2026-10-10")).toBe(false); // a make-up Saturday the office does not
    expect(isWorkday(office, "2026-11-28")).toBe(true); // an ordinary Saturday
    expect(isWorkday(office, "2026-11-25")).toBe(false); // an ordinary Wednesday
  });

  it("move deadlines", () => {
    // Friday 2026-11-27: one working day is Monday, unless the office works Saturday.
    expect(addWorkingDays(cal, sh("2026-11-27T10:00"), 1)).toBe(sh("2026-11-30T17:30"));
    expect(addWorkingDays(withOverrides(["2026-11-28"], []), sh("2026-11-27T10:00"), 1)).toBe(sh("2026-11-28T17:30"));
    expect(addWorkingDays(withOverrides([], ["2026-11-30"]), sh("2026-11-27T10:00"), 1)).toBe(sh("2026-12-01T17:30"));
  });

  it("treat a date listed both ways as a holiday, and the settings check says so", () => {
    const office = withOverrides(["2026-11-28"], ["2026-11-28"]);
    expect(isWorkday(office, "2026-11-28")).toBe(false);
    expect(calendarProblems(office)).toEqual(["override 2026-11-28 is both a workday and a holiday (holiday wins)"]);
  });
});

describe("deadlines in working days", () => {
  it("end at close of office on the Nth working day after the day of receipt", () => {
    expect(addWorkingDays(cal, sh("2026-11-25T10:00"), 1)).toBe(sh("2026-11-26T17:30"));
    expect(addWorkingDays(cal, sh("2026-11-25T20:00"), 1)).toBe(sh("2026-11-26T17:30"));
    expect(addWorkingDays(cal, sh("2026-11-25T07:00"), 1)).toBe(sh("2026-11-26T17:30"));
    expect(addWorkingDays(cal, sh("2026-11-28T10:00"), 1)).toBe(sh("2026-11-30T17:30")); // received Saturday
  });

  it("count 0 as today's close on a working day, else the next working day's", () => {
    expect(addWorkingDays(cal, sh("2026-11-25T10:00"), 0)).toBe(sh("2026-11-25T17:30"));
    expect(addWorkingDays(cal, sh("2026-11-28T10:00"), 0)).toBe(sh("2026-11-30T17:30"));
  });

  it("skip Spring Festival and count its make-up Saturdays", () => {
    const received = sh("2026-02-13T10:00"); // Friday before the holiday
    expect(addWorkingDays(cal, received, 1)).toBe(sh("2026-02-14T17:30")); // make-up Saturday
    expect(addWorkingDays(cal, received, 2)).toBe(sh("2026-02-24T17:30")); // first day back
    // 14, 24, 25, 26, 27, 28 (make-up Saturday), Mar 2, 3, 4, 5, 6, 9, 10, 11, 12
    expect(addWorkingDays(cal, received, 15)).toBe(sh("2026-03-12T17:30"));
  });

  it("skip National Day and count its make-up Sunday and Saturday", () => {
    expect(addWorkingDays(cal, sh("2026-09-19T10:00"), 1)).toBe(sh("2026-09-20T17:30")); // make-up Sunday
    // Mid-Autumn (Fri 25 to Sun 27) then National Day (Oct 1 to 7).
    expect(addWorkingDays(cal, sh("2026-09-24T10:00"), 3)).toBe(sh("2026-09-30T17:30"));
    expect(addWorkingDays(cal, sh("2026-09-30T16:00"), 1)).toBe(sh("2026-10-08T17:30"));
    expect(addWorkingDays(cal, sh("2026-09-30T16:00"), 3)).toBe(sh("2026-10-10T17:30")); // make-up Saturday
  });

  it("refuse a negative or fractional count", () => {
    expect(() => addWorkingDays(cal, sh("2026-11-25T10:00"), -1)).toThrow(RangeError);
    expect(() => addWorkingDays(cal, sh("2026-11-25T10:00"), 1.5)).toThrow(RangeError);
  });
});

describe("deadlines in calendar days", () => {
  it("end at close on the Nth day, moved to the next working day when that is a day off", () => {
    expect(addCalendarDays(cal, sh("2026-11-02T10:00"), 10)).toBe(sh("2026-11-12T17:30"));
    expect(addCalendarDays(cal, sh("2026-11-18T10:00"), 10)).toBe(sh("2026-11-30T17:30")); // Saturday 28th
    expect(addCalendarDays(cal, sh("2026-09-24T10:00"), 10)).toBe(sh("2026-10-08T17:30")); // Oct 4, National Day
  });
});

describe("working hours", () => {
  it("count only office hours: across lunch, night, weekend and holiday", () => {
    expect(addWorkingHours(cal, sh("2026-11-25T09:00"), 2)).toBe(sh("2026-11-25T11:00"));
    expect(addWorkingHours(cal, sh("2026-11-25T11:00"), 2)).toBe(sh("2026-11-25T15:00")); // lunch 12:00-14:00
    expect(addWorkingHours(cal, sh("2026-11-25T17:00"), 1)).toBe(sh("2026-11-26T09:00")); // night
    expect(addWorkingHours(cal, sh("2026-11-27T17:00"), 2)).toBe(sh("2026-11-30T10:00")); // weekend
    expect(addWorkingHours(cal, sh("2026-09-30T16:00"), 2)).toBe(sh("2026-10-08T09:00")); // National Day
    expect(addWorkingHours(cal, sh("2026-11-25T08:30"), 7)).toBe(sh("2026-11-25T17:30")); // a full day
  });

  it("start outside office hours at the next opening", () => {
    expect(addWorkingHours(cal, sh("2026-11-25T06:00"), 1)).toBe(sh("2026-11-25T09:30"));
    expect(addWorkingHours(cal, sh("2026-11-25T12:30"), 1)).toBe(sh("2026-11-25T15:00"));
    expect(addWorkingHours(cal, sh("2026-11-28T10:00"), 1)).toBe(sh("2026-11-30T09:30")); // Saturday
    expect(addWorkingHours(cal, sh("2026-02-15T10:00"), 1)).toBe(sh("2026-02-24T09:30")); // Spring Festival
  });

  it("land on a closing time rather than the next opening", () => {
    expect(addWorkingHours(cal, sh("2026-11-25T15:30"), 2)).toBe(sh("2026-11-25T17:30"));
    expect(addWorkingHours(cal, sh("2026-11-25T10:00"), 2)).toBe(sh("2026-11-25T12:00"));
  });

  it("measure office time between two instants", () => {
    expect(workingTimeBetween(cal, sh("2026-11-25T08:30"), sh("2026-11-25T17:30"))).toBe(7 * HOUR);
    expect(workingTimeBetween(cal, sh("2026-11-25T11:00"), sh("2026-11-25T15:00"))).toBe(2 * HOUR);
    expect(workingTimeBetween(cal, sh("2026-11-27T17:00"), sh("2026-11-30T09:00"))).toBe(1 * HOUR);
    expect(workingTimeBetween(cal, sh("2026-09-30T00:00"), sh("2026-10-09T00:00"))).toBe(14 * HOUR);
    expect(workingTimeBetween(cal, sh("2026-11-25T15:00"), sh("2026-11-25T11:00"))).toBe(0);
    expect(officeDayMs(cal)).toBe(7 * HOUR);
  });

  it("find the next working moment", () => {
    expect(nextWorkingMoment(cal, sh("2026-11-25T10:00"))).toBe(sh("2026-11-25T10:00"));
    expect(nextWorkingMoment(cal, sh("2026-11-25T12:00"))).toBe(sh("2026-11-25T14:00"));
    expect(nextWorkingMoment(cal, sh("2026-11-25T17:30"))).toBe(sh("2026-11-26T08:30"));
    expect(nextWorkingMoment(cal, sh("2026-11-28T10:00"))).toBe(sh("2026-11-30T08:30"));
    expect(isWorkingMoment(cal, sh("2026-11-25T08:30"))).toBe(true);
    expect(isWorkingMoment(cal, sh("2026-11-25T17:30"))).toBe(false);
    expect(isWorkingMoment(cal, sh("2026-10-10T10:00"))).toBe(true); // make-up Saturday
  });

  it("subtract office time backwards", () => {
    expect(subtractWorkingTime(cal, sh("2026-11-25T17:30"), 2 * HOUR)).toBe(sh("2026-11-25T15:30"));
    expect(subtractWorkingTime(cal, sh("2026-11-25T15:00"), 2 * HOUR)).toBe(sh("2026-11-25T11:00"));
    expect(subtractWorkingTime(cal, sh("2026-11-30T09:00"), 2 * HOUR)).toBe(sh("2026-11-27T16:00"));
  });

  it("agree with each other for any start and amount in 2026", () => {
    const start = Date.parse("2026-01-01T00:00:00+08:00");
    fc.assert(
      fc.property(fc.integer({ min: 0, max: 364 * 24 * 60 }), fc.integer({ min: 0, max: 40 * 60 }), (startMinute, minutes) => {
        const from = start + startMinute * 60_000;
        const ms = minutes * 60_000;
        const to = addWorkingTime(cal, from, ms);
        expect(workingTimeBetween(cal, from, to)).toBe(ms);
        if (ms > 0) expect(subtractWorkingTime(cal, to, ms)).toBe(nextWorkingMoment(cal, from));
      }),
      { numRuns: 150 },
    );
  });
});

describe("coverage of the holiday schedule", () => {
  it("has 2004 to 2026 in chinese-days 1.5.7", () => {
    expect(coveredYears()).toEqual({ from: 2004, to: 2026 });
  });

  it("falls back to Monday-Friday in 2027, so Spring Festival 2027 (Feb 6) would count as working days", () => {
    expect(isWorkday(cal, "2027-02-08")).toBe(true); // Monday
    expect(isWorkday(cal, "2027-02-06")).toBe(false); // Saturday
  });

  it("warns for a year without a schedule, from December of the year before", () => {
    expect(calendarWarning(cal, sh("2026-11-25T10:00"))).toBeNull();
    expect(calendarWarning(cal, sh("2026-12-01T00:00"))).toMatch(/no overrides for 2027; working days in 2027 fall back to Monday-Friday/);
    expect(calendarWarning(cal, sh("2027-03-01T10:00"))).toMatch(/covers 2004-2026/);
    expect(calendarWarning(cal, sh("2027-12-01T10:00"))).toMatch(/for 2027 and 2028/);
  });

  it("uses the office zone to tell the month: 2026-11-30 16:30 UTC is already December in Shanghai", () => {
    expect(calendarWarning(cal, Date.parse("2026-11-30T15:59:00Z"))).toBeNull();
    expect(calendarWarning(cal, Date.parse("2026-11-30T16:00:00Z"))).not.toBeNull();
  });

  it("is silenced by overrides for that year", () => {
    const office = withOverrides(["2027-02-20"], ["2027-02-08", "2027-02-09"]);
    expect(calendarWarning(office, sh("2027-03-01T10:00"))).toBeNull();
    expect(isWorkday(office, "2027-02-08")).toBe(false);
  });
});

describe("a time zone with daylight saving time", () => {
  const ny = defaultCalendar("America/New_York");
  it("keeps office hours on the wall clock across the spring change (2026-03-08)", () => {
    // Friday 17:00 EST (UTC-5) + 1 h → Monday 09:00 EDT (UTC-4).
    expect(addWorkingHours(ny, Date.parse("2026-03-06T22:00:00Z"), 1)).toBe(Date.parse("2026-03-09T13:00:00Z"));
    expect(addWorkingDays(ny, Date.parse("2026-03-06T15:00:00Z"), 1)).toBe(Date.parse("2026-03-09T21:30:00Z"));
    expect(workingTimeBetween(ny, Date.parse("2026-03-06T13:30:00Z"), Date.parse("2026-03-09T21:30:00Z"))).toBe(14 * HOUR);
  });

  it("and across the autumn change (2026-11-01)", () => {
    expect(addWorkingDays(ny, Date.parse("2026-10-30T15:00:00Z"), 1)).toBe(Date.parse("2026-11-02T22:30:00Z"));
    expect(nextWorkingMoment(ny, Date.parse("2026-10-31T15:00:00Z"))).toBe(Date.parse("2026-11-02T13:30:00Z"));
  });

  it("takes the office's date, not UTC's", () => {
    // 2026-11-26 02:00 UTC is Wednesday 21:00 in New York and Thursday 10:00 in Shanghai.
    expect(officeDate(ny, Date.parse("2026-11-26T02:00:00Z"))).toBe("2026-11-25");
    expect(officeDate(cal, Date.parse("2026-11-26T02:00:00Z"))).toBe("2026-11-26");
  });
});

describe("the host's own time zone", () => {
  // chinese-days reads dates with local-time getters; the calendar must not care where it runs.
  it.each(["UTC", "Asia/Shanghai", "America/New_York", "Pacific/Pago_Pago", "Pacific/Kiritimati"])("gives the same answers on a host in %s", (tz) => {
    const script = [
      'import { isWorkday, defaultCalendar, coveredYears } from "./src/domain/calendar";',
      "const cal = defaultCalendar();",
      'const dates = ["2026-02-14", "2026-02-15", "2026-02-23", "2026-02-24", "2026-09-20", "2026-10-07", "2026-10-08", "2026-11-28", "2026-11-30", "2027-01-01"];',
      "console.log(JSON.stringify({ years: coveredYears(), work: dates.map((d) => isWorkday(cal, d)) }));",
    ].join("\n");
    const out = execFileSync(process.execPath, ["--import", "tsx", "--input-type=module", "-e", script], {
      env: { ...process.env, TZ: tz },
      encoding: "utf8",
    });
    expect(JSON.parse(out)).toEqual({ years: { from: 2004, to: 2026 }, work: [true, false, false, true, true, false, true, false, true, true] });
  });
});

describe("calendar settings", () => {
  it("accepts the default and says what is wrong with a broken one", () => {
    expect(calendarProblems(cal)).toEqual([]);
    const broken: OfficeCalendar = {
      timeZone: "Mars/Olympus",
      workHours: { start: [17, 30], end: [8, 30] },
      overrides: { workdays: ["2026-2-1"], holidays: [] },
    };
    expect(calendarProblems(broken)).toEqual([
      'unknown time zone "Mars/Olympus"',
      "work hours are not in order (start <= lunch start <= lunch end <= end)",
      "work hours leave no office time in a day",
      'override "2026-2-1" is not a YYYY-MM-DD date',
    ]);
  });

  it("refuses to loop forever on a calendar without office hours", () => {
    const closed: OfficeCalendar = { ...cal, workHours: { start: [9, 0], end: [9, 0] } };
    expect(() => addWorkingHours(closed, sh("2026-11-25T10:00"), 1)).toThrow(RangeError);
  });
});
