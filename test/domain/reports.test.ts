/**
 * The figures behind rankings, /stats and the digest, on hand-built rows: periods in the
 * office's zone, what counts as on time, the minimum volume, the order with its ties, the red
 * and black lists, empty figures, the digest's day edges at midnight office time, and the
 * digest's period (since the previous working day), which tiles time.
 */
import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { addDays, defaultCalendar, isWorkday, type OfficeCalendar } from "../../src/domain/calendar";
import {
  type CaseFacts,
  caseMilestones,
  countByDay,
  daysBefore,
  digestDays,
  digestFigures,
  digestPeriod,
  MAX_DIGEST_DAYS,
  type Milestones,
  matchArea,
  parsePeriodWords,
  periodRange,
  rankUnits,
  regionAndBelow,
  statsFigures,
  tally,
} from "../../src/domain/reports";
import type { EventType } from "../../src/domain/workflow";

const TZ = "Asia/Shanghai";
/** An office-local time in Shanghai, "2026-11-25T10:00", as an instant. */
const sh = (local: string): number => Date.parse(`${local}:00+08:00`);
const HOUR = 3_600_000;
const T0 = sh("2026-11-02T09:00");
const NOW = sh("2026-11-25T10:00");

/** A case handed to unit "a" at T0, signed for in an hour, not yet resolved, due in 100 hours. */
function c(over: Partial<CaseFacts> = {}): CaseFacts {
  return {
    unitId: "a",
    kind: "hazard",
    status: "in_progress",
    assignedAt: T0,
    acceptDueAt: T0 + 8 * HOUR,
    acceptedAt: T0 + HOUR,
    dueAt: T0 + 100 * HOUR,
    resolvedAt: null,
    rating: null,
    merged: false,
    reopened: 0,
    ...over,
  };
}
/** Resolved `hours` after hand-over, on time or `late` by an hour. */
const done = (unitId: string, opts: { late?: boolean; lateAccept?: boolean; rating?: number } = {}) =>
  c({
    unitId,
    status: "closed",
    acceptedAt: opts.lateAccept ? T0 + 9 * HOUR : T0 + HOUR,
    resolvedAt: opts.late ? T0 + 101 * HOUR : T0 + 50 * HOUR,
    rating: opts.rating ?? null,
  });
const range = (from: string, to: string) => ({ from: sh(from), to: sh(to) });

describe("periodRange, in the office's zone", () => {
  it("gives the month of 2026-11-25 and the month before, from office midnight to office midnight", () => {
    expect(periodRange("month", NOW, TZ, "current")).toEqual(range("2026-11-01T00:00", "2026-12-01T00:00"));
    expect(periodRange("month", NOW, TZ, "previous")).toEqual(range("2026-10-01T00:00", "2026-11-01T00:00"));
  });

  it("follows the office's date, not UTC's: 00:00 on the 1st in Shanghai is still the 30th in UTC", () => {
    const december = sh("2026-12-01T00:00");
    expect(new Date(december).getUTCDate()).toBe(30);
    expect(periodRange("month", december, TZ, "current")).toEqual(range("2026-12-01T00:00", "2027-01-01T00:00"));
    expect(periodRange("month", december - 1, TZ, "current")).toEqual(range("2026-11-01T00:00", "2026-12-01T00:00"));
    expect(periodRange("month", sh("2027-01-10T12:00"), TZ, "previous")).toEqual(range("2026-12-01T00:00", "2027-01-01T00:00"));
  });

  it("splits a month into halves, the 1st–15th and the 16th to the end", () => {
    expect(periodRange("half", sh("2026-11-15T23:59"), TZ, "current")).toEqual(range("2026-11-01T00:00", "2026-11-16T00:00"));
    expect(periodRange("half", sh("2026-11-16T00:00"), TZ, "current")).toEqual(range("2026-11-16T00:00", "2026-12-01T00:00"));
    expect(periodRange("half", sh("2026-11-20T10:00"), TZ, "previous")).toEqual(range("2026-11-01T00:00", "2026-11-16T00:00"));
    expect(periodRange("half", sh("2026-12-03T10:00"), TZ, "previous")).toEqual(range("2026-11-16T00:00", "2026-12-01T00:00"));
    expect(periodRange("half", sh("2027-02-20T10:00"), TZ, "current")).toEqual(range("2027-02-16T00:00", "2027-03-01T00:00"));
  });

  it("starts a week on Monday, across a month and a year", () => {
    // 2026-11-25 is a Wednesday.
    expect(periodRange("week", NOW, TZ, "current")).toEqual(range("2026-11-23T00:00", "2026-11-30T00:00"));
    expect(periodRange("week", sh("2026-11-29T23:59"), TZ, "current")).toEqual(range("2026-11-23T00:00", "2026-11-30T00:00"));
    expect(periodRange("week", sh("2026-11-30T00:00"), TZ, "current")).toEqual(range("2026-11-30T00:00", "2026-12-07T00:00"));
    expect(periodRange("week", NOW, TZ, "previous")).toEqual(range("2026-11-16T00:00", "2026-11-23T00:00"));
    expect(periodRange("week", sh("2027-01-01T10:00"), TZ, "current")).toEqual(range("2026-12-28T00:00", "2027-01-04T00:00"));
  });

  it("gives calendar quarters, and the one before across a year", () => {
    expect(periodRange("quarter", NOW, TZ, "current")).toEqual(range("2026-10-01T00:00", "2027-01-01T00:00"));
    expect(periodRange("quarter", NOW, TZ, "previous")).toEqual(range("2026-07-01T00:00", "2026-10-01T00:00"));
    expect(periodRange("quarter", sh("2026-02-10T10:00"), TZ, "previous")).toEqual(range("2025-10-01T00:00", "2026-01-01T00:00"));
  });

  it("is right in a zone with daylight saving time: March in New York starts at UTC-5 and ends at UTC-4", () => {
    expect(periodRange("month", Date.parse("2026-03-15T12:00:00Z"), "America/New_York", "current")).toEqual({
      from: Date.parse("2026-03-01T05:00:00Z"),
      to: Date.parse("2026-04-01T04:00:00Z"),
    });
  });
});

describe("caseMilestones", () => {
  const none: Milestones = { assignedAt: null, acceptedAt: null, resolvedAt: null, closedAt: null };
  const step = (m: Milestones, action: EventType, at: number) => caseMilestones(m, [{ action }], at);

  it("records hand-over, acceptance, resolution and close; a send-back clears the resolution until the next", () => {
    let m = step(none, "assigned", 1);
    m = step(m, "accepted", 2);
    m = step(m, "progress", 3);
    m = step(m, "resolved", 4);
    expect(m).toEqual({ assignedAt: 1, acceptedAt: 2, resolvedAt: 4, closedAt: null });
    m = step(m, "sent_back", 5);
    expect(m.resolvedAt).toBeNull();
    m = step(m, "resolved", 6);
    m = step(m, "closed", 7);
    expect(m).toEqual({ assignedAt: 1, acceptedAt: 2, resolvedAt: 6, closedAt: 7 });
  });

  it("starts the new owner's clock on an accepted transfer, forgetting the old owner's acceptance", () => {
    const m = step(step(step(none, "assigned", 1), "accepted", 2), "transfer_accepted", 3);
    expect(m).toEqual({ assignedAt: 3, acceptedAt: null, resolvedAt: null, closedAt: null });
  });

  it("counts answering a consultation straight away as signing for it, but keeps an earlier acceptance", () => {
    expect(step(step(none, "assigned", 1), "answered", 5)).toEqual({ assignedAt: 1, acceptedAt: 5, resolvedAt: 5, closedAt: null });
    expect(step(step(step(none, "assigned", 1), "accepted", 2), "answered", 5).acceptedAt).toBe(2);
  });

  it("closes a merged case (its two events) at the time of the merge", () => {
    expect(caseMilestones(none, [{ action: "merged" }, { action: "closed" }], 9).closedAt).toBe(9);
  });
});

describe("tally: what counts as on time", () => {
  it("counts a step done exactly at its deadline as on time, and a millisecond later as late", () => {
    const due = T0 + 100 * HOUR;
    const onTime = tally([c({ acceptedAt: T0 + 8 * HOUR, resolvedAt: due })], NOW);
    expect(onTime.acceptedOnTime).toEqual({ count: 1, of: 1, rate: 1 });
    expect(onTime.resolvedOnTime).toEqual({ count: 1, of: 1, rate: 1 });
    const late = tally([c({ acceptedAt: T0 + 8 * HOUR + 1, resolvedAt: due + 1 })], NOW);
    expect(late.acceptedOnTime).toEqual({ count: 0, of: 1, rate: 0 });
    expect(late.resolvedOnTime).toEqual({ count: 0, of: 1, rate: 0 });
  });

  it("judges a step not done only once its deadline has passed: at the deadline itself it is not late yet", () => {
    const due = T0 + 100 * HOUR;
    const pending = c({ acceptedAt: null, acceptDueAt: due, dueAt: due });
    expect(tally([pending], due).acceptedOnTime).toEqual({ count: 0, of: 0, rate: null });
    expect(tally([pending], due).resolvedOnTime).toEqual({ count: 0, of: 0, rate: null });
    expect(tally([pending], due + 1).acceptedOnTime).toEqual({ count: 0, of: 1, rate: 0 });
    expect(tally([pending], due + 1).resolvedOnTime).toEqual({ count: 0, of: 1, rate: 0 });
  });

  it("averages handling hours and ratings, and gives null, never NaN, when there is nothing to average", () => {
    const t = tally([done("a", { rating: 5 }), done("a", { rating: 4 }), c()], NOW);
    expect(t.avgHandlingHours).toBe(50);
    expect(t.satisfaction).toEqual({ mean: 4.5, count: 2 });
    const empty = tally([c({ acceptedAt: null, acceptDueAt: NOW + HOUR, dueAt: NOW + HOUR })], NOW);
    expect(empty).toEqual({
      received: 1,
      acceptedOnTime: { count: 0, of: 0, rate: null },
      resolved: 0,
      resolvedOnTime: { count: 0, of: 0, rate: null },
      avgHandlingHours: null,
      satisfaction: { mean: null, count: 0 },
      reopened: 0,
    });
    expect(JSON.stringify(tally([], NOW))).not.toContain("NaN");
  });

  it("leaves rejected and merged cases out: nobody is judged on them", () => {
    const t = tally([c({ status: "rejected", acceptedAt: null }), c({ status: "closed", merged: true, acceptedAt: null }), done("a")], NOW);
    expect(t.received).toBe(1);
    expect(t.acceptedOnTime).toEqual({ count: 1, of: 1, rate: 1 });
  });
});

describe("rankUnits", () => {
  const times = <T>(n: number, make: () => T) => Array.from({ length: n }, make);

  it("lists units with fewer than the minimum apart, and ranks the rest", () => {
    const cases = [...times(3, () => done("three")), ...times(2, () => done("two")), done("one")];
    const r = rankUnits({ unitIds: ["three", "two", "one", "idle"], cases, overdue: [] }, { now: NOW });
    expect(r.minCases).toBe(3);
    expect(r.ranked.map((u) => u.unitId)).toEqual(["three"]);
    expect(r.unranked.map((u) => [u.unitId, u.received])).toEqual([
      ["two", 2],
      ["one", 1],
      ["idle", 0],
    ]);
    expect(rankUnits({ unitIds: [], cases, overdue: [] }, { now: NOW, minCases: 1 }).ranked.map((u) => u.unitId)).toEqual(["three", "two", "one"]);
  });

  it("orders by resolved on time, then accepted on time, then fewer overdue, then more received; marks the red and black lists", () => {
    const cases = [
      ...times(4, () => done("a")), // all on time, nothing overdue
      ...times(3, () => done("b")),
      done("b", { late: true }), // 75% resolved on time
      ...times(3, () => done("c")),
      done("c", { lateAccept: true }), // 75% accepted on time
      ...times(4, () => done("d")), // on time, but 2 overdue now
      ...times(5, () => done("e")), // as "a", with more received
    ];
    const r = rankUnits(
      {
        unitIds: ["a", "b", "c", "d", "e", "f", "g"],
        cases: [...cases, done("f")],
        overdue: [
          { unitId: "d", count: 2 },
          { unitId: "g", count: 1 },
        ],
      },
      { now: NOW },
    );
    expect(r.ranked.map((u) => [u.rank, u.unitId, u.list])).toEqual([
      [1, "e", "red"],
      [2, "a", "red"],
      // Third, but with cases overdue: not on the red list, and the top three are never black.
      [3, "d", null],
      // In the bottom three with nothing overdue and everything resolved on time: not black.
      [4, "c", null],
      [5, "b", "black"],
    ]);
    expect(r.ranked.find((u) => u.unitId === "b")!.resolvedOnTime).toEqual({ count: 3, of: 4, rate: 0.75 });
    expect(r.ranked.find((u) => u.unitId === "d")!.overdueNow).toBe(2);
    // A unit with an overdue case and no case this period is still shown, unranked.
    expect(r.unranked.map((u) => [u.unitId, u.received, u.overdueNow])).toEqual([
      ["f", 1, 0],
      ["g", 0, 1],
    ]);
  });

  it("gives units equal on every criterion the same rank, listed by id, and skips the ranks they take", () => {
    const cases = [
      ...times(3, () => done("z")),
      ...times(3, () => done("m")),
      ...times(4, () => done("top")),
      ...times(3, () => done("last", { late: true })),
    ];
    const r = rankUnits({ unitIds: [], cases, overdue: [] }, { now: NOW });
    expect(r.ranked.map((u) => [u.rank, u.unitId])).toEqual([
      [1, "top"],
      [2, "m"],
      [2, "z"],
      [4, "last"],
    ]);
    expect(r.ranked.map((u) => u.list)).toEqual(["red", "red", "red", "black"]);
  });

  it("counts reopened cases first: a unit with one ranks below one with none and is on the black list, whatever its place", () => {
    const cases = [
      ...times(3, () => done("clean", { late: true })), // everything late, nothing reopened
      ...times(5, () => done("redone")),
      c({ ...done("redone"), reopened: 2 }), // reopened twice: one case
      ...times(4, () => done("good")),
    ];
    const r = rankUnits({ unitIds: [], cases, overdue: [] }, { now: NOW });
    expect(r.ranked.map((u) => [u.rank, u.unitId, u.reopened, u.list])).toEqual([
      [1, "good", 0, "red"],
      // Late on everything, yet above a unit whose work the citizen sent back; top three, so not black.
      [2, "clean", 0, null],
      // In the top three by place, on the black list all the same.
      [3, "redone", 1, "black"],
    ]);
    expect(tally([c({ reopened: 1 }), c(), c({ status: "rejected", reopened: 1 })], NOW).reopened).toBe(1);
  });

  it("puts a unit with nothing yet due level with a perfect one (nothing was late), and below it on volume", () => {
    const fresh = times(5, () => c({ unitId: "fresh", acceptedAt: null, acceptDueAt: NOW + HOUR, dueAt: NOW + 100 * HOUR }));
    const r = rankUnits({ unitIds: [], cases: [...fresh, ...times(6, () => done("busy"))], overdue: [] }, { now: NOW });
    expect(r.ranked.map((u) => [u.rank, u.unitId, u.resolvedOnTime.rate])).toEqual([
      [1, "busy", 1],
      [2, "fresh", null],
    ]);
  });
});

describe("statsFigures", () => {
  it("counts what was received by kind and by door, rejected ones included, and judges only the cases worked", () => {
    const s = statsFigures(
      {
        received: [
          { ...done("a", { rating: 3 }), source: "telegram" },
          { ...c({ kind: "consultation" }), source: "hotline" },
          { ...c({ status: "rejected", acceptedAt: null, kind: "violation" }), source: "hotline" },
        ],
        closed: 4,
        openNow: 7,
        overdueNow: 2,
      },
      NOW,
    );
    expect(s.receivedAll).toBe(3);
    expect(s.received).toBe(2);
    expect(s.byKind).toEqual({ hazard: 1, violation: 1, consultation: 1, task: 0 });
    expect(s.bySource).toMatchObject({ telegram: 1, hotline: 2, phone: 0 });
    expect(s).toMatchObject({ closed: 4, openNow: 7, overdueNow: 2, avgHandlingHours: 50, satisfaction: { mean: 3, count: 1 } });
    expect(s.resolvedOnTime).toEqual({ count: 1, of: 2, rate: 0.5 });
  });
});

describe("the digest's period", () => {
  const cal = defaultCalendar(TZ);
  const period = (date: string, calendar: OfficeCalendar = cal) => digestPeriod(calendar, date);

  it("on a Tuesday is Monday, from office midnight to office midnight", () => {
    expect(period("2026-11-24")).toEqual({
      first: "2026-11-23",
      last: "2026-11-23",
      days: 1,
      from: sh("2026-11-23T00:00"),
      to: sh("2026-11-24T00:00"),
    });
  });

  it("on a Monday is Friday to Sunday", () => {
    expect(period("2026-12-07")).toEqual({
      first: "2026-12-04",
      last: "2026-12-06",
      days: 3,
      from: sh("2026-12-04T00:00"),
      to: sh("2026-12-07T00:00"),
    });
  });

  it("after the National Day holiday (1-7 October 2026) is the last working day before it and every day off", () => {
    // The calendar's word for it, so the test fails loudly if the package's schedule changes.
    expect(["2026-09-30", "2026-10-08"].map((d) => isWorkday(cal, d))).toEqual([true, true]);
    expect(Array.from({ length: 7 }, (_, i) => isWorkday(cal, addDays("2026-10-01", i)))).toEqual(Array(7).fill(false));
    expect(period("2026-10-08")).toMatchObject({ first: "2026-09-30", last: "2026-10-07", days: 8 });
    // Spring Festival 2026: off 15-23 February; Saturday the 14th was worked.
    expect(period("2026-02-24")).toMatchObject({ first: "2026-02-14", last: "2026-02-23", days: 10 });
  });

  it("on a make-up working day (a Saturday worked) is the Friday, and the Monday after covers the Saturday and Sunday", () => {
    expect(isWorkday(cal, "2026-10-10")).toBe(true); // Saturday, worked for the National Day holiday
    expect(period("2026-10-10")).toMatchObject({ first: "2026-10-09", last: "2026-10-09", days: 1 });
    expect(period("2026-10-12")).toMatchObject({ first: "2026-10-10", last: "2026-10-11", days: 2 });
  });

  it("follows the office's own days off and make-up days from the directory file", () => {
    const office = { ...cal, overrides: { workdays: ["2026-11-29"], holidays: ["2026-11-27"] } };
    // Friday the 27th off: Sunday the 29th, worked, covers Thursday to Saturday; Monday covers Sunday.
    expect(period("2026-11-29", office)).toMatchObject({ first: "2026-11-26", last: "2026-11-28", days: 3 });
    expect(period("2026-11-30", office)).toMatchObject({ first: "2026-11-29", last: "2026-11-29", days: 1 });
  });

  it("reaches back at most 31 days when the calendar has no working day for longer", () => {
    const holidays = Array.from({ length: 60 }, (_, i) => addDays("2026-11-01", i));
    const broken = { ...cal, overrides: { workdays: [], holidays } };
    expect(period("2026-12-31", broken)).toMatchObject({ first: "2026-11-30", last: "2026-12-30", days: MAX_DIGEST_DAYS });
  });

  it("tiles time: the periods of consecutive working days meet with no gap and no overlap, whatever the days off", () => {
    const start = "2026-01-05";
    fc.assert(
      fc.property(
        // Up to 20 extra days off and 10 extra working days within 120 days starting anywhere
        // in 2026, on top of the package's holidays and make-up days.
        fc.integer({ min: 0, max: 365 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 119 }), { maxLength: 20 }),
        fc.uniqueArray(fc.integer({ min: 0, max: 119 }), { maxLength: 10 }),
        (offset, off, worked) => {
          const first = addDays(start, offset);
          const calendar = {
            ...cal,
            overrides: { holidays: off.map((i) => addDays(first, i)), workdays: worked.map((i) => addDays(first, i)) },
          };
          const workdays = Array.from({ length: 120 }, (_, i) => addDays(first, i)).filter((d) => isWorkday(calendar, d));
          // Beyond the cap a period is cut short on purpose (the previous test): not this promise.
          fc.pre(workdays.every((d, k) => k === 0 || d <= addDays(workdays[k - 1]!, MAX_DIGEST_DAYS)));
          for (let k = 1; k < workdays.length; k++) {
            const p = digestPeriod(calendar, workdays[k]!);
            const q = digestPeriod(calendar, workdays[k - 1]!);
            // Each begins on the working day before and ends the day before its own: the next one begins where this one ended.
            expect(p.first).toBe(workdays[k - 1]);
            expect(addDays(p.last, 1)).toBe(workdays[k]);
            expect(p.from).toBe(q.to);
            expect(p.to).toBeGreaterThan(p.from);
          }
        },
      ),
      { numRuns: 100 },
    );
  });
});

describe("the digest", () => {
  const at = sh("2026-11-25T08:00");
  const days = digestDays(at, TZ);

  it("covers the 14 office days ending yesterday, each from office midnight to office midnight", () => {
    expect(days).toHaveLength(14);
    expect(days[0]).toEqual({ date: "2026-11-11", from: sh("2026-11-11T00:00"), to: sh("2026-11-12T00:00") });
    expect(days.at(-1)).toEqual({ date: "2026-11-24", from: sh("2026-11-24T00:00"), to: sh("2026-11-25T00:00") });
    expect(daysBefore(sh("2026-11-25T00:00"), TZ, 1)[0]!.date).toBe("2026-11-24");
    expect(daysBefore(sh("2026-11-24T23:59"), TZ, 1)[0]!.date).toBe("2026-11-23");
  });

  it("puts a case at 23:59 in its day and one at 00:00 in the next, and names the worst three overdue", () => {
    const d = digestFigures(
      {
        period: digestPeriod(defaultCalendar(TZ), "2026-11-25"),
        days,
        openedAt: [
          sh("2026-11-23T23:59"),
          sh("2026-11-24T00:00"),
          sh("2026-11-24T23:59"),
          sh("2026-11-25T00:00"),
          sh("2026-11-11T00:00"),
          sh("2026-11-10T23:59"),
        ],
        closedAt: [sh("2026-11-24T23:59"), sh("2026-11-25T00:00")],
        newlyOverdue: 2,
        overdueNow: 5,
        overdue: [
          { number: "YH-3", unitId: "b", dueAt: sh("2026-11-24T17:30") },
          { number: "YH-1", unitId: "a", dueAt: sh("2026-11-12T17:30") },
          { number: "YH-2", unitId: null, dueAt: sh("2026-11-20T17:30") },
          { number: "YH-4", unitId: "a", dueAt: sh("2026-11-24T17:30") },
        ],
        supervisedOpen: 2,
      },
      at,
    );
    expect(d).toMatchObject({
      period: { first: "2026-11-24", last: "2026-11-24", days: 1 },
      opened: 2,
      closed: 1,
      newlyOverdue: 2,
      overdueNow: 5,
      supervisedOpen: 2,
    });
    expect(d.series).toHaveLength(14);
    expect(d.series.at(-2)).toEqual({ date: "2026-11-23", opened: 1, closed: 0 });
    expect(d.series[0]).toEqual({ date: "2026-11-11", opened: 1, closed: 0 });
    expect(d.series.reduce((n, s) => n + s.opened, 0)).toBe(4);
    // Most overdue first; days are started days (14.5 hours over is 1 day).
    expect(d.worstOverdue).toEqual([
      { number: "YH-1", unitId: "a", daysOverdue: 13 },
      { number: "YH-2", unitId: null, daysOverdue: 5 },
      { number: "YH-3", unitId: "b", daysOverdue: 1 },
    ]);
  });

  it("on a Monday counts what was received and closed from Friday to Sunday, and still draws the 14 days ending Sunday", () => {
    const monday = sh("2026-11-30T08:30");
    const d = digestFigures(
      {
        period: digestPeriod(defaultCalendar(TZ), "2026-11-30"),
        days: digestDays(monday, TZ),
        openedAt: [sh("2026-11-26T23:59"), sh("2026-11-27T00:00"), sh("2026-11-27T15:00"), sh("2026-11-29T23:59"), sh("2026-11-30T00:00")],
        closedAt: [sh("2026-11-28T10:00")],
        newlyOverdue: 0,
        overdueNow: 0,
        overdue: [],
        supervisedOpen: 0,
      },
      monday,
    );
    expect(d).toMatchObject({ period: { first: "2026-11-27", last: "2026-11-29", days: 3 }, opened: 3, closed: 1 });
    expect(d.series.at(-1)).toEqual({ date: "2026-11-29", opened: 1, closed: 0 });
    expect(d.series.at(-3)).toEqual({ date: "2026-11-27", opened: 2, closed: 0 });
  });

  it("names a case overdue at two stages once, overdue since the first deadline it missed", () => {
    const d = digestFigures(
      {
        period: digestPeriod(defaultCalendar(TZ), "2026-11-25"),
        days,
        openedAt: [],
        closedAt: [],
        newlyOverdue: 0,
        overdueNow: 2,
        overdue: [
          { number: "YH-1", unitId: "a", dueAt: sh("2026-11-20T17:30") }, // its resolve deadline
          { number: "YH-2", unitId: "b", dueAt: sh("2026-11-18T17:30") },
          { number: "YH-1", unitId: "a", dueAt: sh("2026-11-16T17:30") }, // its accept deadline, missed first
        ],
        supervisedOpen: 0,
      },
      at,
    );
    expect(d.worstOverdue).toEqual([
      { number: "YH-1", unitId: "a", daysOverdue: 9 },
      { number: "YH-2", unitId: "b", daysOverdue: 7 },
    ]);
  });

  it("counts instants into day windows, leaving out those outside them", () => {
    expect(countByDay(days.slice(-2), [sh("2026-11-23T00:00"), sh("2026-11-24T12:00"), sh("2026-11-24T13:00"), sh("2026-11-22T23:59")])).toEqual([
      1, 2,
    ]);
  });
});

describe("command words and areas", () => {
  it("reads an optional period and 'prev' in either order, the rest being the area", () => {
    expect(parsePeriodWords("")).toEqual({ kind: "month", which: "current", rest: "" });
    expect(parsePeriodWords("week")).toEqual({ kind: "week", which: "current", rest: "" });
    expect(parsePeriodWords("QUARTER prev")).toEqual({ kind: "quarter", which: "previous", rest: "" });
    expect(parsePeriodWords("prev half")).toEqual({ kind: "half", which: "previous", rest: "" });
    expect(parsePeriodWords("month town-a")).toEqual({ kind: "month", which: "current", rest: "town-a" });
    expect(parsePeriodWords("Chengguan Town")).toEqual({ kind: "month", which: "current", rest: "Chengguan Town" });
    expect(parsePeriodWords("year")).toEqual({ kind: "month", which: "current", rest: "year" });
  });

  const regions = [
    { id: "county", parentId: null, nameZh: "清河县", nameEn: "Qinghe County" },
    { id: "town-a", parentId: "county", nameZh: "城关镇", nameEn: "Chengguan Town" },
    { id: "village-1", parentId: "town-a", nameZh: "东关村", nameEn: "Dongguan Village" },
    { id: "town-b", parentId: "county", nameZh: "西桥街道", nameEn: "Xiqiao Street" },
  ];
  const sectors = [{ id: "construction", nameZh: "建筑施工", nameEn: "Construction" }];

  it("finds a region (with those under it) or a sector by id or name, and says when it is unknown or ambiguous", () => {
    expect(regionAndBelow(regions, "county")).toEqual(["county", "town-a", "town-b", "village-1"]);
    expect(matchArea("town-a", regions, sectors)).toMatchObject({
      ok: true,
      area: { type: "region", id: "town-a" },
      regionIds: ["town-a", "village-1"],
    });
    expect(matchArea("城关镇", regions, sectors)).toMatchObject({ ok: true, area: { id: "town-a" } });
    expect(matchArea("chengguan town", regions, sectors)).toMatchObject({ ok: true, area: { id: "town-a" } });
    expect(matchArea("建筑", regions, sectors)).toMatchObject({ ok: true, area: { type: "sector", id: "construction" }, regionIds: [] });
    expect(matchArea("mines", regions, sectors)).toEqual({ ok: false, problem: "unknown", candidates: [] });
    expect(matchArea("guan", regions, sectors)).toEqual({ ok: false, problem: "ambiguous", candidates: ["town-a", "village-1"] });
  });
});
